//! Reading each file of a ledger into loose rows, checking every cell and the
//! rules within a row. Rows are checked against each other in `link.rs` and
//! sorted into the model in `build.rs`.

mod due;
mod invoices;
mod optional;

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::cells;
use super::error::{ErrorSink, LedgerError, LedgerErrorKind};
use super::format::CellFormat;
use super::manifest::{
    ClientSource, Manifest, Mapping, OptionalFile, PaymentColumns, PaymentSource,
};
use super::model::{DocumentKind, ExchangeRate, FileId, ReferenceRate, RowOrigin};
use super::table::{Column, ColumnSpec, Row, Table};
use crate::terms::PaymentTerms;
use crate::value::Currency;

/// Everything read from the files, before rows are checked against each other.
#[derive(Debug, Default)]
pub(super) struct Rows {
    pub field_names: Vec<String>,
    /// The header spelling of each custom column, parallel to `field_names`.
    pub field_columns: Vec<String>,
    pub clients: Vec<ClientRow>,
    /// The rows of the invoices file, then those of the credit notes file.
    pub invoices: Vec<InvoiceRow>,
    pub instalments: Vec<InstalmentRow>,
    pub payments: Vec<PaymentRow>,
    /// Payments made from the invoices file: their ids are the invoice ids
    /// and their invoices are their own rows, so neither needs a check.
    pub payments_derived: bool,
    pub orders: Vec<OrderRow>,
    pub holds: Vec<HoldRow>,
    pub promises: Vec<PromiseRow>,
    /// The rates of the rates file, then the fixed rates of the manifest;
    /// only rows whose cells are all valid.
    pub rates: Vec<ExchangeRate>,
    pub reference_rates: Vec<ReferenceRate>,
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

/// The file an invoice or credit note row was read from, which decides the
/// column names its errors give.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum DocumentSource {
    Invoices,
    CreditNotes,
}

/// An invoice or credit note row. `data` is `None` when one of its cells is
/// bad; the id, client, kind and reference still take part in the checks
/// between rows.
#[derive(Debug)]
pub(super) struct InvoiceRow {
    pub id: String,
    pub client: String,
    pub reference: Option<String>,
    pub origin: RowOrigin,
    pub source: DocumentSource,
    /// `None` when the kind cell is bad.
    pub kind: Option<DocumentKind>,
    /// The error for a row whose due date and terms cells are both empty,
    /// reported between rows unless the invoice has instalments, which then
    /// give its due date.
    pub undated: Option<Box<LedgerError>>,
    pub data: Option<InvoiceData>,
}

#[derive(Debug)]
pub(super) struct InvoiceData {
    pub date: NaiveDate,
    /// `None` when the due date and terms cells are both empty.
    pub due: Option<RowDue>,
    /// The terms of the terms cell, when it is filled in.
    pub terms: Option<PaymentTerms>,
    /// Positive: a negative amount read as a credit note is turned around.
    pub amount: Decimal,
    pub currency: Option<Currency>,
    pub disputed: bool,
    pub kind: DocumentKind,
}

/// The due date an invoice row gives.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct RowDue {
    pub date: NaiveDate,
    /// Whether the date was computed from the terms cell because the due
    /// date cell is empty or absent.
    pub from_terms: bool,
}

/// An instalment row; `data` is `None` when one of its cells is bad.
#[derive(Debug)]
pub(super) struct InstalmentRow {
    pub invoice: String,
    pub origin: RowOrigin,
    pub data: Option<InstalmentData>,
}

#[derive(Debug)]
pub(super) struct InstalmentData {
    pub due_date: NaiveDate,
    pub amount: Decimal,
}

/// A payment row; `data` is `None` when one of its cells is bad.
#[derive(Debug)]
pub(super) struct PaymentRow {
    pub id: String,
    pub client: String,
    pub invoice: Option<String>,
    pub origin: RowOrigin,
    pub data: Option<DatedAmount>,
}

/// The cells that payments and orders share.
#[derive(Debug)]
pub(super) struct DatedAmount {
    pub date: NaiveDate,
    pub amount: Decimal,
    pub currency: Option<Currency>,
}

impl DatedAmount {
    /// Reads the date, amount and currency cells of a payment or order row,
    /// recording each bad cell; `None` when one of them is bad.
    fn read(
        row: &Row,
        columns: [&Column; 2],
        currency: Option<&Column>,
        cells: &CellFormat,
        negative_help: &str,
        sink: &mut ErrorSink,
    ) -> Option<DatedAmount> {
        let [date, amount] = columns;
        let date = sink.ok(cells::date(row, date, cells));
        let amount = sink.ok(cells::amount(row, amount, cells, negative_help));
        let currency = sink.ok(cells::currency(row, currency));
        Some(DatedAmount {
            date: date?,
            amount: amount?,
            currency: currency?,
        })
    }
}

/// An order row; `data` is `None` when one of its cells is bad.
#[derive(Debug)]
pub(super) struct OrderRow {
    pub id: String,
    pub client: String,
    pub origin: RowOrigin,
    pub data: Option<DatedAmount>,
}

/// A hold row; `data` is `None` when one of its cells is bad.
#[derive(Debug)]
pub(super) struct HoldRow {
    pub client: String,
    pub invoice: Option<String>,
    pub origin: RowOrigin,
    pub data: Option<HoldData>,
}

#[derive(Debug)]
pub(super) struct HoldData {
    pub reason: String,
    pub from: Option<NaiveDate>,
    pub until: NaiveDate,
}

/// A promise row; `data` is `None` when one of its cells is bad.
#[derive(Debug)]
pub(super) struct PromiseRow {
    pub client: String,
    pub invoice: Option<String>,
    pub origin: RowOrigin,
    pub data: Option<PromiseData>,
}

#[derive(Debug)]
pub(super) struct PromiseData {
    pub amount: Decimal,
    pub currency: Option<Currency>,
    pub made_on: NaiveDate,
    pub due: NaiveDate,
    pub grace_days: u32,
}

/// Reads the files of `manifest`; `files` is [`Manifest::data_files`].
pub(super) fn read(manifest: &Manifest, files: &[PathBuf], sink: &mut ErrorSink) -> Rows {
    // The payments file, often as large as the invoices file, is read on a
    // second thread: none of its cells depends on another file's rows.
    let ((documents, document_errors), (payments, payment_errors)) = rayon::join(
        || Reader::new(manifest, files).run(Reader::documents),
        || Reader::new(manifest, files).run(Reader::payment_file),
    );
    sink.absorb(document_errors);
    sink.absorb(payment_errors);

    // Payments made from the invoices file come with the documents; a
    // payments file adds its own.
    let mut reader = Reader::new(manifest, files);
    reader.rows = documents;
    reader.rows.payments.extend(payments.payments);
    reader.rows.payments_derived |= payments.payments_derived;
    reader.rows.complete &= payments.complete;
    reader.orders(sink);
    reader.holds(sink);
    reader.promises(sink);
    reader.rates(sink);
    reader.fixed_rates();
    reader.reference_rates(sink);
    reader.rows
}

struct Reader<'m> {
    manifest: &'m Manifest,
    files: &'m [PathBuf],
    rows: Rows,
}

impl<'m> Reader<'m> {
    fn new(manifest: &'m Manifest, files: &'m [PathBuf]) -> Self {
        Reader {
            manifest,
            files,
            rows: Rows {
                complete: true,
                ..Rows::default()
            },
        }
    }

    /// Runs one part of the reading with its own errors.
    fn run(mut self, part: fn(&mut Self, &mut ErrorSink)) -> (Rows, ErrorSink) {
        let mut sink = ErrorSink::default();
        part(&mut self, &mut sink);
        (self.rows, sink)
    }

    /// Reads the clients, invoices, credit notes and instalments files.
    fn documents(&mut self, sink: &mut ErrorSink) {
        if let ClientSource::File {
            path,
            id,
            name,
            fields,
        } = &self.manifest.clients
        {
            self.clients(path, id, name, fields.as_deref(), sink);
        }
        self.invoices(sink);
        self.credit_notes(sink);
        self.instalments(sink);
    }

    /// Reads the payments file, or notes that payments come from the
    /// invoices file.
    fn payment_file(&mut self, sink: &mut ErrorSink) {
        match &self.manifest.payments {
            PaymentSource::File(columns) => self.payments(columns, sink),
            PaymentSource::Invoices { .. } => self.rows.payments_derived = true,
        }
    }
    /// Opens a file and finds its columns; `None`, with the errors reported,
    /// when the file cannot be read or a column is missing. The file's rows
    /// are then not read: they would be read against the wrong columns.
    fn open<C>(
        &mut self,
        path: &Path,
        sink: &mut ErrorSink,
        columns: impl FnOnce(&mut Finder) -> Option<C>,
    ) -> Option<(Table, C)> {
        let manifest = self.manifest;
        let table = Table::open(
            path,
            self.file_id(path),
            manifest.delimiter(),
            manifest.encoding(),
            manifest.path().is_some(),
        );
        let table = sink.ok(table);
        let found = table.as_ref().and_then(|table| {
            let mut finder = Finder {
                table,
                errors: Vec::new(),
            };
            let columns = columns(&mut finder);
            let found = finder.errors.is_empty();
            let errors = replace_with_delimiter_error(table, finder.errors);
            errors.into_iter().for_each(|error| sink.push(error));
            columns.filter(|_| found)
        });
        let (Some(table), Some(columns)) = (table, found) else {
            self.rows.complete = false;
            return None;
        };
        Some((table, columns))
    }

    /// Returns the index of `path` in the ledger's files.
    fn file_id(&self, path: &Path) -> FileId {
        let file = self
            .files
            .iter()
            .position(|f| f == path)
            .unwrap_or_default();
        FileId::try_from(file).unwrap_or(FileId::MAX)
    }

    /// Reads every row of a file with `read`, which returns `None` when it
    /// could not read the ids of a row.
    fn rows<C, T>(
        &mut self,
        path: &Path,
        sink: &mut ErrorSink,
        columns: impl FnOnce(&mut Finder) -> Option<C>,
        mut read: impl FnMut(&Row, &C, &mut ErrorSink) -> Option<T>,
    ) -> Vec<T> {
        let Some((mut table, columns)) = self.open(path, sink, columns) else {
            return Vec::new();
        };
        let mut rows = Vec::new();
        table.for_each_row(sink, |row, sink| {
            let found = read(row, &columns, sink);
            let ids_read = found.is_some();
            rows.extend(found);
            ids_read
        });
        self.rows.complete &= table.unread_rows == 0;
        rows
    }

    /// [`Reader::rows`] of an optional file; no rows when it is not read.
    fn optional_rows<C, T>(
        &mut self,
        file: &OptionalFile,
        sink: &mut ErrorSink,
        columns: impl FnOnce(&mut Finder) -> Option<C>,
        read: impl FnMut(&Row, &C, &mut ErrorSink) -> Option<T>,
    ) -> Vec<T> {
        if !self.files.contains(&file.path) {
            return Vec::new();
        }
        self.rows(&file.path, sink, columns, read)
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

    fn payments(&mut self, mapping: &PaymentColumns, sink: &mut ErrorSink) {
        let cells = self.manifest.cells();
        let payments = self.rows(
            &mapping.path,
            sink,
            |find| {
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
            },
            |row, columns, sink| payment(row, columns, cells, sink),
        );
        self.rows.payments.extend(payments);
    }
}

/// Replaces the errors of the columns missing from a header read as one
/// column with one error about the delimiter, since they all come from it.
fn replace_with_delimiter_error(table: &Table, errors: Vec<LedgerError>) -> Vec<LedgerError> {
    let missing: Vec<&str> = (errors.iter())
        .filter(|error| error.kind == LedgerErrorKind::MissingColumn)
        .filter_map(|error| error.column.as_deref())
        .collect();
    if missing.is_empty() {
        return errors;
    }
    match table.wrong_delimiter(&missing) {
        Some(error) => vec![error],
        None => errors,
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
}

struct PaymentColumnsFound {
    id: Column,
    client: Column,
    date: Column,
    amount: Column,
    currency: Option<Column>,
    invoice: Option<Column>,
}

const NEGATIVE_PAYMENT_HELP: &str = "a payment is always positive: the amount received; \
                                     correct the amount, or remove a row that reverses another payment";

fn payment(
    row: &Row,
    columns: &PaymentColumnsFound,
    cells: &CellFormat,
    sink: &mut ErrorSink,
) -> Option<PaymentRow> {
    let id = sink.ok(row.required(&columns.id));
    let client = sink.ok(row.required(&columns.client));
    let data = DatedAmount::read(
        row,
        [&columns.date, &columns.amount],
        columns.currency.as_ref(),
        cells,
        NEGATIVE_PAYMENT_HELP,
        sink,
    );
    Some(PaymentRow {
        id: id?.to_string(),
        client: client?.to_string(),
        invoice: row.optional(columns.invoice.as_ref()).map(str::to_string),
        origin: row.origin,
        data,
    })
}
