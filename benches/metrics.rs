//! Metrics speed: the metrics of one client of typical size, as the
//! standard policy requests them (its lateness windows, CEI periods,
//! exchange rates and late-payment interest).
//!
//! The client is the median of a 1,000-client ledger by its count of
//! invoices, credit notes and payments. `compute` allocates its buffers on
//! every call, and `compute_into` reuses them, as a loop over clients can.

#[path = "support/policy.rs"]
mod policy;
#[path = "support/synthetic.rs"]
mod synthetic;
#[path = "support/temp_ledger.rs"]
mod temp_ledger;

use criterion::Criterion;
use solvent::hooks::{HookEngine, HookLimits};
use solvent::ledger::{ClientId, Ledger};
use solvent::metrics::{self, Allocation, ClientMetrics, Conversion, MetricsRequest};

use temp_ledger::TempLedger;

/// The shipped standard policy, which charges late-payment interest.
const STANDARD: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/policies/sme-standard.policy");

fn main() {
    let folder = TempLedger::write("metrics", 1_000, 10);
    let ledger = Ledger::load(folder.path()).expect("the generated ledger loads");
    let clients = ledger.clients.len() as u64;
    assert_eq!(
        clients, folder.counts.clients,
        "every generated client loads"
    );
    let engine = HookEngine::new(HookLimits::default());
    let policy = policy::checked(STANDARD, &engine);
    let as_of = temp_ledger::as_of();
    let request = MetricsRequest {
        lateness_windows: policy.lateness_windows.clone(),
        cei_periods: policy.cei_periods.clone(),
        conversion: Conversion::from_ledger(&ledger, policy.currency, as_of),
        penalties: policy.penalties.clone(),
        ..MetricsRequest::new(as_of)
    };
    let client = median_client(&ledger);
    let computed = metrics::compute(&ledger, client, &request);
    assert!(computed.is_ok(), "the client's metrics compute");

    let mut criterion = Criterion::default().configure_from_args();
    let mut group = criterion.benchmark_group("metrics");
    group.bench_function("compute", |bencher| {
        bencher.iter(|| metrics::compute(&ledger, client, &request))
    });
    let mut figures = ClientMetrics::default();
    let mut allocation = Allocation::new();
    group.bench_function("compute_into", |bencher| {
        bencher.iter(|| {
            metrics::compute_into(&mut figures, &mut allocation, &ledger, client, &request)
        })
    });
    group.finish();
    criterion.final_summary();
}

/// Returns the client at the median of the documents and payments count,
/// and prints its counts.
fn median_client(ledger: &Ledger) -> ClientId {
    let mut sizes: Vec<(usize, usize, ClientId)> = (0..)
        .zip(&ledger.clients)
        .map(|(id, client)| {
            (
                client.invoices.len() + client.payments.len(),
                client.invoices.len(),
                id,
            )
        })
        .collect();
    sizes.sort_unstable();
    let (rows, documents, id) = sizes[sizes.len() / 2];
    eprintln!(
        "metrics: client {} with {documents} invoices and credit notes and {} payments",
        ledger.clients[id as usize].id,
        rows - documents
    );
    id
}
