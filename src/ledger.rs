//! The receivables ledger: clients, invoices, credit notes and payments, and
//! optionally instalments, open orders, dunning holds, promises to pay,
//! exchange rates and reference rates, loaded from CSV files.
//!
//! A ledger is either a native folder (`clients.csv`, `invoices.csv`,
//! `payments.csv` and the optional files, documented in `docs/ledger.md`) or
//! a `ledger.toml` manifest that maps another export's files and columns onto
//! the same model. Loading validates every row: a bad row is a
//! [`LedgerError`] with file, line and column, and no row is skipped.
//!
//! | file | holds |
//! |---|---|
//! | `model.rs` | the loaded [`Ledger`] and its sort order |
//! | `manifest.rs` | `ledger.toml`: files, column mappings, cell format, with one file per group of sections under `manifest/` |
//! | `encoding.rs` | the character encodings of the CSV files and their decoding |
//! | `format.rs` | [`CellFormat`]: parsing dates, decimals, yes/no cells |
//! | `load.rs` | [`Ledger::load`]: the steps below, in order |
//! | `table.rs` | one CSV file: header, columns, rows with their lines |
//! | `rows.rs` | each file's rows read into loose records, cell by cell (`rows/` for invoices and the optional files) |
//! | `cells.rs` | typed cells (date, amount, flag, currency, kind, percent) of a row |
//! | `derived.rs` | clients and payments made from the invoices file |
//! | `link.rs` | checks between rows: unique ids, known references, currencies, instalment sums, rates |
//! | `build.rs` | sorting the records into the model |
//! | `error.rs` | [`LedgerError`] and the capped error collector |

mod build;

/// The hash map of the loader's id lookups. Ids come from the company's own
/// export, so a fast hasher is safe here; SipHash took a fifth of the load.
type IdMap<K, V> = std::collections::HashMap<K, V, ahash::RandomState>;
mod cells;
mod derived;
mod encoding;
mod error;
mod format;
mod link;
mod load;
mod manifest;
mod model;
mod rows;
mod table;

pub use cells::MAX_AMOUNT;
pub use encoding::Encoding;
pub use error::{LedgerError, LedgerErrorKind, LedgerErrors, MAX_ERRORS};
pub use format::{CellError, CellFormat};
pub use manifest::Manifest;
pub use model::{
    Client, ClientId, DocumentKind, ExchangeRate, FileId, Hold, Instalment, InstalmentId, Invoice,
    InvoiceId, Ledger, OnAccountOrder, Order, Payment, Promise, ReferenceRate, RowOrigin,
};
