//! The in-memory ledger. Loading builds it once; metrics and evaluation only read it.

use std::ops::Range;
use std::path::PathBuf;

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::format::CellFormat;
use crate::value::Currency;

/// Index into [`Ledger::files`].
pub type FileId = u16;
/// Index into [`Ledger::clients`].
pub type ClientId = u32;
/// Index into [`Ledger::invoices`].
pub type InvoiceId = u32;

/// The file and 1-based line a row was read from, kept for error messages.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RowOrigin {
    pub file: FileId,
    pub line: u32,
}

/// A loaded, validated ledger.
///
/// INVARIANT: clients are sorted by id; invoices are grouped by client in
/// client order and, within a client, sorted by (due date, invoice date, id);
/// payments are grouped by client and, within a client, sorted by (date, id).
/// Each [`Client`] holds the ranges of its invoices and payments.
#[derive(Debug, Clone)]
pub struct Ledger {
    /// The files rows came from, as given or resolved from the manifest.
    pub files: Vec<PathBuf>,
    /// How dates, decimals and yes/no cells are written in this export. Custom
    /// client fields are kept as text and parsed with it once a policy gives
    /// their types.
    pub cells: CellFormat,
    /// Names of the custom client columns, in the order of [`Client::fields`].
    pub field_names: Vec<String>,
    /// The header spelling of each custom column, parallel to
    /// [`Ledger::field_names`]; it differs where a manifest renames a column.
    pub field_columns: Vec<String>,
    pub clients: Vec<Client>,
    pub invoices: Vec<Invoice>,
    pub payments: Vec<Payment>,
}

#[derive(Debug, Clone)]
pub struct Client {
    pub id: String,
    pub name: Option<String>,
    /// Raw cells of the custom columns, parallel to [`Ledger::field_names`];
    /// an empty string is an empty cell.
    pub fields: Vec<String>,
    /// Where the custom cells were read; for clients derived from the
    /// invoices file, the first invoice row of the client.
    pub origin: RowOrigin,
    pub invoices: Range<InvoiceId>,
    pub payments: Range<u32>,
}

/// Whether a document adds to or reduces what the client owes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DocumentKind {
    Invoice,
    /// A credit note: its positive amount reduces the client's balance, and
    /// the referenced invoice's open amount when it names one.
    CreditNote,
}

#[derive(Debug, Clone)]
pub struct Invoice {
    pub id: String,
    pub client: ClientId,
    /// Issue date.
    pub date: NaiveDate,
    pub due_date: NaiveDate,
    /// Gross amount, always positive; [`Invoice::kind`] gives the sign.
    pub amount: Decimal,
    /// `None` when the file has no currency column or the cell is empty:
    /// the document is then in the policy's currency.
    pub currency: Option<Currency>,
    pub disputed: bool,
    pub kind: DocumentKind,
    /// The invoice a credit note applies to.
    pub reference: Option<InvoiceId>,
    pub origin: RowOrigin,
}

#[derive(Debug, Clone)]
pub struct Payment {
    pub id: String,
    pub client: ClientId,
    pub date: NaiveDate,
    /// Amount received, always positive.
    pub amount: Decimal,
    pub currency: Option<Currency>,
    /// The invoice the payment settles; `None` for a payment on account.
    pub invoice: Option<InvoiceId>,
    pub origin: RowOrigin,
}

impl Ledger {
    pub fn client_invoices(&self, client: &Client) -> &[Invoice] {
        &self.invoices[client.invoices.start as usize..client.invoices.end as usize]
    }

    pub fn client_payments(&self, client: &Client) -> &[Payment] {
        &self.payments[client.payments.start as usize..client.payments.end as usize]
    }

    /// Finds a client by id with a binary search over the sorted clients.
    pub fn client_by_id(&self, id: &str) -> Option<ClientId> {
        self.clients
            .binary_search_by(|client| client.id.as_str().cmp(id))
            .ok()
            .map(|index| index as ClientId)
    }

    /// The index of a custom client column, if the ledger has it.
    pub fn field_index(&self, name: &str) -> Option<usize> {
        self.field_names.iter().position(|field| field == name)
    }

    /// The path of a file, for error messages.
    pub fn file_path(&self, file: FileId) -> &std::path::Path {
        &self.files[file as usize]
    }
}
