//! How evaluation applies each kind of rule, on small ledgers written for
//! the case at hand. Expected values are worked out in the comments.

#[path = "support/case.rs"]
mod case;

use case::{AS_OF, Case, HEADER, NO_PAYMENTS, date};
use solvent::eval::{EvalError, Evaluator};
use solvent::hooks::{HookEngine, HookLimits};
use solvent::ledger::Ledger;

/// One client with invoices due 2, 8, 20 and 70 days before the as-of date
/// and one due 2 days after it.
fn dunning_case(name: &str, escalation: &str) -> Case {
    Case::new(name)
        .policy(&format!("{HEADER}escalation {{\n{escalation}\n}}\n"))
        .clients("id,name\nC1,One\n")
        .invoices(
            "id,client,date,due_date,amount\n\
             D2,C1,2027-02-27,2027-03-29,100.00\n\
             D8,C1,2027-02-21,2027-03-23,200.00\n\
             D20,C1,2027-02-09,2027-03-11,300.00\n\
             D70,C1,2026-12-21,2027-01-20,400.00\n\
             N2,C1,2027-03-04,2027-04-02,500.00\n",
        )
        .payments(NO_PAYMENTS)
}

fn actions_by_invoice(decision: &serde_json::Value) -> Vec<(String, String)> {
    decision["actions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            (
                a["invoice"].as_str().unwrap().to_string(),
                a["step"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn escalation_takes_latest_step_reached() {
    let case = dunning_case(
        "latest-step",
        "3 days before due => email \"courtesy\"\n\
         5 days after due => email \"reminder\"\n\
         15 days after due => call\n\
         60 days after due => hand over to collections",
    );
    let decisions = case.decisions();
    let actions = actions_by_invoice(&decisions[0]);
    assert_eq!(
        actions,
        [
            ("D70".to_string(), "60 days after due".to_string()),
            ("D20".to_string(), "15 days after due".to_string()),
            ("D8".to_string(), "5 days after due".to_string()),
            ("D2".to_string(), "3 days before due".to_string()),
            ("N2".to_string(), "3 days before due".to_string()),
        ]
    );
}

#[test]
fn escalation_same_day_steps_first_match() {
    // D8 (200 EUR) and D20 (300 EUR) are past 5 days; only D20 is over 250 EUR.
    let case = dunning_case(
        "same-day",
        "5 days after due when open_amount > 250 EUR => call\n\
         5 days after due => email \"reminder\"",
    );
    let decision = &case.decisions()[0];
    let actions = decision["actions"].as_array().unwrap();
    let by_invoice =
        |id: &str| actions.iter().find(|a| a["invoice"] == id).unwrap()["action"].clone();
    assert_eq!(by_invoice("D20"), "call");
    assert_eq!(by_invoice("D70"), "call");
    assert_eq!(by_invoice("D8"), "email");
}

#[test]
fn escalation_falls_back_to_earlier_step() {
    // The 15-day step applies only to invoices over 1000 EUR, so D20 and
    // D70 fall back to the 5-day email.
    let case = dunning_case(
        "fallback",
        "5 days after due => email \"reminder\"\n\
         15 days after due when open_amount > 1000 EUR => call",
    );
    let actions = actions_by_invoice(&case.decisions()[0]);
    assert!(
        actions.iter().all(|(_, step)| step == "5 days after due"),
        "{actions:?}"
    );
    assert_eq!(actions.len(), 3);
}

#[test]
fn skipped_invoices_stay_in_exposure() {
    let case = dunning_case(
        "skip",
        "skip invoices where amount >= 300 EUR\n\
         5 days after due => email \"reminder\"",
    );
    let decision = &case.decisions()[0];
    let actions = actions_by_invoice(decision);
    assert_eq!(
        actions,
        [("D8".to_string(), "5 days after due".to_string())]
    );
    assert_eq!(decision["metrics"]["exposure"], "1500.00");
}

fn limit_case(name: &str, limit: &str, clients: &str) -> Case {
    Case::new(name)
        .policy(&format!(
            "{HEADER}\
             fields {{\n  equity: money\n  public_sector: boolean or false\n}}\n\
             grades {{\n  A when overdue = 0 EUR\n  B otherwise\n}}\n\
             limit {{\n{limit}\n}}\n"
        ))
        .clients(clients)
        .invoices("id,client,date,due_date,amount\nI1,C2,2027-01-01,2027-01-31,100.00\n")
        .payments(NO_PAYMENTS)
}

#[test]
fn limit_entries_first_match_wins() {
    let case = limit_case(
        "limit-first-match",
        "A when client.public_sector => 500000 EUR\n\
         A => min(20% of client.equity, 200000 EUR) if missing 5000 EUR\n\
         B => 0 EUR",
        "id,name,equity,public_sector\n\
         C1,Public,,true\n\
         C2,Late,100000,false\n\
         C3,Private,100000,false\n\
         C4,No accounts,,false\n",
    );
    let limits: Vec<(String, String)> = case
        .decisions()
        .iter()
        .map(|d| {
            (
                d["grade"].as_str().unwrap().to_string(),
                d["credit_limit"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        limits,
        [
            ("A".to_string(), "500000.00".to_string()),
            ("B".to_string(), "0.00".to_string()),
            ("A".to_string(), "20000.00".to_string()),
            ("A".to_string(), "5000.00".to_string()),
        ]
    );
}

#[test]
fn division_by_zero_takes_if_missing() {
    // C1 has no exposure: overdue / exposure has no value and the
    // fallback applies.
    let case = Case::new("division-by-zero")
        .policy(&format!(
            "{HEADER}alerts {{\n  high \"mostly overdue\" when overdue / exposure > 0.5 if missing false\n  low \"no exposure\" when (overdue / exposure > 0.5 if missing true) and exposure = 0 EUR\n}}\n"
        ))
        .clients("id\nC1\nC2\n")
        .invoices("id,client,date,due_date,amount\nI1,C2,2027-01-01,2027-01-31,100.00\n")
        .payments(NO_PAYMENTS);
    let decisions = case.decisions();
    let names = |d: &serde_json::Value| -> Vec<String> {
        d["alerts"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["name"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(names(&decisions[0]), ["no exposure"]);
    assert_eq!(names(&decisions[1]), ["mostly overdue"]);
}

#[test]
fn percent_field_needs_percent_sign() {
    let policy = format!(
        "{HEADER}fields {{\n  discount: percent or 0%\n}}\nalerts {{\n  low \"big discount\" when client.discount > 10%\n}}\n"
    );
    let ok = Case::new("percent-field")
        .policy(&policy)
        .clients("id,discount\nC1,15%\nC2,5 %\nC3,\n")
        .invoices("id,client,date,due_date,amount\n")
        .payments(NO_PAYMENTS);
    let alerts: Vec<usize> = ok
        .decisions()
        .iter()
        .map(|d| d["alerts"].as_array().unwrap().len())
        .collect();
    assert_eq!(alerts, [1, 0, 0]);

    let bad = Case::new("percent-field-bare")
        .policy(&policy)
        .clients("id,discount\nC1,0.15\n")
        .invoices("id,client,date,due_date,amount\n")
        .payments(NO_PAYMENTS);
    let engine = HookEngine::new(HookLimits::default());
    let checked = bad.checked(&engine);
    let ledger = bad.ledger();
    let errors = match Evaluator::new(&checked, &ledger, &engine, date(AS_OF)) {
        Ok(_) => panic!("a bare number was read as a percent"),
        Err(errors) => errors,
    };
    assert_eq!(errors.0.len(), 1);
    assert_eq!(errors.0[0].line, Some(2));
    assert_eq!(errors.0[0].column.as_deref(), Some("discount"));
    assert!(
        errors.0[0].message.contains("`0.15` is not a percent"),
        "{}",
        errors.0[0].message
    );
}

#[test]
fn overflow_names_the_policy_line() {
    let case = Case::new("overflow")
        .policy(&format!(
            "{HEADER}alerts {{\n  high \"huge\" when exposure * 79228162514264337593543950335 > 0 EUR\n}}\n"
        ))
        .clients("id\nC1\n")
        .invoices("id,client,date,due_date,amount\nI1,C1,2027-01-01,2027-01-31,100.00\n")
        .payments(NO_PAYMENTS);
    let (policy, errors) = case.errors();
    assert_eq!(errors.len(), 1);
    let diagnostic = errors[0].to_diagnostic().unwrap();
    assert_eq!(diagnostic.code, "overflow");
    let position = policy.source.line_column(diagnostic.span.start);
    assert_eq!(position.line, 4);
    assert!(
        diagnostic.message.contains("client `C1`"),
        "{}",
        diagnostic.message
    );
}

#[test]
fn fractional_days_on_a_date_fail() {
    let case = Case::new("fractional-days")
        .policy(&format!(
            "{HEADER}alerts {{\n  low \"late start\" when as_of - avg_days_late > 2027-01-01 if missing false\n}}\n"
        ))
        .clients("id\nC1\n")
        .invoices(
            "id,client,date,due_date,amount\n\
             I1,C1,2026-12-01,2026-12-31,100.00\n\
             I2,C1,2026-12-01,2026-12-31,100.00\n",
        )
        // Settled 1 and 2 days late: the average is 1.5 days.
        .payments("id,client,date,amount,invoice\nP1,C1,2027-01-01,100.00,I1\nP2,C1,2027-01-02,100.00,I2\n");
    let (_, errors) = case.errors();
    assert_eq!(errors[0].to_diagnostic().unwrap().code, "fractional-days");
}

fn hook_case(name: &str, script: &str) -> Case {
    Case::new(name)
        .policy(&format!(
            "{HEADER}score {{\n  factor \"custom\" weight 100% = hook \"hooks/custom.rhai\" {{\n    missing => 42\n  }}\n}}\n"
        ))
        .file("hooks/custom.rhai", script)
        .clients("id\nC1\n")
        .invoices("id,client,date,due_date,amount\nI1,C1,2027-01-01,2027-01-31,100.00\n")
        .payments(NO_PAYMENTS)
}

#[test]
fn hook_receives_metrics_as_decimals() {
    // exposure is 100.00 EUR: 100.00 / 8 = 12.5 points, exactly.
    let case = hook_case(
        "hook-metrics",
        "fn points(client, metrics) {\n    metrics.exposure / 8\n}\n",
    );
    let factor = &case.decisions()[0]["score"]["factors"][0];
    assert_eq!(factor["points"], "12.5");
    assert_eq!(factor["arm"], "hook \"hooks/custom.rhai\"");
}

#[test]
fn hook_without_data_takes_missing_arm() {
    let case = hook_case("hook-unit", "fn points(client, metrics) {\n    ()\n}\n");
    let factor = &case.decisions()[0]["score"]["factors"][0];
    assert_eq!(factor["points"], "42");
    assert_eq!(factor["arm"], "missing");
}

#[test]
fn runaway_hook_fails_with_its_line() {
    let case = hook_case(
        "hook-loop",
        "fn points(client, metrics) {\n    let n = 0;\n    loop {\n        n += 1;\n    }\n}\n",
    );
    let (_, errors) = case.errors();
    let EvalError::Hook {
        client,
        factor,
        error,
    } = &errors[0]
    else {
        panic!("not a hook error: {:?}", errors[0]);
    };
    assert_eq!(client, "C1");
    assert_eq!(factor, "custom");
    assert!(error.path.ends_with("hooks/custom.rhai"));
    assert!(matches!(error.line, Some(3..=4)), "{error}");
}

#[test]
fn client_order_does_not_change_decisions() {
    let case = Case::new("order")
        .policy(&format!(
            "{HEADER}score {{\n  factor \"overdue share\" weight 100% {{\n    when overdue_ratio < 50% => 0\n    otherwise => 100\n  }}\n}}\ngrades {{\n  A when score < 50\n  B otherwise\n}}\n"
        ))
        .clients("id\nC3\nC1\nC2\n")
        .invoices(
            "id,client,date,due_date,amount\n\
             I1,C1,2027-01-01,2027-01-31,100.00\n\
             I2,C2,2027-03-20,2027-04-19,100.00\n\
             I3,C3,2027-02-01,2027-03-03,100.00\n",
        )
        .payments(NO_PAYMENTS);
    let engine = HookEngine::new(HookLimits::default());
    let policy = case.checked(&engine);
    let ledger = case.ledger();
    let evaluator = Evaluator::new(&policy, &ledger, &engine, date(AS_OF)).unwrap();
    let together = evaluator.evaluate_all().unwrap();
    let clients: Vec<&str> = together.iter().map(|d| d.client).collect();
    assert_eq!(clients, ["C1", "C2", "C3"]);
    for index in (0..3).rev() {
        let alone = evaluator.evaluate(index).unwrap();
        assert_eq!(
            serde_json::to_value(&alone).unwrap(),
            serde_json::to_value(&together[index as usize]).unwrap()
        );
    }
}

#[test]
fn negative_computed_limit_is_an_error() {
    // Exposure 7000 EUR: 5000 EUR - exposure is -2000 EUR.
    let case = Case::new("negative-limit")
        .policy(&format!(
            "{HEADER}grades {{\n  A otherwise\n}}\nlimit {{\n  A => 5000 EUR - exposure\n}}\n"
        ))
        .clients("id\nC1\n")
        .invoices("id,client,date,due_date,amount\nI1,C1,2027-03-01,2027-03-31,7000.00\n")
        .payments(NO_PAYMENTS);
    let (policy, errors) = case.errors();
    assert_eq!(errors.len(), 1);
    let diagnostic = errors[0].to_diagnostic().unwrap();
    assert_eq!(diagnostic.code, "negative-limit");
    assert!(
        diagnostic.message.contains("-2000.00"),
        "{}",
        diagnostic.message
    );
    assert_eq!(policy.source.slice(diagnostic.span), "5000 EUR - exposure");
}

#[test]
fn hook_reads_client_id_and_name() {
    let case = hook_case(
        "hook-id",
        "fn points(client, metrics) {\n    if client.id == \"C1\" && client.name == () { 7 } else { 0 }\n}\n",
    );
    assert_eq!(case.decisions()[0]["score"]["factors"][0]["points"], "7");
}

#[test]
fn field_error_names_the_header_column() {
    let case = Case::new("renamed-column")
        .policy(&format!(
            "{HEADER}fields {{\n  equity: money or 0 EUR\n}}\n"
        ))
        .file(
            "ledger/ledger.toml",
            "[clients]\nfile = \"clients.csv\"\n[clients.fields]\nequity = \"Capitaux propres\"\n",
        )
        .clients("id,Capitaux propres\nC1,12 500\n")
        .invoices("id,client,date,due_date,amount\n")
        .payments(NO_PAYMENTS);
    let engine = HookEngine::new(HookLimits::default());
    let policy = case.checked(&engine);
    let ledger = Ledger::load(&case.folder.join("ledger/ledger.toml")).unwrap();
    let Err(errors) = Evaluator::new(&policy, &ledger, &engine, date(AS_OF)) else {
        panic!("`12 500` was read as money");
    };
    assert_eq!(errors.0[0].column.as_deref(), Some("Capitaux propres"));
    assert_eq!(errors.0[0].line, Some(2));
    assert!(
        errors.0[0].message.contains("`equity`"),
        "{}",
        errors.0[0].message
    );
}

#[test]
fn payment_in_policy_currency_cannot_settle_a_foreign_invoice() {
    // The payment's currency cell is empty, so it is in EUR; the invoice
    // is in USD. Allocating one to the other would mix currencies.
    let case = Case::new("cross-currency")
        .policy(HEADER)
        .clients("id\nC1\n")
        .invoices(
            "id,client,date,due_date,amount,currency\nI1,C1,2027-01-01,2027-01-31,100.00,USD\n",
        )
        .payments("id,client,date,amount,currency,invoice\nP1,C1,2027-02-01,100.00,,I1\n")
        .file(
            "ledger/rates.csv",
            "date,currency,rate\n2027-01-01,USD,0.92\n",
        );
    let engine = HookEngine::new(HookLimits::default());
    let policy = case.checked(&engine);
    let ledger = case.ledger();
    let Err(errors) = Evaluator::new(&policy, &ledger, &engine, date(AS_OF)) else {
        panic!("a EUR payment settled a USD invoice");
    };
    assert_eq!(errors.0.len(), 1);
    assert_eq!(errors.0[0].line, Some(2));
    assert!(errors.0[0].file.ends_with("payments.csv"));
    assert!(
        errors.0[0]
            .message
            .contains("is in EUR but names invoice `I1`, which is in USD"),
        "{}",
        errors.0[0].message
    );
}

fn on_account_case(name: &str, invoices: &str) -> Case {
    Case::new(name)
        .policy(HEADER)
        .clients("id\nC1\n")
        .invoices(invoices)
        .payments("id,client,date,amount,currency,invoice\nP1,C1,2027-02-01,200.00,USD,\n")
        .file(
            "ledger/rates.csv",
            "date,currency,rate\n2027-01-01,USD,0.90\n",
        )
}

#[test]
fn credit_in_a_currency_with_nothing_open_is_reported() {
    // 200 USD on account while only EUR is owed: it settles nothing, and
    // the decision says so rather than leaving it in the credit balance.
    let case = on_account_case(
        "unapplied-credit",
        "id,client,date,due_date,amount\nI1,C1,2027-01-01,2027-01-31,1000.00\n",
    );
    let decision = &case.decisions()[0];
    assert_eq!(decision["metrics"]["receivables"], "1000.00");
    assert_eq!(decision["metrics"]["credit_balance"], "180.00");
    assert_eq!(decision["warnings"][0]["code"], "unapplied-credit");
    let message = decision["warnings"][0]["message"].as_str().unwrap();
    assert!(
        message.starts_with("200.00 USD of credit settles nothing"),
        "{message}"
    );
}

#[test]
fn credit_in_the_currency_of_open_items_is_no_warning() {
    // The same payment against a USD invoice of 150: 50 USD is left over
    // once nothing is open, a plain credit balance.
    let case = on_account_case(
        "applied-credit",
        "id,client,date,due_date,amount,currency\nI1,C1,2027-01-01,2027-01-31,150.00,USD\n",
    );
    let decision = &case.decisions()[0];
    assert_eq!(decision["metrics"]["receivables"], "0.00");
    assert_eq!(decision["metrics"]["credit_balance"], "45.00");
    assert_eq!(decision["warnings"], serde_json::json!([]));
}

#[test]
fn missing_rate_names_currency_and_date() {
    let case = Case::new("missing-rate")
        .policy(HEADER)
        .clients("id\nC1\n")
        .invoices(
            "id,client,date,due_date,amount,currency\nI1,C1,2027-01-01,2027-01-31,100.00,CHF\n",
        )
        .payments(NO_PAYMENTS)
        .file(
            "ledger/rates.csv",
            "date,currency,rate\n2027-04-01,CHF,1.05\n",
        );
    let engine = HookEngine::new(HookLimits::default());
    let policy = case.checked(&engine);
    let ledger = case.ledger();
    let Err(errors) = Evaluator::new(&policy, &ledger, &engine, date(AS_OF)) else {
        panic!("a CHF invoice was evaluated without a rate on or before the as-of date");
    };
    let message = &errors.0[0].message;
    assert!(message.contains("CHF"), "{message}");
    assert!(message.contains("2027-03-31"), "{message}");
    assert!(errors.0[0].file.ends_with("invoices.csv"));
}

#[test]
fn payment_on_account_can_settle_oldest_invoice_first() {
    // OLD was issued first but is due last (90-day terms); NEW was issued
    // later and is due first. 100 on account settles NEW by default, OLD
    // under `allocation.on_account = "oldest-invoice-first"`.
    let invoices = "id,client,date,due_date,amount\n\
                    OLD,C1,2027-01-01,2027-04-01,100.00\n\
                    NEW,C1,2027-01-15,2027-02-14,100.00\n";
    let build = |name: &str| {
        Case::new(name)
            .policy(HEADER)
            .clients("id\nC1\n")
            .invoices(invoices)
            .payments("id,client,date,amount,invoice\nP1,C1,2027-03-01,100.00,\n")
    };
    let open_item = |ledger: &Ledger| {
        let engine = HookEngine::new(HookLimits::default());
        let policy = build("on-account-policy").checked(&engine);
        let evaluator = Evaluator::new(&policy, ledger, &engine, date(AS_OF)).unwrap();
        let decision = serde_json::to_value(evaluator.evaluate(0).unwrap()).unwrap();
        (
            decision["metrics"]["overdue"].clone(),
            decision["metrics"]["open_invoices"].clone(),
        )
    };

    let default_case = build("on-account-default");
    assert_eq!(open_item(&default_case.ledger()), ("0.00".into(), 1.into()));

    let invoice_first = build("on-account-invoice-first").file(
        "ledger/ledger.toml",
        "[allocation]\non_account = \"oldest-invoice-first\"\n",
    );
    let ledger = Ledger::load(&invoice_first.folder.join("ledger/ledger.toml")).unwrap();
    // NEW, due 14 February, stays open and overdue.
    assert_eq!(open_item(&ledger), ("100.00".into(), 1.into()));
}

#[test]
fn cei_reads_the_period_it_names() {
    // No payments; at 2027-03-31, 1500 EUR is owed, of which N2's 500 is
    // not yet due. One month: B = 1000 on 28 Feb, S = 500, so
    // (1000 + 500 − 1500) ÷ (1000 + 500 − 500) = 0. Three months: B = 400
    // on 31 Dec, S = 1100, so (1200 + 1100 − 4500) ÷ (1200 + 1100 − 1500)
    // = −2.75. Twelve months: B = 0, S = 1500, so
    // (125 − 1500) ÷ (125 − 500) = 11/3.
    let case = dunning_case("cei-periods", "5 days after due => call").policy(
        &format!(
            "{HEADER}alerts {{\n  low \"quarter\" when cei < 0% if missing false\n  medium \"month\" when cei(1 month) = 0% if missing false\n  high \"year\" when cei(12 months) > 300% if missing false\n  high \"year again\" when cei(12 months) > 400% if missing false\n}}\n"
        ),
    );
    let decision = &case.decisions()[0];
    let alerts: Vec<&str> = decision["alerts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["name"].as_str().unwrap())
        .collect();
    let periods: Vec<(u64, &str)> = decision["metrics"]["cei_periods"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["months"].as_u64().unwrap(), p["cei"].as_str().unwrap()))
        .collect();

    assert_eq!(alerts, ["quarter", "month", "year"]);
    assert_eq!(periods, [(3, "-2.7500"), (1, "0.0000"), (12, "3.6667")]);
    assert_eq!(decision["metrics"]["cei"], "-2.7500");
}
