//! Invoice and credit-note rows: the invoices file, whose due dates are given
//! or computed from payment terms, and the credit notes file.

use rust_decimal::Decimal;

use super::due::{DueCells, DueColumns, no_due_date, read_due_cells, row_due};
use super::{DocumentSource, Finder, InvoiceData, InvoiceRow, Reader, RowDue};
use crate::ledger::cells;
use crate::ledger::derived::{DerivedClients, settled_payment};
use crate::ledger::error::{ErrorSink, LedgerError, LedgerErrorKind};
use crate::ledger::format::CellFormat;
use crate::ledger::manifest::{
    ClientSource, InvoiceColumns as InvoiceMappings, Manifest, NegativeAmounts, PaymentSource,
};
use crate::ledger::model::DocumentKind;
use crate::ledger::table::{Column, ColumnSpec, Row};

/// The columns found in the invoices file's header.
pub(super) struct InvoiceColumns {
    id: Column,
    client: Column,
    date: Column,
    /// At least one of `due_date` and `terms` is present.
    due_date: Option<Column>,
    terms: Option<Column>,
    amount: Column,
    currency: Option<Column>,
    disputed: Option<Column>,
    kind: Option<Column>,
    reference: Option<Column>,
    /// When payments come from the invoices file.
    settled: Option<Column>,
    /// When clients come from the invoices file: the name, if mapped.
    client_name: Option<Column>,
    /// The name (if mapped) then the custom fields, for derived clients.
    client_columns: Vec<Column>,
    derive_clients: bool,
}

impl InvoiceColumns {
    fn due(&self) -> DueColumns<'_> {
        DueColumns {
            date: &self.date,
            due_date: self.due_date.as_ref(),
            terms: self.terms.as_ref(),
        }
    }
}

/// The columns found in the credit notes file's header.
pub(super) struct CreditNoteColumns {
    id: Column,
    client: Column,
    date: Column,
    amount: Column,
    currency: Option<Column>,
    reference: Option<Column>,
}

impl Reader<'_> {
    pub(super) fn invoices(&mut self, sink: &mut ErrorSink) {
        let manifest = self.manifest;
        let opened = self.open(&manifest.invoices.path, sink, |find| {
            find.invoice_columns(manifest)
        });
        let Some((mut table, columns)) = opened else {
            return;
        };
        let cells = manifest.cells();
        let rules = InvoiceRules {
            map: &manifest.invoices,
            cells,
            instalments_read: self.files.contains(&manifest.instalments.file.path),
        };
        let mut clients = DerivedClients::new(&columns.client_columns);
        let rows = &mut self.rows;
        table.for_each_row(sink, |row, sink| {
            if columns.derive_clients {
                clients.add(row, &columns.client, sink);
            }
            let Some(invoice) = invoice(row, &columns, &rules, sink) else {
                return false;
            };
            if let Some(settled) = &columns.settled {
                let date = &columns.date;
                let payment = settled_payment(row, date, settled, &invoice, cells, sink);
                rows.payments.extend(payment);
            }
            rows.invoices.push(invoice);
            true
        });
        rows.complete &= table.unread_rows == 0;
        if let ClientSource::Invoices { fields, .. } = &manifest.clients {
            rows.field_names = fields.iter().map(|(field, _)| field.clone()).collect();
            let name_columns = usize::from(columns.client_name.is_some());
            rows.field_columns = columns.client_columns[name_columns..]
                .iter()
                .map(|column| column.name.clone())
                .collect();
            rows.clients = clients.finish(columns.client_name.is_some());
        }
    }

    pub(super) fn credit_notes(&mut self, sink: &mut ErrorSink) {
        let map = &self.manifest.credit_notes;
        let cells = self.manifest.cells();
        let notes = self.optional_rows(
            &map.file,
            sink,
            |find| {
                let id = find.need(&map.id, "the credit note's id");
                let client = find.need(&map.client, "the id of the credited client");
                let date = find.need(&map.date, "the credit note's issue date");
                let amount = find.need(&map.amount, "the credited amount");
                let currency = find.want(&map.currency, "the credit note's currency");
                let reference = find.want(&map.reference, "the invoice the credit note applies to");
                Some(CreditNoteColumns {
                    id: id?,
                    client: client?,
                    date: date?,
                    amount: amount?,
                    currency,
                    reference,
                })
            },
            |row, columns, sink| credit_note(row, columns, cells, sink),
        );
        self.rows.invoices.extend(notes);
    }
}

impl Finder<'_> {
    fn invoice_columns(&mut self, manifest: &Manifest) -> Option<InvoiceColumns> {
        let map = &manifest.invoices;
        let (due_date, terms) = self.due_columns(map);

        let (client_name, client_fields, derive_clients) = match &manifest.clients {
            ClientSource::Invoices { name, fields } => {
                let name = name
                    .as_ref()
                    .and_then(|name| self.need(name, "the client's name"));
                (name, self.fields(fields).1, true)
            }
            ClientSource::File { .. } => (None, Vec::new(), false),
        };
        let settled = match &manifest.payments {
            PaymentSource::Invoices { settled_date } => {
                Some(self.need(settled_date, "the date the invoice was paid in full"))
            }
            PaymentSource::File(_) => None,
        };

        let id = self.need(&map.id, "the invoice's id");
        let client = self.need(&map.client, "the id of the invoice's client");
        let date = self.need(&map.date, "the invoice's issue date");
        let amount = self.need(&map.amount, "the invoice's amount");
        let currency = self.want(&map.currency, "the invoice's currency");
        let disputed = self.want(&map.disputed, "whether the invoice is disputed");
        let kind = self.want(&map.kind, "the document kind, `invoice` or `credit_note`");
        let reference = self.want(&map.reference, "the invoice a credit note applies to");
        Some(InvoiceColumns {
            id: id?,
            client: client?,
            date: date?,
            due_date,
            terms,
            amount: amount?,
            currency,
            disputed,
            kind,
            reference,
            settled: match settled {
                Some(settled) => Some(settled?),
                None => None,
            },
            client_columns: client_name.iter().chain(&client_fields).cloned().collect(),
            client_name,
            derive_clients,
        })
    }

    /// Finds the due date and terms columns. Either may be absent, but not
    /// both, which is reported as a missing due date column.
    fn due_columns(&mut self, map: &InvoiceMappings) -> (Option<Column>, Option<Column>) {
        let reported = self.errors.len();
        let due_date = self.want(&map.due_date, "the invoice's due date");
        let terms = self.want(&map.terms, "the invoice's payment terms");
        // A column named twice, or named in the manifest but missing, is
        // already reported.
        let found = due_date.is_some() || terms.is_some();
        if found || self.errors.len() > reported {
            return (due_date, terms);
        }
        let spec = ColumnSpec {
            mapping: &map.due_date,
            optional: false,
            about: "the invoice's due date",
        };
        if let Err(mut error) = self.table.column(spec) {
            let instead = match self.table.info.has_manifest {
                true => "; or set invoices.terms to a column of payment terms, such as `30 days`",
                false => {
                    "; instead of due dates, the file may give payment terms in a `terms` column"
                }
            };
            error.help = error.help.map(|help| help + instead);
            self.errors.push(error);
        }
        (None, None)
    }
}

const NEGATIVE_INVOICE_HELP: &str = "write a credit note as a row with kind `credit_note` and a \
     positive amount, or in credit_notes.csv; or set invoices.negative_amounts = \"credit-notes\" \
     in ledger.toml to read a negative amount as a credit note";

const NEGATIVE_CREDIT_NOTE_HELP: &str = "a credit note's amount is positive: the amount it \
     takes off what the client owes";

/// The manifest settings for reading an invoice row.
struct InvoiceRules<'m> {
    map: &'m InvoiceMappings,
    cells: &'m CellFormat,
    /// Whether the ledger reads an instalments file, whose rows may give the
    /// due date of an invoice with empty due date and terms cells.
    instalments_read: bool,
}

/// Reads an invoice row and checks its cells and the rules within the row.
fn invoice(
    row: &Row,
    columns: &InvoiceColumns,
    rules: &InvoiceRules,
    sink: &mut ErrorSink,
) -> Option<InvoiceRow> {
    let cells = rules.cells;
    let id = sink.ok(row.required(&columns.id));
    let client = sink.ok(row.required(&columns.client));
    let date = sink.ok(cells::date(row, &columns.date, cells));
    let terms_rules = &rules.map.terms_rules;
    let found = read_due_cells(row, columns.due(), terms_rules, cells, sink);
    let amount = sink.ok(cells::signed_amount(row, &columns.amount, cells));
    let currency = sink.ok(cells::currency(row, columns.currency.as_ref()));
    let disputed = sink.ok(cells::flag(row, columns.disputed.as_ref(), cells));
    let kind = sink.ok(cells::kind(row, columns.kind.as_ref()));
    let reference = row.optional(columns.reference.as_ref()).map(str::to_string);

    let (kind, amount) = turn_negative(row, &columns.amount, kind, amount, rules.map, sink);
    let (found, undated) = set_aside_undated(row, columns, found, rules.instalments_read, sink);
    let due = match (found, date) {
        (Some(found), Some(date)) => row_due(row, columns.due(), found, date, cells, sink),
        _ => None,
    };
    if let (Some(DocumentKind::Invoice), Some(reference), Some(column)) =
        (kind, &reference, &columns.reference)
    {
        sink.push(reference_on_invoice(row, column, reference));
    }

    let data = match (date, found, due, amount, currency, disputed, kind) {
        (
            Some(date),
            Some(found),
            Some(due),
            Some(amount),
            Some(currency),
            Some(disputed),
            Some(kind),
        ) => Some(InvoiceData {
            date,
            due,
            terms: found.terms,
            amount,
            currency,
            disputed,
            kind,
        }),
        _ => None,
    };
    Some(InvoiceRow {
        id: id?.to_string(),
        client: client?.to_string(),
        reference,
        origin: row.origin,
        source: DocumentSource::Invoices,
        kind,
        undated,
        data,
    })
}

/// Sets aside the error of a row whose due date and terms cells are both
/// empty, for the checks between rows: an invoice with instalments is due
/// when its last instalment is. Without an instalments file the error is
/// reported at once and the cells become `None`.
fn set_aside_undated(
    row: &Row,
    columns: &InvoiceColumns,
    found: Option<DueCells>,
    instalments_read: bool,
    sink: &mut ErrorSink,
) -> (Option<DueCells>, Option<Box<LedgerError>>) {
    if !found.is_some_and(|found| found.is_empty()) {
        return (found, None);
    }
    let error = no_due_date(row, columns.due());
    if instalments_read {
        return (found, Some(Box::new(error)));
    }
    sink.push(error);
    (None, None)
}

/// Returns the kind and positive amount of a row. With `negative_amounts =
/// "credit-notes"`, a negative invoice is a credit note of the opposite
/// amount. Any other negative amount is reported and gives `None`.
fn turn_negative(
    row: &Row,
    column: &Column,
    kind: Option<DocumentKind>,
    amount: Option<Decimal>,
    map: &InvoiceMappings,
    sink: &mut ErrorSink,
) -> (Option<DocumentKind>, Option<Decimal>) {
    let Some(amount) = amount.filter(|amount| amount.is_sign_negative()) else {
        return (kind, amount);
    };
    match (map.negative_amounts, kind) {
        (NegativeAmounts::CreditNotes, Some(DocumentKind::Invoice)) => {
            (Some(DocumentKind::CreditNote), Some(-amount))
        }
        (NegativeAmounts::CreditNotes, Some(DocumentKind::CreditNote)) => {
            let help = format!(
                "{NEGATIVE_CREDIT_NOTE_HELP}; with invoices.negative_amounts = \"credit-notes\", \
                 write a credit note either as kind `credit_note` with a positive amount or as \
                 kind `invoice` with a negative amount"
            );
            sink.push(cells::negative_amount(row, column, &help));
            (kind, None)
        }
        (NegativeAmounts::CreditNotes, None) => (None, None),
        (NegativeAmounts::Reject, _) => {
            sink.push(cells::negative_amount(row, column, NEGATIVE_INVOICE_HELP));
            (kind, None)
        }
    }
}

fn reference_on_invoice(row: &Row, column: &Column, reference: &str) -> LedgerError {
    let message = format!("`{reference}` is a reference on a plain invoice");
    let help = "only a credit note names the invoice it applies to: set kind to `credit_note` \
                if the row is one, or empty the reference cell";
    row.error(LedgerErrorKind::Inconsistent, column, message)
        .with_help(help)
}

/// Reads a row of the credit notes file as a credit note due on its date.
fn credit_note(
    row: &Row,
    columns: &CreditNoteColumns,
    cells: &CellFormat,
    sink: &mut ErrorSink,
) -> Option<InvoiceRow> {
    let id = sink.ok(row.required(&columns.id));
    let client = sink.ok(row.required(&columns.client));
    let date = sink.ok(cells::date(row, &columns.date, cells));
    let help = format!("{NEGATIVE_CREDIT_NOTE_HELP}; write it without a minus sign");
    let amount = sink.ok(cells::amount(row, &columns.amount, cells, &help));
    let currency = sink.ok(cells::currency(row, columns.currency.as_ref()));
    let data = match (date, amount, currency) {
        (Some(date), Some(amount), Some(currency)) => Some(InvoiceData {
            date,
            due: Some(RowDue {
                date,
                from_terms: false,
            }),
            terms: None,
            amount,
            currency,
            disputed: false,
            kind: DocumentKind::CreditNote,
        }),
        _ => None,
    };
    Some(InvoiceRow {
        id: id?.to_string(),
        client: client?.to_string(),
        reference: row.optional(columns.reference.as_ref()).map(str::to_string),
        origin: row.origin,
        source: DocumentSource::CreditNotes,
        kind: Some(DocumentKind::CreditNote),
        undated: None,
        data,
    })
}
