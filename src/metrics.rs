//! Per-client facts at an as-of date: open items, exposure, overdue, aging,
//! lateness, DSO, collection KPIs and promises to pay.
//!
//! Only documents and payments dated on or before the as-of date count.
//! Every figure is an exact [`Decimal`]; nothing here rounds beyond the 28
//! significant digits a quotient keeps.
//!
//! Credit notes and payments reach invoices by the rule in [`allocation`].
//! Each client's metrics depend on its own documents only, so clients can be
//! computed in parallel and in any order.
//!
//! # Currencies
//!
//! Each document keeps its open amount in its own currency, and allocation
//! never mixes currencies. Every money figure below is in the policy's
//! currency: amounts in another currency are multiplied by the rate at the
//! as-of date from [`Conversion::rates`], whatever the document's date. A
//! client with a document in a currency that has no rate fails with
//! [`MetricsError::MissingRate`] instead of getting figures that leave the
//! document out.
//!
//! # Definitions
//!
//! An *item* is a part of an invoice due on one date: one instalment of a
//! split invoice, or the whole of any other invoice. Items are allocated,
//! aged, counted and reported on their own due dates.
//!
//! - `receivables`: the sum of the open amounts of all items.
//! - `orders`: the sum of the client's open orders dated on or before the
//!   as-of date.
//! - `exposure`: receivables + orders.
//! - `overdue`: the open amounts of items due before the as-of date.
//! - Aging buckets by days past due (as-of − due date): current (≤ 0), 1–30,
//!   31–60, 61–90, over 90, bounds inclusive.
//! - `avg_days_late`: the mean of max(0, settled − due) over the items settled
//!   in a trailing window, weighted by item amount.
//! - `late_ratio`: the share of those items settled after their due date.
//! - `dso`: receivables counted back against the sales of each calendar month
//!   (see [`count_back_dso`]). Sales are invoice amounts by invoice date; a
//!   split invoice counts once, on its own date.
//! - `best_possible_dso`: the current (not yet due) receivables counted back
//!   against the same monthly sales.
//! - `average_days_delinquent`: dso − best_possible_dso.
//! - `cei`: the collection effectiveness index over each period of
//!   [`MetricsRequest::cei_periods`], a number of calendar months ending on
//!   the as-of date, of which the as-of date's month is the last. It is
//!   (B + S ÷ N − E) ÷ (B + S ÷ N − C). B is the receivables at the day
//!   before the period starts, S the sales dated in the period and N the
//!   number of months. E and C are the total and the current receivables at
//!   the as-of date. The index is a fraction (0.4 for 40%), and `None` when
//!   the divisor is zero or N is zero. See [`collection_effectiveness`].
//! - Promises to pay: see [`PromiseStatus`].

pub mod allocation;
mod charges;
mod collection;
mod conversion;
mod dso;
mod lateness;
pub mod penalties;
mod portfolio;
mod promises;
mod receivables;

use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::ledger::{ClientId, InvoiceId, Ledger};
use crate::value::Currency;

pub use allocation::{Allocation, Application, DueItem, Sale, Settlement, allocate};
pub use charges::ItemChargesEntry;
pub use collection::{cei_first_day, collection_effectiveness};
pub use conversion::MetricsError;
pub use dso::{CalendarPeriods, Period, count_back_dso, count_back_portfolio};
pub use portfolio::{PortfolioMetrics, portfolio, portfolio_dso};
pub use promises::{PromiseState, PromiseStatus};

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
    /// Periods, in calendar months, of the collection effectiveness index.
    /// Index 0 is the period of `cei` and of the portfolio's index.
    pub cei_periods: Vec<u32>,
    /// The late-payment interest and fee to compute, if the policy sets any.
    pub penalties: Option<PenaltyTerms>,
}

/// The default period of the collection effectiveness index, in months.
pub const DEFAULT_CEI_MONTHS: u32 = 3;

/// The maximum period of the collection effectiveness index, in months.
pub const MAX_CEI_MONTHS: u32 = 120;

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
    /// Whether an invoice whose principal is paid stays in dunning while its
    /// charges are unpaid.
    pub dun_unpaid_charges: bool,
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
            cei_periods: vec![DEFAULT_CEI_MONTHS],
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

/// An item with something left to pay at the as-of date: an open invoice,
/// or an open instalment of a split invoice.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OpenItem {
    pub invoice: InvoiceId,
    /// The instalment's 1-based number; `None` for an invoice due in one sum.
    pub instalment: Option<u16>,
    /// The due date of the instalment, or of the invoice when not split.
    pub due_date: NaiveDate,
    /// The document's currency; `None` only when the request's conversion
    /// has no policy currency.
    pub currency: Option<Currency>,
    /// Amount still owed in `currency`, always positive.
    pub open_in_currency: Decimal,
    /// Amount still owed in the policy's currency at the as-of rate.
    pub open: Decimal,
    /// Units of the policy's currency for one unit of `currency` at the
    /// as-of date.
    pub rate: Decimal,
    /// As-of date minus due date; zero or negative when not yet due.
    pub days_past_due: i64,
    /// Late-payment interest and fee still owed on the item, in the policy's
    /// currency; zero without a `penalties` section.
    pub charges_due: Decimal,
    /// The same charges in the item's currency.
    pub charges_due_in_currency: Decimal,
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
    /// Items (invoices, or instalments of split invoices) whose settlement
    /// date falls in the window.
    pub settled_invoices: u32,
    /// Amount-weighted mean of max(0, settled − due) in days; `None` when no
    /// item was settled in the window.
    pub avg_days_late: Option<Decimal>,
    /// Share of those items settled after their due date, as a fraction.
    pub late_ratio: Option<Decimal>,
    /// Promises to pay broken in the window: those whose first day broken,
    /// the day after the promised date plus the grace days, falls in it.
    pub broken_promises: u32,
}

/// Credit not applied to any invoice, in one currency.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CreditHeld {
    /// As [`Conversion::document_currency`] gives it.
    pub currency: Option<Currency>,
    /// The credit in `currency`.
    pub amount: Decimal,
    /// Units of the policy's currency for one unit of `currency`.
    pub rate: Decimal,
}

/// The collection effectiveness index of one period.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CeiPeriod {
    /// Calendar months of the period, which ends on the as-of date.
    pub months: u32,
    /// Receivables at the day before the period starts.
    pub beginning_receivables: Decimal,
    /// Invoice amounts dated in the period.
    pub credit_sales: Decimal,
    /// The index as a fraction. `None` when its divisor is zero or the
    /// period has zero months.
    pub cei: Option<Decimal>,
}

/// Everything solvent knows about one client's receivables at the as-of date.
///
/// Money is in the policy's currency, converted at the as-of rates.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ClientMetrics {
    /// Sum of open amounts.
    pub receivables: Decimal,
    /// Sum of the open orders dated on or before the as-of date.
    pub orders: Decimal,
    /// Receivables plus orders.
    pub exposure: Decimal,
    /// Sum of open amounts whose due date is before the as-of date.
    pub overdue: Decimal,
    /// overdue ÷ exposure as a fraction, 0 when exposure is 0.
    pub overdue_ratio: Decimal,
    /// Payments and credits not applied to any invoice: in each currency,
    /// the pool left over once every open item of that currency is settled,
    /// plus credits named for invoices dated after the as-of date, less the
    /// charges that credit paid. The sum of `credit_held`.
    pub credit_balance: Decimal,
    /// The credit balance in each currency that has documents, in the order
    /// the currencies first appear.
    pub credit_held: Vec<CreditHeld>,
    pub aging: Aging,
    /// Days past due of the oldest overdue item; 0 when nothing is overdue.
    pub oldest_overdue_days: i64,
    /// Open items: an open split invoice counts once per open instalment.
    pub open_invoices: u32,
    /// Overdue items, counted like `open_invoices`.
    pub overdue_invoices: u32,
    /// One entry per [`MetricsRequest::lateness_windows`], in the same order.
    pub lateness: Vec<Lateness>,
    /// Days sales outstanding by the count-back method; zero without
    /// receivables. `None` only when the receivables outlast the client's
    /// sales, which allocation rules out because no open amount exceeds its
    /// invoice's amount.
    pub dso: Option<Decimal>,
    /// The current (not yet due) receivables counted back against the same
    /// sales as `dso`.
    pub best_possible_dso: Option<Decimal>,
    /// `dso` − `best_possible_dso`, in days.
    pub average_days_delinquent: Option<Decimal>,
    /// One entry per [`MetricsRequest::cei_periods`], in the same order.
    pub cei_periods: Vec<CeiPeriod>,
    /// Open items, ordered by due date, then invoice date, invoice id and
    /// instalment number.
    pub open_items: Vec<OpenItem>,
    /// The client's promises made on or before the as-of date, in the
    /// ledger's order (by promised date).
    pub promises: Vec<PromiseStatus>,
    /// Promises broken in the default lateness window, the first of
    /// `lateness`; each window holds its own count.
    pub broken_promises: u32,
    /// Late-payment charges of the items that still count: open items, and
    /// items paid with charges still due when the policy duns them.
    pub charges: Vec<ItemChargesEntry>,
    /// Sum of the charges still owed, in the policy's currency.
    pub charges_due: Decimal,
    /// Promises in [`PromiseState::Pending`].
    pub pending_promises: u32,
}

/// Computes one client's metrics.
///
/// An unknown client id gets the metrics of a client without documents.
/// To compute many clients, [`compute_into`] reuses the buffers instead.
pub fn compute(
    ledger: &Ledger,
    client: ClientId,
    request: &MetricsRequest,
) -> Result<ClientMetrics, MetricsError> {
    let mut metrics = ClientMetrics::default();
    let mut allocation = Allocation::new();
    compute_into(&mut metrics, &mut allocation, ledger, client, request)?;
    Ok(metrics)
}

/// Computes one client's metrics into `metrics`, replacing its contents.
///
/// `metrics` and `allocation` keep their buffers between calls, so a loop
/// over clients allocates memory only while the buffers grow. Give each
/// thread its own pair to compute clients in parallel.
///
/// Fails with [`MetricsError::MissingRate`] when an invoice, credit note,
/// payment, order or promise of the client dated on or before the as-of
/// date is in a currency without a rate. `metrics` is then cleared.
pub fn compute_into(
    metrics: &mut ClientMetrics,
    allocation: &mut Allocation,
    ledger: &Ledger,
    client: ClientId,
    request: &MetricsRequest,
) -> Result<(), MetricsError> {
    metrics.clear();
    let result = fill(metrics, allocation, ledger, client, request);
    if result.is_err() {
        metrics.clear();
    }
    result
}

fn fill(
    metrics: &mut ClientMetrics,
    allocation: &mut Allocation,
    ledger: &Ledger,
    client: ClientId,
    request: &MetricsRequest,
) -> Result<(), MetricsError> {
    let as_of = request.as_of;
    let beginnings = request
        .cei_periods
        .iter()
        .map(|&months| cei_first_day(as_of, months).and_then(|first_day| first_day.pred_opt()));
    let conversion = &request.conversion;
    let costs = request
        .penalties
        .as_ref()
        .filter(|terms| terms.costs_first)
        .map(|terms| penalties::CostRule {
            terms,
            reference_rates: &ledger.reference_rates,
        });
    allocation.allocate_with_checkpoints(
        ledger,
        client,
        as_of,
        conversion,
        beginnings,
        costs.as_ref(),
    )?;

    let credit = allocation
        .credit_balances()
        .map(|(currency, amount, rate)| CreditHeld {
            currency,
            amount,
            rate,
        });
    metrics.credit_held.extend(credit);
    if let Some(terms) = &request.penalties {
        charges::assess(metrics, allocation, ledger, request, terms)?;
    }
    receivables::add_open_items(metrics, allocation, request.as_of);
    charges::attach(metrics);
    metrics.orders = receivables::open_orders(ledger, client, request)?;
    metrics.exposure = metrics.receivables.saturating_add(metrics.orders);
    metrics.credit_balance = metrics.credit_held.iter().fold(Decimal::ZERO, |sum, held| {
        sum.saturating_add(held.amount.saturating_mul(held.rate))
    });
    let overdue_ratio = metrics.overdue.checked_div(metrics.exposure);
    metrics.overdue_ratio = overdue_ratio.unwrap_or(Decimal::ZERO);

    for &window_days in &request.lateness_windows {
        let window = lateness::lateness(window_days, allocation.items(), request.as_of);
        metrics.lateness.push(window);
    }

    collection::add_kpis(metrics, allocation, request);
    promises::add_promises(metrics, ledger, client, request, allocation.items())
}

impl ClientMetrics {
    /// Resets every figure to that of a client without documents, keeping
    /// the capacity of its lists.
    pub fn clear(&mut self) {
        let mut open_items = std::mem::take(&mut self.open_items);
        let mut lateness = std::mem::take(&mut self.lateness);
        let mut promises = std::mem::take(&mut self.promises);
        let mut charges = std::mem::take(&mut self.charges);
        let mut credit_held = std::mem::take(&mut self.credit_held);
        let mut cei_periods = std::mem::take(&mut self.cei_periods);
        open_items.clear();
        lateness.clear();
        promises.clear();
        charges.clear();
        credit_held.clear();
        cei_periods.clear();

        *self = ClientMetrics {
            open_items,
            lateness,
            promises,
            charges,
            credit_held,
            cei_periods,
            ..ClientMetrics::default()
        };
    }

    /// Returns the collection effectiveness index over the request's first
    /// period, 3 months unless the request sets another.
    pub fn cei(&self) -> Option<Decimal> {
        self.cei_periods.first()?.cei
    }

    /// The credit held in a currency in which the client has nothing open,
    /// while items in another currency are: allocation never converts
    /// between currencies, so that credit settles nothing.
    pub fn unapplied_credit(&self) -> impl Iterator<Item = &CreditHeld> {
        self.credit_held.iter().filter(|held| {
            held.amount > Decimal::ZERO
                && self.open_items.iter().any(|item| {
                    item.currency != held.currency && item.open_in_currency > Decimal::ZERO
                })
        })
    }
}
