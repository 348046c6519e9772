//! `solvent eval` on the IBM accounts-receivable sample: one decision per
//! customer, with exposure and overdue equal to sums taken straight from the
//! CSV rows, in integer cents, without any solvent code.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::Command;

use serde_json::Value;

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn ibm_csv() -> PathBuf {
    repo().join("../shared/data/ibm-ar-late-payments/WA_Fn-UseC_-Accounts-Receivable.csv")
}

/// `M/D/YYYY` as (year, month, day), which orders like the date.
fn us_date(text: &str) -> (u32, u32, u32) {
    let parts: Vec<u32> = text.split('/').map(|p| p.parse().unwrap()).collect();
    (parts[2], parts[0], parts[1])
}

fn iso_date(text: &str) -> (u32, u32, u32) {
    let parts: Vec<u32> = text.split('-').map(|p| p.parse().unwrap()).collect();
    (parts[0], parts[1], parts[2])
}

/// "55.94" as 5594 cents.
fn cents(text: &str) -> i64 {
    let (units, fraction) = text.split_once('.').unwrap_or((text, ""));
    let fraction = format!("{fraction:0<2}");
    units.parse::<i64>().unwrap() * 100 + fraction[..2].parse::<i64>().unwrap()
}

#[derive(Default, Debug, PartialEq, Eq)]
struct Expected {
    exposure: i64,
    overdue: i64,
    open_invoices: u32,
}

/// Invoices dated on or before the as-of date and settled after it are
/// open; those due before the as-of date are overdue.
fn expected_from_csv(as_of: &str) -> BTreeMap<String, Expected> {
    let as_of = iso_date(as_of);
    let text = std::fs::read_to_string(ibm_csv()).unwrap();
    let mut expected: BTreeMap<String, Expected> = BTreeMap::new();
    for line in text.lines().skip(1) {
        let cells: Vec<&str> = line.trim_end_matches('\r').split(',').collect();
        let customer = cells[1].to_string();
        let entry = expected.entry(customer).or_default();
        let (invoiced, due, settled) = (us_date(cells[4]), us_date(cells[5]), us_date(cells[8]));
        if invoiced <= as_of && settled > as_of {
            entry.exposure += cents(cells[6]);
            entry.open_invoices += 1;
            if due < as_of {
                entry.overdue += cents(cells[6]);
            }
        }
    }
    expected
}

fn evaluate(as_of: &str) -> Vec<Value> {
    let output = Command::new(env!("CARGO_BIN_EXE_solvent"))
        .current_dir(repo())
        .args([
            "eval",
            "policies/sme-standard.policy",
            "--ledger",
            "examples/ibm-ar/ledger.toml",
        ])
        .args(["--as-of", as_of, "--format", "json"])
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice::<Value>(&output.stdout)
        .unwrap()
        .as_array()
        .unwrap()
        .clone()
}

fn check_against_csv(as_of: &str) {
    let expected = expected_from_csv(as_of);
    let decisions = evaluate(as_of);
    assert_eq!(decisions.len(), expected.len());
    for decision in &decisions {
        let client = decision["client"].as_str().unwrap();
        let metrics = &decision["metrics"];
        let actual = Expected {
            exposure: cents(metrics["exposure"].as_str().unwrap()),
            overdue: cents(metrics["overdue"].as_str().unwrap()),
            open_invoices: metrics["open_invoices"].as_u64().unwrap() as u32,
        };
        assert_eq!(actual, expected[client], "client {client} at {as_of}");
    }
}

#[test]
fn required_command_gives_one_decision_per_customer() {
    let decisions = evaluate("2013-06-30");
    assert_eq!(decisions.len(), 100);
    for decision in &decisions {
        assert_eq!(decision["as_of"], "2013-06-30");
        assert_eq!(decision["policy"]["name"], "SME trade credit");
        assert!(decision["grade"].is_string(), "{decision}");
        assert!(decision["credit_limit"].is_string(), "{decision}");
    }
}

#[test]
fn exposure_and_overdue_match_the_csv_mid_2013() {
    check_against_csv("2013-06-30");
}

#[test]
fn exposure_and_overdue_match_the_csv_on_a_leap_day() {
    check_against_csv("2012-02-29");
}

#[test]
fn exposure_and_overdue_match_the_csv_at_year_ends() {
    check_against_csv("2012-12-31");
    check_against_csv("2013-12-31");
}

#[test]
fn disputed_invoices_get_no_dunning_action() {
    let text = std::fs::read_to_string(ibm_csv()).unwrap();
    let disputed: Vec<String> = text
        .lines()
        .skip(1)
        .filter(|line| line.split(',').nth(7) == Some("Yes"))
        .map(|line| line.split(',').nth(3).unwrap().to_string())
        .collect();
    assert_eq!(disputed.len(), 561);
    let mut actions = 0;
    for decision in evaluate("2013-06-30") {
        for action in decision["actions"].as_array().unwrap() {
            let invoice = action["invoice"].as_str().unwrap();
            assert!(
                !disputed.iter().any(|d| d == invoice),
                "disputed {invoice} dunned"
            );
            actions += 1;
        }
    }
    assert!(
        actions > 0,
        "no action at all: the test would prove nothing"
    );
}
