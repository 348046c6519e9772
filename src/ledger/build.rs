//! Assembling checked and linked rows into the sorted [`Ledger`].

use std::ops::Range;
use std::path::PathBuf;

use super::error::{ErrorSink, LedgerError, LedgerErrorKind};
use super::format::CellFormat;
use super::link::Links;
use super::model::{Client, ClientId, Invoice, InvoiceId, Ledger, Payment};
use super::rows::{InvoiceRow, PaymentRow, Rows};

/// Builds the ledger in the order the [`Ledger`] invariant fixes. `None` when
/// a row is incomplete (its error is already in `sink`) or when there are too
/// many rows (reported here).
pub(super) fn build(
    rows: Rows,
    links: Links,
    files: Vec<PathBuf>,
    cells: CellFormat,
    sink: &mut ErrorSink,
) -> Option<Ledger> {
    if let Some(error) = too_many_rows(&rows, &files) {
        sink.push(error);
        return None;
    }
    let (invoices, new_index) = invoices(rows.invoices, &links)?;
    let payments = payments(rows.payments, &links, &new_index)?;

    let client_count = rows.clients.len();
    let invoice_ranges = ranges(client_count, invoices.iter().map(|invoice| invoice.client));
    let payment_ranges = ranges(client_count, payments.iter().map(|payment| payment.client));
    let clients = rows
        .clients
        .into_iter()
        .zip(invoice_ranges.into_iter().zip(payment_ranges));
    let clients = clients
        .map(|(row, (invoices, payments))| Client {
            id: row.id,
            name: row.name,
            fields: row.fields,
            origin: row.origin,
            invoices,
            payments,
            orders: 0..0,
            holds: 0..0,
            promises: 0..0,
        })
        .collect();

    Some(Ledger {
        files,
        cells,
        field_names: rows.field_names,
        field_columns: rows.field_columns,
        clients,
        invoices,
        payments,
        instalments: Vec::new(),
        orders: Vec::new(),
        holds: Vec::new(),
        promises: Vec::new(),
        rates: Vec::new(),
        reference_rates: Vec::new(),
    })
}

/// The model indexes rows with `u32`.
fn too_many_rows(rows: &Rows, files: &[PathBuf]) -> Option<LedgerError> {
    let most = rows
        .clients
        .len()
        .max(rows.invoices.len())
        .max(rows.payments.len());
    if u32::try_from(most).is_ok() {
        return None;
    }
    let file = files.first().cloned().unwrap_or_default();
    let message = format!(
        "the ledger has {most} rows in one file, more than {} can be indexed",
        u32::MAX
    );
    Some(
        LedgerError::new(LedgerErrorKind::MalformedRow, file, message)
            .with_help("split the ledger by client"),
    )
}

/// The invoices sorted by (client, due date, date, id), with the new index of
/// each row as read.
fn invoices(rows: Vec<InvoiceRow>, links: &Links) -> Option<(Vec<Invoice>, Vec<InvoiceId>)> {
    let linked = rows
        .into_iter()
        .zip(links.invoice_clients.iter().zip(&links.references));
    let mut invoices = Vec::with_capacity(links.invoice_clients.len());
    for (old, (row, (&client, &reference))) in linked.enumerate() {
        let data = row.data?;
        let invoice = Invoice {
            id: row.id,
            client,
            date: data.date,
            due_date: data.due_date,
            amount: data.amount,
            currency: data.currency,
            disputed: data.disputed,
            kind: data.kind,
            reference: None,
            terms: None,
            instalments: 0..0,
            origin: row.origin,
        };
        invoices.push((old, reference, invoice));
    }
    invoices.sort_unstable_by(|(_, _, a), (_, _, b)| {
        (a.client, a.due_date, a.date, &a.id).cmp(&(b.client, b.due_date, b.date, &b.id))
    });

    let mut new_index = vec![0; invoices.len()];
    for (new, (old, _, _)) in invoices.iter().enumerate() {
        new_index[*old] = index(new);
    }
    let invoices = invoices.into_iter().map(|(_, reference, mut invoice)| {
        invoice.reference = reference.map(|old| new_index[old]);
        invoice
    });
    Some((invoices.collect(), new_index))
}

/// The payments sorted by (client, date, id), pointing at sorted invoices.
fn payments(rows: Vec<PaymentRow>, links: &Links, new_index: &[InvoiceId]) -> Option<Vec<Payment>> {
    let linked = rows
        .into_iter()
        .zip(links.payment_clients.iter().zip(&links.payment_invoices));
    let mut payments = Vec::with_capacity(links.payment_clients.len());
    for (row, (&client, &invoice)) in linked {
        let data = row.data?;
        payments.push(Payment {
            id: row.id,
            client,
            date: data.date,
            amount: data.amount,
            currency: data.currency,
            invoice: invoice.map(|old| new_index[old]),
            origin: row.origin,
        });
    }
    payments.sort_unstable_by(|a, b| (a.client, a.date, &a.id).cmp(&(b.client, b.date, &b.id)));
    Some(payments)
}

/// The range of each client's items, given the owners of items grouped by
/// client in client order. A client without items gets an empty range at its
/// place.
fn ranges(clients: usize, owners: impl Iterator<Item = ClientId>) -> Vec<Range<u32>> {
    let mut counts = vec![0u32; clients];
    for owner in owners {
        counts[owner as usize] += 1;
    }
    let mut start = 0;
    let ranges = counts.into_iter().map(|count| {
        let range = start..start + count;
        start += count;
        range
    });
    ranges.collect()
}

/// A row index as the model stores it; `too_many_rows` has checked it fits.
fn index(position: usize) -> u32 {
    u32::try_from(position).unwrap_or(u32::MAX)
}
