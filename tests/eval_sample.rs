//! `solvent eval` on the sample ledger: the full decision JSON as a
//! snapshot, and the cases the sample was built for checked one by one.

use std::path::PathBuf;
use std::process::Command;

use serde_json::Value;
use sha2::{Digest, Sha256};

const AS_OF: &str = "2027-03-31";

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn run_eval(format: &str) -> String {
    let output = Command::new(env!("CARGO_BIN_EXE_solvent"))
        .current_dir(repo())
        .args([
            "eval",
            "policies/sme-standard.policy",
            "--ledger",
            "examples/sample",
        ])
        .args(["--as-of", AS_OF, "--format", format])
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        output.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

fn decisions() -> Vec<Value> {
    serde_json::from_str::<Value>(&run_eval("json"))
        .unwrap()
        .as_array()
        .unwrap()
        .clone()
}

fn decision(client: &str) -> Value {
    decisions()
        .into_iter()
        .find(|d| d["client"] == client)
        .unwrap()
}

fn file_sha256(path: &str) -> String {
    let bytes = std::fs::read(repo().join(path)).unwrap();
    Sha256::digest(&bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn policy_sha256() -> String {
    file_sha256("policies/sme-standard.policy")
}

fn hook_sha256() -> String {
    file_sha256("policies/hooks/altman.rhai")
}

#[test]
fn sample_decisions_snapshot() {
    let json = run_eval("json")
        .replace(&policy_sha256(), "[sha256 of the policy]")
        .replace(&hook_sha256(), "[sha256 of the hook]");
    insta::assert_snapshot!(json);
}

#[test]
fn sample_table_snapshot() {
    insta::assert_snapshot!(run_eval("table"));
}

#[test]
fn sample_csv_snapshot() {
    insta::assert_snapshot!(run_eval("csv"));
}

#[test]
fn ndjson_has_one_decision_per_line() {
    let lines: Vec<Value> = run_eval("ndjson")
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines, decisions());
}

#[test]
fn every_decision_carries_the_policy_stamp() {
    for decision in decisions() {
        assert_eq!(decision["policy"]["sha256"], policy_sha256());
        assert_eq!(decision["policy"]["hooks"][0]["path"], "hooks/altman.rhai");
        assert_eq!(decision["policy"]["hooks"][0]["sha256"], hook_sha256());
        assert_eq!(decision["policy"]["version"], 1);
        assert_eq!(decision["as_of"], AS_OF);
    }
}

#[test]
fn sample_covers_every_grade() {
    let grades: Vec<String> = decisions()
        .iter()
        .map(|d| d["grade"].as_str().unwrap().to_string())
        .collect();
    for grade in ["A", "B", "C", "D", "E"] {
        assert!(
            grades.iter().any(|g| g == grade),
            "no client graded {grade}"
        );
    }
}

#[test]
fn disputed_invoice_stays_in_exposure_without_dunning() {
    let hotel = decision("C08");
    assert_eq!(hotel["metrics"]["exposure"], "1750.00");
    assert_eq!(hotel["metrics"]["overdue"], "1750.00");
    assert_eq!(hotel["actions"].as_array().unwrap().len(), 0);
}

#[test]
fn partial_payment_leaves_the_remainder_dunnable() {
    // F-0032: 2000.00 due 2027-03-01, 1200.00 paid on 2027-03-10.
    let printer = decision("C09");
    let actions = printer["actions"].as_array().unwrap();
    assert_eq!(actions.len(), 2);
    for action in actions {
        assert_eq!(action["invoice"], "F-0032");
        assert_eq!(action["open_amount"], "800.00");
        assert_eq!(action["days_past_due"], 30);
        assert_eq!(action["step"], "30 days after due");
    }
    assert_eq!(actions[0]["action"], "letter");
    assert_eq!(actions[0]["template"], "formal-notice");
    assert_eq!(actions[1]["action"], "charge_late_interest");
}

#[test]
fn new_client_takes_the_missing_arm() {
    let newcomer = decision("C07");
    assert!(newcomer["metrics"]["avg_days_late"].is_null());
    let delays = &newcomer["score"]["factors"][0];
    assert_eq!(delays["name"], "payment delays");
    assert_eq!(delays["arm"], "missing");
    assert_eq!(delays["points"], "50");
    // 0.4 × 50 (no history) + 0.3 × 0 (nothing overdue) + 0.3 × 50 (no balance sheet).
    assert_eq!(newcomer["score"]["total"], "35.00");
    assert_eq!(newcomer["grade"], "B");
}

#[test]
fn payment_after_as_of_date_is_ignored() {
    // F-0041: 1500.00 less a 300.00 credit note; the 1200.00 payment is dated 2027-04-05.
    let bookshop = decision("C12");
    assert_eq!(bookshop["metrics"]["exposure"], "1200.00");
    assert_eq!(bookshop["metrics"]["overdue"], "1200.00");
}

#[test]
fn payment_on_account_settles_the_oldest_invoice() {
    // 700.00 on account settles F-0038 (700.00, due 2027-02-04); F-0039 stays open.
    let kiosk = decision("C11");
    assert_eq!(kiosk["metrics"]["exposure"], "650.00");
    assert_eq!(kiosk["metrics"]["open_invoices"], 1);
}

#[test]
fn over_limit_client_raises_the_alert() {
    let gardens = decision("C10");
    assert_eq!(gardens["credit_limit"], "2500.00");
    assert_eq!(gardens["metrics"]["exposure"], "12600.00");
    assert_eq!(gardens["available_credit"], "-10100.00");
    let alerts = gardens["alerts"].as_array().unwrap();
    assert!(
        alerts
            .iter()
            .any(|a| a["name"] == "over credit limit" && a["severity"] == "high")
    );
}

#[test]
fn altman_hook_scores_the_balance_sheet() {
    // Z'' = 6.56 × 165000/800000 + 3.26 × 90000/800000 + 6.72 × 40000/800000
    //     + 1.05 × 150000/650000 = 2.298057..., in the grey zone:
    // 100 × (2.6 − 2.298057) / 1.5 = 20.129... points, rounded to 20.13.
    let electrician = decision("C05");
    let solvency = &electrician["score"]["factors"][2];
    assert_eq!(solvency["arm"], "hook \"hooks/altman.rhai\"");
    assert_eq!(solvency["points"], "20.13");
}

#[test]
fn csv_actions_name_instalment_and_currency() {
    let csv = run_eval("csv");
    let line = |client: &str| {
        csv.lines()
            .find(|line| line.starts_with(&format!("{client},")))
            .unwrap()
            .to_string()
    };
    // C14's invoice F-0045 is split; its second instalment, 1000.00 EUR,
    // is 20 days late.
    assert!(
        line("C14").contains("F-0045 instalment 2 call (15 days after due, 1000.00 EUR open)"),
        "{}",
        line("C14")
    );
    // C13's invoice F-0044 is in USD, a currency other than the policy's.
    assert!(
        line("C13").contains("F-0044 block_orders (45 days after due, 5000.00 USD open)"),
        "{}",
        line("C13")
    );
    assert!(line("C13").starts_with("C13,EUR,"), "{}", line("C13"));
}
