//! The state of a client's promises to pay at the as-of date.

use chrono::{Datelike, Days, NaiveDate};
use rust_decimal::Decimal;

use super::allocation::DueItem;
use super::{ClientMetrics, MetricsError, MetricsRequest};
use crate::ledger::{ClientId, Ledger, Payment, Promise};

/// The state of a promise to pay at the as-of date.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PromiseState {
    /// The payments toward the promise reach its amount, or nothing it
    /// covers is left to pay: the named invoice, or every item of the
    /// client issued by then, is paid by the end of its window.
    Kept,
    /// The as-of date is after the promised date plus the grace days, and
    /// the payments toward the promise fall short of its amount.
    Broken,
    /// Neither kept nor broken yet.
    Pending,
}

/// One promise to pay and the payments toward it.
///
/// A payment of the client counts toward a promise when it is dated from
/// the day the promise was made through the earlier of the as-of date and
/// the promised date plus the grace days. For a promise that names an
/// invoice, the payment must name that invoice too.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PromiseStatus {
    /// Index into [`Ledger::promises`].
    pub promise: u32,
    /// The promised amount in the policy's currency.
    pub amount: Decimal,
    /// The payments toward the promise in the policy's currency.
    pub paid: Decimal,
    pub state: PromiseState,
    /// The promised date plus the grace days: the last day a payment
    /// counts toward the promise. `None` when that day is after
    /// 9999-12-31, the last date an as-of date can be, so the promise can
    /// never break.
    pub deadline: Option<NaiveDate>,
}

/// The last year a date written YYYY-MM-DD can have.
const LAST_WRITTEN_YEAR: i32 = 9999;

/// Adds the status of each of the client's promises made on or before the
/// as-of date, and counts the pending ones and, per lateness window, the
/// broken ones. `items` are the client's items at the as-of date.
pub(super) fn add_promises(
    metrics: &mut ClientMetrics,
    ledger: &Ledger,
    client: ClientId,
    request: &MetricsRequest,
    items: &[DueItem],
) -> Result<(), MetricsError> {
    let Some(record) = ledger.clients.get(client as usize) else {
        return Ok(());
    };
    let promises = ledger
        .promises
        .get(record.promises.start as usize..record.promises.end as usize)
        .unwrap_or(&[]);
    let payments = ledger
        .payments
        .get(record.payments.start as usize..record.payments.end as usize)
        .unwrap_or(&[]);

    for (promise, index) in promises.iter().zip(record.promises.start..) {
        if promise.made_on > request.as_of {
            continue;
        }

        let status = promise_status(promise, index, payments, items, request)?;
        if status.state == PromiseState::Pending {
            metrics.pending_promises = metrics.pending_promises.saturating_add(1);
        }
        metrics.promises.push(status);
    }

    count_broken(metrics, request.as_of);
    Ok(())
}

/// Counts, in each lateness window, the promises that broke in it: those
/// whose first day broken, the day after the deadline, falls in the window.
/// [`ClientMetrics::broken_promises`] takes the default window's count.
fn count_broken(metrics: &mut ClientMetrics, as_of: NaiveDate) {
    for window in &mut metrics.lateness {
        let broken = metrics.promises.iter().filter(|status| {
            let broken_on = status.deadline.and_then(|deadline| deadline.succ_opt());
            status.state == PromiseState::Broken
                && broken_on.is_some_and(|day| in_window(day, as_of, window.window_days))
        });
        window.broken_promises = u32::try_from(broken.count()).unwrap_or(u32::MAX);
    }
    let default_window = metrics.lateness.first();
    metrics.broken_promises = default_window.map_or(0, |window| window.broken_promises);
}

/// Whether `day` falls in the `window_days` days up to and including `as_of`.
fn in_window(day: NaiveDate, as_of: NaiveDate, window_days: u32) -> bool {
    (0..i64::from(window_days)).contains(&(as_of - day).num_days())
}

/// Computes the state of one promise from `payments`, the client's payments
/// ordered by date, and `items`, the client's items at the as-of date.
fn promise_status(
    promise: &Promise,
    index: u32,
    payments: &[Payment],
    items: &[DueItem],
    request: &MetricsRequest,
) -> Result<PromiseStatus, MetricsError> {
    // A deadline after 9999-12-31 never comes: as-of dates are written
    // YYYY-MM-DD, so none is later.
    let deadline = promise
        .due
        .checked_add_days(Days::new(u64::from(promise.grace_days)))
        .filter(|deadline| deadline.year() <= LAST_WRITTEN_YEAR);
    let last_day = deadline.map_or(request.as_of, |deadline| deadline.min(request.as_of));

    let amount = request
        .conversion
        .to_policy(promise.amount, promise.currency)?;
    let paid = paid_toward(promise, payments, last_day, request)?;
    let state = if paid >= amount || covered(promise, items, last_day) {
        PromiseState::Kept
    } else if deadline.is_some_and(|deadline| request.as_of > deadline) {
        PromiseState::Broken
    } else {
        PromiseState::Pending
    };

    Ok(PromiseStatus {
        promise: index,
        amount,
        paid,
        state,
        deadline,
    })
}

/// Whether nothing `promise` covers is left to pay on `day`: every item of
/// its invoice, or without one every item of the client issued by then, was
/// paid on or before `day`, by payments or credit notes. A promise naming
/// an invoice that has no item yet covers nothing paid.
fn covered(promise: &Promise, items: &[DueItem], day: NaiveDate) -> bool {
    let paid_by_day = |item: &DueItem| item.paid_on.is_some_and(|paid| paid <= day);
    match promise.invoice {
        Some(invoice) => {
            let mut named = items
                .iter()
                .filter(|item| item.invoice == invoice)
                .peekable();
            named.peek().is_some() && named.all(paid_by_day)
        }
        None => items
            .iter()
            .filter(|item| item.issued_on <= day)
            .all(paid_by_day),
    }
}

/// Sums the payments toward `promise` dated through `last_day`.
fn paid_toward(
    promise: &Promise,
    payments: &[Payment],
    last_day: NaiveDate,
    request: &MetricsRequest,
) -> Result<Decimal, MetricsError> {
    let start = payments.partition_point(|payment| payment.date < promise.made_on);
    let from_made_on = payments.get(start..).unwrap_or(&[]);

    let mut paid = Decimal::ZERO;
    for payment in from_made_on {
        if payment.date > last_day {
            break;
        }
        if promise.invoice.is_some() && payment.invoice != promise.invoice {
            continue;
        }

        let amount = request
            .conversion
            .to_policy(payment.amount, payment.currency)?;
        paid = paid.saturating_add(amount);
    }
    Ok(paid)
}
