//! The `solvent` binary as a user runs it: exit codes, where output goes,
//! and what error messages name.

use std::path::PathBuf;
use std::process::{Command, Output};

use serde_json::Value;

fn solvent(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_solvent"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1")
        .args(args)
        .output()
        .unwrap()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[test]
fn check_passes_the_shipped_policies() {
    let output = solvent(&["check", "policies"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(stderr(&output).contains("0 errors"), "{}", stderr(&output));
}

#[test]
fn check_locates_a_misspelled_metric() {
    let output = solvent(&["check", "tests/fixtures/check/unknown-metric.policy"]);
    assert_eq!(output.status.code(), Some(1));
    let message = stderr(&output);
    assert!(
        message.contains("tests/fixtures/check/unknown-metric.policy:6:10"),
        "{message}"
    );
    assert!(message.contains("unknown name `avg_day_late`"), "{message}");
    assert!(
        message.contains("did you mean `avg_days_late`?"),
        "{message}"
    );
}

#[test]
fn check_reports_every_file_and_fails_if_one_fails() {
    let output = solvent(&[
        "check",
        "policies/sme-standard.policy",
        "tests/fixtures/check/weights-sum.policy",
        "tests/fixtures/check/step-order.policy",
    ]);
    assert_eq!(output.status.code(), Some(1));
    let message = stderr(&output);
    assert!(message.contains("weights-sum.policy:4:1"), "{message}");
    assert!(message.contains("step-order.policy:8:3"), "{message}");
    assert!(
        message.contains("checked 3 policies: 2 errors, 0 warnings"),
        "{message}"
    );
}

#[test]
fn check_json_lists_located_diagnostics() {
    let output = solvent(&[
        "check",
        "--format",
        "json",
        "tests/fixtures/check/many-errors.policy",
    ]);
    assert_eq!(output.status.code(), Some(1));
    let diagnostics: Value = serde_json::from_str(&stdout(&output)).unwrap();
    let codes: Vec<&str> = diagnostics
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap())
        .collect();
    assert_eq!(
        codes,
        [
            "weights-sum",
            "missing-arm",
            "unknown-name",
            "unit-mismatch"
        ]
    );
    let unknown = &diagnostics[2];
    assert_eq!(unknown["file"], "tests/fixtures/check/many-errors.policy");
    assert_eq!(unknown["line"], 10);
    assert_eq!(unknown["column"], 10);
    assert_eq!(unknown["severity"], "error");
    assert_eq!(unknown["help"], "did you mean `overdue_ratio`?");
}

#[test]
fn check_of_a_missing_path_is_a_usage_error() {
    let output = solvent(&["check", "no/such/policy.policy"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("`no/such/policy.policy` does not exist"));
}

#[test]
fn eval_without_ledger_is_a_usage_error() {
    let output = solvent(&[
        "eval",
        "policies/sme-standard.policy",
        "--as-of",
        "2027-03-31",
    ]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("--ledger"), "{}", stderr(&output));
}

#[test]
fn eval_with_an_invalid_date_is_a_usage_error() {
    for date in [
        "31/03/2027",
        "27-03-31",
        "0027-03-31",
        "2027-02-30",
        "+2027-03-31",
    ] {
        let output = solvent(&[
            "eval",
            "policies/sme-standard.policy",
            "--ledger",
            "examples/sample",
            &format!("--as-of={date}"),
        ]);
        assert_eq!(output.status.code(), Some(2), "{date}");
        let expected = format!("`{date}` is not a date in the form YYYY-MM-DD");
        assert!(
            stderr(&output).contains(&expected),
            "{date}: {}",
            stderr(&output)
        );
    }
}

#[test]
fn eval_refuses_a_policy_with_errors() {
    let output = solvent(&[
        "eval",
        "tests/fixtures/check/unknown-metric.policy",
        "--ledger",
        "examples/sample",
        "--as-of",
        "2027-03-31",
    ]);
    assert_eq!(output.status.code(), Some(1));
    assert!(output.stdout.is_empty());
    assert!(stderr(&output).contains("nothing was evaluated"));
}

#[test]
fn eval_names_file_line_and_column_of_a_bad_row() {
    let ledger = PathBuf::from("tests/fixtures/ledger/errors/invalid-date");
    let output = solvent(&[
        "eval",
        "policies/sme-standard.policy",
        "--ledger",
        ledger.to_str().unwrap(),
        "--as-of",
        "2027-03-31",
    ]);
    assert_eq!(output.status.code(), Some(1));
    assert!(output.stdout.is_empty());
    let message = stderr(&output);
    assert!(
        message.contains("invoices.csv:3: column `date`"),
        "{message}"
    );
    assert!(message.contains("help:"), "{message}");
}

#[test]
fn eval_names_the_cell_of_a_mistyped_field() {
    let folder = std::env::temp_dir().join(format!("solvent-cli-{}", std::process::id()));
    std::fs::create_dir_all(&folder).unwrap();
    std::fs::write(
        folder.join("clients.csv"),
        "id,name,equity\nC1,One,12 000\n",
    )
    .unwrap();
    std::fs::write(
        folder.join("invoices.csv"),
        "id,client,date,due_date,amount\n",
    )
    .unwrap();
    std::fs::write(folder.join("payments.csv"), "id,client,date,amount\n").unwrap();
    let output = solvent(&[
        "eval",
        "policies/sme-standard.policy",
        "--ledger",
        folder.to_str().unwrap(),
        "--as-of",
        "2027-03-31",
    ]);
    std::fs::remove_dir_all(&folder).unwrap();
    assert_eq!(output.status.code(), Some(1));
    let message = stderr(&output);
    assert!(
        message.contains("clients.csv:2: column `equity`"),
        "{message}"
    );
    assert!(message.contains("`12 000`"), "{message}");
}

#[test]
fn help_and_version_succeed() {
    assert_eq!(solvent(&["--help"]).status.code(), Some(0));
    assert_eq!(solvent(&["--version"]).status.code(), Some(0));
    assert!(stdout(&solvent(&["eval", "--help"])).contains("--as-of"));
}

#[test]
fn eval_of_missing_paths_is_a_usage_error() {
    let missing_policy = solvent(&[
        "eval",
        "no.policy",
        "--ledger",
        "examples/sample",
        "--as-of",
        "2027-03-31",
    ]);
    assert_eq!(missing_policy.status.code(), Some(2));
    assert!(stderr(&missing_policy).contains("`no.policy` is not a policy file"));

    let folder_policy = solvent(&[
        "eval",
        "policies",
        "--ledger",
        "examples/sample",
        "--as-of",
        "2027-03-31",
    ]);
    assert_eq!(folder_policy.status.code(), Some(2));

    let missing_ledger = solvent(&[
        "eval",
        "policies/sme-standard.policy",
        "--ledger",
        "nowhere",
        "--as-of",
        "2027-03-31",
    ]);
    assert_eq!(missing_ledger.status.code(), Some(2));
    assert!(stderr(&missing_ledger).contains("`nowhere` does not exist"));
}

#[test]
fn csv_file_as_ledger_is_a_usage_error() {
    for command in ["eval", "order-check"] {
        let mut args = vec![
            command,
            "policies/sme-standard.policy",
            "--ledger",
            "examples/sample/clients.csv",
            "--as-of",
            "2027-03-31",
        ];
        if command == "order-check" {
            args.extend(["--client", "C01", "--amount", "10"]);
        }
        let output = solvent(&args);
        assert_eq!(output.status.code(), Some(2), "{command}");
        let message = stderr(&output);
        assert!(
            message.contains(
                "`examples/sample/clients.csv` is not a ledger folder or a .toml manifest"
            ),
            "{command}: {message}"
        );
        assert!(stdout(&output).is_empty(), "{command}");
    }
}

#[test]
fn check_json_reports_an_unreadable_policy() {
    let path = std::env::temp_dir().join(format!("solvent-latin1-{}.policy", std::process::id()));
    std::fs::write(&path, b"policy \"cr\xe9dit\" version 1\ncurrency EUR\n").unwrap();
    let output = solvent(&["check", "--format", "json", path.to_str().unwrap()]);
    std::fs::remove_file(&path).unwrap();
    assert_eq!(output.status.code(), Some(1));
    let diagnostics: Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert_eq!(diagnostics[0]["code"], "unreadable");
    assert!(diagnostics[0]["line"].is_null());
    let message = diagnostics[0]["message"].as_str().unwrap();
    assert!(message.contains("line 1 is not UTF-8 text"), "{message}");
    let help = diagnostics[0]["help"].as_str().unwrap();
    assert!(help.contains("iconv"), "{help}");
}

#[test]
fn closed_standard_error_is_not_a_crash() {
    use std::process::Stdio;
    let mut child = Command::new(env!("CARGO_BIN_EXE_solvent"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["check", "tests/fixtures/check/many-errors.policy"])
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stderr.take());
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(1));
}

#[test]
fn closed_standard_output_is_not_a_crash() {
    use std::process::Stdio;
    for format in ["table", "json", "ndjson", "csv"] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_solvent"))
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .args([
                "eval",
                "policies/sme-standard.policy",
                "--ledger",
                "examples/ibm-ar/ledger.toml",
            ])
            .args(["--as-of", "2013-06-30", "--format", format])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        drop(child.stdout.take());
        let status = child.wait().unwrap();
        assert_eq!(status.code(), Some(0), "{format}");
    }
}

#[test]
fn order_check_approves_within_the_limit() {
    // C03: exposure 21000.00 (9000.00 invoiced, 12000.00 ordered), limit 60000.00.
    let output = solvent(&[
        "order-check",
        "policies/sme-standard.policy",
        "--ledger",
        "examples/sample",
        "--client",
        "C03",
        "--amount",
        "5000",
        "--as-of",
        "2027-03-31",
        "--format",
        "json",
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let check: Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert_eq!(check["verdict"], "approve");
    assert_eq!(check["currency"], "EUR");
    assert_eq!(check["exposure"], "21000.00");
    assert_eq!(check["exposure_with_order"], "26000.00");
    assert!(check["reasons"].as_array().unwrap().is_empty());
}

#[test]
fn order_check_holds_with_every_reason() {
    // C06 is graded E, over its zero limit, 116 days overdue and blocked.
    let output = solvent(&[
        "order-check",
        "policies/sme-standard.policy",
        "--ledger",
        "examples/sample",
        "--client",
        "C06",
        "--amount",
        "10 EUR",
        "--as-of",
        "2027-03-31",
    ]);
    assert_eq!(output.status.code(), Some(0));
    let text = stdout(&output);
    assert!(
        text.starts_with("HOLD order of 10.00 EUR for client C06"),
        "{text}"
    );
    for reason in [
        "over credit limit",
        "an invoice over 60 days overdue",
        "grade E sells on prepayment only",
        "orders blocked by dunning",
    ] {
        assert!(text.contains(&format!("  - {reason}")), "{reason}: {text}");
    }
}

#[test]
fn order_check_rejects_bad_arguments() {
    let run = |client: &str, amount: &str| {
        solvent(&[
            "order-check",
            "policies/sme-standard.policy",
            "--ledger",
            "examples/sample",
            "--client",
            client,
            &format!("--amount={amount}"),
            "--as-of",
            "2027-03-31",
        ])
    };
    let unknown = run("C99", "10");
    assert_eq!(unknown.status.code(), Some(2));
    assert!(stderr(&unknown).contains("client `C99` is not in the ledger"));
    for amount in ["-5", "10 USD", "ten", "1e3"] {
        let bad = run("C01", amount);
        assert_eq!(bad.status.code(), Some(2), "{amount}");
        assert!(
            stderr(&bad).contains("is not an amount in EUR"),
            "{amount}: {}",
            stderr(&bad)
        );
    }
}

/// Writes `files`, as (name, text), into a fresh temporary folder named
/// after `name` and returns the folder.
fn temp_ledger(name: &str, files: &[(&str, &str)]) -> std::path::PathBuf {
    let folder = std::env::temp_dir().join(format!("solvent-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&folder).unwrap();
    for (file, text) in files {
        std::fs::write(folder.join(file), text).unwrap();
    }
    folder
}

/// Copies every file of examples/sample into a fresh temporary folder
/// named after `name` and returns the folder.
fn sample_copy(name: &str) -> std::path::PathBuf {
    let folder = temp_ledger(name, &[]);
    for entry in std::fs::read_dir("examples/sample").unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(&path, folder.join(path.file_name().unwrap())).unwrap();
    }
    folder
}

/// Writes a ledger where C1 owes 1000 EUR and paid 200 USD on account: the
/// credit settles nothing, which the table does not show, so standard
/// error does.
fn unapplied_credit_ledger(name: &str) -> std::path::PathBuf {
    let files = [
        ("clients.csv", "id,name\nC1,One\n"),
        (
            "invoices.csv",
            "id,client,date,due_date,amount\nI1,C1,2027-01-01,2027-01-31,1000.00\n",
        ),
        (
            "payments.csv",
            "id,client,date,amount,currency\nP1,C1,2027-02-01,200.00,USD\n",
        ),
        ("rates.csv", "date,currency,rate\n2027-01-01,USD,0.90\n"),
    ];
    temp_ledger(name, &files)
}

#[test]
fn eval_prints_decision_warnings_and_succeeds() {
    let folder = unapplied_credit_ledger("warn");
    let output = solvent(&[
        "eval",
        "policies/sme-standard.policy",
        "--ledger",
        folder.to_str().unwrap(),
        "--as-of",
        "2027-03-31",
    ]);
    std::fs::remove_dir_all(&folder).unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let message = stderr(&output);
    assert!(
        message.contains("warning[unapplied-credit]: client C1: 200.00 USD of credit"),
        "{message}"
    );
    assert!(stdout(&output).contains("C1"));
}

/// Runs `order-check` on the sample ledger with the standard policy, for
/// `client`, with the extra arguments.
fn order_check(client: &str, extra: &[&str]) -> Output {
    let mut args = vec![
        "order-check",
        "policies/sme-standard.policy",
        "--ledger",
        "examples/sample",
        "--client",
        client,
        "--as-of",
        "2027-03-31",
    ];
    args.extend_from_slice(extra);
    solvent(&args)
}

#[test]
fn order_check_rejects_a_third_decimal() {
    // C01 has 73700.00 of credit left: 73700.004 would be held while its
    // exposure with the order printed as 80000.00, equal to the limit.
    let output = order_check("C01", &["--amount", "73700.004"]);
    assert_eq!(output.status.code(), Some(2));
    let message = stderr(&output);
    assert!(
        message.contains("`73700.004` has 3 decimal places"),
        "{message}"
    );
    assert!(message.contains("at most 2"), "{message}");
    assert!(stdout(&output).is_empty());
}

#[test]
fn order_check_rejects_negative_amount() {
    for amount in ["-5", "-5 EUR"] {
        let output = order_check("C01", &["--amount", amount]);
        assert_eq!(output.status.code(), Some(2), "{amount}");
        let message = stderr(&output);
        assert!(
            message.contains(&format!("`{amount}` is not an amount in EUR")),
            "{amount}: {message}"
        );
        assert!(
            message.contains("cannot be negative"),
            "{amount}: {message}"
        );
        assert!(!message.contains("use '--"), "{amount}: {message}");
    }
}

#[test]
fn order_check_json_snapshot() {
    let output = order_check("C07", &["--amount", "500", "--format", "json"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    insta::assert_snapshot!(stdout(&output));
}

#[test]
fn order_check_text_snapshot() {
    let output = order_check("C07", &["--amount", "500"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    insta::assert_snapshot!(stdout(&output));
}

#[test]
fn order_check_replaces_a_ledger_order() {
    // C07's exposure of 21500.00 includes its open orders O-102 and O-103,
    // 9000.00 each. Checked as O-102, the order replaces it: 21500.00 -
    // 9000.00 = 12500.00, and 13000.00 with the order of 500.00.
    let output = order_check(
        "C07",
        &["--amount", "500", "--order-id", "O-102", "--format", "json"],
    );
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let check: Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert_eq!(check["order_id"], "O-102");
    assert_eq!(check["replaces"]["amount"], "9000.00");
    assert_eq!(check["replaces"]["date"], "2027-03-29");
    assert_eq!(check["exposure"], "12500.00");
    assert_eq!(check["exposure_with_order"], "13000.00");
    assert_eq!(check["verdict"], "approve");
}

#[test]
fn order_check_of_an_unknown_order_id() {
    // O-101 is an open order of C03, not of C07: the order is new, and the
    // exposure keeps both of C07's orders.
    for id in ["O-101", "O-999"] {
        let output = order_check(
            "C07",
            &["--amount", "500", "--order-id", id, "--format", "json"],
        );
        assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
        let check: Value = serde_json::from_str(&stdout(&output)).unwrap();
        assert_eq!(check["order_id"], id);
        assert_eq!(check["replaces"], Value::Null, "{id}");
        assert_eq!(check["exposure"], "21500.00", "{id}");
        assert_eq!(check["verdict"], "hold", "{id}");
    }
}

#[test]
fn order_check_text_names_the_replaced_order() {
    let replaced = order_check("C07", &["--amount", "500", "--order-id", "O-102"]);
    assert_eq!(replaced.status.code(), Some(0), "{}", stderr(&replaced));
    insta::assert_snapshot!("order_check_text_replaced", stdout(&replaced));

    let new = order_check("C07", &["--amount", "500", "--order-id", "O-999"]);
    assert_eq!(new.status.code(), Some(0), "{}", stderr(&new));
    insta::assert_snapshot!("order_check_text_new_id", stdout(&new));
}

#[test]
fn eval_csv_guards_text_cells_against_formulas() {
    // Client `=1+1` owes 1000000.00 on invoice `+I1`, due 31 January and
    // 59 days late on 31 March, far over any limit of the standard policy:
    // its available credit is negative, and the invoice is dunned.
    let files = [
        ("clients.csv", "id,name\n=1+1,Formula Ltd\n"),
        (
            "invoices.csv",
            "id,client,date,due_date,amount\n+I1,=1+1,2027-01-01,2027-01-31,1000000.00\n",
        ),
        ("payments.csv", "id,client,date,amount\n"),
    ];
    let folder = temp_ledger("csv", &files);
    let output = solvent(&[
        "eval",
        "policies/sme-standard.policy",
        "--ledger",
        folder.to_str().unwrap(),
        "--as-of",
        "2027-03-31",
        "--format",
        "csv",
    ]);
    std::fs::remove_dir_all(&folder).unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));

    let text = stdout(&output);
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header = reader.headers().unwrap().clone();
    let row = reader.records().next().unwrap().unwrap();
    let cell = |name: &str| {
        let index = header.iter().position(|h| h == name).unwrap();
        row.get(index).unwrap().to_string()
    };
    assert_eq!(cell("client"), "'=1+1");
    assert!(cell("actions").starts_with("'+I1 "), "{}", cell("actions"));
    let available = cell("available_credit");
    assert!(available.starts_with('-'), "{available}");
    assert!(
        available.parse::<rust_decimal::Decimal>().is_ok(),
        "{available}"
    );
    assert_eq!(cell("exposure"), "1000000.00");
}

#[test]
fn table_aligns_wide_characters() {
    // 客户 takes four terminal columns, as `client` takes six, and the
    // grade column must start at the same column on every row.
    let files = [
        ("clients.csv", "id,name\n客户1,Wide\nC2,Narrow\n"),
        (
            "invoices.csv",
            "id,client,date,due_date,amount\nI1,客户1,2027-01-01,2027-01-31,1000.00\n",
        ),
        ("payments.csv", "id,client,date,amount\n"),
    ];
    let folder = temp_ledger("wide", &files);

    let output = solvent(&[
        "eval",
        "policies/sme-standard.policy",
        "--ledger",
        folder.to_str().unwrap(),
        "--as-of",
        "2027-03-31",
    ]);
    std::fs::remove_dir_all(&folder).unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));

    let table = stdout(&output);
    let rows: Vec<&str> = table.lines().take(3).collect();
    let widths: Vec<usize> = rows
        .iter()
        .map(|line| {
            let (client, _) = line.split_once("  ").unwrap();
            let rest = &line[client.len()..];
            let spaces = rest.len() - rest.trim_start().len();
            display_width(client) + spaces
        })
        .collect();

    assert_eq!(widths[0], widths[1], "{table}");
    assert_eq!(widths[1], widths[2], "{table}");
}

/// Terminal columns of `text`: two for each CJK character, one otherwise.
fn display_width(text: &str) -> usize {
    text.chars()
        .map(|c| {
            if ('\u{4e00}'..='\u{9fff}').contains(&c) {
                2
            } else {
                1
            }
        })
        .sum()
}

#[test]
fn order_check_prints_decision_warnings() {
    let folder = unapplied_credit_ledger("order-warn");
    let output = solvent(&[
        "order-check",
        "policies/sme-standard.policy",
        "--ledger",
        folder.to_str().unwrap(),
        "--client",
        "C1",
        "--amount",
        "100",
        "--as-of",
        "2027-03-31",
        "--format",
        "json",
    ]);
    std::fs::remove_dir_all(&folder).unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let message = stderr(&output);
    let check: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert!(
        message.contains("warning[unapplied-credit]: client C1: 200.00 USD of credit"),
        "{message}"
    );
    assert_eq!(check["warnings"][0]["code"], "unapplied-credit");
}

#[test]
fn order_check_rejects_an_empty_order_id() {
    let output = order_check("C03", &["--amount", "500", "--order-id", " "]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("`--order-id` is empty"),
        "{}",
        stderr(&output)
    );
    assert!(stdout(&output).is_empty());
}

#[test]
fn order_check_warns_of_another_clients_order_id() {
    // O-101 is an open order of C03; checking it for C07 is a new order
    // of C07, and the id suggests a wrong `--client`.
    let output = order_check(
        "C07",
        &["--amount", "500", "--order-id", "O-101", "--format", "json"],
    );
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let check: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert!(
        stderr(&output).contains(
            "warning[order-of-another-client]: client C07: order `O-101` is an order of client C03"
        ),
        "{}",
        stderr(&output)
    );
    assert_eq!(check["warnings"][0]["code"], "order-of-another-client");
    assert_eq!(check["replaces"], serde_json::Value::Null);
}

#[test]
fn order_check_trims_the_order_id() {
    // O-102 (9000) is an open order of C07: with spaces around its id it
    // is still replaced, so C07's exposure drops from 21500 to 12500.
    let output = order_check(
        "C07",
        &[
            "--amount",
            "500",
            "--order-id",
            " O-102 ",
            "--format",
            "json",
        ],
    );
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let check: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert_eq!(check["order_id"], "O-102");
    assert_eq!(check["exposure"], "12500.00");
}

#[test]
fn manifest_name_in_capitals_loads() {
    // An empty manifest reads the native files beside it.
    let folder = sample_copy("caps");
    let manifest = folder.join("LEDGER.TOML");
    std::fs::write(&manifest, "").unwrap();
    let output = solvent(&[
        "eval",
        "policies/sme-standard.policy",
        "--ledger",
        manifest.to_str().unwrap(),
        "--as-of",
        "2027-03-31",
    ]);
    std::fs::remove_dir_all(&folder).unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(stdout(&output).contains("C14"));
}

#[test]
fn folder_with_an_unread_manifest_warns() {
    let folder = sample_copy("unread");
    std::fs::write(folder.join("ledger.toml"), "[format]\ndelimiter = \";\"\n").unwrap();
    let output = solvent(&[
        "eval",
        "policies/sme-standard.policy",
        "--ledger",
        folder.to_str().unwrap(),
        "--as-of",
        "2027-03-31",
    ]);
    std::fs::remove_dir_all(&folder).unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("contains a ledger.toml, which is not read"),
        "{}",
        stderr(&output)
    );
}
