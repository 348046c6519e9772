//! A ledger builder for tests, standing in for the CSV loader.

use std::collections::{BTreeSet, HashMap};

use chrono::NaiveDate;
use rust_decimal::Decimal;
use solvent::ledger::{
    CellFormat, Client, ClientId, DocumentKind, ExchangeRate, Instalment, Invoice, InvoiceId,
    Ledger, Order, Payment, Promise, RowOrigin,
};
use solvent::value::Currency;

/// Parses an ISO date such as `2024-02-29`.
pub fn date(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
}

/// Parses a decimal such as `1250.50`.
pub fn money(text: &str) -> Decimal {
    text.parse().unwrap()
}

/// Parses a currency code such as `USD`.
pub fn currency(code: &str) -> Currency {
    Currency::parse(code).unwrap()
}

/// Collects documents by text ids and builds a [`Ledger`] that keeps its
/// ordering invariant. Clients are sorted by id, and rates by (currency,
/// date). Within a client, invoices are sorted by (due date, date, id),
/// payments and orders by (date, id), and promises by promised date.
/// Instalments are sorted by due date within an invoice.
#[derive(Default)]
pub struct LedgerBuilder {
    clients: BTreeSet<String>,
    documents: Vec<Document>,
    payments: Vec<PaymentRow>,
    orders: Vec<OrderRow>,
    promises: Vec<PromiseRow>,
    rates: Vec<ExchangeRate>,
}

struct Document {
    client: String,
    id: String,
    date: NaiveDate,
    due_date: NaiveDate,
    amount: Decimal,
    currency: Option<Currency>,
    kind: DocumentKind,
    reference: Option<String>,
    /// `(due date, amount)` of each instalment, in the order added.
    instalments: Vec<(NaiveDate, Decimal)>,
}

struct PaymentRow {
    client: String,
    id: String,
    date: NaiveDate,
    amount: Decimal,
    currency: Option<Currency>,
    invoice: Option<String>,
}

struct OrderRow {
    client: String,
    id: String,
    date: NaiveDate,
    amount: Decimal,
    currency: Option<Currency>,
}

struct PromiseRow {
    client: String,
    invoice: Option<String>,
    amount: Decimal,
    made_on: NaiveDate,
    due: NaiveDate,
    grace_days: u32,
}

const ORIGIN: RowOrigin = RowOrigin { file: 0, line: 0 };

impl LedgerBuilder {
    pub fn new() -> Self {
        LedgerBuilder::default()
    }

    pub fn client(&mut self, client: &str) -> &mut Self {
        self.clients.insert(client.to_string());
        self
    }

    pub fn invoice(
        &mut self,
        client: &str,
        id: &str,
        date: &str,
        due: &str,
        amount: &str,
    ) -> &mut Self {
        self.client(client);
        self.documents.push(Document {
            client: client.to_string(),
            id: id.to_string(),
            date: self::date(date),
            due_date: self::date(due),
            amount: money(amount),
            currency: None,
            kind: DocumentKind::Invoice,
            reference: None,
            instalments: Vec::new(),
        });
        self
    }

    /// Adds a credit note, due on its own date, that references `reference`
    /// when given.
    pub fn credit_note(
        &mut self,
        client: &str,
        id: &str,
        date: &str,
        amount: &str,
        reference: Option<&str>,
    ) -> &mut Self {
        self.client(client);
        self.documents.push(Document {
            client: client.to_string(),
            id: id.to_string(),
            date: self::date(date),
            due_date: self::date(date),
            amount: money(amount),
            currency: None,
            kind: DocumentKind::CreditNote,
            reference: reference.map(str::to_string),
            instalments: Vec::new(),
        });
        self
    }

    /// Adds a payment that names `invoice`, or a payment on account for `None`.
    pub fn payment(
        &mut self,
        client: &str,
        id: &str,
        date: &str,
        amount: &str,
        invoice: Option<&str>,
    ) -> &mut Self {
        self.client(client);
        self.payments.push(PaymentRow {
            client: client.to_string(),
            id: id.to_string(),
            date: self::date(date),
            amount: money(amount),
            currency: None,
            invoice: invoice.map(str::to_string),
        });
        self
    }

    /// Adds an open sales order.
    pub fn order(&mut self, client: &str, id: &str, date: &str, amount: &str) -> &mut Self {
        self.client(client);
        self.orders.push(OrderRow {
            client: client.to_string(),
            id: id.to_string(),
            date: self::date(date),
            amount: money(amount),
            currency: None,
        });
        self
    }

    /// Sets the currency of the invoice, credit note, payment or order `id`.
    pub fn currency(&mut self, id: &str, code: &str) -> &mut Self {
        let code = Some(currency(code));
        let documents = self.documents.iter_mut().filter(|d| d.id == id);
        documents.for_each(|document| document.currency = code);
        let payments = self.payments.iter_mut().filter(|p| p.id == id);
        payments.for_each(|payment| payment.currency = code);
        let orders = self.orders.iter_mut().filter(|o| o.id == id);
        orders.for_each(|order| order.currency = code);
        self
    }

    /// Splits invoice `invoice` with one more instalment. As the loader
    /// does, the invoice's due date becomes that of its last instalment.
    pub fn instalment(&mut self, invoice: &str, due: &str, amount: &str) -> &mut Self {
        let document = self.documents.iter_mut().find(|d| d.id == invoice);
        let document = document.unwrap();
        document.instalments.push((date(due), money(amount)));
        self
    }

    /// Adds a promise to pay `amount` by `due`, in the policy's currency,
    /// covering `invoice` or, for `None`, the client's balance.
    pub fn promise(
        &mut self,
        client: &str,
        invoice: Option<&str>,
        amount: &str,
        made_on: &str,
        due: &str,
        grace_days: u32,
    ) -> &mut Self {
        self.client(client);
        self.promises.push(PromiseRow {
            client: client.to_string(),
            invoice: invoice.map(str::to_string),
            amount: money(amount),
            made_on: date(made_on),
            due: date(due),
            grace_days,
        });
        self
    }

    /// Adds an exchange rate: `rate` units of the policy's currency for one
    /// unit of `code`, from `date`.
    pub fn rate(&mut self, code: &str, date: &str, rate: &str) -> &mut Self {
        self.rates.push(ExchangeRate {
            date: self::date(date),
            currency: currency(code),
            rate: money(rate),
            origin: ORIGIN,
        });
        self
    }

    pub fn build(&self) -> Ledger {
        let mut documents: Vec<&Document> = self.documents.iter().collect();
        documents.sort_by_key(|d| (&d.client, d.effective_due_date(), d.date, &d.id));
        let mut payments: Vec<&PaymentRow> = self.payments.iter().collect();
        payments.sort_by_key(|p| (&p.client, p.date, &p.id));
        let mut orders: Vec<&OrderRow> = self.orders.iter().collect();
        orders.sort_by_key(|o| (&o.client, o.date, &o.id));
        let mut promises: Vec<&PromiseRow> = self.promises.iter().collect();
        promises.sort_by_key(|p| (&p.client, p.due));
        let mut rates = self.rates.clone();
        rates.sort_by_key(|rate| (rate.currency, rate.date));

        let ids: HashMap<&str, InvoiceId> = (documents.iter())
            .zip(0..)
            .map(|(document, index)| (document.id.as_str(), index))
            .collect();
        let clients: HashMap<&str, ClientId> = (self.clients.iter())
            .zip(0..)
            .map(|(client, index)| (client.as_str(), index))
            .collect();
        let (invoices, instalments) = build_invoices(&documents, &ids, &clients);

        Ledger {
            files: Vec::new(),
            cells: CellFormat::default(),
            field_names: Vec::new(),
            field_columns: Vec::new(),
            clients: self.build_clients(&documents, &payments, &orders, &promises),
            invoices,
            payments: payments
                .iter()
                .map(|p| build_payment(p, &ids, &clients))
                .collect(),
            instalments,
            orders: orders.iter().map(|o| build_order(o, &clients)).collect(),
            holds: Vec::new(),
            promises: promises
                .iter()
                .map(|p| build_promise(p, &ids, &clients))
                .collect(),
            rates,
            reference_rates: Vec::new(),
            on_account: solvent::ledger::OnAccountOrder::default(),
        }
    }

    fn build_clients(
        &self,
        documents: &[&Document],
        payments: &[&PaymentRow],
        orders: &[&OrderRow],
        promises: &[&PromiseRow],
    ) -> Vec<Client> {
        let mut clients = Vec::new();
        let mut starts = [0u32; 4];
        for id in &self.clients {
            let counts = [
                documents.iter().filter(|d| &d.client == id).count() as u32,
                payments.iter().filter(|p| &p.client == id).count() as u32,
                orders.iter().filter(|o| &o.client == id).count() as u32,
                promises.iter().filter(|p| &p.client == id).count() as u32,
            ];
            let range = |kind: usize| starts[kind]..starts[kind] + counts[kind];
            clients.push(Client {
                id: id.clone(),
                name: None,
                fields: Vec::new(),
                origin: ORIGIN,
                invoices: range(0),
                payments: range(1),
                orders: range(2),
                holds: 0..0,
                promises: range(3),
            });
            for kind in 0..4 {
                starts[kind] += counts[kind];
            }
        }
        clients
    }
}

impl Document {
    fn effective_due_date(&self) -> NaiveDate {
        let last_instalment = self.instalments.iter().map(|&(due, _)| due).max();
        last_instalment.unwrap_or(self.due_date)
    }
}

/// Builds the invoices, in the order given, and their instalments.
fn build_invoices(
    documents: &[&Document],
    ids: &HashMap<&str, InvoiceId>,
    clients: &HashMap<&str, ClientId>,
) -> (Vec<Invoice>, Vec<Instalment>) {
    let mut invoices = Vec::new();
    let mut instalments = Vec::new();
    for (document, id) in documents.iter().zip(0..) {
        let first = instalments.len() as u32;
        let mut parts = document.instalments.clone();
        parts.sort();
        for (number, (due_date, amount)) in (1..).zip(parts) {
            instalments.push(Instalment {
                invoice: id,
                number,
                due_date,
                amount,
                origin: ORIGIN,
            });
        }
        let range = first..instalments.len() as u32;
        invoices.push(build_invoice(document, range, ids, clients));
    }
    (invoices, instalments)
}

fn build_invoice(
    document: &Document,
    instalments: std::ops::Range<u32>,
    ids: &HashMap<&str, InvoiceId>,
    clients: &HashMap<&str, ClientId>,
) -> Invoice {
    Invoice {
        id: document.id.clone(),
        client: clients[document.client.as_str()],
        date: document.date,
        due_date: document.effective_due_date(),
        amount: document.amount,
        currency: document.currency,
        disputed: false,
        kind: document.kind,
        reference: document.reference.as_deref().map(|id| ids[id]),
        terms: None,
        instalments,
        origin: ORIGIN,
    }
}

fn build_payment(
    payment: &PaymentRow,
    ids: &HashMap<&str, InvoiceId>,
    clients: &HashMap<&str, ClientId>,
) -> Payment {
    Payment {
        id: payment.id.clone(),
        client: clients[payment.client.as_str()],
        date: payment.date,
        amount: payment.amount,
        currency: payment.currency,
        invoice: payment.invoice.as_deref().map(|id| ids[id]),
        origin: ORIGIN,
    }
}

fn build_order(order: &OrderRow, clients: &HashMap<&str, ClientId>) -> Order {
    Order {
        id: order.id.clone(),
        client: clients[order.client.as_str()],
        date: order.date,
        amount: order.amount,
        currency: order.currency,
        origin: ORIGIN,
    }
}

fn build_promise(
    promise: &PromiseRow,
    ids: &HashMap<&str, InvoiceId>,
    clients: &HashMap<&str, ClientId>,
) -> Promise {
    Promise {
        client: clients[promise.client.as_str()],
        invoice: promise.invoice.as_deref().map(|id| ids[id]),
        amount: promise.amount,
        currency: None,
        made_on: promise.made_on,
        due: promise.due,
        grace_days: promise.grace_days,
        origin: ORIGIN,
    }
}

/// Looks up the ledger id of the document with text id `id`.
pub fn invoice_id(ledger: &Ledger, id: &str) -> InvoiceId {
    let index = ledger
        .invoices
        .iter()
        .position(|invoice| invoice.id == id)
        .unwrap();
    index as InvoiceId
}

/// Looks up the ledger id of client `id`.
pub fn client_id(ledger: &Ledger, id: &str) -> ClientId {
    ledger.client_by_id(id).unwrap()
}
