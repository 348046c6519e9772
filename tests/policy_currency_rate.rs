//! An exchange rate for the policy's own currency: the policy's currency
//! always converts at 1, so such a rate would be ignored, and evaluation
//! rejects it with the row or manifest key to remove.

#[path = "support/case.rs"]
mod case;

use std::fmt::Write as _;
use std::path::Path;

use case::{AS_OF, Case, HEADER, NO_PAYMENTS, date};
use solvent::eval::Evaluator;
use solvent::hooks::{HookEngine, HookLimits};
use solvent::ledger::{Ledger, LedgerErrorKind, LedgerErrors};

const INVOICES: &str = "id,client,date,due_date,amount\nI1,C1,2027-01-10,2027-02-09,100.00\n";

/// Writes a policy in EUR and a native ledger of one client with one invoice.
fn euro_case(name: &str) -> Case {
    Case::new(name)
        .policy(HEADER)
        .clients("id\nC1\n")
        .invoices(INVOICES)
        .payments(NO_PAYMENTS)
}

/// Returns the errors of binding the case's policy to the ledger at `ledger`.
fn bind_errors(case: &Case, ledger: &Path) -> LedgerErrors {
    let engine = HookEngine::new(HookLimits::default());
    let policy = case.checked(&engine);
    let ledger = Ledger::load(ledger).expect("the ledger itself is valid");
    match Evaluator::new(&policy, &ledger, &engine, date(AS_OF)) {
        Ok(_) => panic!("a rate for the policy's currency was accepted"),
        Err(errors) => errors,
    }
}

/// Writes each error as `file:line: column: message`, then its help.
fn render(errors: &LedgerErrors) -> String {
    let mut text = String::new();
    for error in &errors.0 {
        let file = error.file.file_name().unwrap().to_string_lossy();
        let line = error.line.map_or("-".to_string(), |line| line.to_string());
        let column = error.column.as_deref().unwrap_or("-");
        writeln!(text, "{file}:{line}: {column}: {}", error.message).unwrap();
        writeln!(text, "  help: {}", error.help.as_deref().unwrap_or("")).unwrap();
    }
    text
}

#[test]
fn dated_rate_of_policy_currency_is_rejected() {
    let case = euro_case("policy-currency-dated-rate").file(
        "ledger/rates.csv",
        "date,currency,rate\n2027-01-01,USD,0.92\n2027-01-01,EUR,2\n",
    );
    let errors = bind_errors(&case, &case.folder.join("ledger"));
    assert_eq!(errors.0.len(), 1);
    let error = &errors.0[0];
    assert_eq!(error.kind, LedgerErrorKind::Inconsistent);
    assert!(error.file.ends_with("rates.csv"));
    assert_eq!(error.line, Some(3));
    insta::assert_snapshot!(render(&errors));
}

#[test]
fn every_dated_rate_of_policy_currency_is_counted() {
    let case = euro_case("policy-currency-many-rates").file(
        "ledger/rates.csv",
        "date,currency,rate\n2027-01-01,EUR,1\n2027-02-01,EUR,1\n2027-03-01,EUR,1\n",
    );
    let errors = bind_errors(&case, &case.folder.join("ledger"));
    assert_eq!(errors.0.len(), 1);
    assert_eq!(errors.0[0].line, Some(2));
    assert!(
        errors.0[0].message.contains("and on 2 more rows"),
        "{}",
        errors.0[0].message
    );
}

#[test]
fn fixed_rate_of_policy_currency_is_rejected() {
    let case = euro_case("policy-currency-fixed-rate").file(
        "ledger/ledger.toml",
        "[rates.fixed]\nUSD = \"0.92\"\nEUR = \"2\"\n",
    );
    let errors = bind_errors(&case, &case.folder.join("ledger/ledger.toml"));
    assert_eq!(errors.0.len(), 1);
    let error = &errors.0[0];
    assert_eq!(error.kind, LedgerErrorKind::Inconsistent);
    assert!(error.file.ends_with("ledger.toml"));
    assert_eq!(error.line, Some(3));
    assert!(
        error.message.contains("rates.fixed.EUR"),
        "{}",
        error.message
    );
    insta::assert_snapshot!(render(&errors));
}

#[test]
fn rates_of_other_currencies_are_accepted() {
    let case = euro_case("policy-currency-other-rates").file(
        "ledger/rates.csv",
        "date,currency,rate\n2027-01-01,USD,0.92\n",
    );
    let engine = HookEngine::new(HookLimits::default());
    let policy = case.checked(&engine);
    let ledger = case.ledger();
    assert!(Evaluator::new(&policy, &ledger, &engine, date(AS_OF)).is_ok());
}
