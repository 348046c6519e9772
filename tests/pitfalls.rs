//! The mistakes users of credit-management tools report most, one test
//! each, named after the behaviour that avoids it. Every expected value is
//! worked out by hand in the comments.

#[path = "support/case.rs"]
mod case;

use case::{AS_OF, Case, HEADER, NO_PAYMENTS, date};
use serde_json::Value;
use solvent::eval::Evaluator;
use solvent::hooks::{HookEngine, HookLimits};

/// Dunning steps every test below can reach.
const ESCALATION: &str = "escalation {
  skip invoices where disputed
  3 days before due => email \"courtesy\"
  5 days after due  => email \"reminder-1\"
  15 days after due => call
  30 days after due => letter \"formal-notice\"
}
";

fn policy(extra: &str) -> String {
    format!("{HEADER}{ESCALATION}{extra}")
}

fn actions(decision: &Value) -> Vec<(String, String, String)> {
    decision["actions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            (
                a["invoice"].as_str().unwrap().to_string(),
                a["step"].as_str().unwrap().to_string(),
                a["open_amount"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn action(invoice: &str, step: &str, open: &str) -> (String, String, String) {
    (invoice.to_string(), step.to_string(), open.to_string())
}

#[test]
fn credit_notes_reduce_balance_and_dunning() {
    // I1 (1000, due 28 February, 31 days late) is cancelled by a credit
    // note; I2 (1000, same due date) is reduced by 400 to 600.
    let case = Case::new("pitfall-credit-notes")
        .policy(&policy(""))
        .clients("id\nC1\n")
        .invoices(
            "id,client,date,due_date,amount,kind,reference\n\
             I1,C1,2027-01-29,2027-02-28,1000.00,invoice,\n\
             I2,C1,2027-01-29,2027-02-28,1000.00,invoice,\n\
             CN1,C1,2027-03-15,2027-03-15,1000.00,credit_note,I1\n\
             CN2,C1,2027-03-15,2027-03-15,400.00,credit_note,I2\n",
        )
        .payments(NO_PAYMENTS);
    let decision = &case.decisions()[0];
    assert_eq!(decision["metrics"]["exposure"], "600.00");
    assert_eq!(
        actions(decision),
        [action("I2", "30 days after due", "600.00")]
    );
}

#[test]
fn partial_payment_keeps_remainder_dunnable() {
    // 1000 due 28 February, 700 paid on 10 March: 300 stays due, 31 days late.
    let case = Case::new("pitfall-partial")
        .policy(&policy(""))
        .clients("id\nC1\n")
        .invoices("id,client,date,due_date,amount\nI1,C1,2027-01-29,2027-02-28,1000.00\n")
        .payments("id,client,date,amount,invoice\nP1,C1,2027-03-10,700.00,I1\n");
    let decision = &case.decisions()[0];
    assert_eq!(decision["metrics"]["overdue"], "300.00");
    assert_eq!(
        actions(decision),
        [action("I1", "30 days after due", "300.00")]
    );
}

#[test]
fn dunning_continues_while_charges_unpaid() {
    // 1000 due 31 January, paid in full on 2 March, 30 days late. At 10%
    // the interest is 1000 × 0.10 × 30 ÷ 365 = 8.22, plus the 40 fee:
    // 48.22 still owed, so the invoice stays in dunning for its charges.
    let penalties = "penalties {
  interest 10%, actual/365
  fee 40 EUR per late invoice
  dun unpaid charges
}
";
    let case = Case::new("pitfall-charges")
        .policy(&policy(penalties))
        .clients("id\nC1\n")
        .invoices("id,client,date,due_date,amount\nI1,C1,2027-01-01,2027-01-31,1000.00\n")
        .payments("id,client,date,amount,invoice\nP1,C1,2027-03-02,1000.00,I1\n");
    let decision = &case.decisions()[0];
    assert_eq!(decision["metrics"]["exposure"], "0.00");
    assert_eq!(decision["metrics"]["charges_due"], "48.22");
    let due = &decision["actions"][0];
    assert_eq!(due["invoice"], "I1");
    assert_eq!(due["open_amount"], "0.00");
    assert_eq!(due["charges_due"], "48.22");
    assert_eq!(due["step"], "30 days after due");
}

#[test]
fn costs_first_keeps_dunning_open_on_principal() {
    // The same payment under "costs, then interest, then principal": the
    // 1000 pays the 40 fee and the 8.22 interest first, so 48.22 of
    // principal stays open and dunned.
    let penalties = "penalties {
  interest 10%, actual/365
  fee 40 EUR per late invoice
  apply payments to costs, then interest, then principal
}
";
    let case = Case::new("pitfall-costs-first")
        .policy(&policy(penalties))
        .clients("id\nC1\n")
        .invoices("id,client,date,due_date,amount\nI1,C1,2027-01-01,2027-01-31,1000.00\n")
        .payments("id,client,date,amount,invoice\nP1,C1,2027-03-02,1000.00,I1\n");
    let decision = &case.decisions()[0];
    assert_eq!(decision["metrics"]["exposure"], "48.22");
    assert_eq!(
        actions(decision),
        [action("I1", "30 days after due", "48.22")]
    );
}

#[test]
fn end_of_month_due_dates_never_stick_or_overflow() {
    let case = Case::new("pitfall-end-of-month")
        .policy(&policy(""))
        .clients("id\nC1\n")
        .invoices(
            "id,client,date,terms,amount\n\
             JAN31,C1,2024-01-31,30 days then end of month,1.00\n\
             JAN29,C1,2024-01-29,30 days then end of month,1.00\n\
             EOM,C1,2024-01-31,end of month then 30 days,1.00\n\
             MONTH,C1,2024-01-31,1 month,1.00\n\
             MONTH23,C1,2023-01-31,1 month,1.00\n\
             MAR31,C1,2024-03-31,1 month,1.00\n",
        )
        .payments(NO_PAYMENTS);
    let ledger = case.ledger();
    let due = |id: &str| {
        ledger
            .invoices
            .iter()
            .find(|i| i.id == id)
            .unwrap()
            .due_date
    };
    // 31 Jan + 30 days = 1 March, whose month ends on 31 March.
    assert_eq!(due("JAN31"), date("2024-03-31"));
    // 29 Jan + 30 days = 28 February 2024, a leap year: end of February is the 29th.
    assert_eq!(due("JAN29"), date("2024-02-29"));
    // End of January, then 30 days: 1 March 2024.
    assert_eq!(due("EOM"), date("2024-03-01"));
    // One month after 31 January clamps to the last day of February.
    assert_eq!(due("MONTH"), date("2024-02-29"));
    assert_eq!(due("MONTH23"), date("2023-02-28"));
    // One month after 31 March is 30 April, not 1 May.
    assert_eq!(due("MAR31"), date("2024-04-30"));
}

#[test]
fn foreign_currency_converted_at_as_of_rate() {
    // 1000 USD open; the rate in force on 31 March is the one of 15 March,
    // 0.92, not the invoice date's 0.90 nor the later 0.95: 920 EUR.
    let case = Case::new("pitfall-currency")
        .policy(&policy(""))
        .clients("id\nC1\n")
        .invoices(
            "id,client,date,due_date,amount,currency\nI1,C1,2027-01-10,2027-02-09,1000.00,USD\n",
        )
        .payments(NO_PAYMENTS)
        .file(
            "ledger/rates.csv",
            "date,currency,rate\n2027-01-01,USD,0.90\n2027-03-15,USD,0.92\n2027-04-01,USD,0.95\n",
        );
    let decision = &case.decisions()[0];
    assert_eq!(decision["currency"], "EUR");
    assert_eq!(decision["metrics"]["exposure"], "920.00");
    let due = &decision["actions"][0];
    assert_eq!(due["open_amount"], "1000.00");
    assert_eq!(due["currency"], "USD");
}

#[test]
fn same_day_reruns_give_identical_actions_and_one_fee() {
    let penalties = "penalties {
  interest 10%, actual/365
  fee 40 EUR per late invoice
}
";
    let case = Case::new("pitfall-rerun")
        .policy(&policy(penalties))
        .clients("id\nC1\n")
        .invoices(
            "id,client,date,due_date,amount\n\
             I1,C1,2027-01-29,2027-02-28,1000.00\n\
             I2,C1,2027-02-10,2027-03-12,500.00\n",
        )
        .payments(NO_PAYMENTS);
    let first = case.decisions();
    let second = case.decisions();
    assert_eq!(first, second);
    let charges = first[0]["charges"].as_array().unwrap();
    assert_eq!(charges.len(), 2);
    for charge in charges {
        assert_eq!(charge["fee"], "40.00");
    }
}

#[test]
fn missed_run_catches_up_latest_step() {
    // No run happened at 5 or 15 days: at 20 days late the call is due,
    // once, and the 5-day email is not sent on top of it.
    let case = Case::new("pitfall-catch-up")
        .policy(&policy(""))
        .clients("id\nC1\n")
        .invoices("id,client,date,due_date,amount\nI1,C1,2027-02-09,2027-03-11,100.00\n")
        .payments(NO_PAYMENTS);
    let decision = &case.decisions()[0];
    assert_eq!(
        actions(decision),
        [action("I1", "15 days after due", "100.00")]
    );
}

#[test]
fn unallocated_payment_reduces_overdue() {
    // 600 on account settles A (500, oldest due) and 100 of B: 400 overdue.
    let case = Case::new("pitfall-on-account")
        .policy(&policy(""))
        .clients("id\nC1\n")
        .invoices(
            "id,client,date,due_date,amount\n\
             A,C1,2027-01-02,2027-02-01,500.00\n\
             B,C1,2027-01-30,2027-03-01,500.00\n",
        )
        .payments("id,client,date,amount,invoice\nP1,C1,2027-03-20,600.00,\n");
    let decision = &case.decisions()[0];
    assert_eq!(decision["metrics"]["overdue"], "400.00");
    assert_eq!(
        actions(decision),
        [action("B", "30 days after due", "400.00")]
    );
}

#[test]
fn split_orders_count_in_exposure() {
    // Two orders of 6000 against a 10000 limit: 12000 of exposure.
    let extra = "grades {\n  A otherwise\n}\nlimit {\n  A => 10000 EUR\n}\nalerts {\n  high \"over credit limit\" when exposure > limit\n}\n";
    let case = Case::new("pitfall-orders")
        .policy(&policy(extra))
        .clients("id\nC1\n")
        .invoices("id,client,date,due_date,amount\n")
        .payments(NO_PAYMENTS)
        .file(
            "ledger/orders.csv",
            "id,client,date,amount\nO1,C1,2027-03-01,6000.00\nO2,C1,2027-03-02,6000.00\n",
        );
    let decision = &case.decisions()[0];
    assert_eq!(decision["metrics"]["orders"], "12000.00");
    assert_eq!(decision["metrics"]["exposure"], "12000.00");
    assert_eq!(decision["alerts"][0]["name"], "over credit limit");

    let engine = HookEngine::new(HookLimits::default());
    let checked = case.checked(&engine);
    let ledger = case.ledger();
    let evaluator = Evaluator::new(&checked, &ledger, &engine, date(AS_OF)).unwrap();
    let check = evaluator
        .check_order(0, rust_decimal::Decimal::ONE)
        .unwrap();
    assert_eq!(
        check.reasons,
        ["exposure with the order over the credit limit"]
    );
}

#[test]
fn aging_uses_due_date_and_ignores_later_payments() {
    // OLD was issued 120 days before the as-of date but fell due on
    // 1 March: 30 days past due, the 1–30 bucket. EDGE fell due on
    // 28 February: 31 days, the 31–60 bucket. The payment of OLD is dated
    // after the as-of date and does not count.
    let case = Case::new("pitfall-aging")
        .policy(&policy(""))
        .clients("id\nC1\n")
        .invoices(
            "id,client,date,due_date,amount\n\
             OLD,C1,2026-12-01,2027-03-01,100.00\n\
             EDGE,C1,2027-01-29,2027-02-28,200.00\n",
        )
        .payments("id,client,date,amount,invoice\nP1,C1,2027-04-02,100.00,OLD\n");
    let aging = &case.decisions()[0]["metrics"]["aging"];
    assert_eq!(aging["1_30"], "100.00");
    assert_eq!(aging["31_60"], "200.00");
    assert_eq!(aging["61_90"], "0.00");
    assert_eq!(aging["over_90"], "0.00");
}

#[test]
fn holds_and_disputes_leave_dunning_not_exposure() {
    // Three invoices of 100, all 31 days late: DISPUTED is skipped by the
    // policy, HELD is on hold until 15 April, PLAIN is dunned. All three
    // stay in exposure. LAPSED's hold ended on 30 March, so it is dunned.
    let case = Case::new("pitfall-holds")
        .policy(&policy(""))
        .clients("id\nC1\n")
        .invoices(
            "id,client,date,due_date,amount,disputed\n\
             DISPUTED,C1,2027-01-29,2027-02-28,100.00,true\n\
             HELD,C1,2027-01-29,2027-02-28,100.00,false\n\
             LAPSED,C1,2027-01-29,2027-02-28,100.00,false\n\
             PLAIN,C1,2027-01-29,2027-02-28,100.00,false\n",
        )
        .payments(NO_PAYMENTS)
        .file(
            "ledger/holds.csv",
            "client,invoice,reason,from,until\n\
             C1,HELD,awaiting a credit note,2027-03-01,2027-04-15\n\
             C1,LAPSED,customer on holiday,2027-03-01,2027-03-30\n",
        );
    let decision = &case.decisions()[0];
    assert_eq!(decision["metrics"]["exposure"], "400.00");
    let dunned: Vec<String> = actions(decision)
        .into_iter()
        .map(|(invoice, _, _)| invoice)
        .collect();
    assert_eq!(dunned, ["LAPSED", "PLAIN"]);
    let suspended = decision["suspended"].as_array().unwrap();
    assert_eq!(suspended.len(), 2);
    assert_eq!(suspended[0]["invoice"], "DISPUTED");
    assert_eq!(suspended[0]["reason"], "skipped");
    assert_eq!(suspended[1]["invoice"], "HELD");
    assert_eq!(suspended[1]["reason"], "hold");
    assert_eq!(suspended[1]["until"], "2027-04-15");
}

#[test]
fn day_count_is_configurable_and_leap_aware() {
    // 3650 due 31 December 2023, open on 1 March 2024: 31 + 29 + 1 = 61
    // days late. At 10%: 3650 × 0.10 × 61 ÷ 365 = 61.00, or ÷ 360 = 61.85.
    let interest_with = |day_count: &str| {
        let penalties = format!("penalties {{\n  interest 10%, {day_count}\n}}\n");
        let case = Case::new(&format!("pitfall-day-count-{}", &day_count[7..]))
            .policy(&policy(&penalties))
            .clients("id\nC1\n")
            .invoices("id,client,date,due_date,amount\nI1,C1,2023-12-01,2023-12-31,3650.00\n")
            .payments(NO_PAYMENTS);
        let decision = &case.decisions_at("2024-03-01")[0];
        assert_eq!(decision["charges"][0]["days_late"], 61);
        decision["charges"][0]["interest"]
            .as_str()
            .unwrap()
            .to_string()
    };
    assert_eq!(interest_with("actual/365"), "61.00");
    assert_eq!(interest_with("actual/360"), "61.85");
}

#[test]
fn promise_suspends_dunning_and_broken_promise_escalates() {
    // I1 (500) fell due on 28 February. On 20 March the client promised
    // to pay by 5 April, with 2 days of grace. On 31 March the promise is
    // pending and I1 is out of dunning. On 10 April nothing has been paid:
    // the promise is broken, the alert fires and I1 is dunned again.
    let alerts = "alerts {\n  high \"broken promise to pay\" when broken_promises > 0\n}\n";
    let case = Case::new("pitfall-promise")
        .policy(&policy(alerts))
        .clients("id\nC1\n")
        .invoices("id,client,date,due_date,amount\nI1,C1,2027-01-29,2027-02-28,500.00\n")
        .payments(NO_PAYMENTS)
        .file(
            "ledger/promises.csv",
            "client,invoice,amount,made_on,promised_date,grace_days\nC1,I1,500.00,2027-03-20,2027-04-05,2\n",
        );
    let pending = &case.decisions_at("2027-03-31")[0];
    assert!(actions(pending).is_empty());
    assert_eq!(pending["suspended"][0]["reason"], "promise");
    assert_eq!(pending["suspended"][0]["until"], "2027-04-07");
    assert_eq!(pending["promises"][0]["state"], "pending");
    assert!(pending["alerts"].as_array().unwrap().is_empty());

    let broken = &case.decisions_at("2027-04-10")[0];
    assert_eq!(
        actions(broken),
        [action("I1", "30 days after due", "500.00")]
    );
    assert_eq!(broken["promises"][0]["state"], "broken");
    assert_eq!(broken["alerts"][0]["name"], "broken promise to pay");
}

#[test]
fn promise_with_endless_grace_has_no_deadline() {
    // 4294967295 grace days after 5 April 2027 is about 11.7 million
    // years later, past the last date chrono holds. The promise stays
    // pending with no last day of grace, and I1 stays out of dunning.
    let case = Case::new("pitfall-promise-endless")
        .policy(&policy(""))
        .clients("id\nC1\n")
        .invoices("id,client,date,due_date,amount\nI1,C1,2027-01-29,2027-02-28,500.00\n")
        .payments(NO_PAYMENTS)
        .file(
            "ledger/promises.csv",
            "client,invoice,amount,made_on,promised_date,grace_days\nC1,I1,500.00,2027-03-20,2027-04-05,4294967295\n",
        );
    let decision = &case.decisions_at("2030-01-01")[0];
    assert!(actions(decision).is_empty());
    assert_eq!(decision["promises"][0]["state"], "pending");
    assert_eq!(decision["promises"][0]["promised_date"], "2027-04-05");
    assert_eq!(decision["promises"][0]["until"], Value::Null);
    assert_eq!(decision["suspended"][0]["reason"], "promise");
    assert_eq!(decision["suspended"][0]["until"], Value::Null);
}

#[test]
fn promise_deadline_after_year_9999_is_no_deadline() {
    // 2956500 grace days after 5 April 2027 end in the year 10121, a date
    // that YYYY-MM-DD cannot write and no as-of date reaches.
    let case = Case::new("pitfall-promise-year-10121")
        .policy(&policy(""))
        .clients("id\nC1\n")
        .invoices("id,client,date,due_date,amount\nI1,C1,2027-01-29,2027-02-28,500.00\n")
        .payments(NO_PAYMENTS)
        .file(
            "ledger/promises.csv",
            "client,invoice,amount,made_on,promised_date,grace_days\nC1,I1,500.00,2027-03-20,2027-04-05,2956500\n",
        );
    let decision = &case.decisions_at("9999-12-31")[0];
    assert_eq!(decision["promises"][0]["state"], "pending");
    assert_eq!(decision["promises"][0]["until"], Value::Null);
}

#[test]
fn costs_first_lets_a_later_payment_reach_the_principal() {
    // As above, 1000 paid on 2 March leaves 40 + 3000/365 = 48.219... of
    // principal open. On 12 March, 60 names I1: 10 more days of interest
    // on that principal (48.219... × 0.10 × 10 ÷ 365 = 0.1321...) and the
    // principal itself take 48.3513..., and the 11.6487... left over
    // settles part of I2 through the pool: 1000 − 11.65 = 988.35 open.
    let penalties = "penalties {
  interest 10%, actual/365
  fee 40 EUR per late invoice
  apply payments to costs, then interest, then principal
}
";
    let case = Case::new("pitfall-costs-first-later-payment")
        .policy(&policy(penalties))
        .clients("id\nC1\n")
        .invoices(
            "id,client,date,due_date,amount\n\
             I1,C1,2027-01-01,2027-01-31,1000.00\n\
             I2,C1,2027-02-18,2027-03-20,1000.00\n",
        )
        .payments(
            "id,client,date,amount,invoice\n\
             P1,C1,2027-03-02,1000.00,I1\n\
             P2,C1,2027-03-12,60.00,I1\n",
        );
    let decision = &case.decisions()[0];
    assert_eq!(decision["metrics"]["exposure"], "988.35");
    assert_eq!(decision["metrics"]["open_invoices"], 1);
}

#[test]
fn costs_first_counts_lateness_from_the_payment_of_the_amount() {
    // 1000 paid 30 days late leaves 48.22 of principal open under costs
    // first, yet the client paid the invoice's amount on 2 March: it
    // counts as paid 30 days late, not as never paid.
    let penalties = "penalties {
  interest 10%, actual/365
  fee 40 EUR per late invoice
  apply payments to costs, then interest, then principal
}
";
    let case = Case::new("pitfall-costs-first-lateness")
        .policy(&policy(penalties))
        .clients("id\nC1\n")
        .invoices("id,client,date,due_date,amount\nI1,C1,2027-01-01,2027-01-31,1000.00\n")
        .payments("id,client,date,amount,invoice\nP1,C1,2027-03-02,1000.00,I1\n");
    let decision = &case.decisions()[0];
    assert_eq!(decision["metrics"]["exposure"], "48.22");
    assert_eq!(decision["metrics"]["settled_invoices"], 1);
    assert_eq!(decision["metrics"]["avg_days_late"], "30.00");
}

#[test]
fn costs_first_leaves_credit_notes_to_the_principal() {
    // A credit note of 1000 cancels I1, 30 days late: it reduces the sale,
    // not the fee and interest, so nothing of I1 stays open or dunned.
    let penalties = "penalties {
  interest 10%, actual/365
  fee 40 EUR per late invoice
  apply payments to costs, then interest, then principal
}
";
    let case = Case::new("pitfall-costs-first-credit-note")
        .policy(&policy(penalties))
        .clients("id\nC1\n")
        .invoices(
            "id,client,date,due_date,amount,kind,reference\n\
             I1,C1,2027-01-01,2027-01-31,1000.00,invoice,\n\
             CN1,C1,2027-03-02,2027-03-02,1000.00,credit_note,I1\n",
        )
        .payments(NO_PAYMENTS);
    let decision = &case.decisions()[0];
    assert_eq!(decision["metrics"]["exposure"], "0.00");
    assert_eq!(decision["metrics"]["open_invoices"], 0);
    assert_eq!(actions(decision), []);
}

#[test]
fn costs_first_keeps_interest_before_credit_note() {
    // I1 (1000, due 31 January) is credited 500 on 10 February and paid
    // 500 on 2 March, at 10% with a 40 fee. Interest: 1000 × 10% × 10 ÷ 365
    // = 2.7397 for 1–10 February, then 500 × 10% × 20 ÷ 365 = 2.7397 for
    // 11 February – 2 March. The payment takes 40 + 5.4795 first, so
    // 1000 − 500 − (500 − 45.4795) = 45.48 stays open.
    let penalties = "penalties {
  interest 10%, actual/365
  fee 40 EUR per late invoice
  apply payments to costs, then interest, then principal
}
";
    let case = Case::new("pitfall-costs-first-credit-note-late")
        .policy(&policy(penalties))
        .clients("id\nC1\n")
        .invoices(
            "id,client,date,due_date,amount,kind,reference\n\
             I1,C1,2026-01-01,2026-01-31,1000.00,invoice,\n\
             CN1,C1,2026-02-10,2026-02-10,500.00,credit_note,I1\n",
        )
        .payments("id,client,date,amount,invoice\nP1,C1,2026-03-02,500.00,I1\n");
    let decision = &case.decisions_at("2026-03-02")[0];
    let charges = &decision["charges"][0];
    assert_eq!(decision["metrics"]["receivables"], "45.48");
    assert_eq!(charges["paid"], "45.48");
    assert_eq!(charges["due"], "0.00");
}

#[test]
fn costs_first_leaves_no_principal_sliver() {
    // F1 (1356, due 24 August) gets 1110 on time, then 1572 on account on
    // 28 November, 96 days late: fee 40, interest 246 × 8.5% × 96 ÷ 365
    // = 5.4996..., so F1 is settled and the credit balance is
    // 1110 + 1572 − 1356 − 40 − 5.4996... = 1280.50. Nothing is left to
    // list among the charges.
    let penalties = "penalties {
  interest 8.5%, actual/365
  fee 40 EUR per late invoice
  apply payments to costs, then interest, then principal
}
";
    let case = Case::new("pitfall-costs-first-no-sliver")
        .policy(&policy(penalties))
        .clients("id\nC1\n")
        .invoices("id,client,date,due_date,amount\nF1,C1,2027-06-25,2027-08-24,1356\n")
        .payments(
            "id,client,date,amount,invoice\n\
             P1,C1,2027-07-21,1110,F1\n\
             P2,C1,2027-11-28,1572,\n",
        );
    let decision = &case.decisions_at("2027-12-31")[0];
    assert_eq!(decision["charges"], serde_json::json!([]));
    assert_eq!(decision["metrics"]["credit_balance"], "1280.50");
}

#[test]
fn cancelled_invoice_charges_take_later_credit() {
    // F1 (1000, due 31 January) is cancelled by a credit note on 2 March,
    // 30 days late: fee 40 and interest 1000 × 10% × 30 ÷ 365 = 8.2192.
    // P1 (100) names F1 on 10 March, when nothing of it is open, so it is
    // credit; the charges are dunned, so that credit settles them:
    // 100 − 48.2192 = 51.78 of credit is left.
    let penalties = "penalties {
  interest 10%, actual/365
  fee 40 EUR per late invoice
  apply payments to costs, then interest, then principal
  dun unpaid charges
}
";
    let case = Case::new("pitfall-cancelled-invoice-charges")
        .policy(&policy(penalties))
        .clients("id\nC1\n")
        .invoices(
            "id,client,date,due_date,amount,kind,reference\n\
             F1,C1,2027-01-01,2027-01-31,1000.00,invoice,\n\
             CN1,C1,2027-03-02,2027-03-02,1000.00,credit_note,F1\n",
        )
        .payments("id,client,date,amount,invoice\nP1,C1,2027-03-10,100.00,F1\n");
    let decision = &case.decisions()[0];
    assert_eq!(decision["metrics"]["credit_balance"], "51.78");
    assert_eq!(decision["metrics"]["charges_due"], "0.00");
    assert_eq!(decision["charges"], serde_json::json!([]));
}

#[test]
fn split_invoice_pays_one_fee() {
    // Two instalments of 500 of one invoice, both late and unpaid: the
    // 40 fee is charged once, on the first; interest runs on each.
    let penalties = "penalties {\n  interest 10%, actual/365\n  fee 40 EUR per late invoice\n}\n";
    let case = Case::new("pitfall-split-fee")
        .policy(&policy(penalties))
        .clients("id\nC1\n")
        .invoices("id,client,date,due_date,amount\nI1,C1,2027-01-01,2027-02-28,1000.00\n")
        .payments(NO_PAYMENTS)
        .file(
            "ledger/instalments.csv",
            "invoice,due_date,amount\nI1,2027-01-31,500.00\nI1,2027-02-28,500.00\n",
        );
    let decision = &case.decisions()[0];
    let charges = decision["charges"].as_array().unwrap();
    assert_eq!(charges.len(), 2);
    assert_eq!(charges[0]["instalment"], 1);
    assert_eq!(charges[0]["fee"], "40.00");
    assert_eq!(charges[1]["instalment"], 2);
    assert_eq!(charges[1]["fee"], "0.00");
}

#[test]
fn split_invoice_fee_stays_while_an_instalment_is_late() {
    // Three instalments of 1000; 1500 paid on 10 February settles the
    // first (10 days late) and 500 of the second. At 15 March the first
    // is paid, so the invoice's one fee moves to the second, 15 days late
    // with 500 open: 500 × 0.10 × 15 ÷ 365 = 2.05 of interest.
    let penalties = "penalties {\n  interest 10%, actual/365\n  fee 40 EUR per late invoice\n}\n";
    let case = Case::new("pitfall-split-fee-moves")
        .policy(&policy(penalties))
        .clients("id\nC1\n")
        .invoices("id,client,date,due_date,amount\nI1,C1,2027-01-01,2027-03-31,3000.00\n")
        .payments("id,client,date,amount,invoice\nP1,C1,2027-02-10,1500.00,I1\n")
        .file(
            "ledger/instalments.csv",
            "invoice,due_date,amount\n\
             I1,2027-01-31,1000.00\n\
             I1,2027-02-28,1000.00\n\
             I1,2027-03-31,1000.00\n",
        );
    let decision = &case.decisions_at("2027-03-15")[0];
    let charges = decision["charges"].as_array().unwrap();
    assert_eq!(charges.len(), 1);
    assert_eq!(charges[0]["instalment"], 2);
    assert_eq!(charges[0]["fee"], "40.00");
    assert_eq!(charges[0]["interest"], "2.05");
    assert_eq!(decision["metrics"]["charges_due"], "42.05");
}

#[test]
fn credit_left_over_pays_dunned_charges() {
    // 1000 paid 30 days late leaves 48.22 of charges; 100 paid on account
    // later settles them, so nothing is dunned and 51.78 of credit remains.
    let penalties = "penalties {
  interest 10%, actual/365
  fee 40 EUR per late invoice
  dun unpaid charges
}
";
    let case = Case::new("pitfall-credit-pays-charges")
        .policy(&policy(penalties))
        .clients("id\nC1\n")
        .invoices("id,client,date,due_date,amount\nI1,C1,2027-01-01,2027-01-31,1000.00\n")
        .payments(
            "id,client,date,amount,invoice\n\
             P1,C1,2027-03-02,1000.00,I1\n\
             P2,C1,2027-03-10,100.00,\n",
        );
    let decision = &case.decisions()[0];
    assert!(decision["actions"].as_array().unwrap().is_empty());
    assert_eq!(decision["metrics"]["charges_due"], "0.00");
    assert_eq!(decision["metrics"]["credit_balance"], "51.78");
}
