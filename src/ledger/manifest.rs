//! The `ledger.toml` manifest that maps an export's files and columns onto the model.
//!
//! Every key is optional and defaults to the native ledger: the native file
//! names, the native column names and the native cell format. A native folder
//! is loaded through [`Manifest::native`], the manifest with no keys at all, so
//! there is one loader. `docs/ledger.md` documents every key.

mod invoices;
mod optional;
mod raw;

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::{Path, PathBuf};

use toml::Spanned;

use super::encoding::Encoding;
use super::error::{LedgerError, LedgerErrorKind, LedgerErrors};
use super::format::{CellFormat, describe_char};
use super::model::OnAccountOrder;
use raw::{Key, RawClients, RawFormat, RawManifest, RawPayments};

pub(super) use invoices::{InvoiceColumns, NegativeAmounts, TermsRules, method_hint};
pub(super) use optional::{
    CreditNoteColumns, FixedRate, HoldColumns, InstalmentColumns, OptionalFile, OrderColumns,
    PromiseColumns, RateColumns, ReferenceRateColumns,
};

/// A parsed and checked manifest: where each file is, which column holds each
/// model field, and how cells are written.
#[derive(Clone, Debug)]
pub struct Manifest {
    /// The `ledger.toml` file; `None` for a native folder.
    path: Option<PathBuf>,
    delimiter: u8,
    encoding: Encoding,
    cells: CellFormat,
    pub(super) clients: ClientSource,
    pub(super) invoices: InvoiceColumns,
    pub(super) credit_notes: CreditNoteColumns,
    pub(super) instalments: InstalmentColumns,
    pub(super) payments: PaymentSource,
    pub(super) orders: OrderColumns,
    pub(super) holds: HoldColumns,
    pub(super) promises: PromiseColumns,
    pub(super) rates: RateColumns,
    /// Rates valid at every date, from `[rates.fixed]`.
    pub(super) fixed_rates: Vec<FixedRate>,
    pub(super) reference_rates: ReferenceRateColumns,
    on_account: OnAccountOrder,
}

/// The column a manifest key names, e.g. `invoices.due_date = "DueDate"`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Mapping {
    /// The manifest key, such as `invoices.due_date`, for help texts.
    pub key: String,
    /// The column name as the header spells it.
    pub name: String,
    /// Whether the manifest names the column, rather than the default applying.
    pub explicit: bool,
}

#[derive(Clone, Debug)]
pub(super) enum ClientSource {
    /// A clients file with one row per client.
    File {
        path: PathBuf,
        id: Mapping,
        name: Mapping,
        /// Custom fields as (field name, column), or `None` for "every column
        /// other than the id and the name, named as in the header".
        fields: Option<Vec<(String, Mapping)>>,
    },
    /// One client per distinct client id of the invoices file.
    Invoices {
        /// Read only when the manifest names it.
        name: Option<Mapping>,
        fields: Vec<(String, Mapping)>,
    },
}

#[derive(Clone, Debug)]
pub(super) enum PaymentSource {
    File(Box<PaymentColumns>),
    /// Each invoice paid in full, once, on the date in this column.
    Invoices {
        settled_date: Mapping,
    },
}

#[derive(Clone, Debug)]
pub(super) struct PaymentColumns {
    pub path: PathBuf,
    pub id: Mapping,
    pub client: Mapping,
    pub date: Mapping,
    pub amount: Mapping,
    pub currency: Mapping,
    pub invoice: Mapping,
}

impl Manifest {
    /// Reads and checks a `ledger.toml`. File paths in it are relative to its folder.
    pub fn from_path(path: &Path) -> Result<Manifest, LedgerErrors> {
        let text = std::fs::read_to_string(path).map_err(|error| {
            LedgerErrors(vec![
                LedgerError::new(
                    LedgerErrorKind::Io,
                    path,
                    format!("cannot read the manifest: {error}"),
                )
                .with_help("check the path; a manifest is a UTF-8 TOML file such as ledger.toml"),
            ])
        })?;
        Manifest::parse(&text, path)
    }

    /// Parses the text of a manifest stored at `path`, which locates the data
    /// files and is named in errors; the file itself is not read.
    pub fn parse(text: &str, path: &Path) -> Result<Manifest, LedgerErrors> {
        let raw: RawManifest = toml::from_str(text)
            .map_err(|error| LedgerErrors(vec![syntax_error(&error, text, path)]))?;
        let base = path.parent().unwrap_or(Path::new(""));
        let mut resolver = Resolver {
            text,
            manifest: Some(path),
            base,
            errors: Vec::new(),
        };
        let manifest = resolver.manifest(raw);
        if resolver.errors.is_empty() {
            return Ok(manifest);
        }
        let mut errors = resolver.errors;
        errors.sort_by_key(|error| error.line);
        Err(LedgerErrors(errors))
    }

    /// The manifest of a native ledger folder: every key at its default.
    pub fn native(folder: &Path) -> Manifest {
        let mut resolver = Resolver {
            text: "",
            manifest: None,
            base: folder,
            errors: Vec::new(),
        };
        let manifest = resolver.manifest(RawManifest::default());
        debug_assert!(
            resolver.errors.is_empty(),
            "the defaults are a valid manifest"
        );
        manifest
    }

    /// The `ledger.toml` this manifest was read from; `None` for a native folder.
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// How the export writes dates, decimals and yes/no values.
    pub fn cells(&self) -> &CellFormat {
        &self.cells
    }

    /// The field separator of the CSV files, one ASCII byte.
    pub fn delimiter(&self) -> u8 {
        self.delimiter
    }

    /// Returns the character encoding of the CSV files.
    pub fn encoding(&self) -> Encoding {
        self.encoding
    }

    /// The order in which payments on account settle open items.
    pub fn on_account(&self) -> OnAccountOrder {
        self.on_account
    }

    /// Lists the files the ledger reads, each once, in reading order: clients,
    /// invoices, credit notes, instalments, payments, orders, holds,
    /// promises, rates and reference rates. An optional file that the
    /// manifest does not name is left out when it does not exist. The
    /// manifest itself comes last when it gives fixed exchange rates, since
    /// those are rows of the ledger too.
    pub fn data_files<'a>(&'a self) -> Vec<PathBuf> {
        let clients = match &self.clients {
            ClientSource::File { path, .. } => Some(path),
            ClientSource::Invoices { .. } => None,
        };
        let payments = match &self.payments {
            PaymentSource::File(columns) => Some(&columns.path),
            PaymentSource::Invoices { .. } => None,
        };
        let present = |file: &'a OptionalFile| file.is_read().then_some(&file.path);
        let fixed_rates = self.path.as_ref().filter(|_| !self.fixed_rates.is_empty());
        let candidates = [
            clients,
            Some(&self.invoices.path),
            present(&self.credit_notes.file),
            present(&self.instalments.file),
            payments,
            present(&self.orders.file),
            present(&self.holds.file),
            present(&self.promises.file),
            present(&self.rates.file),
            present(&self.reference_rates.file),
            fixed_rates,
        ];
        let mut files: Vec<PathBuf> = Vec::with_capacity(candidates.len());
        for path in candidates.into_iter().flatten() {
            if !files.contains(path) {
                files.push(path.clone());
            }
        }
        files
    }
}

/// The only value `clients.from` and `payments.from` accept.
const FROM_INVOICES: &str = "invoices";

/// Turns the raw keys into a [`Manifest`], collecting every problem.
struct Resolver<'a> {
    /// The manifest text, to turn spans into lines; empty for a native folder.
    text: &'a str,
    manifest: Option<&'a Path>,
    /// The folder data file paths are relative to.
    base: &'a Path,
    errors: Vec<LedgerError>,
}

impl Resolver<'_> {
    fn manifest(&mut self, raw: RawManifest) -> Manifest {
        let (delimiter, encoding, cells) = self.format(raw.format);
        let invoices = self.invoices(raw.invoices);
        let clients = self.clients(raw.clients, &invoices.client);
        let payments = self.payments(raw.payments);
        let (rates, fixed_rates) = self.rates(raw.rates);
        Manifest {
            path: self.manifest.map(Path::to_path_buf),
            delimiter,
            encoding,
            cells,
            clients,
            invoices,
            credit_notes: self.credit_notes(raw.credit_notes),
            instalments: self.instalments(raw.instalments),
            payments,
            orders: self.orders(raw.orders),
            holds: self.holds(raw.holds),
            promises: self.promises(raw.promises),
            rates,
            fixed_rates,
            reference_rates: self.reference_rates(raw.reference_rates),
            on_account: self.on_account(raw.allocation.on_account),
        }
    }

    /// Reads `allocation.on_account`: `oldest-due-first`, the default, or
    /// `oldest-invoice-first`.
    fn on_account(&mut self, raw: Key) -> OnAccountOrder {
        let Some(raw) = raw else {
            return OnAccountOrder::OldestDueFirst;
        };
        match raw.get_ref().as_str() {
            "oldest-due-first" => OnAccountOrder::OldestDueFirst,
            "oldest-invoice-first" => OnAccountOrder::OldestInvoiceFirst,
            other => {
                self.error(
                    Some(raw.span()),
                    format!("allocation.on_account `{other}` is not an option"),
                    "write \"oldest-due-first\" (the default) or \"oldest-invoice-first\"",
                );
                OnAccountOrder::OldestDueFirst
            }
        }
    }

    fn format(&mut self, raw: RawFormat) -> (u8, Encoding, CellFormat) {
        let defaults = CellFormat::default();
        let delimiter = self.delimiter(raw.delimiter);
        let encoding = self.encoding(raw.encoding);
        let decimal_separator = self
            .separator("format.decimal_separator", raw.decimal_separator)
            .unwrap_or(defaults.decimal_separator);
        let thousands_separator =
            self.separator("format.thousands_separator", raw.thousands_separator);
        let cells = CellFormat {
            date_format: raw
                .date_format
                .map_or(defaults.date_format, Spanned::into_inner),
            decimal_separator,
            thousands_separator,
            true_values: raw
                .true_values
                .map_or(defaults.true_values, Spanned::into_inner),
            false_values: raw
                .false_values
                .map_or(defaults.false_values, Spanned::into_inner),
        };
        self.check_cells(&cells);
        (delimiter, encoding, cells)
    }

    fn encoding(&mut self, raw: Key) -> Encoding {
        let Some(raw) = raw else {
            return Encoding::default();
        };
        if let Some(encoding) = Encoding::from_name(raw.get_ref()) {
            return encoding;
        }
        let [utf8, windows, latin] = Encoding::NAMES;
        let mut help = format!("write \"{utf8}\", \"{windows}\" or \"{latin}\"");
        if let Some(close) = Encoding::suggest(raw.get_ref()) {
            help.push_str(&format!("; did you mean \"{}\"?", close.name()));
        }
        self.error(
            Some(raw.span()),
            format!(
                "format.encoding `{}` is not a supported encoding",
                raw.get_ref()
            ),
            help,
        );
        Encoding::default()
    }

    fn delimiter(&mut self, raw: Key) -> u8 {
        let Some(raw) = raw else { return b',' };
        let span = Some(raw.span());
        let help = "write the character that separates the cells, such as \";\" or \"\\t\"; \
                    it cannot be a quote or a line break";
        let written = describe_chars(raw.get_ref());
        let problem = match raw.get_ref().as_bytes() {
            [b'"' | b'\r' | b'\n'] => "is a quote or a line break",
            [byte] if byte.is_ascii() => return *byte,
            _ => "is not one ASCII character",
        };
        self.error(
            span,
            format!("format.delimiter ({written}) {problem}"),
            help,
        );
        b','
    }

    fn separator(&mut self, key: &str, raw: Key) -> Option<char> {
        let raw = raw?;
        let mut chars = raw.get_ref().chars();
        match (chars.next(), chars.next()) {
            (Some(c), None) if !c.is_ascii_digit() && c != '-' => Some(c),
            _ => {
                self.error(
                    Some(raw.span()),
                    format!(
                        "{key} ({}) is not one character",
                        describe_chars(raw.get_ref())
                    ),
                    "write a single character other than a digit or `-`, such as \",\" or \" \"",
                );
                None
            }
        }
    }

    fn check_cells(&mut self, cells: &CellFormat) {
        if Some(cells.decimal_separator) == cells.thousands_separator {
            self.error(
                None,
                format!(
                    "format.decimal_separator and format.thousands_separator are both {}",
                    describe_char(cells.decimal_separator)
                ),
                "the two separators must differ, such as \",\" for decimals and \" \" for thousands",
            );
        }
        if !cells.date_format_round_trips() {
            self.error(
                None,
                format!(
                    "format.date_format `{}` does not describe a date",
                    cells.date_format
                ),
                "write a chrono pattern with a year, a month and a day, such as \"%Y-%m-%d\" \
                 or \"%d/%m/%Y\"; see https://docs.rs/chrono/latest/chrono/format/strftime/",
            );
        }
        self.check_booleans(cells);
    }

    fn check_booleans(&mut self, cells: &CellFormat) {
        for (key, values) in [
            ("format.true_values", &cells.true_values),
            ("format.false_values", &cells.false_values),
        ] {
            if values.is_empty() {
                self.error(
                    None,
                    format!("{key} is an empty list"),
                    "list at least one word, such as [\"Yes\"]",
                );
            }
        }
        if let Some(both) = cells
            .true_values
            .iter()
            .find(|v| cells.false_values.contains(v))
        {
            self.error(
                None,
                format!("`{both}` is in both format.true_values and format.false_values"),
                "a word can mean yes or no, not both; remove it from one list",
            );
        }
    }

    fn clients(&mut self, raw: RawClients, invoice_client: &Mapping) -> ClientSource {
        let Some(from) = raw.from else {
            return ClientSource::File {
                path: self.file("clients.file", raw.file, "clients.csv"),
                id: self.mapping("clients.id", raw.id, "id"),
                name: self.mapping("clients.name", raw.name, "name"),
                fields: raw.fields.map(|fields| self.fields(fields)),
            };
        };
        self.check_from("clients", &from, raw.file.as_ref());
        if let Some(id) = raw.id.filter(|id| *id.get_ref() != invoice_client.name) {
            self.error(
                Some(id.span()),
                format!(
                    "clients.id `{}` differs from invoices.client `{}`",
                    id.get_ref(),
                    invoice_client.name
                ),
                "with clients.from = \"invoices\" the client id is the invoices' client column: \
                 remove clients.id or make it equal to invoices.client",
            );
        }
        ClientSource::Invoices {
            name: raw
                .name
                .map(|name| self.mapping("clients.name", Some(name), "name")),
            fields: raw
                .fields
                .map(|fields| self.fields(fields))
                .unwrap_or_default(),
        }
    }

    fn fields(
        &mut self,
        raw: BTreeMap<Spanned<String>, Spanned<String>>,
    ) -> Vec<(String, Mapping)> {
        let mut fields = Vec::with_capacity(raw.len());
        for (field, column) in raw {
            if field.get_ref().trim().is_empty() {
                self.error(
                    Some(field.span()),
                    "clients.fields has a field with an empty name".to_string(),
                    "name the field as the policy will read it, such as country = \"countryCode\"",
                );
                continue;
            }
            let key = format!("clients.fields.{}", field.get_ref());
            let mapping = self.mapping(&key, Some(column), "");
            fields.push((field.into_inner(), mapping));
        }
        fields
    }

    fn payments(&mut self, raw: RawPayments) -> PaymentSource {
        let Some(from) = raw.from else {
            if let Some(settled) = raw.settled_date {
                self.error(
                    Some(settled.span()),
                    "payments.settled_date is set without payments.from = \"invoices\"".to_string(),
                    "settled_date derives one payment per invoice; add from = \"invoices\" and \
                     remove payments.file, or remove settled_date",
                );
            }
            return PaymentSource::File(Box::new(PaymentColumns {
                path: self.file("payments.file", raw.file, "payments.csv"),
                id: self.mapping("payments.id", raw.id, "id"),
                client: self.mapping("payments.client", raw.client, "client"),
                date: self.mapping("payments.date", raw.date, "date"),
                amount: self.mapping("payments.amount", raw.amount, "amount"),
                currency: self.mapping("payments.currency", raw.currency, "currency"),
                invoice: self.mapping("payments.invoice", raw.invoice, "invoice"),
            }));
        };
        self.check_from("payments", &from, raw.file.as_ref());
        let unused = [
            ("id", &raw.id),
            ("client", &raw.client),
            ("date", &raw.date),
            ("amount", &raw.amount),
            ("currency", &raw.currency),
            ("invoice", &raw.invoice),
        ];
        for (key, value) in unused {
            if let Some(value) = value {
                self.error(
                    Some(value.span()),
                    format!("payments.{key} has no effect with payments.from = \"invoices\""),
                    "payments derived from invoices take their id, client, amount and currency \
                     from the invoice and their date from settled_date; remove the key",
                );
            }
        }
        PaymentSource::Invoices {
            settled_date: self.mapping("payments.settled_date", raw.settled_date, "settled_date"),
        }
    }

    /// Checks `from = "invoices"` and that `file` is not given as well.
    fn check_from(
        &mut self,
        section: &str,
        from: &Spanned<String>,
        file: Option<&Spanned<String>>,
    ) {
        if from.get_ref() != FROM_INVOICES {
            self.error(
                Some(from.span()),
                format!("{section}.from `{}` is not a source", from.get_ref()),
                format!("the only source is from = \"{FROM_INVOICES}\"; or give {section}.file"),
            );
        }
        if let Some(file) = file {
            self.error(
                Some(file.span()),
                format!("{section} has both file and from"),
                format!("read {section} either from a file or from the invoices; remove one key"),
            );
        }
    }

    fn file(&mut self, key: &str, raw: Key, default: &str) -> PathBuf {
        let mapping = self.mapping(key, raw, default);
        self.base.join(mapping.name)
    }

    fn mapping(&mut self, key: &str, raw: Key, default: &str) -> Mapping {
        let Some(raw) = raw else {
            return Mapping {
                key: key.to_string(),
                name: default.to_string(),
                explicit: false,
            };
        };
        if raw.get_ref().trim().is_empty() {
            self.error(
                Some(raw.span()),
                format!("{key} is empty"),
                "name a column as the file's header spells it, or remove the key for the default",
            );
        }
        Mapping {
            key: key.to_string(),
            name: raw.get_ref().trim().to_string(),
            explicit: true,
        }
    }

    fn error(&mut self, span: Option<Range<usize>>, message: String, help: impl Into<String>) {
        let file = self.manifest.unwrap_or(self.base);
        let mut error = LedgerError::new(LedgerErrorKind::Manifest, file, message).with_help(help);
        if let Some(span) = span {
            error = error.at_line(line_of(self.text, span.start));
        }
        self.errors.push(error);
    }
}

/// A TOML or schema error from the `toml` crate, located and explained.
fn syntax_error(error: &toml::de::Error, text: &str, path: &Path) -> LedgerError {
    let offset = error.span().map(|span| span.start);
    let (message, help) = unknown_key(error.message(), text, offset).unwrap_or_else(|| {
        let help = "see docs/ledger.md for the manifest's sections, keys and their types";
        (error.message().trim().to_string(), help.to_string())
    });
    let located = LedgerError::new(LedgerErrorKind::Manifest, path, message).with_help(help);
    match offset {
        Some(offset) => located.at_line(line_of(text, offset)),
        None => located,
    }
}

/// Rewords serde's "unknown field `x`, expected `a` or `b`" as an unknown key
/// of its table, with the closest accepted key and the list of them.
fn unknown_key(message: &str, text: &str, offset: Option<usize>) -> Option<(String, String)> {
    let rest = message.strip_prefix("unknown field `")?;
    let (key, expected) = rest.split_once('`')?;
    let accepted: Vec<&str> = expected.split('`').skip(1).step_by(2).collect();
    let table = offset.and_then(|offset| table_header_before(text, offset));
    let (message, accepts) = match table {
        Some(table) => (
            format!("unknown key `{key}` in {table}"),
            format!("{table} accepts"),
        ),
        None => (
            format!("unknown key `{key}`"),
            "the manifest's sections are".to_string(),
        ),
    };
    let closest = (accepted.iter())
        .map(|candidate| (strsim::jaro_winkler(key, candidate), candidate))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0));
    let mut help = match closest {
        Some((_, candidate)) => format!("did you mean `{candidate}`? "),
        None => format!("remove `{key}` or correct its spelling; "),
    };
    help.push_str(&format!("{accepts} {}", accepted.join(", ")));
    Some((message, help))
}

/// The `[table]` header of the line holding `offset`, if the key sits in one.
fn table_header_before(text: &str, offset: usize) -> Option<&str> {
    let line_start = text
        .get(..offset)?
        .rfind('\n')
        .map_or(0, |newline| newline + 1);
    let before = text.get(..line_start)?;
    let header = before
        .lines()
        .rev()
        .map(str::trim)
        .find(|line| line.starts_with('['))?;
    Some(&header[..header.find(']').map_or(header.len(), |end| end + 1)])
}

/// The 1-based line of a byte offset in `text`.
fn line_of(text: &str, offset: usize) -> u32 {
    let before = &text.as_bytes()[..offset.min(text.len())];
    let newlines = before.iter().filter(|&&byte| byte == b'\n').count();
    u32::try_from(newlines + 1).unwrap_or(u32::MAX)
}

/// Writes a manifest value character by character, naming the invisible
/// and look-alike ones: `’’` reads "`’` U+2019 right single quotation mark,
/// twice" would be ambiguous, so each character is listed.
fn describe_chars(text: &str) -> String {
    let written: Vec<String> = text.chars().map(describe_char).collect();
    match written.is_empty() {
        true => "empty".to_string(),
        false => written.join(", "),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::terms::{EndOfMonthMethod, PaymentTerms};

    fn parse(text: &str) -> Result<Manifest, LedgerErrors> {
        Manifest::parse(text, Path::new("export/ledger.toml"))
    }

    fn single_error(text: &str) -> LedgerError {
        let mut errors = parse(text).expect_err("the manifest should be refused").0;
        assert_eq!(errors.len(), 1, "{errors:#?}");
        errors.remove(0)
    }

    #[test]
    fn an_empty_manifest_is_the_native_ledger() {
        let manifest = parse("").unwrap();
        assert_eq!(manifest.cells(), &CellFormat::default());
        assert_eq!(manifest.delimiter(), b',');
        assert_eq!(
            manifest.data_files(),
            ["clients.csv", "invoices.csv", "payments.csv"].map(|f| Path::new("export").join(f))
        );
        assert_eq!(manifest.invoices.due_date.name, "due_date");
        assert!(!manifest.invoices.due_date.explicit);
        assert_eq!(
            Manifest::native(Path::new("export")).data_files(),
            manifest.data_files()
        );
    }

    #[test]
    fn reads_format_and_derived_sources() {
        let manifest = parse(
            r#"
            [format]
            delimiter = ";"
            date_format = "%d/%m/%Y"
            decimal_separator = ","
            thousands_separator = " "
            true_values = ["Oui"]
            false_values = ["Non", ""]

            [clients]
            from = "invoices"
            fields = { country = "Pays" }

            [invoices]
            file = "factures.csv"
            client = "Client"

            [payments]
            from = "invoices"
            settled_date = "Reglee"
            "#,
        )
        .unwrap();
        assert_eq!(manifest.delimiter(), b';');
        assert_eq!(manifest.cells().thousands_separator, Some(' '));
        assert_eq!(manifest.data_files(), [Path::new("export/factures.csv")]);
        let ClientSource::Invoices { name, fields } = &manifest.clients else {
            panic!("clients should come from the invoices");
        };
        assert_eq!(name, &None);
        assert_eq!(fields[0].0, "country");
        assert_eq!(fields[0].1.name, "Pays");
        assert!(matches!(manifest.payments, PaymentSource::Invoices { .. }));
    }

    #[test]
    fn unknown_keys_are_named_with_a_suggestion() {
        let error = single_error("[format]\ndelimiter = \";\"\ndelimeter = \",\"\n");
        assert_eq!(error.kind, LedgerErrorKind::Manifest);
        assert_eq!(error.line, Some(3));
        assert_eq!(error.message, "unknown key `delimeter` in [format]");
        assert!(
            error
                .help
                .unwrap()
                .starts_with("did you mean `delimiter`? [format] accepts")
        );

        let error = single_error("[payment]\nfile = \"p.csv\"\n");
        assert_eq!(
            (error.line, error.message.as_str()),
            (Some(1), "unknown key `payment`")
        );
        assert!(error.help.unwrap().contains("did you mean `payments`?"));

        let error = single_error(
            "[clients.fields]\nx = \"X\"\n[clients]\nfrom = \"invoices\"\nsettled = 1\n",
        );
        assert_eq!(error.message, "unknown key `settled` in [clients]");
    }

    #[test]
    fn wrong_types_and_bad_toml_are_located() {
        let error = single_error("[format]\n\ndelimiter = 3\n");
        assert_eq!(error.line, Some(3));
        let error = single_error("[format\n");
        assert_eq!(error.kind, LedgerErrorKind::Manifest);
        assert_eq!(error.line, Some(1));
    }

    #[test]
    fn refuses_meaningless_formats() {
        let error = single_error("[format]\ndelimiter = \";;\"\n");
        assert!(error.message.contains("not one ASCII character"));
        let error = single_error("[format]\ndate_format = \"%Y-%m\"\n");
        assert!(error.message.contains("does not describe a date"));
        let error =
            single_error("[format]\ndecimal_separator = \",\"\nthousands_separator = \",\"\n");
        assert!(error.message.contains("both `,`"));
        let error = single_error("[format]\ntrue_values = [\"Y\"]\nfalse_values = [\"Y\"]\n");
        assert!(error.message.contains("in both"));
    }

    #[test]
    fn names_invisible_and_look_alike_separators() {
        let error = single_error("[format]\ndelimiter = \"\\u00a0\"\n");
        assert_eq!(
            error.message,
            "format.delimiter (U+00A0 no-break space) is not one ASCII character"
        );
        let error = single_error("[format]\nthousands_separator = \"\u{2019}\u{2019}\"\n");
        assert_eq!(
            error.message,
            "format.thousands_separator (`\u{2019}` U+2019 right single quotation mark, \
             `\u{2019}` U+2019 right single quotation mark) is not one character"
        );
        let error = single_error("[format]\ndelimiter = \"\"\n");
        assert!(error.message.contains("(empty)"), "{}", error.message);
        let error = single_error("[format]\ndelimiter = \"\\\"\"\n");
        assert_eq!(
            error.message,
            "format.delimiter (`\"`) is a quote or a line break"
        );
    }

    #[test]
    fn refuses_conflicting_sources() {
        let error = single_error("[clients]\nfile = \"c.csv\"\nfrom = \"invoices\"\n");
        assert_eq!(error.line, Some(2));
        assert!(error.message.contains("both file and from"));
        let error = single_error("[payments]\nfrom = \"orders\"\n");
        assert!(error.message.contains("is not a source"));
        let error = single_error("[payments]\nfrom = \"invoices\"\namount = \"Amt\"\n");
        assert!(error.message.contains("payments.amount has no effect"));
        let error = single_error("[payments]\nsettled_date = \"Paid\"\n");
        assert!(error.message.contains("without payments.from"));
        let error = single_error("[clients]\nfrom = \"invoices\"\nid = \"Cust\"\n");
        assert!(error.message.contains("differs from invoices.client"));
        let error = single_error("[invoices]\nid = \" \"\n");
        assert!(error.message.contains("invoices.id is empty"));
    }

    #[test]
    fn reads_invoice_options_and_encoding() {
        let manifest = parse(
            r#"
            [format]
            encoding = "windows-1252"

            [invoices]
            terms = "Conditions"
            negative_amounts = "credit-notes"
            end_of_month_method = "end-of-month-then-days"

            [invoices.terms_codes]
            45FM = "45 days end of month"
            "NET 30" = "30 days"
            "#,
        )
        .unwrap();
        assert_eq!(manifest.encoding(), Encoding::Windows1252);
        let invoices = &manifest.invoices;
        assert_eq!(invoices.terms.name, "Conditions");
        assert_eq!(invoices.negative_amounts, NegativeAmounts::CreditNotes);
        let rules = &invoices.terms_rules;
        assert_eq!(rules.method, Some(EndOfMonthMethod::EndOfMonthThenDays));
        assert_eq!(
            rules.codes.get("45FM"),
            Some(&PaymentTerms::EndOfMonthThenDays(45))
        );
        assert_eq!(rules.codes.get("NET 30"), Some(&PaymentTerms::Net(30)));
    }

    #[test]
    fn reads_fixed_rates_with_their_lines() {
        let manifest = parse("[rates.fixed]\nCHF = \"1.05\"\n\nUSD = \"0.92\"\n").unwrap();
        let fixed: Vec<_> = manifest
            .fixed_rates
            .iter()
            .map(|rate| (rate.currency.as_str(), rate.rate.to_string(), rate.line))
            .collect();
        assert_eq!(
            fixed,
            [
                ("CHF", "1.05".to_string(), 2),
                ("USD", "0.92".to_string(), 4)
            ]
        );
        assert_eq!(
            manifest.data_files().last().map(PathBuf::as_path),
            Some(Path::new("export/ledger.toml"))
        );
    }

    #[test]
    fn refuses_bad_fixed_rates() {
        let error = single_error("[rates.fixed]\nusd = \"0.92\"\n");
        assert_eq!(
            error.message,
            "rates.fixed key `usd` is not a currency code"
        );
        let error = single_error("[rates.fixed]\nUSD = 0.92\n");
        assert_eq!(error.message, "rates.fixed.USD is not a string");
        let error = single_error("[rates.fixed]\nUSD = \"0\"\n");
        assert_eq!(
            error.message,
            "rates.fixed.USD `0` is not a positive decimal number"
        );
        let error = single_error("[rates.fixed]\nUSD = \"0,92\"\n");
        assert_eq!(error.line, Some(2));
    }

    #[test]
    fn named_optional_files_are_always_read() {
        let manifest = parse("[orders]\nfile = \"commandes.csv\"\n").unwrap();
        assert_eq!(
            manifest.data_files(),
            [
                "clients.csv",
                "invoices.csv",
                "payments.csv",
                "commandes.csv"
            ]
            .map(|file| Path::new("export").join(file))
        );
        assert!(manifest.orders.file.explicit);
        assert!(!manifest.holds.file.explicit);
    }

    #[test]
    fn errors_are_sorted_by_line() {
        let errors = parse("[invoices]\nnegative_amounts = \"x\"\nend_of_month_method = \"y\"\n")
            .unwrap_err()
            .0;
        let lines: Vec<_> = errors.iter().map(|error| error.line).collect();
        assert_eq!(lines, [Some(2), Some(3)]);
    }
}
