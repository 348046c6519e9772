//! Promises to pay: kept, broken or pending at the as-of date.

use rust_decimal::Decimal;
use solvent::metrics::{self, MetricsRequest, PromiseState, PromiseStatus};

use super::builder::{LedgerBuilder, date, money};
use super::{client_id, metrics_at};

/// C1 owes F1, 1000 due on 2024-01-31, and promised on 2024-02-01 to pay
/// 500 by 2024-02-15, with `grace_days` of grace.
fn promised(grace_days: u32) -> LedgerBuilder {
    let mut builder = LedgerBuilder::new();
    builder
        .invoice("C1", "F1", "2024-01-01", "2024-01-31", "1000")
        .promise("C1", None, "500", "2024-02-01", "2024-02-15", grace_days);
    builder
}

#[test]
fn promise_kept_when_paid_in_full() {
    let ledger = promised(0)
        .payment("C1", "P1", "2024-02-10", "500", None)
        .build();

    let metrics = metrics_at(&ledger, "C1", "2024-02-20");

    assert_eq!(
        metrics.promises,
        [PromiseStatus {
            promise: 0,
            amount: money("500"),
            paid: money("500"),
            state: PromiseState::Kept,
            deadline: Some(date("2024-02-15")),
        }]
    );
    assert_eq!(metrics.broken_promises, 0);
    assert_eq!(metrics.pending_promises, 0);
}

#[test]
fn promise_pending_until_promised_date() {
    let ledger = promised(0).build();

    let metrics = metrics_at(&ledger, "C1", "2024-02-15");

    assert_eq!(metrics.promises[0].state, PromiseState::Pending);
    assert_eq!(metrics.pending_promises, 1);
}

#[test]
fn promise_pending_on_last_grace_day() {
    // 2024-02-15 plus 3 days of grace is 2024-02-18.
    let ledger = promised(3)
        .payment("C1", "P1", "2024-02-10", "200", None)
        .build();

    let metrics = metrics_at(&ledger, "C1", "2024-02-18");

    assert_eq!(metrics.promises[0].paid, money("200"));
    assert_eq!(metrics.promises[0].state, PromiseState::Pending);
}

#[test]
fn promise_broken_day_after_grace() {
    let ledger = promised(3)
        .payment("C1", "P1", "2024-02-10", "200", None)
        .build();

    let metrics = metrics_at(&ledger, "C1", "2024-02-19");

    assert_eq!(metrics.promises[0].paid, money("200"));
    assert_eq!(metrics.promises[0].state, PromiseState::Broken);
    assert_eq!(metrics.broken_promises, 1);
    assert_eq!(metrics.pending_promises, 0);
}

#[test]
fn payment_on_last_grace_day_keeps_promise() {
    let ledger = promised(3)
        .payment("C1", "P1", "2024-02-18", "500", None)
        .build();

    let metrics = metrics_at(&ledger, "C1", "2024-02-25");

    assert_eq!(metrics.promises[0].state, PromiseState::Kept);
}

#[test]
fn payment_after_grace_does_not_count() {
    let ledger = promised(3)
        .payment("C1", "P1", "2024-02-10", "200", None)
        .payment("C1", "P2", "2024-02-19", "300", None)
        .build();

    let metrics = metrics_at(&ledger, "C1", "2024-02-25");

    assert_eq!(metrics.promises[0].paid, money("200"));
    assert_eq!(metrics.promises[0].state, PromiseState::Broken);
}

#[test]
fn payment_before_promise_does_not_count() {
    let ledger = promised(0)
        .payment("C1", "P1", "2024-01-31", "500", None)
        .build();

    let metrics = metrics_at(&ledger, "C1", "2024-02-20");

    assert_eq!(metrics.promises[0].paid, Decimal::ZERO);
    assert_eq!(metrics.promises[0].state, PromiseState::Broken);
}

#[test]
fn payment_after_as_of_does_not_count() {
    let ledger = promised(0)
        .payment("C1", "P1", "2024-02-12", "500", None)
        .build();

    let metrics = metrics_at(&ledger, "C1", "2024-02-11");

    assert_eq!(metrics.promises[0].paid, Decimal::ZERO);
    assert_eq!(metrics.promises[0].state, PromiseState::Pending);
}

#[test]
fn promise_on_invoice_counts_its_payments_only() {
    let ledger = LedgerBuilder::new()
        .invoice("C1", "F1", "2024-01-01", "2024-01-31", "1000")
        .invoice("C1", "F2", "2024-01-05", "2024-02-04", "300")
        .promise("C1", Some("F2"), "300", "2024-02-01", "2024-02-15", 0)
        .payment("C1", "P1", "2024-02-05", "300", Some("F1"))
        .payment("C1", "P2", "2024-02-06", "100", Some("F2"))
        .payment("C1", "P3", "2024-02-07", "50", None)
        .build();

    let metrics = metrics_at(&ledger, "C1", "2024-02-20");

    assert_eq!(metrics.promises[0].paid, money("100"));
    assert_eq!(metrics.promises[0].state, PromiseState::Broken);
}

#[test]
fn promise_made_after_as_of_is_ignored() {
    let ledger = promised(0).build();

    let metrics = metrics_at(&ledger, "C1", "2024-01-31");

    assert_eq!(metrics.promises, []);
    assert_eq!(metrics.pending_promises, 0);
}

#[test]
fn promise_counts_by_state() {
    // The 100 paid on 2024-02-03 keeps A and counts toward B, which it
    // leaves short; C was made after it.
    let ledger = LedgerBuilder::new()
        .invoice("C1", "F1", "2024-01-01", "2024-01-31", "1000")
        .promise("C1", None, "100", "2024-02-01", "2024-02-05", 0)
        .promise("C1", None, "500", "2024-02-01", "2024-02-10", 0)
        .promise("C1", None, "500", "2024-02-15", "2024-02-28", 0)
        .payment("C1", "P1", "2024-02-03", "100", None)
        .build();

    let metrics = metrics_at(&ledger, "C1", "2024-02-20");
    let states: Vec<PromiseState> = (metrics.promises.iter())
        .map(|status| status.state)
        .collect();

    assert_eq!(
        states,
        [
            PromiseState::Kept,
            PromiseState::Broken,
            PromiseState::Pending
        ]
    );
    assert_eq!(metrics.broken_promises, 1);
    assert_eq!(metrics.pending_promises, 1);
}

#[test]
fn promise_on_an_invoice_paid_before_it_is_kept() {
    // F1 was paid on 31 January; the promise recorded the next day for
    // 10 February covers nothing left to pay.
    let ledger = LedgerBuilder::new()
        .invoice("C1", "F1", "2024-01-01", "2024-01-20", "1000")
        .payment("C1", "P1", "2024-01-31", "1000", Some("F1"))
        .promise("C1", Some("F1"), "1000", "2024-02-01", "2024-02-10", 0)
        .build();

    let metrics = metrics_at(&ledger, "C1", "2024-02-11");

    assert_eq!(metrics.promises[0].paid, Decimal::ZERO);
    assert_eq!(metrics.promises[0].state, PromiseState::Kept);
    assert_eq!(metrics.broken_promises, 0);
}

#[test]
fn promise_on_an_invoice_a_credit_note_cancels_is_kept() {
    let ledger = LedgerBuilder::new()
        .invoice("C1", "F1", "2024-01-01", "2024-01-20", "1000")
        .promise("C1", Some("F1"), "1000", "2024-02-01", "2024-02-10", 0)
        .credit_note("C1", "CN1", "2024-02-05", "1000", Some("F1"))
        .build();

    let metrics = metrics_at(&ledger, "C1", "2024-02-11");

    assert_eq!(metrics.promises[0].state, PromiseState::Kept);
}

#[test]
fn promise_on_an_invoice_settled_after_its_deadline_is_broken() {
    let ledger = LedgerBuilder::new()
        .invoice("C1", "F1", "2024-01-01", "2024-01-20", "1000")
        .promise("C1", Some("F1"), "1000", "2024-02-01", "2024-02-10", 0)
        .credit_note("C1", "CN1", "2024-02-12", "1000", Some("F1"))
        .build();

    let metrics = metrics_at(&ledger, "C1", "2024-02-20");

    assert_eq!(metrics.promises[0].state, PromiseState::Broken);
}

#[test]
fn promise_without_invoice_is_kept_when_the_client_owes_nothing() {
    // 500 promised; a payment on account of 300 and a credit note of 700
    // clear F1 inside the window, so the 500 is no longer owed.
    let ledger = promised(0)
        .payment("C1", "P1", "2024-02-05", "300", None)
        .credit_note("C1", "CN1", "2024-02-06", "700", None)
        .build();

    let metrics = metrics_at(&ledger, "C1", "2024-02-20");

    assert_eq!(metrics.promises[0].paid, money("300"));
    assert_eq!(metrics.promises[0].state, PromiseState::Kept);
}

#[test]
fn promise_without_invoice_ignores_invoices_issued_after_its_deadline() {
    // F1 is paid by the deadline; F2, issued after it, is still open.
    let ledger = promised(0)
        .payment("C1", "P1", "2024-02-14", "1000", Some("F1"))
        .invoice("C1", "F2", "2024-02-16", "2024-03-17", "400")
        .build();

    let metrics = metrics_at(&ledger, "C1", "2024-02-20");

    assert_eq!(metrics.promises[0].state, PromiseState::Kept);
}

#[test]
fn broken_promise_leaves_the_default_window_after_a_year() {
    // Broken on 16 February 2024, the day after its deadline: counted
    // through 14 February 2025, the 365th day from it.
    let ledger = promised(0).build();

    let within = metrics_at(&ledger, "C1", "2025-02-14");
    let after = metrics_at(&ledger, "C1", "2025-02-15");

    assert_eq!(within.broken_promises, 1);
    assert_eq!(after.broken_promises, 0);
    assert_eq!(after.promises[0].state, PromiseState::Broken);
}

#[test]
fn broken_promises_count_per_window() {
    let ledger = promised(0).build();
    let mut request = MetricsRequest::new(date("2024-03-31"));
    let short = request.lateness_window(30);

    let client = client_id(&ledger, "C1");
    let metrics = metrics::compute(&ledger, client, &request).unwrap();

    // Broken on 16 February: 45 days before 31 March.
    assert_eq!(metrics.lateness[0].broken_promises, 1);
    assert_eq!(metrics.lateness[short].broken_promises, 0);
}
