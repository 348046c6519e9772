//! The names a policy can read: metrics, invoice attributes and the values
//! earlier sections produce.

use crate::value::Type;

/// A client metric. Windowed metrics carry the index of their window in
/// [`super::CheckedPolicy::lateness_windows`], and `Cei` the index of its
/// period in [`super::CheckedPolicy::cei_periods`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Metric {
    Exposure,
    Receivables,
    Overdue,
    OverdueRatio,
    CreditBalance,
    AgingCurrent,
    Aging1To30,
    Aging31To60,
    Aging61To90,
    AgingOver90,
    OldestOverdueDays,
    OpenInvoices,
    OverdueInvoices,
    Dso,
    Orders,
    BestPossibleDso,
    AverageDaysDelinquent,
    Cei(u16),
    PendingPromises,
    ChargesDue,
    AvgDaysLate(u16),
    LateRatio(u16),
    SettledInvoices(u16),
    BrokenPromises(u16),
}

/// What the checker knows of a metric name.
pub struct MetricInfo {
    pub name: &'static str,
    pub ty: Type,
    /// Why the metric can lack a value, if it can.
    pub missing_when: Option<&'static str>,
    /// The argument it takes in parentheses.
    pub window: Window,
    metric: fn(u16) -> Metric,
}

/// The argument a metric takes in parentheses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Window {
    /// Nothing: the metric is written bare.
    None,
    /// A trailing window in days, as in `avg_days_late(90 days)`.
    Days,
    /// A period in calendar months, as in `cei(6 months)`.
    Months,
}

impl MetricInfo {
    /// The metric for a window index; plain metrics ignore it.
    pub fn metric(&self, window: u16) -> Metric {
        (self.metric)(window)
    }
}

const NO_SETTLED: &str = "has no value for a client with no invoice settled in its window";

/// Every metric a policy can read, with its type.
pub const METRICS: &[MetricInfo] = &[
    plain("exposure", Type::Money, |_| Metric::Exposure),
    plain("receivables", Type::Money, |_| Metric::Receivables),
    plain("overdue", Type::Money, |_| Metric::Overdue),
    plain("overdue_ratio", Type::Percent, |_| Metric::OverdueRatio),
    plain("credit_balance", Type::Money, |_| Metric::CreditBalance),
    plain("aging_current", Type::Money, |_| Metric::AgingCurrent),
    plain("aging_1_30", Type::Money, |_| Metric::Aging1To30),
    plain("aging_31_60", Type::Money, |_| Metric::Aging31To60),
    plain("aging_61_90", Type::Money, |_| Metric::Aging61To90),
    plain("aging_over_90", Type::Money, |_| Metric::AgingOver90),
    plain("oldest_overdue_days", Type::Days, |_| {
        Metric::OldestOverdueDays
    }),
    plain("open_invoices", Type::Number, |_| Metric::OpenInvoices),
    plain("overdue_invoices", Type::Number, |_| {
        Metric::OverdueInvoices
    }),
    MetricInfo {
        name: "dso",
        ty: Type::Days,
        missing_when: Some(
            "has no value for a client with receivables but no sales to count them against",
        ),
        window: Window::None,
        metric: |_| Metric::Dso,
    },
    plain("orders", Type::Money, |_| Metric::Orders),
    MetricInfo {
        name: "best_possible_dso",
        ty: Type::Days,
        missing_when: Some(
            "has no value for a client with receivables but no sales to count them against",
        ),
        window: Window::None,
        metric: |_| Metric::BestPossibleDso,
    },
    MetricInfo {
        name: "average_days_delinquent",
        ty: Type::Days,
        missing_when: Some("has no value when DSO or best possible DSO has none"),
        window: Window::None,
        metric: |_| Metric::AverageDaysDelinquent,
    },
    MetricInfo {
        name: "cei",
        ty: Type::Percent,
        missing_when: Some(
            "has no value when its divisor, the receivables at the start plus a month's sales less the current receivables at the end, is zero",
        ),
        window: Window::Months,
        metric: Metric::Cei,
    },
    MetricInfo {
        name: "broken_promises",
        ty: Type::Number,
        missing_when: None,
        window: Window::Days,
        metric: Metric::BrokenPromises,
    },
    plain("pending_promises", Type::Number, |_| {
        Metric::PendingPromises
    }),
    plain("charges_due", Type::Money, |_| Metric::ChargesDue),
    windowed("avg_days_late", Type::Days, Metric::AvgDaysLate),
    windowed("late_ratio", Type::Percent, Metric::LateRatio),
    MetricInfo {
        name: "settled_invoices",
        ty: Type::Number,
        missing_when: None,
        window: Window::Days,
        metric: Metric::SettledInvoices,
    },
];

const fn plain(name: &'static str, ty: Type, metric: fn(u16) -> Metric) -> MetricInfo {
    MetricInfo {
        name,
        ty,
        missing_when: None,
        window: Window::None,
        metric,
    }
}

const fn windowed(name: &'static str, ty: Type, metric: fn(u16) -> Metric) -> MetricInfo {
    MetricInfo {
        name,
        ty,
        missing_when: Some(NO_SETTLED),
        window: Window::Days,
        metric,
    }
}

pub fn metric_info(name: &str) -> Option<&'static MetricInfo> {
    METRICS.iter().find(|info| info.name == name)
}

/// An attribute of the invoice an escalation rule looks at.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InvoiceAttribute {
    Id,
    Date,
    DueDate,
    Amount,
    OpenAmount,
    DaysPastDue,
    Disputed,
    ChargesDue,
}

pub const INVOICE_ATTRIBUTES: &[(&str, InvoiceAttribute, Type)] = &[
    ("id", InvoiceAttribute::Id, Type::Text),
    ("date", InvoiceAttribute::Date, Type::Date),
    ("due_date", InvoiceAttribute::DueDate, Type::Date),
    ("amount", InvoiceAttribute::Amount, Type::Money),
    ("open_amount", InvoiceAttribute::OpenAmount, Type::Money),
    ("days_past_due", InvoiceAttribute::DaysPastDue, Type::Days),
    ("disputed", InvoiceAttribute::Disputed, Type::Boolean),
    ("charges_due", InvoiceAttribute::ChargesDue, Type::Money),
];

pub fn invoice_attribute(name: &str) -> Option<(InvoiceAttribute, Type)> {
    INVOICE_ATTRIBUTES
        .iter()
        .find(|(attribute, _, _)| *attribute == name)
        .map(|(_, attribute, ty)| (*attribute, *ty))
}

/// Names of values that sections produce, usable by the sections after them.
pub const SCORE: &str = "score";
pub const GRADE: &str = "grade";
pub const LIMIT: &str = "limit";
pub const AVAILABLE_CREDIT: &str = "available_credit";
pub const AS_OF: &str = "as_of";
pub const ORDER: &str = "order";
pub const ORDERS_BLOCKED: &str = "orders_blocked";

/// Attributes every client has besides its custom fields.
pub const CLIENT_ID: &str = "id";
pub const CLIENT_NAME: &str = "name";

/// Functions other than the windowed metrics.
pub const FUNCTIONS: &[&str] = &["min", "max"];
