//! Metrics at an as-of date, on ledgers built in memory and on the IBM
//! accounts-receivable sample.

mod allocation;
mod builder;
mod dso;
mod ibm;
mod lateness;
mod portfolio;
mod receivables;

use chrono::NaiveDate;
use solvent::ledger::Ledger;
use solvent::metrics::{self, Allocation, ClientMetrics, MetricsRequest, OpenItem, Settlement};

use builder::{client_id, date, invoice_id};

/// Metrics of client `client` at `as_of`, with the default lateness window.
fn metrics_at(ledger: &Ledger, client: &str, as_of: &str) -> ClientMetrics {
    let request = MetricsRequest::new(date(as_of));
    metrics::compute(ledger, client_id(ledger, client), &request)
}

/// Allocation of client `client` at `as_of`.
fn allocation_at(ledger: &Ledger, client: &str, as_of: &str) -> Allocation {
    metrics::allocate(ledger, client_id(ledger, client), date(as_of))
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

fn settled_on(text: &str) -> Option<NaiveDate> {
    Some(date(text))
}
