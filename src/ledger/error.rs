//! Errors raised while loading a ledger. Each names the file, the line and the
//! column of the bad cell, and says what to do about it.

use std::fmt;
use std::path::PathBuf;

/// What went wrong with a ledger file or row.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LedgerErrorKind {
    /// A file is missing or unreadable.
    Io,
    /// The manifest is not valid TOML or does not describe a ledger.
    Manifest,
    /// A required column is absent from a file's header.
    MissingColumn,
    /// A row is malformed: wrong field count, bad quoting, invalid UTF-8.
    MalformedRow,
    /// A required cell is empty.
    EmptyCell,
    InvalidDate,
    InvalidAmount,
    InvalidBoolean,
    InvalidCurrency,
    /// A rate, a percent or a number of days is not a number of the
    /// expected form or range.
    InvalidNumber,
    /// A cell holds a value outside its allowed set, such as a document
    /// kind, payment terms or a terms code.
    InvalidValue,
    /// Two rows share an id that must be unique, or two rates share their
    /// currency and date.
    DuplicateId,
    /// A row refers to a client, invoice or document that does not exist.
    UnknownReference,
    /// Rows that must agree do not, such as a due date before its invoice
    /// date, instalments that do not add up to their invoice, or a payment
    /// in another currency than its invoice.
    Inconsistent,
}

/// One problem found while loading a ledger.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LedgerError {
    pub kind: LedgerErrorKind,
    pub file: PathBuf,
    /// 1-based line of the row, counting the header as line 1.
    pub line: Option<u32>,
    /// The column's name as the file's header spells it.
    pub column: Option<String>,
    /// What is wrong, quoting the offending value.
    pub message: String,
    /// What to do about it.
    pub help: Option<String>,
}

impl fmt::Display for LedgerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file.display())?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
        }
        if let Some(column) = &self.column {
            write!(f, ": column `{column}`")?;
        }
        write!(f, ": {}", self.message)
    }
}

impl std::error::Error for LedgerError {}

impl miette::Diagnostic for LedgerError {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new("solvent::ledger"))
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.help
            .as_ref()
            .map(|help| Box::new(help) as Box<dyn fmt::Display>)
    }
}

/// Every problem found in a ledger, in file and line order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LedgerErrors(pub Vec<LedgerError>);

impl fmt::Display for LedgerErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0.len() {
            1 => write!(f, "the ledger has 1 error"),
            count if count >= MAX_ERRORS => write!(
                f,
                "the ledger has at least {count} errors; loading stopped there, so fix these and load again"
            ),
            count => write!(f, "the ledger has {count} errors"),
        }
    }
}

impl std::error::Error for LedgerErrors {}

impl miette::Diagnostic for LedgerErrors {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new("solvent::ledger"))
    }

    /// Each error in turn, so a miette report renders all of them.
    fn related<'a>(&'a self) -> Option<Box<dyn Iterator<Item = &'a dyn miette::Diagnostic> + 'a>> {
        Some(Box::new(
            self.0.iter().map(|error| error as &dyn miette::Diagnostic),
        ))
    }
}

impl LedgerError {
    /// An error about a whole file; add the line, column and help with the
    /// `at_line`, `in_column` and `with_help` methods.
    pub fn new(
        kind: LedgerErrorKind,
        file: impl Into<PathBuf>,
        message: impl Into<String>,
    ) -> Self {
        LedgerError {
            kind,
            file: file.into(),
            line: None,
            column: None,
            message: message.into(),
            help: None,
        }
    }

    pub fn at_line(mut self, line: u32) -> Self {
        self.line = Some(line);
        self
    }

    pub fn in_column(mut self, column: impl Into<String>) -> Self {
        self.column = Some(column.into());
        self
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
}

/// The most errors one load reports. Past it the loader stops reading: a file
/// with thousands of bad rows usually has one cause, visible in the first ones.
pub const MAX_ERRORS: usize = 100;

/// Collects the errors of one load, up to [`MAX_ERRORS`].
#[derive(Debug, Default)]
pub(super) struct ErrorSink {
    errors: Vec<LedgerError>,
}

impl ErrorSink {
    pub(super) fn push(&mut self, error: LedgerError) {
        if !self.is_full() {
            self.errors.push(error);
        }
    }

    /// Records the errors of another sink after this one's, up to the limit.
    pub(super) fn absorb(&mut self, other: ErrorSink) {
        for error in other.errors {
            self.push(error);
        }
    }

    /// The value of `result`, or `None` after recording its error.
    pub(super) fn ok<T>(&mut self, result: Result<T, LedgerError>) -> Option<T> {
        result.map_err(|error| self.push(error)).ok()
    }

    pub(super) fn is_full(&self) -> bool {
        self.errors.len() >= MAX_ERRORS
    }

    pub(super) fn is_empty(&self) -> bool {
        self.errors.is_empty()
    }

    /// The errors sorted by file, in the order of `files` (any other file, such
    /// as the manifest, first), then by line; `Ok` when there are none.
    pub(super) fn finish(self, files: &[PathBuf]) -> Result<(), LedgerErrors> {
        if self.errors.is_empty() {
            return Ok(());
        }
        let mut errors = self.errors;
        let rank = |error: &LedgerError| files.iter().position(|file| *file == error.file);
        errors.sort_by_key(|error| (rank(error), error.line));
        Err(LedgerErrors(errors))
    }
}
