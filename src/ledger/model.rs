//! The in-memory ledger. Loading builds it once; metrics and evaluation only read it.

use std::ops::Range;
use std::path::PathBuf;

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::format::CellFormat;
use crate::terms::PaymentTerms;
use crate::value::Currency;

/// Index into [`Ledger::files`].
pub type FileId = u16;
/// Index into [`Ledger::clients`].
pub type ClientId = u32;
/// Index into [`Ledger::invoices`].
pub type InvoiceId = u32;
/// Index into [`Ledger::instalments`].
pub type InstalmentId = u32;

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
    /// The files rows came from, as given or resolved from the manifest, in
    /// reading order. The manifest itself comes last when it gives fixed
    /// exchange rates, which are rows of the ledger too.
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
    /// Instalments of split invoices, grouped by invoice in invoice order and
    /// sorted by due date within an invoice.
    pub instalments: Vec<Instalment>,
    /// Open sales orders, grouped by client, sorted by (date, id) within one.
    pub orders: Vec<Order>,
    /// Dunning holds, grouped by client, sorted by (until, line) within one.
    pub holds: Vec<Hold>,
    /// Promises to pay, grouped by client, sorted by (promised date, line).
    pub promises: Vec<Promise>,
    /// Exchange rates, sorted by (currency, date).
    pub rates: Vec<ExchangeRate>,
    /// Reference interest rates for late-payment interest, sorted by date.
    pub reference_rates: Vec<ReferenceRate>,
    /// Which open invoices a payment on account settles first.
    pub on_account: OnAccountOrder,
}

/// The order in which payments on account, standalone credit notes and
/// overpayments settle a client's open items.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum OnAccountOrder {
    /// The item due first, then the invoice issued first.
    #[default]
    OldestDueFirst,
    /// The invoice issued first, then the item due first.
    OldestInvoiceFirst,
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
    pub orders: Range<u32>,
    pub holds: Range<u32>,
    pub promises: Range<u32>,
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
    /// The due date of the whole invoice: as given, or computed from
    /// [`Invoice::terms`]. For a split invoice, the due date of its last
    /// instalment.
    pub due_date: NaiveDate,
    /// The payment terms the due date was computed from, when the export
    /// gives terms instead of a due date.
    pub terms: Option<PaymentTerms>,
    /// Gross amount, always positive; [`Invoice::kind`] gives the sign.
    pub amount: Decimal,
    /// `None` when the file has no currency column or the cell is empty:
    /// the document is then in the policy's currency.
    pub currency: Option<Currency>,
    pub disputed: bool,
    pub kind: DocumentKind,
    /// The invoice a credit note applies to.
    pub reference: Option<InvoiceId>,
    /// The invoice's instalments in [`Ledger::instalments`]; empty when the
    /// invoice is due in one sum.
    pub instalments: Range<InstalmentId>,
    pub origin: RowOrigin,
}

/// One instalment of a split invoice: a part of its amount due on its own
/// date. The instalments of an invoice add up to its amount.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Instalment {
    pub invoice: InvoiceId,
    /// 1-based position among the invoice's instalments, by due date.
    pub number: u16,
    pub due_date: NaiveDate,
    pub amount: Decimal,
    pub origin: RowOrigin,
}

/// An open sales order: goods ordered but not yet invoiced, which count in
/// exposure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Order {
    pub id: String,
    pub client: ClientId,
    pub date: NaiveDate,
    pub amount: Decimal,
    pub currency: Option<Currency>,
    pub origin: RowOrigin,
}

/// A pause of dunning, for one invoice or for all of a client's invoices,
/// with a reason and an end date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hold {
    pub client: ClientId,
    /// `None` holds every invoice of the client.
    pub invoice: Option<InvoiceId>,
    pub reason: String,
    /// The first day of the hold; `None` when the export does not say, in
    /// which case the hold applies at any as-of date up to `until`.
    pub from: Option<NaiveDate>,
    /// The last day of the hold.
    pub until: NaiveDate,
    pub origin: RowOrigin,
}

/// A client's promise to pay an amount by a date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Promise {
    pub client: ClientId,
    /// The invoice the promise covers; `None` for the client's balance.
    pub invoice: Option<InvoiceId>,
    pub amount: Decimal,
    pub currency: Option<Currency>,
    /// The day the promise was made; payments from that day count toward it.
    pub made_on: NaiveDate,
    /// The day the client promised to pay by.
    pub due: NaiveDate,
    /// Days after `due` before the promise counts as broken.
    pub grace_days: u32,
    pub origin: RowOrigin,
}

/// An exchange rate: `rate` units of the policy's currency buy one unit of
/// `currency`, from `date` until the next rate of the same currency. A fixed
/// rate from the manifest's `[rates.fixed]` is dated `NaiveDate::MIN`, so it
/// applies at every date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExchangeRate {
    pub date: NaiveDate,
    pub currency: Currency,
    pub rate: Decimal,
    pub origin: RowOrigin,
}

/// A reference interest rate, such as the ECB main refinancing rate, in force
/// from `date`. `rate` is a fraction: 4.5% is 0.045.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReferenceRate {
    pub date: NaiveDate,
    pub rate: Decimal,
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

    pub fn client_orders(&self, client: &Client) -> &[Order] {
        &self.orders[client.orders.start as usize..client.orders.end as usize]
    }

    pub fn client_holds(&self, client: &Client) -> &[Hold] {
        &self.holds[client.holds.start as usize..client.holds.end as usize]
    }

    pub fn client_promises(&self, client: &Client) -> &[Promise] {
        &self.promises[client.promises.start as usize..client.promises.end as usize]
    }

    pub fn invoice_instalments(&self, invoice: &Invoice) -> &[Instalment] {
        &self.instalments[invoice.instalments.start as usize..invoice.instalments.end as usize]
    }

    /// The rate of `currency` in force on `date`: the latest rate dated on
    /// or before it.
    pub fn exchange_rate(&self, currency: Currency, date: NaiveDate) -> Option<&ExchangeRate> {
        let start = self.rates.partition_point(|rate| rate.currency < currency);
        let end = self.rates.partition_point(|rate| rate.currency <= currency);
        let rates = &self.rates[start..end];
        let after = rates.partition_point(|rate| rate.date <= date);
        after.checked_sub(1).map(|index| &rates[index])
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
