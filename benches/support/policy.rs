//! The policies the benchmarks evaluate, checked as `solvent eval` checks
//! them.

use std::path::Path;

use solvent::check::{CheckedPolicy, check_file};
use solvent::hooks::HookEngine;

/// Reads and checks the policy at `path`, compiling its hooks with `engine`.
pub fn checked(path: &str, engine: &HookEngine) -> CheckedPolicy {
    let (_, outcome) = check_file(Path::new(path), engine).expect("the policy file can be read");
    outcome.policy.expect("the policy checks without errors")
}
