//! Per-client facts at an as-of date: open amounts, exposure, overdue, aging,
//! lateness and DSO.
//!
//! Only documents and payments dated on or before the as-of date count.
//! Every figure is an exact [`Decimal`]; nothing here rounds.
//!
//! Credit notes and payments reach invoices by the rule in [`allocation`].
//! Each client's metrics depend on its own documents only, so clients can be
//! computed in parallel and in any order.

pub mod allocation;
mod dso;
mod lateness;
pub mod penalties;
mod portfolio;
mod receivables;

use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::ledger::{ClientId, InvoiceId, Ledger};
use crate::value::Currency;

pub use allocation::{Allocation, Settlement, allocate};
pub use dso::{CalendarPeriods, Period, count_back_dso, count_back_portfolio};
pub use portfolio::{PortfolioMetrics, portfolio, portfolio_dso};

/// What to compute besides the fixed set: the trailing windows, in days, for
/// which the policy asks for lateness figures, the conversion of other
/// currencies, the CEI period and the late-payment charges.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MetricsRequest {
    pub as_of: NaiveDate,
    /// Trailing windows for `avg_days_late` and `late_ratio`. Index 0 is
    /// always the default window of 365 days.
    pub lateness_windows: Vec<u32>,
    /// How amounts in other currencies become amounts in the policy's.
    pub conversion: Conversion,
    /// Calendar months of the collection effectiveness index period.
    pub cei_months: u32,
    /// The late-payment interest and fee to compute, if the policy sets any.
    pub penalties: Option<PenaltyTerms>,
}

/// The default period of the collection effectiveness index, in months.
pub const DEFAULT_CEI_MONTHS: u32 = 3;

/// Exchange rates at the as-of date. A document without a currency, or in
/// `currency`, is in the policy's currency and needs no rate.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Conversion {
    /// The policy's currency; `None` treats every document as in it.
    pub currency: Option<Currency>,
    /// Units of the policy's currency for one unit of each other currency,
    /// sorted by currency.
    pub rates: Vec<(Currency, Decimal)>,
}

/// Late-payment interest and recovery fee, as the policy's `penalties`
/// section sets them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PenaltyTerms {
    pub rate: InterestRate,
    pub day_count: DayCount,
    /// Fixed recovery fee per late invoice, in the policy's currency; zero
    /// when the policy charges none.
    pub fee: Decimal,
    /// Whether a payment on a late invoice settles the fee first, then the
    /// interest, then the principal (German BGB §367), instead of the
    /// principal alone.
    pub costs_first: bool,
}

/// The annual rate of late-payment interest, as a fraction.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InterestRate {
    Fixed(Decimal),
    /// The reference rate in force on 1 January for a day in the first half
    /// of the year, or on 1 July for the second half, plus `points`, and at
    /// least `floor`.
    Reference {
        points: Decimal,
        floor: Option<Decimal>,
    },
}

/// The days in a year for simple interest: actual days late ÷ 365 or ÷ 360.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DayCount {
    Actual365,
    Actual360,
}

/// The default trailing window of `avg_days_late` and `late_ratio`.
pub const DEFAULT_LATENESS_WINDOW_DAYS: u32 = 365;

impl MetricsRequest {
    pub fn new(as_of: NaiveDate) -> Self {
        MetricsRequest {
            as_of,
            lateness_windows: vec![DEFAULT_LATENESS_WINDOW_DAYS],
            conversion: Conversion::default(),
            cei_months: DEFAULT_CEI_MONTHS,
            penalties: None,
        }
    }

    /// Returns the index of a window in [`ClientMetrics::lateness`], adding it
    /// when new.
    pub fn lateness_window(&mut self, days: u32) -> usize {
        match self.lateness_windows.iter().position(|&w| w == days) {
            Some(index) => index,
            None => {
                self.lateness_windows.push(days);
                self.lateness_windows.len() - 1
            }
        }
    }
}

/// An invoice with something left to pay at the as-of date.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OpenItem {
    pub invoice: InvoiceId,
    /// Amount still owed, always positive.
    pub open: Decimal,
    /// As-of date minus due date; zero or negative when not yet due.
    pub days_past_due: i64,
}

/// Open amounts by days past due. Bounds are inclusive: 30 days past due
/// falls in `days_1_30`, 31 in `days_31_60`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Aging {
    /// Not yet due: zero or fewer days past due.
    pub current: Decimal,
    pub days_1_30: Decimal,
    pub days_31_60: Decimal,
    pub days_61_90: Decimal,
    pub over_90: Decimal,
}

/// Payment behaviour over one trailing window.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Lateness {
    pub window_days: u32,
    /// Invoices whose settlement date falls in the window.
    pub settled_invoices: u32,
    /// Amount-weighted mean of max(0, settled − due) in days; `None` when no
    /// invoice was settled in the window.
    pub avg_days_late: Option<Decimal>,
    /// Share of those invoices settled after their due date, as a fraction.
    pub late_ratio: Option<Decimal>,
}

/// Everything solvent knows about one client's receivables at the as-of date.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ClientMetrics {
    /// Sum of open amounts.
    pub receivables: Decimal,
    /// Receivables plus open orders (none until orders are loaded).
    pub exposure: Decimal,
    /// Sum of open amounts whose due date is before the as-of date.
    pub overdue: Decimal,
    /// overdue ÷ exposure as a fraction, 0 when exposure is 0.
    pub overdue_ratio: Decimal,
    /// Payments and credits not applied to any invoice: the pool left over
    /// once every open invoice is settled, plus credits named for invoices
    /// dated after the as-of date.
    pub credit_balance: Decimal,
    pub aging: Aging,
    /// Days past due of the oldest overdue item; 0 when nothing is overdue.
    pub oldest_overdue_days: i64,
    pub open_invoices: u32,
    pub overdue_invoices: u32,
    /// One entry per [`MetricsRequest::lateness_windows`], in the same order.
    pub lateness: Vec<Lateness>,
    /// Days sales outstanding by the count-back method; zero without
    /// receivables. `None` only when the receivables outlast the client's
    /// sales, which allocation rules out because no open amount exceeds its
    /// invoice's amount.
    pub dso: Option<Decimal>,
    /// Open invoices, ordered by due date.
    pub open_items: Vec<OpenItem>,
}

/// Computes one client's metrics.
///
/// An unknown client id gets the metrics of a client without documents.
/// To compute many clients, [`compute_into`] reuses the buffers instead.
pub fn compute(ledger: &Ledger, client: ClientId, request: &MetricsRequest) -> ClientMetrics {
    let mut metrics = ClientMetrics::default();
    let mut allocation = Allocation::new();
    compute_into(&mut metrics, &mut allocation, ledger, client, request);
    metrics
}

/// Computes one client's metrics into `metrics`, replacing its contents.
///
/// `metrics` and `allocation` keep their buffers between calls, so a loop
/// over clients allocates memory only while the buffers grow. Give each
/// thread its own pair to compute clients in parallel.
pub fn compute_into(
    metrics: &mut ClientMetrics,
    allocation: &mut Allocation,
    ledger: &Ledger,
    client: ClientId,
    request: &MetricsRequest,
) {
    metrics.clear();
    allocation.allocate(ledger, client, request.as_of);
    let (first, invoices) = match allocation::client_documents(ledger, client) {
        Some((record, invoices, _)) => (record.invoices.start, invoices),
        None => (0, &[][..]),
    };
    let settlements = allocation.settlements();

    receivables::add_open_items(metrics, invoices, first, settlements, request.as_of);
    metrics.exposure = metrics.receivables;
    metrics.credit_balance = allocation.credit_balance();
    let overdue_ratio = metrics.overdue.checked_div(metrics.exposure);
    metrics.overdue_ratio = overdue_ratio.unwrap_or(Decimal::ZERO);

    for &window_days in &request.lateness_windows {
        let window = lateness::lateness(window_days, invoices, settlements, request.as_of);
        metrics.lateness.push(window);
    }

    let issued = allocation.issued();
    metrics.dso = dso::client_dso(metrics.receivables, invoices, issued, request.as_of);
}

impl ClientMetrics {
    /// Resets every figure to that of a client without documents, keeping
    /// the capacity of `open_items` and `lateness`.
    pub fn clear(&mut self) {
        let mut open_items = std::mem::take(&mut self.open_items);
        let mut lateness = std::mem::take(&mut self.lateness);
        open_items.clear();
        lateness.clear();

        *self = ClientMetrics {
            open_items,
            lateness,
            ..ClientMetrics::default()
        };
    }
}
