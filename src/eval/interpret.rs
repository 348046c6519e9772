//! Evaluates checked expressions for one client.
//!
//! The checker has already matched types and units, so this code only
//! computes. A missing operand makes the result missing, except where
//! `and`/`or` are decided by their left side and where `if missing` catches
//! it. Division by zero gives a missing value, as the checker announced.

use std::cmp::Ordering;

use chrono::{Days, NaiveDate};
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

use super::EvalError;
use crate::check::names::{InvoiceAttribute, Metric};
use crate::check::{ArithmeticOp, CompareOp, Expr, Node};
use crate::ledger::{Client, Invoice};
use crate::metrics::{ClientMetrics, OpenItem};
use crate::value::{GradeId, Type, Value};

/// Everything an expression can read while one client is evaluated.
pub(crate) struct Frame<'e> {
    pub client: &'e Client,
    pub fields: &'e [Value<'e>],
    pub metrics: &'e ClientMetrics,
    pub as_of: NaiveDate,
    pub score: Option<Decimal>,
    pub grade: Option<GradeId>,
    pub limit: Option<Decimal>,
    /// The amount of the order under check, in the order credit check.
    pub order: Option<Decimal>,
    /// Whether an escalation action due today blocks the client's orders.
    pub orders_blocked: bool,
    /// The invoice an escalation rule looks at.
    pub invoice: Option<(&'e Invoice, &'e OpenItem)>,
}

type Result<T> = std::result::Result<T, EvalError>;

impl<'e> Frame<'e> {
    pub fn eval(&self, expr: &'e Expr) -> Result<Value<'e>> {
        Ok(match &expr.node {
            Node::Constant(constant) => constant.as_value(),
            Node::Field(index) => self
                .fields
                .get(*index as usize)
                .copied()
                .unwrap_or(Value::Missing),
            Node::ClientId => Value::Text(&self.client.id),
            Node::ClientName => self
                .client
                .name
                .as_deref()
                .map_or(Value::Missing, Value::Text),
            Node::Metric(metric) => self.metric_value(*metric),
            Node::Invoice(attribute) => self.invoice_attribute(*attribute),
            Node::Score => self.score.map_or(Value::Missing, Value::Number),
            Node::Grade => self.grade.map_or(Value::Missing, Value::Grade),
            Node::Limit => self.limit.map_or(Value::Missing, Value::Money),
            Node::AvailableCredit => self.available_credit(expr)?,
            Node::Order => self.order.map_or(Value::Missing, Value::Money),
            Node::OrdersBlocked => Value::Boolean(self.orders_blocked),
            Node::AsOf => Value::Date(self.as_of),
            Node::Negate(operand) => self.negate(operand)?,
            Node::Not(operand) => match self.eval(operand)? {
                Value::Boolean(b) => Value::Boolean(!b),
                _ => Value::Missing,
            },
            Node::Arithmetic {
                op,
                result,
                lhs,
                rhs,
            } => self.arithmetic(expr, *op, *result, lhs, rhs)?,
            Node::Compare { op, lhs, rhs } => compare(*op, self.eval(lhs)?, self.eval(rhs)?),
            Node::And(lhs, rhs) => self.logic(lhs, rhs, false)?,
            Node::Or(lhs, rhs) => self.logic(lhs, rhs, true)?,
            Node::In(needle, items) => self.membership(needle, items)?,
            Node::Min(items) => self.extreme(items, Ordering::Less)?,
            Node::Max(items) => self.extreme(items, Ordering::Greater)?,
            Node::IfMissing(value, fallback) => match self.eval(value)? {
                Value::Missing => self.eval(fallback)?,
                present => present,
            },
        })
    }

    pub fn metric_value(&self, metric: Metric) -> Value<'e> {
        let m = self.metrics;
        let lateness = |window: u16| m.lateness.get(window as usize);
        match metric {
            Metric::Exposure => Value::Money(m.exposure),
            Metric::Receivables => Value::Money(m.receivables),
            Metric::Overdue => Value::Money(m.overdue),
            Metric::OverdueRatio => Value::Percent(m.overdue_ratio),
            Metric::CreditBalance => Value::Money(m.credit_balance),
            Metric::AgingCurrent => Value::Money(m.aging.current),
            Metric::Aging1To30 => Value::Money(m.aging.days_1_30),
            Metric::Aging31To60 => Value::Money(m.aging.days_31_60),
            Metric::Aging61To90 => Value::Money(m.aging.days_61_90),
            Metric::AgingOver90 => Value::Money(m.aging.over_90),
            Metric::OldestOverdueDays => Value::Days(Decimal::from(m.oldest_overdue_days)),
            Metric::OpenInvoices => Value::Number(Decimal::from(m.open_invoices)),
            Metric::OverdueInvoices => Value::Number(Decimal::from(m.overdue_invoices)),
            Metric::Dso => m.dso.map_or(Value::Missing, Value::Days),
            Metric::Orders => Value::Money(m.orders),
            Metric::BestPossibleDso => m.best_possible_dso.map_or(Value::Missing, Value::Days),
            Metric::AverageDaysDelinquent => m
                .average_days_delinquent
                .map_or(Value::Missing, Value::Days),
            Metric::Cei(period) => m
                .cei_periods
                .get(usize::from(period))
                .and_then(|p| p.cei)
                .map_or(Value::Missing, Value::Percent),
            Metric::PendingPromises => Value::Number(Decimal::from(m.pending_promises)),
            Metric::ChargesDue => Value::Money(m.charges_due),
            Metric::AvgDaysLate(w) => lateness(w)
                .and_then(|l| l.avg_days_late)
                .map_or(Value::Missing, Value::Days),
            Metric::LateRatio(w) => lateness(w)
                .and_then(|l| l.late_ratio)
                .map_or(Value::Missing, Value::Percent),
            Metric::SettledInvoices(w) => lateness(w).map_or(Value::Missing, |l| {
                Value::Number(Decimal::from(l.settled_invoices))
            }),
            Metric::BrokenPromises(w) => lateness(w).map_or(Value::Missing, |l| {
                Value::Number(Decimal::from(l.broken_promises))
            }),
        }
    }

    fn invoice_attribute(&self, attribute: InvoiceAttribute) -> Value<'e> {
        let Some((invoice, item)) = self.invoice else {
            return Value::Missing;
        };
        match attribute {
            InvoiceAttribute::Id => Value::Text(&invoice.id),
            InvoiceAttribute::Date => Value::Date(invoice.date),
            InvoiceAttribute::DueDate => Value::Date(item.due_date),
            // In the policy's currency, like every other amount a policy reads.
            // INVARIANT: amounts are at most 10^15 and rates at most 10^12
            // (both checked before evaluation), so the product fits.
            InvoiceAttribute::Amount => invoice
                .amount
                .checked_mul(item.rate)
                .map_or(Value::Missing, Value::Money),
            InvoiceAttribute::OpenAmount => Value::Money(item.open),
            InvoiceAttribute::DaysPastDue => Value::Days(Decimal::from(item.days_past_due)),
            InvoiceAttribute::Disputed => Value::Boolean(invoice.disputed),
            InvoiceAttribute::ChargesDue => Value::Money(item.charges_due),
        }
    }

    fn available_credit(&self, expr: &Expr) -> Result<Value<'e>> {
        let Some(limit) = self.limit else {
            return Ok(Value::Missing);
        };
        let available = limit
            .checked_sub(self.metrics.exposure)
            .ok_or_else(|| self.overflow(expr))?;
        Ok(Value::Money(available))
    }

    fn negate(&self, operand: &'e Expr) -> Result<Value<'e>> {
        Ok(match self.eval(operand)? {
            Value::Number(d) => Value::Number(-d),
            Value::Money(d) => Value::Money(-d),
            Value::Percent(d) => Value::Percent(-d),
            Value::Days(d) => Value::Days(-d),
            _ => Value::Missing,
        })
    }

    fn arithmetic(
        &self,
        expr: &Expr,
        op: ArithmeticOp,
        result: Type,
        lhs: &'e Expr,
        rhs: &'e Expr,
    ) -> Result<Value<'e>> {
        let (left, right) = (self.eval(lhs)?, self.eval(rhs)?);
        match (left, right) {
            (Value::Missing, _) | (_, Value::Missing) => Ok(Value::Missing),
            (Value::Date(date), Value::Days(days)) => self.shift_date(expr, date, days, op),
            (Value::Days(days), Value::Date(date)) => self.shift_date(expr, date, days, op),
            (Value::Date(a), Value::Date(b)) => Ok(Value::Days(Decimal::from((a - b).num_days()))),
            (a, b) => {
                let (Some(a), Some(b)) = (a.as_decimal(), b.as_decimal()) else {
                    return Ok(Value::Missing);
                };
                let computed = match op {
                    ArithmeticOp::Add => a.checked_add(b),
                    ArithmeticOp::Subtract => a.checked_sub(b),
                    ArithmeticOp::Multiply => a.checked_mul(b),
                    ArithmeticOp::Divide if b.is_zero() => return Ok(Value::Missing),
                    ArithmeticOp::Divide => a.checked_div(b),
                };
                let value = computed.ok_or_else(|| self.overflow(expr))?;
                Ok(typed(result, value))
            }
        }
    }

    fn shift_date(
        &self,
        expr: &Expr,
        date: NaiveDate,
        days: Decimal,
        op: ArithmeticOp,
    ) -> Result<Value<'e>> {
        if !days.fract().is_zero() {
            return Err(EvalError::FractionalDays {
                client: self.client.id.clone(),
                span: expr.span,
                days,
            });
        }
        let signed = if op == ArithmeticOp::Subtract {
            -days
        } else {
            days
        };
        let magnitude = signed.abs().to_u64().map(Days::new);
        let shifted = magnitude.and_then(|step| {
            if signed.is_sign_negative() {
                date.checked_sub_days(step)
            } else {
                date.checked_add_days(step)
            }
        });
        shifted.map(Value::Date).ok_or_else(|| self.overflow(expr))
    }

    /// `and` (`stop_on` false) and `or` (`stop_on` true): the left side alone
    /// decides when it equals `stop_on`.
    fn logic(&self, lhs: &'e Expr, rhs: &'e Expr, stop_on: bool) -> Result<Value<'e>> {
        let left = self.eval(lhs)?;
        if left == Value::Boolean(stop_on) {
            return Ok(left);
        }
        let right = self.eval(rhs)?;
        Ok(match (left, right) {
            (Value::Boolean(_), Value::Boolean(r)) => Value::Boolean(r),
            (_, Value::Boolean(r)) if r == stop_on => Value::Boolean(r),
            _ => Value::Missing,
        })
    }

    fn membership(&self, needle: &'e Expr, items: &'e [Expr]) -> Result<Value<'e>> {
        let needle = self.eval(needle)?;
        if needle.is_missing() {
            return Ok(Value::Missing);
        }
        for item in items {
            if let Value::Boolean(true) = compare(CompareOp::Equal, needle, self.eval(item)?) {
                return Ok(Value::Boolean(true));
            }
        }
        Ok(Value::Boolean(false))
    }

    /// `min` (`keep` Less) or `max` (`keep` Greater).
    fn extreme(&self, items: &'e [Expr], keep: Ordering) -> Result<Value<'e>> {
        let mut best = Value::Missing;
        for item in items {
            let value = self.eval(item)?;
            if value.is_missing() {
                return Ok(Value::Missing);
            }
            if best.is_missing() || order(value, best) == Some(keep) {
                best = value;
            }
        }
        Ok(best)
    }

    fn overflow(&self, expr: &Expr) -> EvalError {
        EvalError::Overflow {
            client: self.client.id.clone(),
            span: expr.span,
        }
    }
}

fn typed(ty: Type, value: Decimal) -> Value<'static> {
    match ty {
        Type::Money => Value::Money(value),
        Type::Percent => Value::Percent(value),
        Type::Days => Value::Days(value),
        _ => Value::Number(value),
    }
}

/// Orders two present values of the same type; `None` for unordered types.
fn order(a: Value<'_>, b: Value<'_>) -> Option<Ordering> {
    match (a, b) {
        (Value::Date(a), Value::Date(b)) => Some(a.cmp(&b)),
        (a, b) => Some(a.as_decimal()?.cmp(&b.as_decimal()?)),
    }
}

fn compare(op: CompareOp, a: Value<'_>, b: Value<'_>) -> Value<'static> {
    if a.is_missing() || b.is_missing() {
        return Value::Missing;
    }
    let result = match op {
        // Decimal equality ignores scale: `30` equals `30.00`.
        CompareOp::Equal => a == b,
        CompareOp::NotEqual => a != b,
        ordered => match order(a, b) {
            Some(ordering) => match ordered {
                CompareOp::Less => ordering == Ordering::Less,
                CompareOp::LessOrEqual => ordering != Ordering::Greater,
                CompareOp::Greater => ordering == Ordering::Greater,
                _ => ordering != Ordering::Less,
            },
            None => return Value::Missing,
        },
    };
    Value::Boolean(result)
}
