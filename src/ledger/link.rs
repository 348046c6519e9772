//! Checks between rows: unique ids, and every client, invoice and credit-note
//! reference pointing at a row that exists and belongs to the same client.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use super::error::{ErrorSink, LedgerError, LedgerErrorKind};
use super::manifest::{ClientSource, Manifest, PaymentSource};
use super::model::{ClientId, DocumentKind, RowOrigin};
use super::rows::{ClientRow, InvoiceRow, PaymentRow, Rows};

/// Each row's client and referenced invoice, as indices: clients into the
/// clients sorted by id, invoices into [`Rows::invoices`] as read.
#[derive(Debug)]
pub(super) struct Links {
    pub invoice_clients: Vec<ClientId>,
    /// The invoice each credit note applies to.
    pub references: Vec<Option<usize>>,
    pub payment_clients: Vec<ClientId>,
    pub payment_invoices: Vec<Option<usize>>,
}

/// Sorts the clients by id and links every row, reporting each broken link.
/// `None` when a link is missing; its error is then in `sink`.
pub(super) fn link(
    rows: &mut Rows,
    manifest: &Manifest,
    files: &[PathBuf],
    sink: &mut ErrorSink,
) -> Option<Links> {
    rows.clients.sort_by(|a, b| a.id.cmp(&b.id));
    let linker = Linker {
        rows,
        manifest,
        files,
        client_ids: client_ids(&rows.clients),
    };
    linker.duplicate_clients(sink);
    linker.duplicate_payments(sink);
    let invoice_ids = linker.invoice_ids(sink);
    let invoice_clients = linker.invoice_clients(sink);
    let references = linker.references(&invoice_ids, sink);
    let payment_clients = linker.payment_clients(sink);
    let payment_invoices = linker.payment_invoices(&invoice_ids, sink);

    Some(Links {
        invoice_clients: invoice_clients.into_iter().collect::<Option<_>>()?,
        references: references.into_iter().collect::<Option<_>>()?,
        payment_clients: payment_clients.into_iter().collect::<Option<_>>()?,
        payment_invoices: payment_invoices.into_iter().collect::<Option<_>>()?,
    })
}

struct Linker<'a> {
    rows: &'a Rows,
    manifest: &'a Manifest,
    files: &'a [PathBuf],
    /// The index of each client id in the sorted clients.
    client_ids: HashMap<&'a str, ClientId>,
}

impl Linker<'_> {
    /// Reports every client row whose id an earlier row already has.
    fn duplicate_clients(&self, sink: &mut ErrorSink) {
        let ClientSource::File { id, .. } = &self.manifest.clients else {
            return; // one client per distinct id by construction
        };
        let clients = &self.rows.clients;
        let mut first = 0;
        for index in 1..clients.len() {
            if clients[index].id != clients[first].id {
                first = index;
                continue;
            }
            let (client, earlier) = (&clients[index], &clients[first]);
            let message = format!(
                "client id `{}` is already used on line {}",
                client.id, earlier.origin.line
            );
            let help = "client ids are unique: merge the two rows, or give one of them another id";
            sink.push(
                self.error(
                    LedgerErrorKind::DuplicateId,
                    client.origin,
                    &id.name,
                    message,
                )
                .with_help(help),
            );
        }
    }

    /// Reports every payment row whose id an earlier row already has.
    fn duplicate_payments(&self, sink: &mut ErrorSink) {
        let PaymentSource::File(columns) = &self.manifest.payments else {
            return; // payment ids are invoice ids, checked there
        };
        let mut ids: HashMap<&str, RowOrigin> = HashMap::with_capacity(self.rows.payments.len());
        for payment in &self.rows.payments {
            let Some(earlier) = ids.get(payment.id.as_str()) else {
                ids.insert(payment.id.as_str(), payment.origin);
                continue;
            };
            let message = format!(
                "payment id `{}` is already used on line {}",
                payment.id, earlier.line
            );
            let help = "payment ids are unique: remove the repeated row, or give it its own id";
            let error = self.error(
                LedgerErrorKind::DuplicateId,
                payment.origin,
                &columns.id.name,
                message,
            );
            sink.push(error.with_help(help));
        }
    }

    /// The first row of each invoice id, reporting the rows that repeat one.
    fn invoice_ids(&self, sink: &mut ErrorSink) -> HashMap<&str, usize> {
        let column = &self.manifest.invoices.id.name;
        let mut ids = HashMap::with_capacity(self.rows.invoices.len());
        for (index, invoice) in self.rows.invoices.iter().enumerate() {
            let Some(&first) = ids.get(invoice.id.as_str()) else {
                ids.insert(invoice.id.as_str(), index);
                continue;
            };
            let earlier: &InvoiceRow = &self.rows.invoices[first];
            let message = format!(
                "invoice id `{}` is already used on line {}",
                invoice.id, earlier.origin.line
            );
            let help = "invoice and credit-note ids are unique: remove the repeated row, or give it its own id";
            sink.push(
                self.error(
                    LedgerErrorKind::DuplicateId,
                    invoice.origin,
                    column,
                    message,
                )
                .with_help(help),
            );
        }
        ids
    }

    fn invoice_clients(&self, sink: &mut ErrorSink) -> Vec<Option<ClientId>> {
        let column = &self.manifest.invoices.client.name;
        let invoices = self.rows.invoices.iter();
        invoices
            .map(|invoice| self.client(&invoice.client, invoice.origin, column, "invoice", sink))
            .collect()
    }

    fn payment_clients(&self, sink: &mut ErrorSink) -> Vec<Option<ClientId>> {
        let column = match &self.manifest.payments {
            PaymentSource::File(columns) => columns.client.name.as_str(),
            PaymentSource::Invoices { .. } => "",
        };
        let payments = self.rows.payments.iter();
        payments
            .map(|payment| {
                if self.rows.payments_derived {
                    self.client_ids.get(payment.client.as_str()).copied()
                } else {
                    self.client(&payment.client, payment.origin, column, "payment", sink)
                }
            })
            .collect()
    }

    /// The index of client `id`, or `None` after reporting that it is unknown.
    fn client(
        &self,
        id: &str,
        origin: RowOrigin,
        column: &str,
        what: &str,
        sink: &mut ErrorSink,
    ) -> Option<ClientId> {
        let found = self.client_ids.get(id).copied();
        if found.is_none() {
            let message = format!("the {what}'s client `{id}` is not a known client");
            let help = match &self.manifest.clients {
                ClientSource::File { path, .. } => {
                    format!(
                        "add a row for `{id}` to {}, or correct the client id",
                        file_name(path)
                    )
                }
                ClientSource::Invoices { .. } => {
                    format!("correct the client id, or add an invoice of `{id}`")
                }
            };
            sink.push(
                self.error(LedgerErrorKind::UnknownReference, origin, column, message)
                    .with_help(help),
            );
        }
        found
    }

    /// The invoice each credit note applies to. Per invoice row: `Some(None)`
    /// without a reference, `None` after reporting a broken one.
    fn references(
        &self,
        ids: &HashMap<&str, usize>,
        sink: &mut ErrorSink,
    ) -> Vec<Option<Option<usize>>> {
        let column = &self.manifest.invoices.reference.name;
        let invoices = self.rows.invoices.iter();
        invoices
            .map(|note| {
                let Some(reference) = &note.reference else {
                    return Some(None);
                };
                if note
                    .data
                    .as_ref()
                    .is_some_and(|data| data.kind == DocumentKind::Invoice)
                {
                    return Some(None); // a reference on a plain invoice, reported by its row
                }
                let target =
                    self.invoice(reference, ids, &note.client, note.origin, column, sink)?;
                Some(Some(target))
            })
            .collect()
    }

    fn payment_invoices(
        &self,
        ids: &HashMap<&str, usize>,
        sink: &mut ErrorSink,
    ) -> Vec<Option<Option<usize>>> {
        let column = match &self.manifest.payments {
            PaymentSource::File(columns) => columns.invoice.name.as_str(),
            PaymentSource::Invoices { .. } => "",
        };
        let payments = self.rows.payments.iter();
        payments
            .map(|payment: &PaymentRow| {
                let Some(invoice) = &payment.invoice else {
                    return Some(None);
                };
                if self.rows.payments_derived {
                    return ids.get(invoice.as_str()).copied().map(Some);
                }
                let target =
                    self.invoice(invoice, ids, &payment.client, payment.origin, column, sink)?;
                Some(Some(target))
            })
            .collect()
    }

    /// The row of invoice `id`, which must exist, belong to `client` and not
    /// be a credit note; `None` after reporting why not.
    fn invoice(
        &self,
        id: &str,
        ids: &HashMap<&str, usize>,
        client: &str,
        origin: RowOrigin,
        column: &str,
        sink: &mut ErrorSink,
    ) -> Option<usize> {
        let Some(&target) = ids.get(id) else {
            let message = format!(
                "invoice `{id}` is not in {}",
                file_name(&self.manifest.invoices.path)
            );
            let help = "correct the invoice id, or leave the cell empty";
            sink.push(
                self.error(LedgerErrorKind::UnknownReference, origin, column, message)
                    .with_help(help),
            );
            return None;
        };
        let invoice = &self.rows.invoices[target];
        if invoice.client != client {
            let message = format!(
                "invoice `{id}` belongs to client `{}`, not `{client}`",
                invoice.client
            );
            let help = "a document applies only to invoices of its own client; correct the invoice or the client";
            sink.push(
                self.error(LedgerErrorKind::UnknownReference, origin, column, message)
                    .with_help(help),
            );
            return None;
        }
        if invoice
            .data
            .as_ref()
            .is_some_and(|data| data.kind == DocumentKind::CreditNote)
        {
            let message = format!("`{id}` is a credit note, not an invoice");
            let help = "name the invoice that is paid or credited, or leave the cell empty";
            sink.push(
                self.error(LedgerErrorKind::Inconsistent, origin, column, message)
                    .with_help(help),
            );
            return None;
        }
        Some(target)
    }

    fn error(
        &self,
        kind: LedgerErrorKind,
        origin: RowOrigin,
        column: &str,
        message: String,
    ) -> LedgerError {
        let path = self
            .files
            .get(usize::from(origin.file))
            .map_or(Path::new(""), PathBuf::as_path);
        LedgerError::new(kind, path, message)
            .at_line(origin.line)
            .in_column(column)
    }
}

/// The index of each client id in `clients`, sorted by id; the first row of
/// a repeated id.
fn client_ids(clients: &[ClientRow]) -> HashMap<&str, ClientId> {
    let mut ids = HashMap::with_capacity(clients.len());
    for (index, client) in clients.iter().enumerate() {
        if let Ok(index) = ClientId::try_from(index) {
            ids.entry(client.id.as_str()).or_insert(index);
        }
    }
    ids
}

fn file_name(path: &Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |name| name.to_string_lossy().into_owned(),
    )
}
