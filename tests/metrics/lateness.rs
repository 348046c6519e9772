//! `avg_days_late` and `late_ratio` over trailing windows.

use solvent::metrics::{self, MetricsRequest};

use super::builder::{LedgerBuilder, client_id, date, money};
use super::metrics_at;

#[test]
fn average_weighs_by_invoice_amount() {
    let ledger = LedgerBuilder::new()
        .invoice("C1", "F1", "2024-02-01", "2024-03-01", "1000.00")
        .payment("C1", "P1", "2024-03-11", "1000.00", Some("F1"))
        .invoice("C1", "F2", "2024-02-09", "2024-03-10", "3000.00")
        .payment("C1", "P2", "2024-03-12", "3000.00", Some("F2"))
        .invoice("C1", "F3", "2024-02-19", "2024-03-20", "500.00")
        .payment("C1", "P3", "2024-03-15", "500.00", Some("F3"))
        .invoice("C1", "F4", "2024-02-20", "2024-03-21", "500.00")
        .payment("C1", "P4", "2024-03-21", "500.00", Some("F4"))
        .build();

    let metrics = metrics_at(&ledger, "C1", "2024-03-31");
    let lateness = metrics.lateness[0];

    // F1 is 10 days late, F2 2 days, F3 early and F4 on its due date:
    // (1000 × 10 + 3000 × 2 + 500 × 0 + 500 × 0) ÷ 5000 = 16000 ÷ 5000.
    assert_eq!(lateness.avg_days_late, Some(money("3.2")));
    assert_eq!(lateness.late_ratio, Some(money("0.5")));
    assert_eq!(lateness.settled_invoices, 4);
    assert_eq!(lateness.window_days, 365);
}

#[test]
fn average_keeps_every_digit() {
    let ledger = LedgerBuilder::new()
        .invoice("C1", "F1", "2024-02-01", "2024-03-01", "1000.00")
        .payment("C1", "P1", "2024-03-11", "1000.00", Some("F1"))
        .invoice("C1", "F2", "2024-02-09", "2024-03-10", "3000.00")
        .payment("C1", "P2", "2024-03-12", "3000.00", Some("F2"))
        .invoice("C1", "F3", "2024-02-19", "2024-03-20", "500.00")
        .payment("C1", "P3", "2024-03-15", "500.00", Some("F3"))
        .build();

    let lateness = metrics_at(&ledger, "C1", "2024-03-31").lateness[0];

    // 16000 ÷ 4500 = 32/9 and 2 late of 3, rounded at the 28th decimal.
    assert_eq!(
        lateness.avg_days_late,
        Some(money("3.5555555555555555555555555556"))
    );
    assert_eq!(
        lateness.late_ratio,
        Some(money("0.6666666666666666666666666667"))
    );
}

#[test]
fn partly_paid_invoice_settles_on_last_payment() {
    let ledger = LedgerBuilder::new()
        .invoice("C1", "F1", "2024-02-09", "2024-03-10", "1000.00")
        .payment("C1", "P1", "2024-03-05", "400.00", Some("F1"))
        .payment("C1", "P2", "2024-03-20", "600.00", Some("F1"))
        .build();

    let lateness = metrics_at(&ledger, "C1", "2024-03-31").lateness[0];

    assert_eq!(lateness.avg_days_late, Some(money("10")));
    assert_eq!(lateness.late_ratio, Some(money("1")));
}

#[test]
fn credit_note_settlement_counts() {
    let ledger = LedgerBuilder::new()
        .invoice("C1", "F1", "2024-01-01", "2024-01-31", "100.00")
        .credit_note("C1", "A1", "2024-02-05", "100.00", Some("F1"))
        .build();

    let lateness = metrics_at(&ledger, "C1", "2024-02-29").lateness[0];

    assert_eq!(lateness.settled_invoices, 1);
    assert_eq!(lateness.avg_days_late, Some(money("5")));
}

#[test]
fn missing_without_settled_invoices() {
    let ledger = LedgerBuilder::new()
        .invoice("C1", "F1", "2024-01-01", "2024-01-31", "100.00")
        .payment("C1", "P1", "2024-01-20", "60.00", Some("F1"))
        .build();

    let lateness = metrics_at(&ledger, "C1", "2024-02-29").lateness[0];

    assert_eq!(lateness.settled_invoices, 0);
    assert_eq!(lateness.avg_days_late, None);
    assert_eq!(lateness.late_ratio, None);
}

#[test]
fn window_excludes_its_first_day_before() {
    // As of 2024-06-30, 90 days earlier is 2024-04-01 and 89 is 2024-04-02.
    let ledger = LedgerBuilder::new()
        .invoice("C1", "F1", "2024-03-01", "2024-03-31", "100.00")
        .payment("C1", "P1", "2024-04-01", "100.00", Some("F1"))
        .invoice("C1", "F2", "2024-03-01", "2024-03-31", "300.00")
        .payment("C1", "P2", "2024-04-02", "300.00", Some("F2"))
        .invoice("C1", "F3", "2024-06-01", "2024-07-01", "500.00")
        .payment("C1", "P3", "2024-06-30", "500.00", Some("F3"))
        .build();
    let mut request = MetricsRequest::new(date("2024-06-30"));
    let window = request.lateness_window(90);

    let metrics = metrics::compute(&ledger, client_id(&ledger, "C1"), &request).unwrap();
    let lateness = metrics.lateness[window];

    // F2, 2 days late, and F3, on time: 300 × 2 ÷ 800.
    assert_eq!(lateness.window_days, 90);
    assert_eq!(lateness.settled_invoices, 2);
    assert_eq!(lateness.avg_days_late, Some(money("0.75")));
    assert_eq!(lateness.late_ratio, Some(money("0.5")));
    assert_eq!(metrics.lateness[0].settled_invoices, 3);
}

#[test]
fn default_window_spans_leap_year() {
    // 2024 has 366 days, so 365 days before 2024-12-31 is 2024-01-01.
    let ledger = LedgerBuilder::new()
        .invoice("C1", "F1", "2023-12-01", "2023-12-31", "100.00")
        .payment("C1", "P1", "2024-01-01", "100.00", Some("F1"))
        .invoice("C1", "F2", "2023-12-01", "2023-12-31", "100.00")
        .payment("C1", "P2", "2024-01-02", "100.00", Some("F2"))
        .build();

    let lateness = metrics_at(&ledger, "C1", "2024-12-31").lateness[0];

    assert_eq!(lateness.settled_invoices, 1);
    assert_eq!(lateness.avg_days_late, Some(money("2")));
}

#[test]
fn payment_after_as_of_settles_nothing() {
    let ledger = LedgerBuilder::new()
        .invoice("C1", "F1", "2024-01-01", "2024-01-31", "100.00")
        .payment("C1", "P1", "2024-03-01", "100.00", Some("F1"))
        .build();

    let lateness = metrics_at(&ledger, "C1", "2024-02-29").lateness[0];

    assert_eq!(lateness.settled_invoices, 0);
}

#[test]
fn zero_amount_invoice_does_not_count() {
    let ledger = LedgerBuilder::new()
        .invoice("C1", "F0", "2024-02-01", "2024-03-01", "0")
        .invoice("C1", "F1", "2024-02-01", "2024-03-01", "1000.00")
        .build();

    let lateness = metrics_at(&ledger, "C1", "2024-03-31").lateness[0];

    assert_eq!(lateness.settled_invoices, 0);
    assert_eq!(lateness.avg_days_late, None);
    assert_eq!(lateness.late_ratio, None);
}
