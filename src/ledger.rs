//! The receivables ledger: clients, invoices and payments loaded from CSV files.
//!
//! A ledger is either a native folder (`clients.csv`, `invoices.csv`,
//! `payments.csv`, documented in `docs/ledger.md`) or a `ledger.toml` manifest
//! that maps another export's files and columns onto the same model.
//! Loading validates every row: a bad row is a [`LedgerError`] with file,
//! line and column, and no row is skipped.

mod error;
mod format;
mod load;
mod manifest;
mod model;

pub use error::{LedgerError, LedgerErrorKind, LedgerErrors};
pub use format::{CellError, CellFormat};
pub use manifest::Manifest;
pub use model::{
    Client, ClientId, DocumentKind, FileId, Invoice, InvoiceId, Ledger, Payment, RowOrigin,
};
