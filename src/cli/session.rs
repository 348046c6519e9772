//! The setup every evaluating command shares: check the policy, load the
//! ledger, bind them, and report what goes wrong on the way.

use std::path::Path;

use chrono::NaiveDate;

use super::exit;
use super::output::{print_diagnostics, print_error, print_ledger_errors, stderr_line};
use crate::check::{CheckedPolicy, check_file};
use crate::eval::Evaluator;
use crate::hooks::{HookEngine, HookLimits};
use crate::ledger::Ledger;
use crate::source::SourceFile;

/// Checks `policy_path`, loads `ledger_path`, binds them at `as_of` and runs
/// `body` with the evaluator. Returns `body`'s exit code, or the code of the
/// first step that failed after printing why.
pub fn with_evaluator(
    policy_path: &Path,
    ledger_path: &Path,
    as_of: NaiveDate,
    body: impl FnOnce(&Evaluator<'_>, &SourceFile, &CheckedPolicy) -> u8,
) -> u8 {
    with_prepared_evaluator(
        policy_path,
        ledger_path,
        as_of,
        |_| (),
        |evaluator, source, policy, ()| body(evaluator, source, policy),
    )
}

/// Runs like [`with_evaluator`], but lets `prepare` change the loaded ledger
/// before it is bound, and passes what `prepare` returns to `body`.
pub fn with_prepared_evaluator<T>(
    policy_path: &Path,
    ledger_path: &Path,
    as_of: NaiveDate,
    prepare: impl FnOnce(&mut Ledger) -> T,
    body: impl FnOnce(&Evaluator<'_>, &SourceFile, &CheckedPolicy, T) -> u8,
) -> u8 {
    if let Err(code) = check_paths(policy_path, ledger_path) {
        return code;
    }
    let engine = HookEngine::new(HookLimits::default());
    let (source, policy) = match load_policy(policy_path, &engine) {
        Ok(loaded) => loaded,
        Err(code) => return code,
    };
    let mut ledger = match Ledger::load(ledger_path) {
        Ok(ledger) => ledger,
        Err(errors) => {
            print_ledger_errors(&errors);
            return exit::ERRORS;
        }
    };
    let prepared = prepare(&mut ledger);

    let evaluator = match Evaluator::new(&policy, &ledger, &engine, as_of) {
        Ok(evaluator) => evaluator,
        Err(errors) => {
            print_ledger_errors(&errors);
            return exit::ERRORS;
        }
    };
    print_warnings(&evaluator, &policy, as_of);
    body(&evaluator, &source, &policy, prepared)
}

/// Reads and checks the policy, printing its diagnostics. Returns the exit
/// code for errors when it cannot be read or has errors.
fn load_policy(path: &Path, engine: &HookEngine) -> Result<(SourceFile, CheckedPolicy), u8> {
    let (source, outcome) = match check_file(path, engine) {
        Ok(checked) => checked,
        Err(error) => {
            print_error(&format!("cannot read policy `{}`: {error}", path.display()));
            return Err(exit::ERRORS);
        }
    };
    print_diagnostics(&source, &outcome.diagnostics);
    match outcome.policy {
        Some(policy) => Ok((source, policy)),
        None => {
            stderr_line("the policy has errors; nothing was evaluated");
            Err(exit::ERRORS)
        }
    }
}

/// A policy path that is not a file, and a ledger path that does not exist
/// or is neither a folder nor a `.toml` manifest, are usage errors, exit
/// code 2, like a path of the wrong kind for `solvent check`.
fn check_paths(policy: &Path, ledger: &Path) -> Result<(), u8> {
    if !policy.is_file() {
        print_error(&format!("`{}` is not a policy file", policy.display()));
        return Err(exit::USAGE);
    }
    if !ledger.exists() {
        print_error(&format!(
            "`{}` does not exist; give a ledger folder or a ledger.toml manifest",
            ledger.display()
        ));
        return Err(exit::USAGE);
    }
    let manifest = ledger
        .extension()
        .is_some_and(|extension| extension.eq_ignore_ascii_case("toml"));
    if !ledger.is_dir() && !manifest {
        print_error(&format!(
            "`{}` is not a ledger folder or a .toml manifest; give the folder that holds \
             clients.csv, invoices.csv and payments.csv, or a ledger.toml that maps an \
             export's files",
            ledger.display()
        ));
        return Err(exit::USAGE);
    }
    warn_of_unread_manifest(ledger);
    Ok(())
}

/// Warns when the ledger folder contains a `ledger.toml`: a folder is read
/// as a native ledger, so that manifest is not in use.
fn warn_of_unread_manifest(ledger: &Path) {
    let manifest = ledger.join("ledger.toml");
    if ledger.is_dir() && manifest.is_file() {
        stderr_line(&format!(
            "warning: `{}` contains a ledger.toml, which is not read when --ledger names the \
             folder; the folder is read as a native ledger. Give `{}` to use the manifest",
            ledger.display(),
            manifest.display()
        ));
    }
}

fn print_warnings(evaluator: &Evaluator<'_>, policy: &CheckedPolicy, as_of: NaiveDate) {
    for warning in &evaluator.warnings {
        stderr_line(&format!("warning: {}", warning.message));
    }
    if let Some(effective) = policy.effective.filter(|effective| as_of < *effective) {
        stderr_line(&format!(
            "warning: the as-of date {as_of} is before the policy's effective date {effective}"
        ));
    }
}
