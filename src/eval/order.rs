//! The order credit check: whether a new order can be accepted, or must be
//! held, and why.
//!
//! The policy's `orders` section lists the hold rules; the name `order`
//! holds the new order's amount. A policy without that section holds an
//! order when the exposure plus the order exceeds the credit limit, and when
//! the escalation blocks the client's orders.

use rust_decimal::Decimal;
use serde::Serialize;

use super::decision::{Decision, fixed};
use super::interpret::Frame;
use super::{EvalError, Evaluator};

/// The reasons of the rules that apply without an `orders` section.
const OVER_LIMIT: &str = "exposure with the order over the credit limit";
const BLOCKED: &str = "orders blocked by the escalation";

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum OrderVerdict {
    Approve,
    Hold,
}

/// The answer of the order credit check.
#[derive(Clone, Debug)]
pub struct OrderCheck<'a> {
    pub verdict: OrderVerdict,
    /// The reason of every hold rule that applies; empty for an approval.
    pub reasons: Vec<&'a str>,
    pub order: Decimal,
    /// The client's decision without the order.
    pub decision: Decision<'a>,
}

impl<'a> OrderCheck<'a> {
    pub(super) fn new(decision: Decision<'a>, order: Decimal, reasons: Vec<&'a str>) -> Self {
        let verdict = match reasons.is_empty() {
            true => OrderVerdict::Approve,
            false => OrderVerdict::Hold,
        };
        OrderCheck {
            verdict,
            reasons,
            order,
            decision,
        }
    }

    /// Exposure once the order is accepted; `None` past a decimal's range.
    pub fn exposure_with_order(&self) -> Option<Decimal> {
        self.decision.metrics.exposure.checked_add(self.order)
    }
}

/// The JSON form of an order check.
#[derive(Serialize)]
struct OrderCheckJson<'a> {
    client: &'a str,
    as_of: String,
    verdict: OrderVerdict,
    reasons: &'a [&'a str],
    order: String,
    /// The policy's currency, which every amount of the check is in.
    currency: &'a str,
    exposure: String,
    exposure_with_order: Option<String>,
    credit_limit: Option<String>,
    grade: Option<&'a str>,
}

impl Serialize for OrderCheck<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        OrderCheckJson {
            client: self.decision.client,
            as_of: self.decision.as_of.format("%Y-%m-%d").to_string(),
            verdict: self.verdict,
            reasons: &self.reasons,
            order: fixed(self.order, 2),
            currency: self.decision.currency.as_str(),
            exposure: fixed(self.decision.metrics.exposure, 2),
            exposure_with_order: self.exposure_with_order().map(|e| fixed(e, 2)),
            credit_limit: self.decision.credit_limit.map(|l| fixed(l, 2)),
            grade: self.decision.grade,
        }
        .serialize(serializer)
    }
}

impl<'a> Evaluator<'a> {
    /// Applies the hold rules to a frame that carries the order amount.
    pub(super) fn order_holds<'e>(&self, frame: &Frame<'e>) -> Result<Vec<&'a str>, EvalError>
    where
        'a: 'e,
    {
        let Some(rules) = &self.policy.orders else {
            return Ok(default_holds(frame));
        };
        let mut reasons = Vec::new();
        for rule in rules {
            if frame.eval(&rule.condition)? == crate::value::Value::Boolean(true) {
                reasons.push(rule.reason.as_str());
            }
        }
        Ok(reasons)
    }
}

fn default_holds(frame: &Frame<'_>) -> Vec<&'static str> {
    let mut reasons = Vec::new();
    let exposure = frame
        .metrics
        .exposure
        .checked_add(frame.order.unwrap_or_default());
    let over_limit = match (exposure, frame.limit) {
        (Some(exposure), Some(limit)) => exposure > limit,
        (None, Some(_)) => true,
        _ => false,
    };
    if over_limit {
        reasons.push(OVER_LIMIT);
    }
    if frame.orders_blocked {
        reasons.push(BLOCKED);
    }
    reasons
}
