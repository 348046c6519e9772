//! A corpus of awkward and broken exports, one folder per case under
//! `tests/fixtures/ledger/corpus/`. Each folder is a native ledger, or a
//! `ledger.toml` when it has one, and its `outcome` file gives what loading
//! it must produce:
//!
//! ```text
//! loads                      fails
//! count invoices 3           MissingColumn clients.csv:1 id
//! name C1 Société Générale   help set format.delimiter = ";"
//! amount F2 40.00
//! kind F2 credit_note
//! due F2 2027-01-12
//! line F2 5
//! ```
//!
//! After `loads`, each line is a fact: a count of rows, a client's name, or
//! a document's amount, kind, due date or line (documents are invoices,
//! credit notes, payments and orders, found by id). After `fails`, the
//! errors are listed in order as `Kind file:line column`, and a `help` line
//! gives text the first error's help must contain.

#[path = "support/ledger.rs"]
mod support;

use std::path::Path;

use solvent::ledger::{DocumentKind, Ledger, LedgerError};
use support::{assert_invariants, dec, file_name, fixture};

#[test]
fn corpus_cases_match_their_outcome() {
    let mut cases: Vec<_> = std::fs::read_dir(fixture("corpus"))
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .collect();
    cases.sort();
    assert!(cases.len() >= 13, "the corpus has its cases");
    for case in cases {
        let outcome = std::fs::read_to_string(case.join("outcome")).unwrap();
        let mut lines = outcome.lines();
        match lines.next() {
            Some("loads") => check_loads(&case, lines),
            Some("fails") => check_fails(&case, lines),
            other => panic!("{}: outcome starts with {other:?}", case.display()),
        }
    }
}

fn load(case: &Path) -> Result<Ledger, Vec<LedgerError>> {
    let manifest = case.join("ledger.toml");
    let path = if manifest.exists() {
        manifest
    } else {
        case.to_path_buf()
    };
    Ledger::load(&path).map_err(|errors| errors.0)
}

fn check_loads<'a>(case: &Path, facts: impl Iterator<Item = &'a str>) {
    let ledger = match load(case) {
        Ok(ledger) => ledger,
        Err(errors) => panic!("{} should load: {errors:#?}", case.display()),
    };
    assert_invariants(&ledger);
    for fact in facts {
        let (key, rest) = fact.split_once(' ').unwrap();
        let (subject, value) = rest.split_once(' ').unwrap();
        let found = match key {
            "count" => count(&ledger, subject),
            "name" => name(&ledger, subject),
            _ => document(&ledger, key, subject),
        };
        let expected = match key {
            "amount" => dec(value).normalize().to_string(),
            _ => value.to_string(),
        };
        assert_eq!(found, Some(expected), "{}: {fact}", case.display());
    }
}

fn count(ledger: &Ledger, rows: &str) -> Option<String> {
    let count = match rows {
        "clients" => ledger.clients.len(),
        "invoices" => ledger.invoices.len(),
        "payments" => ledger.payments.len(),
        "orders" => ledger.orders.len(),
        _ => return None,
    };
    Some(count.to_string())
}

fn name(ledger: &Ledger, client: &str) -> Option<String> {
    let index = ledger.client_by_id(client)?;
    ledger.clients[index as usize].name.clone()
}

/// Returns a document's amount, kind, due date or line, written as the
/// outcome file writes it. Amounts are compared as decimals, so `40.00` is `40`.
fn document(ledger: &Ledger, key: &str, id: &str) -> Option<String> {
    if let Some(invoice) = ledger.invoices.iter().find(|i| i.id == id) {
        let kind = match invoice.kind {
            DocumentKind::Invoice => "invoice",
            DocumentKind::CreditNote => "credit_note",
        };
        return Some(match key {
            "amount" => invoice.amount.normalize().to_string(),
            "kind" => kind.to_string(),
            "due" => invoice.due_date.to_string(),
            "line" => invoice.origin.line.to_string(),
            _ => return None,
        });
    }
    let payment = ledger.payments.iter().find(|p| p.id == id);
    let order = ledger.orders.iter().find(|o| o.id == id);
    let (amount, line) = match (payment, order) {
        (Some(p), _) => (p.amount, p.origin.line),
        (None, Some(o)) => (o.amount, o.origin.line),
        (None, None) => return None,
    };
    match key {
        "amount" => Some(amount.normalize().to_string()),
        "line" => Some(line.to_string()),
        _ => None,
    }
}

fn check_fails<'a>(case: &Path, lines: impl Iterator<Item = &'a str>) {
    let errors = match load(case) {
        Ok(_) => panic!("{} should not load", case.display()),
        Err(errors) => errors,
    };
    let (helps, expected): (Vec<&str>, Vec<&str>) =
        lines.partition(|line| line.starts_with("help "));
    let found: Vec<String> = errors.iter().map(summary).collect();
    assert_eq!(found, expected, "{}", case.display());
    for help in helps {
        let text = help.trim_start_matches("help ");
        let first = errors[0].help.as_deref().unwrap_or("");
        assert!(
            first.contains(text),
            "{}: help {first:?} lacks {text:?}",
            case.display()
        );
    }
}

/// `Kind file:line column`, as in the outcome files.
fn summary(error: &LedgerError) -> String {
    let place = match error.line {
        Some(line) => format!("{}:{line}", file_name(&error.file)),
        None => file_name(&error.file).to_string(),
    };
    format!(
        "{:?} {place} {}",
        error.kind,
        error.column.as_deref().unwrap_or("-")
    )
}
