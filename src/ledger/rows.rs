//! Reading each file of a ledger into loose rows, checking every cell and the
//! rules within a row. Rows are checked against each other in `link.rs` and
//! sorted into the model in `build.rs`.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::cells;
use super::derived::{self, DerivedClients};
use super::error::{ErrorSink, LedgerError, LedgerErrorKind};
use super::format::CellFormat;
use super::manifest::{ClientSource, Manifest, Mapping, PaymentColumns, PaymentSource};
use super::model::{DocumentKind, FileId, RowOrigin};
use super::table::{Column, ColumnSpec, Row, Table};
use crate::value::Currency;

/// Everything read from the files, before rows are checked against each other.
#[derive(Debug, Default)]
pub(super) struct Rows {
    pub field_names: Vec<String>,
    /// The header spelling of each custom column, parallel to `field_names`.
    pub field_columns: Vec<String>,
    pub clients: Vec<ClientRow>,
    pub invoices: Vec<InvoiceRow>,
    pub payments: Vec<PaymentRow>,
    /// Payments made from the invoices file: their ids are the invoice ids
    /// and their invoices are their own rows, so neither needs a check.
    pub payments_derived: bool,
    /// False when a file could not be read, lacks a required column, or has
    /// a row whose ids could not be read. Checking rows against each other
    /// would then only report consequences (every invoice of a missing
    /// clients file has an unknown client).
    pub complete: bool,
}

#[derive(Debug)]
pub(super) struct ClientRow {
    pub id: String,
    pub name: Option<String>,
    pub fields: Vec<String>,
    pub origin: RowOrigin,
}

/// An invoice row. `data` is `None` when one of its cells is bad; the id,
/// client and reference still take part in the checks between rows.
#[derive(Debug)]
pub(super) struct InvoiceRow {
    pub id: String,
    pub client: String,
    pub reference: Option<String>,
    pub origin: RowOrigin,
    pub data: Option<InvoiceData>,
}

#[derive(Debug)]
pub(super) struct InvoiceData {
    pub date: NaiveDate,
    pub due_date: NaiveDate,
    pub amount: Decimal,
    pub currency: Option<Currency>,
    pub disputed: bool,
    pub kind: DocumentKind,
}

/// A payment row; `data` is `None` when one of its cells is bad.
#[derive(Debug)]
pub(super) struct PaymentRow {
    pub id: String,
    pub client: String,
    pub invoice: Option<String>,
    pub origin: RowOrigin,
    pub data: Option<PaymentData>,
}

#[derive(Debug)]
pub(super) struct PaymentData {
    pub date: NaiveDate,
    pub amount: Decimal,
    pub currency: Option<Currency>,
}

/// Reads the files of `manifest`; `files` is [`Manifest::data_files`].
pub(super) fn read(manifest: &Manifest, files: &[PathBuf], sink: &mut ErrorSink) -> Rows {
    let mut reader = Reader {
        manifest,
        files,
        rows: Rows {
            complete: true,
            ..Rows::default()
        },
    };
    if let ClientSource::File {
        path,
        id,
        name,
        fields,
    } = &manifest.clients
    {
        reader.clients(path, id, name, fields.as_deref(), sink);
    }
    reader.invoices(sink);
    match &manifest.payments {
        PaymentSource::File(columns) => reader.payments(columns, sink),
        PaymentSource::Invoices { .. } => reader.rows.payments_derived = true,
    }
    reader.rows
}

struct Reader<'m> {
    manifest: &'m Manifest,
    files: &'m [PathBuf],
    rows: Rows,
}

impl Reader<'_> {
    /// Opens a file and finds its columns; `None`, with the errors reported,
    /// when the file cannot be read or a column is missing. The file's rows
    /// are then not read: they would be read against the wrong columns.
    fn open<C>(
        &mut self,
        path: &Path,
        sink: &mut ErrorSink,
        columns: impl FnOnce(&mut Finder) -> Option<C>,
    ) -> Option<(Table, C)> {
        let file = self
            .files
            .iter()
            .position(|f| f == path)
            .unwrap_or_default();
        let file = FileId::try_from(file).unwrap_or(FileId::MAX);
        let manifest = self.manifest;
        let table = Table::open(path, file, manifest.delimiter(), manifest.path().is_some());
        let table = sink.ok(table);
        let found = table.as_ref().and_then(|table| {
            let mut finder = Finder {
                table,
                errors: Vec::new(),
            };
            let columns = columns(&mut finder);
            let found = finder.errors.is_empty();
            finder.errors.into_iter().for_each(|error| sink.push(error));
            columns.filter(|_| found)
        });
        let (Some(table), Some(columns)) = (table, found) else {
            self.rows.complete = false;
            return None;
        };
        Some((table, columns))
    }

    fn clients(
        &mut self,
        path: &Path,
        id: &Mapping,
        name: &Mapping,
        fields: Option<&[(String, Mapping)]>,
        sink: &mut ErrorSink,
    ) {
        let opened = self.open(path, sink, |find| {
            let id = find.need(id, "the client's id");
            let name = find.want(name, "the client's name");
            let fields = match fields {
                Some(fields) => find.fields(fields),
                None => find.other_columns(&[id.as_ref(), name.as_ref()]),
            };
            Some((id?, name, fields))
        });
        let Some((mut table, (id, name, (field_names, fields)))) = opened else {
            return;
        };
        self.rows.field_names = field_names;
        self.rows.field_columns = fields.iter().map(|column| column.name.clone()).collect();
        let clients = &mut self.rows.clients;
        table.for_each_row(sink, |row, sink| {
            let Some(id) = sink.ok(row.required(&id)) else {
                return false;
            };
            clients.push(ClientRow {
                id: id.to_string(),
                name: row.optional(name.as_ref()).map(str::to_string),
                fields: fields
                    .iter()
                    .map(|field| row.text(field).to_string())
                    .collect(),
                origin: row.origin,
            });
            true
        });
        self.rows.complete &= table.unread_rows == 0;
    }

    fn invoices(&mut self, sink: &mut ErrorSink) {
        let manifest = self.manifest;
        let opened = self.open(&manifest.invoices.path, sink, |find| {
            find.invoice_columns(manifest)
        });
        let Some((mut table, columns)) = opened else {
            return;
        };
        let cells = manifest.cells();
        let mut clients = DerivedClients::new(&columns.client_columns);
        let rows = &mut self.rows;
        table.for_each_row(sink, |row, sink| {
            if columns.derive_clients {
                clients.add(row, &columns.client, sink);
            }
            let Some(invoice) = invoice(row, &columns, cells, sink) else {
                return false;
            };
            if let Some(settled) = &columns.settled {
                let date = &columns.date;
                let payment = derived::settled_payment(row, date, settled, &invoice, cells, sink);
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

    fn payments(&mut self, mapping: &PaymentColumns, sink: &mut ErrorSink) {
        let opened = self.open(&mapping.path, sink, |find| {
            let id = find.need(&mapping.id, "the payment's id");
            let client = find.need(&mapping.client, "the id of the paying client");
            let date = find.need(&mapping.date, "the date the payment was received");
            let amount = find.need(&mapping.amount, "the amount received");
            let currency = find.want(&mapping.currency, "the payment's currency");
            let invoice = find.want(&mapping.invoice, "the invoice the payment settles");
            Some(PaymentColumnsFound {
                id: id?,
                client: client?,
                date: date?,
                amount: amount?,
                currency,
                invoice,
            })
        });
        let Some((mut table, columns)) = opened else {
            return;
        };
        let cells = self.manifest.cells();
        let payments = &mut self.rows.payments;
        table.for_each_row(sink, |row, sink| {
            let payment = payment(row, &columns, cells, sink);
            let read = payment.is_some();
            payments.extend(payment);
            read
        });
        self.rows.complete &= table.unread_rows == 0;
    }
}

/// Finds columns in a header, collecting the errors of every missing one.
struct Finder<'t> {
    table: &'t Table,
    errors: Vec<LedgerError>,
}

impl Finder<'_> {
    fn need(&mut self, mapping: &Mapping, about: &'static str) -> Option<Column> {
        self.find(ColumnSpec {
            mapping,
            optional: false,
            about,
        })
    }

    fn want(&mut self, mapping: &Mapping, about: &'static str) -> Option<Column> {
        self.find(ColumnSpec {
            mapping,
            optional: true,
            about,
        })
    }

    fn find(&mut self, spec: ColumnSpec) -> Option<Column> {
        self.table
            .column(spec)
            .map_err(|error| self.errors.push(error))
            .ok()
            .flatten()
    }

    /// The custom field columns the manifest names, as (names, columns).
    fn fields(&mut self, fields: &[(String, Mapping)]) -> (Vec<String>, Vec<Column>) {
        let columns = fields
            .iter()
            .filter_map(|(_, mapping)| self.need(mapping, "a custom client field"))
            .collect();
        (
            fields.iter().map(|(name, _)| name.clone()).collect(),
            columns,
        )
    }

    /// Every column but `taken`, in header order, as custom fields named
    /// after their header.
    fn other_columns(&mut self, taken: &[Option<&Column>]) -> (Vec<String>, Vec<Column>) {
        let is_taken = |index| taken.iter().flatten().any(|column| column.index == index);
        let mut names = Vec::new();
        let mut columns = Vec::new();
        for (index, name) in self.table.info.header.iter().enumerate() {
            if is_taken(index) {
                continue;
            }
            if let Some(error) = self.field_name_error(index, name, &names) {
                self.errors.push(error);
                continue;
            }
            names.push(name.clone());
            columns.push(Column {
                index,
                name: name.clone(),
                about: "a custom client field",
            });
        }
        (names, columns)
    }

    fn field_name_error(
        &self,
        index: usize,
        name: &str,
        earlier: &[String],
    ) -> Option<LedgerError> {
        if name.is_empty() {
            let message = format!("column {} of the header has no name", index + 1);
            let help = "name the column, or remove it (a delimiter at the end of the header \
                        adds an unnamed column)";
            return Some(self.table.header_error(name, message).with_help(help));
        }
        earlier.iter().any(|n| n == name).then(|| {
            (self.table.header_error(
                name,
                format!("the header has several columns named `{name}`"),
            ))
            .with_help("rename or remove all but one of them")
        })
    }

    fn invoice_columns(&mut self, manifest: &Manifest) -> Option<InvoiceColumns> {
        let map = &manifest.invoices;
        let due_date = self.need(&map.due_date, "the invoice's due date");
        if due_date.is_none() {
            self.explain_terms();
        }
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
            due_date: due_date?,
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

    /// A `terms` column instead of `due_date`: say that terms are not read yet.
    fn explain_terms(&mut self) {
        let has_terms = self
            .table
            .info
            .header
            .iter()
            .any(|name| name.eq_ignore_ascii_case("terms"));
        let last = self.errors.last_mut();
        if let (true, Some(error)) = (
            has_terms,
            last.filter(|e| e.kind == LedgerErrorKind::MissingColumn),
        ) {
            error.help = Some(
                "due dates computed from payment terms are not supported yet; add a `due_date` \
                 column with each invoice's due date, like 2027-01-31"
                    .to_string(),
            );
        }
    }
}

struct InvoiceColumns {
    id: Column,
    client: Column,
    date: Column,
    due_date: Column,
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

struct PaymentColumnsFound {
    id: Column,
    client: Column,
    date: Column,
    amount: Column,
    currency: Option<Column>,
    invoice: Option<Column>,
}

const NEGATIVE_INVOICE_HELP: &str = "write a credit note as a row with kind `credit_note` \
                                     (in a `kind` column) and a positive amount";

const NEGATIVE_PAYMENT_HELP: &str = "a payment is always positive: the amount received; \
                                     correct the amount, or remove a row that reverses another payment";

/// Reads an invoice row and checks its cells and the rules within the row.
fn invoice(
    row: &Row,
    columns: &InvoiceColumns,
    cells: &CellFormat,
    sink: &mut ErrorSink,
) -> Option<InvoiceRow> {
    let id = sink.ok(row.required(&columns.id));
    let client = sink.ok(row.required(&columns.client));
    let date = sink.ok(cells::date(row, &columns.date, cells));
    let due_date = sink.ok(cells::date(row, &columns.due_date, cells));
    let amount = sink.ok(cells::amount(
        row,
        &columns.amount,
        cells,
        NEGATIVE_INVOICE_HELP,
    ));
    let currency = sink.ok(cells::currency(row, columns.currency.as_ref()));
    let disputed = sink.ok(cells::flag(row, columns.disputed.as_ref(), cells));
    let kind = sink.ok(cells::kind(row, columns.kind.as_ref()));
    let reference = row.optional(columns.reference.as_ref()).map(str::to_string);

    if let (Some(date), Some(due_date)) = (date, due_date)
        && due_date < date
    {
        sink.push(due_before_date(row, columns));
    }
    if let (Some(DocumentKind::Invoice), Some(reference), Some(column)) =
        (kind, &reference, &columns.reference)
    {
        let message = format!("`{reference}` is a reference on a plain invoice");
        let help = "only a credit note names the invoice it applies to: set kind to `credit_note` \
                    if the row is one, or empty the reference cell";
        sink.push(
            row.error(LedgerErrorKind::Inconsistent, column, message)
                .with_help(help),
        );
    }

    let data = match (date, due_date, amount, currency, disputed, kind) {
        (Some(date), Some(due_date), Some(amount), Some(currency), Some(disputed), Some(kind)) => {
            Some(InvoiceData {
                date,
                due_date,
                amount,
                currency,
                disputed,
                kind,
            })
        }
        _ => None,
    };
    Some(InvoiceRow {
        id: id?.to_string(),
        client: client?.to_string(),
        reference,
        origin: row.origin,
        data,
    })
}

fn due_before_date(row: &Row, columns: &InvoiceColumns) -> LedgerError {
    let message = format!(
        "due date `{}` is before the invoice date `{}`",
        row.text(&columns.due_date),
        row.text(&columns.date)
    );
    let help = "an invoice falls due on or after its issue date; check both dates, and \
                format.date_format if day and month may be swapped";
    row.error(LedgerErrorKind::Inconsistent, &columns.due_date, message)
        .with_help(help)
}

fn payment(
    row: &Row,
    columns: &PaymentColumnsFound,
    cells: &CellFormat,
    sink: &mut ErrorSink,
) -> Option<PaymentRow> {
    let id = sink.ok(row.required(&columns.id));
    let client = sink.ok(row.required(&columns.client));
    let date = sink.ok(cells::date(row, &columns.date, cells));
    let amount = sink.ok(cells::amount(
        row,
        &columns.amount,
        cells,
        NEGATIVE_PAYMENT_HELP,
    ));
    let currency = sink.ok(cells::currency(row, columns.currency.as_ref()));
    let data = match (date, amount, currency) {
        (Some(date), Some(amount), Some(currency)) => Some(PaymentData {
            date,
            amount,
            currency,
        }),
        _ => None,
    };
    Some(PaymentRow {
        id: id?.to_string(),
        client: client?.to_string(),
        invoice: row.optional(columns.invoice.as_ref()).map(str::to_string),
        origin: row.origin,
        data,
    })
}
