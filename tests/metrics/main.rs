//! Metrics at an as-of date, on ledgers built in memory and on the IBM
//! accounts-receivable sample.

mod allocation;
mod builder;
mod collection;
mod currency;
mod dso;
mod ibm;
mod instalments;
mod lateness;
mod orders;
mod portfolio;
mod promises;
mod receivables;

use chrono::NaiveDate;
use solvent::ledger::Ledger;
use solvent::metrics::{
    self, Allocation, Application, ClientMetrics, Conversion, MetricsError, MetricsRequest,
    OpenItem, Settlement,
};

use builder::{client_id, currency, date, invoice_id};

/// Metrics of client `client` at `as_of`, with the default lateness window.
fn metrics_at(ledger: &Ledger, client: &str, as_of: &str) -> ClientMetrics {
    let request = MetricsRequest::new(date(as_of));
    metrics::compute(ledger, client_id(ledger, client), &request).unwrap()
}

/// Builds a request at `as_of` in EUR, with the ledger's rates at that date.
fn eur_request(ledger: &Ledger, as_of: &str) -> MetricsRequest {
    let mut request = MetricsRequest::new(date(as_of));
    request.conversion = Conversion::from_ledger(ledger, currency("EUR"), date(as_of));
    request
}

/// Metrics of client `client` at `as_of` in EUR, with the ledger's rates.
fn eur_metrics_at(
    ledger: &Ledger,
    client: &str,
    as_of: &str,
) -> Result<ClientMetrics, MetricsError> {
    let request = eur_request(ledger, as_of);
    metrics::compute(ledger, client_id(ledger, client), &request)
}

/// Allocation of client `client` at `as_of`, with every document in the
/// policy's currency.
fn allocation_at(ledger: &Ledger, client: &str, as_of: &str) -> Allocation {
    let conversion = Conversion::default();
    metrics::allocate(ledger, client_id(ledger, client), date(as_of), &conversion).unwrap()
}

/// Looks up the settlement of document `id` in an allocation of its client.
fn settlement(ledger: &Ledger, allocation: &Allocation, id: &str) -> Settlement {
    let invoice = invoice_id(ledger, id);
    let client = &ledger.clients[ledger.invoices[invoice as usize].client as usize];
    allocation.settlements()[(invoice - client.invoices.start) as usize]
}

/// Finds the open item of document `id`, if it is open.
fn open_item(ledger: &Ledger, metrics: &ClientMetrics, id: &str) -> Option<OpenItem> {
    let invoice = invoice_id(ledger, id);
    metrics
        .open_items
        .iter()
        .copied()
        .find(|item| item.invoice == invoice)
}

/// Finds the open item of instalment `number` of invoice `id`, if it is open.
fn open_instalment(
    ledger: &Ledger,
    metrics: &ClientMetrics,
    id: &str,
    number: u16,
) -> Option<OpenItem> {
    let invoice = invoice_id(ledger, id);
    metrics
        .open_items
        .iter()
        .copied()
        .find(|item| item.invoice == invoice && item.instalment == Some(number))
}

fn settled_on(text: &str) -> Option<NaiveDate> {
    Some(date(text))
}

/// A payment of `amount` applied to an item on `on`.
fn paid(on: &str, amount: &str) -> Application {
    Application {
        date: date(on),
        amount: amount.parse().unwrap(),
        payment: true,
    }
}
