//! Holds and promises, sorted into the model.

use super::super::link::Links;
use super::super::model::{Hold, InvoiceId, Promise};
use super::super::rows::{HoldRow, PromiseRow};

/// The holds sorted by (client, last day, row).
pub(super) fn holds(
    rows: Vec<HoldRow>,
    links: &Links,
    new_index: &[InvoiceId],
) -> Option<Vec<Hold>> {
    let linked = rows
        .into_iter()
        .zip(links.hold_clients.iter().zip(&links.hold_invoices));
    let mut holds = Vec::with_capacity(links.hold_clients.len());
    for (row, (&client, &invoice)) in linked {
        let data = row.data?;
        holds.push(Hold {
            client,
            invoice: sorted(invoice, new_index)?,
            reason: data.reason,
            from: data.from,
            until: data.until,
            origin: row.origin,
        });
    }
    holds
        .sort_unstable_by_key(|hold| (hold.client, hold.until, hold.origin.file, hold.origin.line));
    Some(holds)
}

/// The promises sorted by (client, promised date, row).
pub(super) fn promises(
    rows: Vec<PromiseRow>,
    links: &Links,
    new_index: &[InvoiceId],
) -> Option<Vec<Promise>> {
    let linked = rows
        .into_iter()
        .zip(links.promise_clients.iter().zip(&links.promise_invoices));
    let mut promises = Vec::with_capacity(links.promise_clients.len());
    for (row, (&client, &invoice)) in linked {
        let data = row.data?;
        promises.push(Promise {
            client,
            invoice: sorted(invoice, new_index)?,
            amount: data.amount,
            currency: data.currency,
            made_on: data.made_on,
            due: data.due,
            grace_days: data.grace_days,
            origin: row.origin,
        });
    }
    promises.sort_unstable_by_key(|promise| {
        (
            promise.client,
            promise.due,
            promise.origin.file,
            promise.origin.line,
        )
    });
    Some(promises)
}

/// The sorted index of an optional invoice; `None` only for an index out of range.
fn sorted(invoice: Option<usize>, new_index: &[InvoiceId]) -> Option<Option<InvoiceId>> {
    match invoice {
        Some(old) => new_index.get(old).copied().map(Some),
        None => Some(None),
    }
}
