//! Rows made from the invoices file when the export has no clients or no
//! payments file: one client per distinct client id, and one payment per
//! settled invoice.

use crate::ledger::IdMap;

use super::cells;
use super::error::{ErrorSink, LedgerError, LedgerErrorKind};
use super::format::CellFormat;
use super::model::{DocumentKind, RowOrigin};
use super::rows::{ClientRow, DatedAmount, InvoiceRow, PaymentRow};
use super::table::{Column, Row};

/// The payment an invoice row's settled date stands for: the whole amount,
/// once, on that date. An empty cell is an open invoice; a credit note is
/// never paid, so its settled date is read but makes no payment.
pub(super) fn settled_payment(
    row: &Row,
    date_column: &Column,
    column: &Column,
    invoice: &InvoiceRow,
    cells: &CellFormat,
    sink: &mut ErrorSink,
) -> Option<PaymentRow> {
    row.optional(Some(column))?;
    let date = sink.ok(cells::date(row, column, cells))?;
    let data = invoice
        .data
        .as_ref()
        .filter(|data| data.kind == DocumentKind::Invoice)?;
    if date < data.date {
        let message = format!(
            "settled date `{}` is before the invoice date `{}`",
            row.text(column),
            row.text(date_column)
        );
        let help = "an invoice is paid on or after its issue date; check both dates";
        sink.push(
            row.error(LedgerErrorKind::Inconsistent, column, message)
                .with_help(help),
        );
        return None;
    }
    Some(PaymentRow {
        id: invoice.id.clone(),
        client: invoice.client.clone(),
        invoice: Some(invoice.id.clone()),
        origin: invoice.origin,
        data: Some(DatedAmount {
            date,
            amount: data.amount,
            currency: data.currency,
        }),
    })
}

/// Clients made from the invoices file: one per distinct client id, with the
/// name and custom fields of its first row, which every later row must repeat.
pub(super) struct DerivedClients<'c> {
    columns: &'c [Column],
    by_id: IdMap<String, usize>,
    /// Per client: id, first row, the cells of `columns`.
    clients: Vec<(String, RowOrigin, Vec<String>)>,
    /// (client, column) pairs already reported as disagreeing.
    reported: Vec<(usize, usize)>,
}

impl<'c> DerivedClients<'c> {
    pub(super) fn new(columns: &'c [Column]) -> Self {
        DerivedClients {
            columns,
            by_id: IdMap::default(),
            clients: Vec::new(),
            reported: Vec::new(),
        }
    }

    pub(super) fn add(&mut self, row: &Row, id_column: &Column, sink: &mut ErrorSink) {
        let id = row.text(id_column);
        if id.is_empty() {
            return; // the invoice reports the empty cell
        }
        let Some(&client) = self.by_id.get(id) else {
            let cells = self
                .columns
                .iter()
                .map(|column| row.text(column).to_string())
                .collect();
            self.by_id.insert(id.to_string(), self.clients.len());
            self.clients.push((id.to_string(), row.origin, cells));
            return;
        };
        for (index, column) in self.columns.iter().enumerate() {
            let first = &self.clients[client].2[index];
            if row.text(column) == first || self.reported.contains(&(client, index)) {
                continue;
            }
            self.reported.push((client, index));
            sink.push(self.disagreement(row, column, client, first));
        }
    }

    fn disagreement(&self, row: &Row, column: &Column, client: usize, first: &str) -> LedgerError {
        let (id, origin, _) = &self.clients[client];
        let message = format!(
            "client `{id}` has `{}` in `{}` here but `{first}` on line {}",
            row.text(column),
            column.name,
            origin.line
        );
        let help = "clients are read from the invoice rows, so a client's columns must hold \
                    the same value on every row of that client; correct one of the two rows";
        row.error(LedgerErrorKind::Inconsistent, column, message)
            .with_help(help)
    }

    /// The clients, with the name first among the cells when `has_name`.
    pub(super) fn finish(self, has_name: bool) -> Vec<ClientRow> {
        let clients = self.clients.into_iter().map(|(id, origin, mut cells)| {
            let name = if has_name && !cells.is_empty() {
                Some(cells.remove(0)).filter(|name| !name.is_empty())
            } else {
                None
            };
            ClientRow {
                id,
                name,
                fields: cells,
                origin,
            }
        });
        clients.collect()
    }
}
