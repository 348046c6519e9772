//! The state of a client's promises to pay at the as-of date.

use chrono::{Days, NaiveDate};
use rust_decimal::Decimal;

use super::{ClientMetrics, MetricsError, MetricsRequest};
use crate::ledger::{ClientId, Ledger, Payment, Promise};

/// The state of a promise to pay at the as-of date.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PromiseState {
    /// The payments toward the promise reach its amount.
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
}

/// Adds the status of each of the client's promises made on or before the
/// as-of date, and counts the broken and pending ones.
pub(super) fn add_promises(
    metrics: &mut ClientMetrics,
    ledger: &Ledger,
    client: ClientId,
    request: &MetricsRequest,
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

        let status = promise_status(promise, index, payments, request)?;
        match status.state {
            PromiseState::Broken => {
                metrics.broken_promises = metrics.broken_promises.saturating_add(1);
            }
            PromiseState::Pending => {
                metrics.pending_promises = metrics.pending_promises.saturating_add(1);
            }
            PromiseState::Kept => {}
        }
        metrics.promises.push(status);
    }
    Ok(())
}

/// Computes the state of one promise from `payments`, the client's payments
/// ordered by date.
fn promise_status(
    promise: &Promise,
    index: u32,
    payments: &[Payment],
    request: &MetricsRequest,
) -> Result<PromiseStatus, MetricsError> {
    // A deadline past the end of the calendar never comes.
    let deadline = promise
        .due
        .checked_add_days(Days::new(u64::from(promise.grace_days)));
    let last_day = deadline.map_or(request.as_of, |deadline| deadline.min(request.as_of));

    let amount = request
        .conversion
        .to_policy(promise.amount, promise.currency)?;
    let paid = paid_toward(promise, payments, last_day, request)?;
    let state = if paid >= amount {
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
    })
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
