//! Checks between rows: unique ids, every client and invoice reference
//! pointing at a row that exists and belongs to the same client, documents
//! allocated within one currency, instalments that add up to their invoice,
//! and one rate per currency and date.

mod dunning;
mod instalments;
mod rates;

use crate::ledger::IdMap;
use std::path::{Path, PathBuf};

use super::error::{ErrorSink, LedgerError, LedgerErrorKind};
use super::manifest::{ClientSource, Manifest, PaymentSource};
use super::model::{ClientId, DocumentKind, RowOrigin};
use super::rows::{ClientRow, DocumentSource, InvoiceRow, PaymentRow, Rows};
use crate::value::Currency;

/// Each row's client and referenced invoice, as indices: clients into the
/// clients sorted by id, invoices into [`Rows::invoices`] as read.
#[derive(Debug)]
pub(super) struct Links {
    pub invoice_clients: Vec<ClientId>,
    /// The invoice each credit note applies to.
    pub references: Vec<Option<usize>>,
    /// The invoice each instalment belongs to.
    pub instalment_invoices: Vec<usize>,
    pub payment_clients: Vec<ClientId>,
    pub payment_invoices: Vec<Option<usize>>,
    pub order_clients: Vec<ClientId>,
    pub hold_clients: Vec<ClientId>,
    pub hold_invoices: Vec<Option<usize>>,
    pub promise_clients: Vec<ClientId>,
    pub promise_invoices: Vec<Option<usize>>,
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
    linker.duplicate_orders(sink);
    linker.duplicate_rates(sink);
    linker.duplicate_reference_rates(sink);
    let invoice_ids = linker.invoice_ids(sink);
    let invoice_clients = linker.invoice_clients(sink);
    let references = linker.references(&invoice_ids, sink);
    let instalment_invoices = linker.instalments(&invoice_ids, sink);
    let payment_clients = linker.payment_clients(sink);
    let payment_invoices = linker.payment_invoices(&invoice_ids, sink);
    let order_clients = linker.order_clients(sink);
    let (hold_clients, hold_invoices) = linker.holds(&invoice_ids, sink);
    let (promise_clients, promise_invoices) = linker.promises(&invoice_ids, sink);

    Some(Links {
        invoice_clients: all(invoice_clients)?,
        references: all(references)?,
        instalment_invoices: all(instalment_invoices)?,
        payment_clients: all(payment_clients)?,
        payment_invoices: all(payment_invoices)?,
        order_clients: all(order_clients)?,
        hold_clients: all(hold_clients)?,
        hold_invoices: all(hold_invoices)?,
        promise_clients: all(promise_clients)?,
        promise_invoices: all(promise_invoices)?,
    })
}

/// Every link, or `None` when one is missing.
fn all<T>(links: Vec<Option<T>>) -> Option<Vec<T>> {
    links.into_iter().collect()
}

struct Linker<'a> {
    rows: &'a Rows,
    manifest: &'a Manifest,
    files: &'a [PathBuf],
    /// The index of each client id in the sorted clients.
    client_ids: IdMap<&'a str, ClientId>,
}

/// The column names of an invoice or credit note row, as its file's header
/// spells them.
struct DocumentColumns<'a> {
    id: &'a str,
    client: &'a str,
    reference: &'a str,
    currency: &'a str,
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
        let ids = self.rows.payments.iter().map(|p| (p.id.as_str(), p.origin));
        self.duplicate_ids(ids, "payment", &columns.id.name, sink);
    }

    fn duplicate_orders(&self, sink: &mut ErrorSink) {
        let ids = self.rows.orders.iter().map(|o| (o.id.as_str(), o.origin));
        self.duplicate_ids(ids, "order", &self.manifest.orders.id.name, sink);
    }

    /// Reports every row whose id an earlier row of the same file has.
    fn duplicate_ids<'r>(
        &self,
        rows: impl Iterator<Item = (&'r str, RowOrigin)>,
        what: &str,
        column: &str,
        sink: &mut ErrorSink,
    ) {
        let mut ids: IdMap<&str, RowOrigin> = IdMap::default();
        for (id, origin) in rows {
            let Some(earlier) = ids.get(id) else {
                ids.insert(id, origin);
                continue;
            };
            let message = format!("{what} id `{id}` is already used on line {}", earlier.line);
            let help =
                format!("{what} ids are unique: remove the repeated row, or give it its own id");
            let error = self.error(LedgerErrorKind::DuplicateId, origin, column, message);
            sink.push(error.with_help(help));
        }
    }

    /// The first row of each invoice id, reporting the rows that repeat one.
    /// Credit notes share the ids of invoices.
    fn invoice_ids(&self, sink: &mut ErrorSink) -> IdMap<&str, usize> {
        let mut ids =
            IdMap::with_capacity_and_hasher(self.rows.invoices.len(), ahash::RandomState::new());
        for (index, invoice) in self.rows.invoices.iter().enumerate() {
            let Some(&first) = ids.get(invoice.id.as_str()) else {
                ids.insert(invoice.id.as_str(), index);
                continue;
            };
            let earlier: &InvoiceRow = &self.rows.invoices[first];
            sink.push(self.duplicate_document(invoice, earlier));
        }
        ids
    }

    /// Builds the error for a document row whose id `earlier` already has.
    /// The message names the earlier row's kind when the kinds or the files
    /// differ, and the file of each row when the files differ.
    fn duplicate_document(&self, invoice: &InvoiceRow, earlier: &InvoiceRow) -> LedgerError {
        let what = document_kind_name(invoice.kind);
        let other_file = invoice.origin.file != earlier.origin.file;
        let in_file = match other_file {
            true => format!(" in {}", self.file_name_of(invoice.origin)),
            false => String::new(),
        };
        let by = match other_file || invoice.kind != earlier.kind {
            true => format!(" by {}", with_article(document_kind_name(earlier.kind))),
            false => String::new(),
        };
        let message = format!(
            "{what} id `{}`{in_file} is already used{by} on {}",
            invoice.id,
            self.place(earlier.origin, invoice.origin)
        );
        let help = "invoices and credit notes share one set of ids, whichever file they are in: \
                    remove the repeated row, or give it its own id";
        let column = self.document_columns(invoice.source).id;
        self.error(
            LedgerErrorKind::DuplicateId,
            invoice.origin,
            column,
            message,
        )
        .with_help(help)
    }

    fn invoice_clients(&self, sink: &mut ErrorSink) -> Vec<Option<ClientId>> {
        let invoices = self.rows.invoices.iter();
        invoices
            .map(|invoice| {
                let column = self.document_columns(invoice.source).client;
                let what = match invoice.source {
                    DocumentSource::Invoices => "invoice",
                    DocumentSource::CreditNotes => "credit note",
                };
                self.client(&invoice.client, invoice.origin, column, what, sink)
            })
            .collect()
    }

    fn order_clients(&self, sink: &mut ErrorSink) -> Vec<Option<ClientId>> {
        let column = &self.manifest.orders.client.name;
        let orders = self.rows.orders.iter();
        orders
            .map(|order| self.client(&order.client, order.origin, column, "order", sink))
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
        ids: &IdMap<&str, usize>,
        sink: &mut ErrorSink,
    ) -> Vec<Option<Option<usize>>> {
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
                let columns = self.document_columns(note.source);
                let target = self.invoice(
                    reference,
                    ids,
                    &note.client,
                    note.origin,
                    columns.reference,
                    sink,
                )?;
                let currency = note.data.as_ref().and_then(|data| data.currency);
                let applied = Applied {
                    what: "credit note",
                    rule: "a credit note reduces only an invoice in its own currency",
                    instead: "empty the reference to credit the client's balance",
                    currency,
                    origin: note.origin,
                    column: columns.currency,
                };
                self.check_currency(&applied, target, sink);
                Some(Some(target))
            })
            .collect()
    }

    fn payment_invoices(
        &self,
        ids: &IdMap<&str, usize>,
        sink: &mut ErrorSink,
    ) -> Vec<Option<Option<usize>>> {
        let PaymentSource::File(columns) = &self.manifest.payments else {
            // A payment made from an invoice row settles that row.
            let payments = self.rows.payments.iter();
            return payments
                .map(|payment| match &payment.invoice {
                    Some(id) => ids.get(id.as_str()).copied().map(Some),
                    None => Some(None),
                })
                .collect();
        };
        let payments = self.rows.payments.iter();
        payments
            .map(|payment: &PaymentRow| {
                let Some(invoice) = &payment.invoice else {
                    return Some(None);
                };
                let target = self.invoice(
                    invoice,
                    ids,
                    &payment.client,
                    payment.origin,
                    &columns.invoice.name,
                    sink,
                )?;
                let applied = Applied {
                    what: "payment",
                    rule: "a payment settles only an invoice in its own currency",
                    instead: "empty the invoice cell for a payment on account",
                    currency: payment.data.as_ref().and_then(|data| data.currency),
                    origin: payment.origin,
                    column: &columns.currency.name,
                };
                self.check_currency(&applied, target, sink);
                Some(Some(target))
            })
            .collect()
    }

    /// Reports a document applied to an invoice in another currency: payments
    /// and credits are allocated within one currency. An empty currency is
    /// the policy's, which the ledger does not know, so only two named
    /// currencies are compared.
    fn check_currency(&self, applied: &Applied, target: usize, sink: &mut ErrorSink) {
        let invoice = &self.rows.invoices[target];
        let theirs = invoice.data.as_ref().and_then(|data| data.currency);
        let (Some(own), Some(theirs)) = (applied.currency, theirs) else {
            return;
        };
        if own == theirs {
            return;
        }
        let message = format!(
            "the {} is in {own} but invoice `{}` is in {theirs}",
            applied.what, invoice.id
        );
        let help = format!(
            "{}: correct the currency, or {}",
            applied.rule, applied.instead
        );
        let error = self.error(
            LedgerErrorKind::Inconsistent,
            applied.origin,
            applied.column,
            message,
        );
        sink.push(error.with_help(help));
    }

    /// The row of invoice `id`, which must exist, belong to `client` and not
    /// be a credit note; `None` after reporting why not.
    fn invoice(
        &self,
        id: &str,
        ids: &IdMap<&str, usize>,
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
            let help = "name an invoice rather than a credit note, or leave the cell empty";
            sink.push(
                self.error(LedgerErrorKind::Inconsistent, origin, column, message)
                    .with_help(help),
            );
            return None;
        }
        Some(target)
    }

    /// The column names of the file an invoice or credit note row came from.
    fn document_columns(&self, source: DocumentSource) -> DocumentColumns<'_> {
        match source {
            DocumentSource::Invoices => {
                let map = &self.manifest.invoices;
                DocumentColumns {
                    id: &map.id.name,
                    client: &map.client.name,
                    reference: &map.reference.name,
                    currency: &map.currency.name,
                }
            }
            DocumentSource::CreditNotes => {
                let map = &self.manifest.credit_notes;
                DocumentColumns {
                    id: &map.id.name,
                    client: &map.client.name,
                    reference: &map.reference.name,
                    currency: &map.currency.name,
                }
            }
        }
    }

    /// "line 3", or "line 3 of invoices.csv" when `earlier` is in another
    /// file than `here`.
    fn place(&self, earlier: RowOrigin, here: RowOrigin) -> String {
        if earlier.file == here.file {
            return format!("line {}", earlier.line);
        }
        format!("line {} of {}", earlier.line, self.file_name_of(earlier))
    }

    fn file_name_of(&self, origin: RowOrigin) -> String {
        let path = self.files.get(usize::from(origin.file));
        path.map_or_else(String::new, |path| file_name(path))
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

/// A payment, credit note or promise applied to an invoice, for the
/// currency check.
struct Applied<'a> {
    /// The row's kind, for messages: "payment".
    what: &'a str,
    /// The rule the row breaks, for the help text.
    rule: &'a str,
    /// The alternative to naming the invoice.
    instead: &'a str,
    currency: Option<Currency>,
    origin: RowOrigin,
    /// The row's currency column.
    column: &'a str,
}

/// The index of each client id in `clients`, sorted by id; the first row of
/// a repeated id.
fn client_ids(clients: &[ClientRow]) -> IdMap<&str, ClientId> {
    let mut ids = IdMap::with_capacity_and_hasher(clients.len(), ahash::RandomState::new());
    for (index, client) in clients.iter().enumerate() {
        if let Ok(index) = ClientId::try_from(index) {
            ids.entry(client.id.as_str()).or_insert(index);
        }
    }
    ids
}

/// Returns the name of a document kind for messages. `None` is the kind of a
/// row whose kind cell could not be read.
fn document_kind_name(kind: Option<DocumentKind>) -> &'static str {
    match kind {
        Some(DocumentKind::Invoice) => "invoice",
        Some(DocumentKind::CreditNote) => "credit note",
        None => "document",
    }
}

fn with_article(noun: &str) -> String {
    match noun.starts_with(['a', 'e', 'i', 'o', 'u']) {
        true => format!("an {noun}"),
        false => format!("a {noun}"),
    }
}

fn file_name(path: &Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |name| name.to_string_lossy().into_owned(),
    )
}
