//! The abstract syntax tree of a policy, as written, with a span on every node.
//!
//! The tree keeps what the author wrote, including mistakes the grammar lets
//! through (a section given twice, terms without their end-of-month method);
//! the checker reports those.

use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::source::Span;
use crate::value::Type;

/// A value with the span it was written at.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Spanned<T> {
    pub node: T,
    pub span: Span,
}

impl<T> Spanned<T> {
    pub fn new(node: T, span: Span) -> Spanned<T> {
        Spanned { node, span }
    }
}

/// A name as written.
pub type Ident = Spanned<String>;

#[derive(Clone, Debug, PartialEq)]
pub struct Policy {
    pub header: Header,
    pub sections: Vec<Section>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Header {
    pub name: Spanned<String>,
    pub version: Spanned<u64>,
    pub settings: Vec<Setting>,
    /// The `policy "…" version N` line.
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Setting {
    Currency(Spanned<String>),
    Effective(Spanned<NaiveDate>),
    MaxTerms(MaxTerms),
}

/// `max terms 60 days, 45 days end of month`.
#[derive(Clone, Debug, PartialEq)]
pub struct MaxTerms {
    pub net: Spanned<Decimal>,
    pub end_of_month: Option<Spanned<Decimal>>,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Section {
    Fields(FieldsSection),
    Score(ScoreSection),
    Grades(GradesSection),
    Limit(EntrySection<Expr>),
    Terms(EntrySection<Spanned<TermsValue>>),
    Escalation(EscalationSection),
    Alerts(AlertsSection),
    Penalties(PenaltiesSection),
    Orders(OrdersSection),
}

impl Section {
    /// The section's keyword, as written.
    pub fn keyword(&self) -> &'static str {
        match self {
            Section::Fields(_) => "fields",
            Section::Score(_) => "score",
            Section::Grades(_) => "grades",
            Section::Limit(_) => "limit",
            Section::Terms(_) => "terms",
            Section::Escalation(_) => "escalation",
            Section::Alerts(_) => "alerts",
            Section::Penalties(_) => "penalties",
            Section::Orders(_) => "orders",
        }
    }

    /// The span of the section's keyword.
    pub fn keyword_span(&self) -> Span {
        match self {
            Section::Fields(section) => section.keyword,
            Section::Score(section) => section.keyword,
            Section::Grades(section) => section.keyword,
            Section::Limit(section) => section.keyword,
            Section::Terms(section) => section.keyword,
            Section::Escalation(section) => section.keyword,
            Section::Alerts(section) => section.keyword,
            Section::Penalties(section) => section.keyword,
            Section::Orders(section) => section.keyword,
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct FieldsSection {
    pub keyword: Span,
    pub fields: Vec<FieldDecl>,
}

/// `equity: money or 0 EUR`.
#[derive(Clone, Debug, PartialEq)]
pub struct FieldDecl {
    pub name: Ident,
    pub ty: Spanned<Type>,
    /// The value an empty cell takes; `None` makes an empty cell missing.
    pub default: Option<Expr>,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ScoreSection {
    pub keyword: Span,
    pub factors: Vec<Factor>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Factor {
    pub name: Spanned<String>,
    /// The weight as a fraction: `40%` is `0.40`.
    pub weight: Spanned<Decimal>,
    /// The hook file that computes the points, relative to the policy file.
    pub hook: Option<Spanned<String>>,
    pub arms: Vec<Arm>,
    /// The whole factor, from `factor` to its closing brace.
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Arm {
    pub kind: ArmKind,
    pub points: Expr,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub enum ArmKind {
    When(Expr),
    /// Taken when no `when` arm holds.
    Otherwise(Span),
    /// Taken when the factor's input is missing.
    Missing(Span),
}

#[derive(Clone, Debug, PartialEq)]
pub struct GradesSection {
    pub keyword: Span,
    pub rules: Vec<GradeRule>,
}

/// `A when score < 20`, or `E otherwise` when `condition` is `None`.
#[derive(Clone, Debug, PartialEq)]
pub struct GradeRule {
    pub grade: Ident,
    pub condition: Option<Expr>,
    pub span: Span,
}

/// A `limit` or `terms` section: entries tried top to bottom.
#[derive(Clone, Debug, PartialEq)]
pub struct EntrySection<V> {
    pub keyword: Span,
    pub entries: Vec<Entry<V>>,
}

/// `A, B when client.public_sector => value`.
#[derive(Clone, Debug, PartialEq)]
pub struct Entry<V> {
    pub grades: GradeSelector,
    pub condition: Option<Expr>,
    pub value: V,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub enum GradeSelector {
    /// `otherwise`: every grade.
    Otherwise(Span),
    Grades(Vec<Ident>),
}

/// A payment term as written. Lengths are in days, except for `NetMonths`.
#[derive(Clone, Debug, PartialEq)]
pub enum TermsValue {
    Prepayment,
    /// `30 days` or `net 30 days`.
    Net(Decimal),
    /// `2 months` or `net 2 months`: N calendar months after the invoice date.
    NetMonths(Decimal),
    /// `45 days then end of month`: invoice date + N days, then the end of
    /// that month.
    DaysThenEndOfMonth(Decimal),
    /// `end of month then 45 days`: the end of the invoice's month, then
    /// + N days.
    EndOfMonthThenDays(Decimal),
    /// `45 days end of month`, which does not say which of the two it means.
    EndOfMonthUnstated(Decimal),
}

#[derive(Clone, Debug, PartialEq)]
pub struct EscalationSection {
    pub keyword: Span,
    pub skips: Vec<SkipRule>,
    pub steps: Vec<Step>,
}

/// `skip invoices where disputed`.
#[derive(Clone, Debug, PartialEq)]
pub struct SkipRule {
    pub condition: Expr,
    pub span: Span,
}

/// `30 days after due => letter "formal-notice", charge late interest`.
#[derive(Clone, Debug, PartialEq)]
pub struct Step {
    /// Days relative to the due date: negative before, zero on, positive after.
    pub offset: Spanned<Decimal>,
    pub condition: Option<Expr>,
    pub actions: Vec<Spanned<Action>>,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Action {
    Email(String),
    Letter(String),
    Call,
    BlockOrders,
    HandOverToCollections,
    ChargeLateInterest,
}

#[derive(Clone, Debug, PartialEq)]
pub struct AlertsSection {
    pub keyword: Span,
    pub alerts: Vec<Alert>,
}

/// `high "over credit limit" when exposure > limit`.
#[derive(Clone, Debug, PartialEq)]
pub struct Alert {
    pub severity: Spanned<Severity>,
    pub name: Spanned<String>,
    pub condition: Expr,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub struct PenaltiesSection {
    pub keyword: Span,
    pub rules: Vec<PenaltyRule>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum PenaltyRule {
    Interest(InterestRule),
    /// `fee 40 EUR per late invoice`: the amount and its currency code.
    Fee {
        amount: Spanned<Decimal>,
        currency: Spanned<String>,
        span: Span,
    },
    /// `apply payments to costs, then interest, then principal`.
    CostsFirst(Span),
    /// `dun unpaid charges`.
    DunUnpaidCharges(Span),
}

/// `interest reference rate + 10 points, at least 3%, actual/365`.
#[derive(Clone, Debug, PartialEq)]
pub struct InterestRule {
    pub rate: Spanned<RateSpec>,
    pub floors: Vec<Spanned<Decimal>>,
    pub day_counts: Vec<Spanned<DayCountSpec>>,
    pub span: Span,
}

/// The annual rate as written; percents are fractions.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RateSpec {
    Fixed(Decimal),
    /// The reference rate plus `points` (10 points is 0.10).
    Reference {
        points: Decimal,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DayCountSpec {
    Actual365,
    Actual360,
}

#[derive(Clone, Debug, PartialEq)]
pub struct OrdersSection {
    pub keyword: Span,
    pub rules: Vec<OrderRule>,
}

/// `hold "over credit limit" when exposure + order > limit`.
#[derive(Clone, Debug, PartialEq)]
pub struct OrderRule {
    pub reason: Spanned<String>,
    pub condition: Expr,
    pub span: Span,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Low,
    Medium,
    High,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Expr {
    pub kind: ExprKind,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub enum ExprKind {
    Literal(Literal),
    /// A bare name: a metric, a grade, `score`, `limit`, …
    Name(String),
    /// `client.equity`: an object and one of its attributes.
    Path(Ident, Ident),
    /// `min(a, b)`, `avg_days_late(90 days)`.
    Call(Ident, Vec<Expr>),
    /// `[D, E]`.
    List(Vec<Expr>),
    Unary(UnaryOp, Box<Expr>),
    Binary(BinaryOp, Box<Expr>, Box<Expr>),
}

#[derive(Clone, Debug, PartialEq)]
pub enum Literal {
    Number(Decimal),
    /// An amount and its currency code as written.
    Money(Decimal, String),
    /// A fraction: `15%` is `0.15`.
    Percent(Decimal),
    Days(Decimal),
    /// Calendar months, only as the period of a call: `cei(6 months)`.
    Months(Decimal),
    Date(NaiveDate),
    Text(String),
    Boolean(bool),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UnaryOp {
    Negate,
    Not,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BinaryOp {
    Add,
    Subtract,
    Multiply,
    Divide,
    /// `20% of x`.
    Of,
    Less,
    LessOrEqual,
    Greater,
    GreaterOrEqual,
    Equal,
    NotEqual,
    And,
    Or,
    In,
    /// `x if missing y`.
    IfMissing,
}

impl BinaryOp {
    /// The operator as written in a policy.
    pub fn symbol(self) -> &'static str {
        match self {
            BinaryOp::Add => "+",
            BinaryOp::Subtract => "-",
            BinaryOp::Multiply => "*",
            BinaryOp::Divide => "/",
            BinaryOp::Of => "of",
            BinaryOp::Less => "<",
            BinaryOp::LessOrEqual => "<=",
            BinaryOp::Greater => ">",
            BinaryOp::GreaterOrEqual => ">=",
            BinaryOp::Equal => "=",
            BinaryOp::NotEqual => "!=",
            BinaryOp::And => "and",
            BinaryOp::Or => "or",
            BinaryOp::In => "in",
            BinaryOp::IfMissing => "if missing",
        }
    }

    pub fn is_comparison(self) -> bool {
        matches!(
            self,
            BinaryOp::Less
                | BinaryOp::LessOrEqual
                | BinaryOp::Greater
                | BinaryOp::GreaterOrEqual
                | BinaryOp::Equal
                | BinaryOp::NotEqual
        )
    }
}
