//! Evaluation speed: decisions per client on a loaded ledger of 10,000
//! clients, with the standard policy and its rhai hook, and with the same
//! policy without hooks. The ledger is loaded and the policy checked before
//! timing starts.
//!
//! `parallel` decides for every client with `Evaluator::evaluate_all`, on
//! rayon's threads as `solvent eval` does. `sequential` calls
//! `Evaluator::evaluate` for each client in turn. Both report the time per
//! client.

#[path = "support/policy.rs"]
mod policy;
#[path = "support/synthetic.rs"]
mod synthetic;
#[path = "support/temp_ledger.rs"]
mod temp_ledger;

use std::hint::black_box;
use std::time::Duration;

use criterion::{BenchmarkId, Criterion, Throughput};
use solvent::eval::Evaluator;
use solvent::hooks::{HookEngine, HookLimits};
use solvent::ledger::{ClientId, Ledger};

use temp_ledger::TempLedger;

/// The shipped standard policy, whose solvency factor calls a rhai hook.
const WITH_HOOK: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/policies/sme-standard.policy");

/// The standard policy with a plain factor in place of the hook.
const WITHOUT_HOOKS: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/benches/policies/sme-no-hooks.policy"
);

const CLIENTS: u32 = 10_000;
const INVOICES_PER_CLIENT: u32 = 10;

fn main() {
    let folder = TempLedger::write("eval", CLIENTS, INVOICES_PER_CLIENT);
    let ledger = Ledger::load(folder.path()).expect("the generated ledger loads");
    let clients = ledger.clients.len() as u64;
    assert_eq!(
        clients, folder.counts.clients,
        "every generated client loads"
    );
    let engine = HookEngine::new(HookLimits::default());
    let mut criterion = Criterion::default()
        .sample_size(10)
        .measurement_time(Duration::from_secs(10))
        .configure_from_args();

    for (label, path) in [("sme-standard", WITH_HOOK), ("no-hooks", WITHOUT_HOOKS)] {
        let policy = policy::checked(path, &engine);
        let evaluator = Evaluator::new(&policy, &ledger, &engine, temp_ledger::as_of())
            .expect("the policy's fields bind to the generated ledger");
        bench_policy(&mut criterion, label, &evaluator);
    }
    criterion.final_summary();
}

fn bench_policy(criterion: &mut Criterion, label: &str, evaluator: &Evaluator<'_>) {
    let decisions = evaluator.evaluate_all();
    let clients = decisions.map(|decisions| decisions.len()).unwrap_or(0);
    assert_eq!(clients, CLIENTS as usize, "every client gets a decision");

    let mut group = criterion.benchmark_group("eval");
    group.throughput(Throughput::Elements(u64::from(CLIENTS)));
    group.bench_function(BenchmarkId::new("parallel", label), |bencher| {
        bencher.iter(|| evaluator.evaluate_all())
    });
    group.bench_function(BenchmarkId::new("sequential", label), |bencher| {
        bencher.iter(|| {
            for client in 0..CLIENTS as ClientId {
                let decision = evaluator.evaluate(client);
                black_box(decision.is_ok());
            }
        })
    });
    group.finish();
}
