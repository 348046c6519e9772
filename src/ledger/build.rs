//! Assembling checked and linked rows into the sorted [`Ledger`].

mod dunning;

use std::ops::Range;
use std::path::PathBuf;

use chrono::NaiveDate;

use super::error::{ErrorSink, LedgerError, LedgerErrorKind};
use super::format::CellFormat;
use super::link::Links;
use super::model::{
    Client, ClientId, Instalment, Invoice, InvoiceId, Ledger, OnAccountOrder, Order, Payment,
};
use super::rows::{ClientRow, InstalmentRow, InvoiceRow, OrderRow, PaymentRow, Rows};

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
    let last_due = last_instalment_dates(&rows, &links);
    let (mut invoices, new_index) = invoices(rows.invoices, &links, &last_due)?;
    let instalments = instalments(rows.instalments, &links, &new_index, &mut invoices)?;
    let payments = payments(rows.payments, &links, &new_index)?;
    let orders = orders(rows.orders, &links)?;
    let holds = dunning::holds(rows.holds, &links, &new_index)?;
    let promises = dunning::promises(rows.promises, &links, &new_index)?;

    let count = rows.clients.len();
    let owners = Owners {
        invoices: ranges(count, invoices.iter().map(|invoice| invoice.client)),
        payments: ranges(count, payments.iter().map(|payment| payment.client)),
        orders: ranges(count, orders.iter().map(|order| order.client)),
        holds: ranges(count, holds.iter().map(|hold| hold.client)),
        promises: ranges(count, promises.iter().map(|promise| promise.client)),
    };
    let mut rates = rows.rates;
    rates.sort_unstable_by_key(|rate| (rate.currency, rate.date));
    let mut reference_rates = rows.reference_rates;
    reference_rates.sort_unstable_by_key(|rate| rate.date);

    Some(Ledger {
        files,
        cells,
        field_names: rows.field_names,
        field_columns: rows.field_columns,
        clients: clients(rows.clients, owners),
        invoices,
        payments,
        instalments,
        orders,
        holds,
        promises,
        rates,
        reference_rates,
        on_account: OnAccountOrder::default(),
    })
}

/// The ranges of each client's rows in each sorted list.
struct Owners {
    invoices: Vec<Range<u32>>,
    payments: Vec<Range<u32>>,
    orders: Vec<Range<u32>>,
    holds: Vec<Range<u32>>,
    promises: Vec<Range<u32>>,
}

fn clients(rows: Vec<ClientRow>, owners: Owners) -> Vec<Client> {
    let ranges = (owners.invoices.into_iter())
        .zip(owners.payments)
        .zip(owners.orders)
        .zip(owners.holds)
        .zip(owners.promises);
    let clients = rows.into_iter().zip(ranges);
    clients
        .map(
            |(row, ((((invoices, payments), orders), holds), promises))| Client {
                id: row.id,
                name: row.name,
                fields: row.fields,
                origin: row.origin,
                invoices,
                payments,
                orders,
                holds,
                promises,
            },
        )
        .collect()
}

/// The model indexes rows with `u32`.
fn too_many_rows(rows: &Rows, files: &[PathBuf]) -> Option<LedgerError> {
    let most = [
        rows.clients.len(),
        rows.invoices.len(),
        rows.instalments.len(),
        rows.payments.len(),
        rows.orders.len(),
        rows.holds.len(),
        rows.promises.len(),
    ]
    .into_iter()
    .max()
    .unwrap_or_default();
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

/// The due date of each split invoice's last instalment, by invoice row as read.
fn last_instalment_dates(rows: &Rows, links: &Links) -> Vec<Option<NaiveDate>> {
    let mut last: Vec<Option<NaiveDate>> = vec![None; rows.invoices.len()];
    let instalments = rows.instalments.iter().zip(&links.instalment_invoices);
    for (instalment, &invoice) in instalments {
        let (Some(data), Some(slot)) = (&instalment.data, last.get_mut(invoice)) else {
            continue;
        };
        *slot = (*slot).max(Some(data.due_date));
    }
    last
}

/// The invoices sorted by (client, due date, date, id), with the new index of
/// each row as read. A split invoice is due when its last instalment is.
fn invoices(
    rows: Vec<InvoiceRow>,
    links: &Links,
    last_due: &[Option<NaiveDate>],
) -> Option<(Vec<Invoice>, Vec<InvoiceId>)> {
    let linked = rows
        .into_iter()
        .zip(links.invoice_clients.iter().zip(&links.references));
    let mut invoices = Vec::with_capacity(links.invoice_clients.len());
    for (old, (row, (&client, &reference))) in linked.enumerate() {
        let data = row.data?;
        let last_due = last_due.get(old).copied().flatten();
        let invoice = Invoice {
            id: row.id,
            client,
            date: data.date,
            // Linking has reported every invoice without a due date or instalments.
            due_date: last_due.or(data.due.map(|due| due.date))?,
            terms: data.terms,
            amount: data.amount,
            currency: data.currency,
            disputed: data.disputed,
            kind: data.kind,
            reference: None,
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

/// The instalments grouped by sorted invoice and sorted by due date (then
/// by row) within one, numbered from 1; sets each invoice's range.
fn instalments(
    rows: Vec<InstalmentRow>,
    links: &Links,
    new_index: &[InvoiceId],
    invoices: &mut [Invoice],
) -> Option<Vec<Instalment>> {
    let linked = rows.into_iter().zip(&links.instalment_invoices);
    let mut instalments = Vec::with_capacity(links.instalment_invoices.len());
    for (row, &old) in linked {
        let data = row.data?;
        instalments.push(Instalment {
            invoice: *new_index.get(old)?,
            number: 0,
            due_date: data.due_date,
            amount: data.amount,
            origin: row.origin,
        });
    }
    instalments.sort_unstable_by_key(|instalment| {
        let origin = instalment.origin;
        (
            instalment.invoice,
            instalment.due_date,
            origin.file,
            origin.line,
        )
    });

    let mut start = 0;
    for group in instalments.chunk_by_mut(|a, b| a.invoice == b.invoice) {
        for (position, instalment) in group.iter_mut().enumerate() {
            instalment.number = u16::try_from(position + 1).ok()?;
        }
        let end = start + index(group.len());
        let invoice = group.first().map(|first| first.invoice as usize)?;
        invoices.get_mut(invoice)?.instalments = start..end;
        start = end;
    }
    Some(instalments)
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

/// The orders sorted by (client, date, id).
fn orders(rows: Vec<OrderRow>, links: &Links) -> Option<Vec<Order>> {
    let linked = rows.into_iter().zip(&links.order_clients);
    let mut orders = Vec::with_capacity(links.order_clients.len());
    for (row, &client) in linked {
        let data = row.data?;
        orders.push(Order {
            id: row.id,
            client,
            date: data.date,
            amount: data.amount,
            currency: data.currency,
            origin: row.origin,
        });
    }
    orders.sort_unstable_by(|a, b| (a.client, a.date, &a.id).cmp(&(b.client, b.date, &b.id)));
    Some(orders)
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
