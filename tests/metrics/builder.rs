//! A ledger builder for tests, standing in for the CSV loader.

use std::collections::{BTreeSet, HashMap};

use chrono::NaiveDate;
use rust_decimal::Decimal;
use solvent::ledger::{
    CellFormat, Client, ClientId, DocumentKind, Invoice, InvoiceId, Ledger, Payment, RowOrigin,
};

/// Parses an ISO date such as `2024-02-29`.
pub fn date(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
}

/// Parses a decimal such as `1250.50`.
pub fn money(text: &str) -> Decimal {
    text.parse().unwrap()
}

/// Collects documents by text ids and builds a [`Ledger`] that keeps its
/// ordering invariant: clients by id, invoices by (due date, date, id) within
/// a client, payments by (date, id) within a client.
#[derive(Default)]
pub struct LedgerBuilder {
    clients: BTreeSet<String>,
    documents: Vec<Document>,
    payments: Vec<PaymentRow>,
}

struct Document {
    client: String,
    id: String,
    date: NaiveDate,
    due_date: NaiveDate,
    amount: Decimal,
    kind: DocumentKind,
    reference: Option<String>,
}

struct PaymentRow {
    client: String,
    id: String,
    date: NaiveDate,
    amount: Decimal,
    invoice: Option<String>,
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
            kind: DocumentKind::Invoice,
            reference: None,
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
            kind: DocumentKind::CreditNote,
            reference: reference.map(str::to_string),
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
            invoice: invoice.map(str::to_string),
        });
        self
    }

    pub fn build(&self) -> Ledger {
        let mut documents: Vec<&Document> = self.documents.iter().collect();
        documents.sort_by(|a, b| {
            (&a.client, a.due_date, a.date, &a.id).cmp(&(&b.client, b.due_date, b.date, &b.id))
        });
        let mut payments: Vec<&PaymentRow> = self.payments.iter().collect();
        payments.sort_by(|a, b| (&a.client, a.date, &a.id).cmp(&(&b.client, b.date, &b.id)));

        let ids: HashMap<&str, InvoiceId> = (documents.iter())
            .zip(0..)
            .map(|(document, index)| (document.id.as_str(), index))
            .collect();
        let clients: HashMap<&str, ClientId> = (self.clients.iter())
            .zip(0..)
            .map(|(client, index)| (client.as_str(), index))
            .collect();

        Ledger {
            files: Vec::new(),
            cells: CellFormat::default(),
            field_names: Vec::new(),
            field_columns: Vec::new(),
            clients: self.build_clients(&documents, &payments),
            invoices: documents
                .iter()
                .map(|d| build_invoice(d, &ids, &clients))
                .collect(),
            payments: payments
                .iter()
                .map(|p| build_payment(p, &ids, &clients))
                .collect(),
            instalments: Vec::new(),
            orders: Vec::new(),
            holds: Vec::new(),
            promises: Vec::new(),
            rates: Vec::new(),
            reference_rates: Vec::new(),
        }
    }

    fn build_clients(&self, documents: &[&Document], payments: &[&PaymentRow]) -> Vec<Client> {
        let mut clients = Vec::new();
        let (mut invoice_start, mut payment_start) = (0u32, 0u32);
        for id in &self.clients {
            let invoice_count = documents.iter().filter(|d| &d.client == id).count() as u32;
            let payment_count = payments.iter().filter(|p| &p.client == id).count() as u32;
            clients.push(Client {
                id: id.clone(),
                name: None,
                fields: Vec::new(),
                origin: ORIGIN,
                invoices: invoice_start..invoice_start + invoice_count,
                payments: payment_start..payment_start + payment_count,
                orders: 0..0,
                holds: 0..0,
                promises: 0..0,
            });
            invoice_start += invoice_count;
            payment_start += payment_count;
        }
        clients
    }
}

fn build_invoice(
    document: &Document,
    ids: &HashMap<&str, InvoiceId>,
    clients: &HashMap<&str, ClientId>,
) -> Invoice {
    Invoice {
        id: document.id.clone(),
        client: clients[document.client.as_str()],
        date: document.date,
        due_date: document.due_date,
        amount: document.amount,
        currency: None,
        disputed: false,
        kind: document.kind,
        reference: document.reference.as_deref().map(|id| ids[id]),
        terms: None,
        instalments: 0..0,
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
        currency: None,
        invoice: payment.invoice.as_deref().map(|id| ids[id]),
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
