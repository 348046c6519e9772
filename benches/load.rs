//! Loading speed: `Ledger::load` on a native ledger folder of 10,000
//! clients and 100,000 invoices, reported per invoice. The files are
//! written before timing starts, and stay in the page cache between
//! samples, so the figure leaves out reading from a cold disk.

#[path = "support/synthetic.rs"]
mod synthetic;
#[path = "support/temp_ledger.rs"]
mod temp_ledger;

use std::time::Duration;

use criterion::{Criterion, Throughput};
use solvent::ledger::Ledger;

use temp_ledger::TempLedger;

fn main() {
    let folder = TempLedger::write("load", 10_000, 10);
    let mut criterion = Criterion::default()
        .sample_size(10)
        .measurement_time(Duration::from_secs(10))
        .configure_from_args();
    let loaded = Ledger::load(folder.path()).map(|ledger| ledger.invoices.len());
    assert!(loaded.is_ok(), "the generated ledger loads");

    let mut group = criterion.benchmark_group("load");
    group.throughput(Throughput::Elements(folder.counts.invoices));
    group.bench_function("100k invoices", |bencher| {
        bencher.iter(|| Ledger::load(folder.path()).map(|ledger| ledger.invoices.len()))
    });
    group.finish();
    criterion.final_summary();
}
