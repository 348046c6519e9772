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
    /// A cell holds a value outside its allowed set, such as a document kind.
    InvalidValue,
    /// Two rows share an id that must be unique.
    DuplicateId,
    /// A row refers to a client, invoice or document that does not exist.
    UnknownReference,
    /// Rows that must agree do not, such as a due date before its invoice date
    /// or two values of one client column for the same client.
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
            count => write!(f, "the ledger has {count} errors"),
        }
    }
}

impl std::error::Error for LedgerErrors {}
