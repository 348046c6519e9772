//! The checked policy: what the evaluator runs.
//!
//! Names are resolved to slots here (a field to its index, a metric to an
//! enum, a grade to its position), so evaluation never looks a string up.
//! Every node that can be traced keeps the policy text it came from.

use std::path::PathBuf;

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::names::{InvoiceAttribute, Metric};
use crate::hooks::Hook;
use crate::metrics::PenaltyTerms;
use crate::source::{SourceFile, Span};
use crate::syntax::ast::{Action, Severity};
use crate::terms::PaymentTerms;
use crate::value::{Currency, GradeId, Type, Value};

/// A policy that passed the checker.
pub struct CheckedPolicy {
    pub source: SourceFile,
    pub name: String,
    pub version: u64,
    /// Hex SHA-256 of the policy text, stamped on every decision.
    pub sha256: String,
    pub currency: Currency,
    pub effective: Option<NaiveDate>,
    pub fields: Vec<FieldSlot>,
    pub score: Option<Vec<CheckedFactor>>,
    /// Grade names in declaration order; a [`GradeId`] indexes it.
    pub grade_names: Vec<String>,
    pub grades: Vec<CheckedRule<GradeId>>,
    pub limit: Option<Vec<CheckedEntry<Expr>>>,
    pub terms: Option<Vec<CheckedEntry<PaymentTerms>>>,
    pub escalation: Option<CheckedEscalation>,
    pub alerts: Vec<CheckedAlert>,
    /// Late-payment interest and fee; `None` when the policy charges none.
    pub penalties: Option<PenaltyTerms>,
    /// The order credit check's hold rules; `None` without an `orders`
    /// section.
    pub orders: Option<Vec<CheckedOrderRule>>,
    /// Trailing windows, in days, of the lateness metrics the policy reads.
    /// Index 0 is always the default window.
    pub lateness_windows: Vec<u32>,
    /// Periods, in calendar months, of the collection effectiveness indexes
    /// the policy reads. Index 0 is always the default period.
    pub cei_periods: Vec<u32>,
    pub hooks: Vec<LoadedHook>,
}

/// A custom client field the policy declares.
#[derive(Clone, Debug)]
pub struct FieldSlot {
    pub name: String,
    pub ty: Type,
    /// The value of an empty cell; `None` makes it missing.
    pub default: Option<Constant>,
    pub span: Span,
}

/// A constant owned by the policy. [`Constant::as_value`] lends it out as a
/// [`Value`] without copying text.
#[derive(Clone, Debug, PartialEq)]
pub enum Constant {
    Number(Decimal),
    Money(Decimal),
    Percent(Decimal),
    Days(Decimal),
    Date(NaiveDate),
    Text(Box<str>),
    Boolean(bool),
    Grade(GradeId),
}

impl Constant {
    pub fn as_value(&self) -> Value<'_> {
        match self {
            Constant::Number(d) => Value::Number(*d),
            Constant::Money(d) => Value::Money(*d),
            Constant::Percent(d) => Value::Percent(*d),
            Constant::Days(d) => Value::Days(*d),
            Constant::Date(d) => Value::Date(*d),
            Constant::Text(text) => Value::Text(text),
            Constant::Boolean(b) => Value::Boolean(*b),
            Constant::Grade(g) => Value::Grade(*g),
        }
    }
}

/// A hook file loaded and compiled by the checker.
pub struct LoadedHook {
    pub path: PathBuf,
    /// The path as the policy writes it, relative to the policy's folder.
    pub written: String,
    /// Hex SHA-256 of the hook's text, stamped on every decision with the
    /// policy's own.
    pub sha256: String,
    pub hook: Hook,
}

/// A checked expression.
#[derive(Clone, Debug)]
pub struct Expr {
    pub node: Node,
    pub span: Span,
}

#[derive(Clone, Debug)]
pub enum Node {
    Constant(Constant),
    /// A custom field, by its index in [`CheckedPolicy::fields`].
    Field(u16),
    ClientId,
    ClientName,
    Metric(Metric),
    Invoice(InvoiceAttribute),
    Score,
    Grade,
    Limit,
    AvailableCredit,
    /// The amount of the order under check.
    Order,
    /// Whether the escalation blocks the client's orders.
    OrdersBlocked,
    AsOf,
    Negate(Box<Expr>),
    Not(Box<Expr>),
    /// Arithmetic whose result has type `result`; operands were checked to fit.
    Arithmetic {
        op: ArithmeticOp,
        result: Type,
        lhs: Box<Expr>,
        rhs: Box<Expr>,
    },
    Compare {
        op: CompareOp,
        lhs: Box<Expr>,
        rhs: Box<Expr>,
    },
    And(Box<Expr>, Box<Expr>),
    Or(Box<Expr>, Box<Expr>),
    In(Box<Expr>, Vec<Expr>),
    Min(Vec<Expr>),
    Max(Vec<Expr>),
    IfMissing(Box<Expr>, Box<Expr>),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ArithmeticOp {
    Add,
    Subtract,
    Multiply,
    Divide,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CompareOp {
    Less,
    LessOrEqual,
    Greater,
    GreaterOrEqual,
    Equal,
    NotEqual,
}

/// A score factor.
pub struct CheckedFactor {
    pub name: String,
    /// Weight as a fraction; the weights of a score add up to 1.
    pub weight: Decimal,
    pub body: FactorBody,
    /// Points when the input is missing.
    pub missing: Option<CheckedArm>,
}

pub enum FactorBody {
    /// `when` arms tried in order, then `otherwise`.
    Bands {
        arms: Vec<(Expr, CheckedArm)>,
        otherwise: Option<CheckedArm>,
    },
    /// A hook computes the points.
    Hook {
        /// Index into [`CheckedPolicy::hooks`].
        index: usize,
        /// `hook "path"` as the policy writes it, for the trace.
        text: String,
    },
}

/// The points of one arm and its text for the trace.
pub struct CheckedArm {
    pub points: Expr,
    /// The arm's condition as written, `otherwise` or `missing`.
    pub text: String,
}

/// A first-match rule whose result is `value` when `condition` holds or is
/// absent.
pub struct CheckedRule<V> {
    pub value: V,
    pub condition: Option<Expr>,
    pub text: String,
}

/// A `limit` or `terms` entry.
pub struct CheckedEntry<V> {
    /// The grades it applies to; `None` is `otherwise`.
    pub grades: Option<Vec<GradeId>>,
    pub condition: Option<Expr>,
    pub value: V,
    pub text: String,
}

pub struct CheckedEscalation {
    pub skips: Vec<CheckedSkip>,
    /// Steps sorted by offset; the checker rejects any other order.
    pub steps: Vec<CheckedStep>,
}

/// `skip invoices where condition`.
pub struct CheckedSkip {
    pub condition: Expr,
    /// The condition as written, for the decision's list of skipped items.
    pub text: String,
}

pub struct CheckedStep {
    /// Days relative to the due date: negative before, positive after.
    pub offset: i64,
    pub condition: Option<Expr>,
    pub actions: Vec<Action>,
    /// The step's offset as written, such as `30 days after due`.
    pub text: String,
}

/// `hold "reason" when condition` of the `orders` section.
pub struct CheckedOrderRule {
    pub reason: String,
    pub condition: Expr,
}

pub struct CheckedAlert {
    pub severity: Severity,
    pub name: String,
    pub condition: Expr,
}
