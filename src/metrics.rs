//! Per-client facts at an as-of date: open amounts, exposure, overdue, aging,
//! lateness and DSO.
//!
//! Only documents and payments dated on or before the as-of date count.
//! Every figure is an exact [`Decimal`]; nothing here rounds.

use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::ledger::{ClientId, InvoiceId, Ledger};

/// What to compute besides the fixed set: the trailing windows, in days, for
/// which the policy asks for lateness figures.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MetricsRequest {
    pub as_of: NaiveDate,
    /// Trailing windows for `avg_days_late` and `late_ratio`. Index 0 is
    /// always the default window of 365 days.
    pub lateness_windows: Vec<u32>,
}

/// The default trailing window of `avg_days_late` and `late_ratio`.
pub const DEFAULT_LATENESS_WINDOW_DAYS: u32 = 365;

impl MetricsRequest {
    pub fn new(as_of: NaiveDate) -> Self {
        MetricsRequest {
            as_of,
            lateness_windows: vec![DEFAULT_LATENESS_WINDOW_DAYS],
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
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClientMetrics {
    /// Sum of open amounts.
    pub receivables: Decimal,
    /// Receivables plus open orders (none until orders are loaded).
    pub exposure: Decimal,
    /// Sum of open amounts whose due date is before the as-of date.
    pub overdue: Decimal,
    /// overdue ÷ exposure as a fraction, 0 when exposure is 0.
    pub overdue_ratio: Decimal,
    /// Payments and credits left over once every open invoice is settled.
    pub credit_balance: Decimal,
    pub aging: Aging,
    /// Days past due of the oldest overdue item; 0 when nothing is overdue.
    pub oldest_overdue_days: i64,
    pub open_invoices: u32,
    pub overdue_invoices: u32,
    /// One entry per [`MetricsRequest::lateness_windows`], in the same order.
    pub lateness: Vec<Lateness>,
    /// Days sales outstanding by the count-back method; `None` when the
    /// client has receivables but no sales to count them back against.
    pub dso: Option<Decimal>,
    /// Open invoices, ordered by due date.
    pub open_items: Vec<OpenItem>,
}

/// Computes one client's metrics.
pub fn compute(ledger: &Ledger, client: ClientId, request: &MetricsRequest) -> ClientMetrics {
    todo!("{:?} {client} {request:?}", ledger.files)
}
