//! The order credit check: whether a new order can be accepted, or must be
//! held, and why.
//!
//! The policy's `orders` section lists the hold rules; the name `order`
//! holds the new order's amount. A policy without that section holds an
//! order when the exposure plus the order exceeds the credit limit, and when
//! the escalation blocks the client's orders.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::Serialize;

use super::decision::{Decision, DecisionWarning, fixed};
use super::interpret::Frame;
use super::{EvalError, Evaluator};
use crate::ledger::{ClientId, Ledger, Order};
use crate::value::Currency;

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
    /// The order's id, when the caller gives one.
    pub order_id: Option<String>,
    /// The open order of the ledger with that id, which the checked order
    /// replaces, so the decision's exposure leaves it out.
    pub replaces: Option<ReplacedOrder>,
    /// The client's decision without the order.
    pub decision: Decision<'a>,
}

/// An open order of the ledger that the checked order replaces.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ReplacedOrder {
    #[serde(serialize_with = "iso_date")]
    pub date: NaiveDate,
    /// The amount in `currency`, as the ledger records it.
    #[serde(serialize_with = "money")]
    pub amount: Decimal,
    #[serde(serialize_with = "currency_code")]
    pub currency: Currency,
}

impl ReplacedOrder {
    /// Describes `order`, whose currency is `policy_currency` when the ledger
    /// gives none.
    pub fn new(order: &Order, policy_currency: Currency) -> Self {
        ReplacedOrder {
            date: order.date,
            amount: order.amount,
            currency: order.currency.unwrap_or(policy_currency),
        }
    }
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
            order_id: None,
            replaces: None,
            decision,
        }
    }

    /// Records the order's id and the open order of the ledger it replaces,
    /// if any.
    pub fn with_order_id(mut self, id: &str, replaces: Option<ReplacedOrder>) -> Self {
        self.order_id = Some(id.to_string());
        self.replaces = replaces;
        self
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
    /// The policy's currency, which every amount of the check but those
    /// of `replaces` is in.
    currency: &'a str,
    order_id: Option<&'a str>,
    replaces: Option<&'a ReplacedOrder>,
    exposure: String,
    exposure_with_order: Option<String>,
    credit_limit: Option<String>,
    grade: Option<&'a str>,
    /// The client decision's warnings, such as credit that settles nothing.
    warnings: &'a [DecisionWarning],
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
            order_id: self.order_id.as_deref(),
            replaces: self.replaces.as_ref(),
            exposure: fixed(self.decision.metrics.exposure, 2),
            exposure_with_order: self.exposure_with_order().map(|e| fixed(e, 2)),
            credit_limit: self.decision.credit_limit.map(|l| fixed(l, 2)),
            grade: self.decision.grade,
            warnings: &self.decision.warnings,
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

/// Removes the client's order `id` dated on or before `as_of` from the
/// ledger, so that the metrics leave it out of `orders` and `exposure`.
/// Returns the order, or `None` when the client has no such open order at
/// that date, because its orders dated later do not count in the exposure.
pub fn remove_open_order(
    ledger: &mut Ledger,
    client: ClientId,
    id: &str,
    as_of: NaiveDate,
) -> Option<Order> {
    let range = ledger.clients.get(client as usize)?.orders.clone();
    let index = range.into_iter().find(|&index| {
        ledger
            .orders
            .get(index as usize)
            .is_some_and(|order| order.id == id && order.date <= as_of)
    })?;
    let order = ledger.orders.remove(index as usize);

    // Every client's orders are a range of `ledger.orders`, so the ranges
    // after the removed order move down by one.
    for record in &mut ledger.clients {
        if record.orders.start > index {
            record.orders.start -= 1;
        }
        if record.orders.end > index {
            record.orders.end -= 1;
        }
    }
    Some(order)
}

fn iso_date<S: serde::Serializer>(date: &NaiveDate, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(&date.format("%Y-%m-%d"))
}

fn money<S: serde::Serializer>(value: &Decimal, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&fixed(*value, 2))
}

fn currency_code<S: serde::Serializer>(currency: &Currency, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(currency.as_str())
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

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;

    // The sample's orders: O-101 of C03, then O-102 and O-103 of C07.
    fn sample() -> Ledger {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/sample");
        Ledger::load(&path).unwrap()
    }

    fn date(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    fn order_ids(ledger: &Ledger, client: &str) -> Vec<String> {
        let record = &ledger.clients[ledger.client_by_id(client).unwrap() as usize];
        let range = record.orders.start as usize..record.orders.end as usize;
        ledger.orders[range].iter().map(|o| o.id.clone()).collect()
    }

    #[test]
    fn remove_open_order_keeps_later_ranges() {
        let mut ledger = sample();
        let c03 = ledger.client_by_id("C03").unwrap();
        let removed = remove_open_order(&mut ledger, c03, "O-101", date("2027-03-31"));
        assert_eq!(removed.map(|o| o.id), Some("O-101".to_string()));
        assert!(order_ids(&ledger, "C03").is_empty());
        assert_eq!(order_ids(&ledger, "C07"), ["O-102", "O-103"]);
    }

    #[test]
    fn remove_open_order_of_another_client() {
        let mut ledger = sample();
        let c07 = ledger.client_by_id("C07").unwrap();
        let removed = remove_open_order(&mut ledger, c07, "O-101", date("2027-03-31"));
        assert_eq!(removed, None);
        assert_eq!(ledger.orders.len(), 3);
    }

    #[test]
    fn remove_open_order_dated_after_as_of() {
        // O-103 is dated 2027-03-30, so it is not open at 2027-03-29.
        let mut ledger = sample();
        let c07 = ledger.client_by_id("C07").unwrap();
        let removed = remove_open_order(&mut ledger, c07, "O-103", date("2027-03-29"));
        assert_eq!(removed, None);
        assert_eq!(order_ids(&ledger, "C07"), ["O-102", "O-103"]);
    }
}
