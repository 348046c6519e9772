//! Receivables, exposure, overdue amounts, aging and open items.

use rust_decimal::Decimal;
use solvent::metrics::{self, MetricsRequest};

use super::builder::{LedgerBuilder, date, invoice_id, money};
use super::{metrics_at, open_item};

#[test]
fn receivables_sum_open_amounts() {
    let ledger = LedgerBuilder::new()
        .invoice("C1", "F1", "2024-01-01", "2024-01-31", "1000.00")
        .invoice("C1", "F2", "2024-02-01", "2024-03-02", "250.50")
        .payment("C1", "P1", "2024-02-10", "400.00", Some("F1"))
        .build();

    let metrics = metrics_at(&ledger, "C1", "2024-02-15");

    // 600.00 left on F1 plus 250.50 on F2.
    assert_eq!(metrics.receivables, money("850.50"));
    assert_eq!(metrics.exposure, money("850.50"));
    assert_eq!(metrics.open_invoices, 2);
}

#[test]
fn overdue_excludes_due_on_as_of() {
    let ledger = LedgerBuilder::new()
        .invoice("C1", "F1", "2024-01-01", "2024-01-31", "100.00")
        .invoice("C1", "F2", "2024-01-15", "2024-02-14", "300.00")
        .invoice("C1", "F3", "2024-01-20", "2024-02-15", "600.00")
        .build();

    let metrics = metrics_at(&ledger, "C1", "2024-02-14");

    assert_eq!(metrics.overdue, money("100.00"));
    assert_eq!(metrics.overdue_invoices, 1);
    assert_eq!(metrics.open_invoices, 3);
}

#[test]
fn overdue_ratio_divides_by_exposure() {
    let ledger = LedgerBuilder::new()
        .invoice("C1", "F1", "2024-01-01", "2024-01-31", "100.00")
        .invoice("C1", "F2", "2024-02-01", "2024-03-02", "300.00")
        .build();

    let metrics = metrics_at(&ledger, "C1", "2024-02-15");

    // 100 overdue of 400.
    assert_eq!(metrics.overdue_ratio, money("0.25"));
}

#[test]
fn overdue_ratio_zero_without_exposure() {
    let ledger = LedgerBuilder::new()
        .invoice("C1", "F1", "2024-01-01", "2024-01-31", "100.00")
        .payment("C1", "P1", "2024-01-20", "100.00", Some("F1"))
        .build();

    let metrics = metrics_at(&ledger, "C1", "2024-02-15");

    assert_eq!(metrics.exposure, Decimal::ZERO);
    assert_eq!(metrics.overdue_ratio, Decimal::ZERO);
}

#[test]
fn days_past_due_count_from_due_date() {
    let ledger = LedgerBuilder::new()
        .invoice("C1", "F1", "2023-11-01", "2023-12-01", "100.00")
        .invoice("C1", "F2", "2024-01-10", "2024-02-09", "100.00")
        .invoice("C1", "F3", "2024-02-01", "2024-03-02", "100.00")
        .build();

    let metrics = metrics_at(&ledger, "C1", "2024-02-15");

    // 30 days left in December, 31 in January, 15 in February.
    assert_eq!(
        open_item(&ledger, &metrics, "F1").unwrap().days_past_due,
        76
    );
    assert_eq!(open_item(&ledger, &metrics, "F2").unwrap().days_past_due, 6);
    assert_eq!(
        open_item(&ledger, &metrics, "F3").unwrap().days_past_due,
        -16
    );
    assert_eq!(metrics.oldest_overdue_days, 76);
}

#[test]
fn oldest_overdue_zero_when_none_overdue() {
    let ledger = LedgerBuilder::new()
        .invoice("C1", "F1", "2024-02-01", "2024-03-02", "100.00")
        .build();

    let metrics = metrics_at(&ledger, "C1", "2024-03-02");

    assert_eq!(metrics.oldest_overdue_days, 0);
    assert_eq!(metrics.overdue, Decimal::ZERO);
    assert_eq!(metrics.overdue_invoices, 0);
}

#[test]
fn aging_bucket_bounds_are_inclusive() {
    // As of 2024-06-30, each due date below is the given number of days
    // earlier, and each amount is a distinct power of two so every bucket
    // sum names its invoices.
    let ledger = LedgerBuilder::new()
        .invoice("C1", "M5", "2024-06-01", "2024-07-05", "1") // -5 days
        .invoice("C1", "D0", "2024-06-01", "2024-06-30", "2") // 0
        .invoice("C1", "D1", "2024-05-01", "2024-06-29", "4") // 1
        .invoice("C1", "D30", "2024-05-01", "2024-05-31", "8") // 30
        .invoice("C1", "D31", "2024-04-01", "2024-05-30", "16") // 31
        .invoice("C1", "D60", "2024-04-01", "2024-05-01", "32") // 60
        .invoice("C1", "D61", "2024-03-01", "2024-04-30", "64") // 61
        .invoice("C1", "D90", "2024-03-01", "2024-04-01", "128") // 90
        .invoice("C1", "D91", "2024-03-01", "2024-03-31", "256") // 91
        .build();

    let metrics = metrics_at(&ledger, "C1", "2024-06-30");

    assert_eq!(metrics.aging.current, money("3"));
    assert_eq!(metrics.aging.days_1_30, money("12"));
    assert_eq!(metrics.aging.days_31_60, money("48"));
    assert_eq!(metrics.aging.days_61_90, money("192"));
    assert_eq!(metrics.aging.over_90, money("256"));
}

#[test]
fn aging_bucket_days_match_names() {
    let ledger = LedgerBuilder::new()
        .invoice("C1", "D0", "2024-06-01", "2024-06-30", "2")
        .invoice("C1", "D1", "2024-05-01", "2024-06-29", "4")
        .invoice("C1", "D30", "2024-05-01", "2024-05-31", "8")
        .invoice("C1", "D31", "2024-04-01", "2024-05-30", "16")
        .invoice("C1", "D60", "2024-04-01", "2024-05-01", "32")
        .invoice("C1", "D61", "2024-03-01", "2024-04-30", "64")
        .invoice("C1", "D90", "2024-03-01", "2024-04-01", "128")
        .invoice("C1", "D91", "2024-03-01", "2024-03-31", "256")
        .build();

    let metrics = metrics_at(&ledger, "C1", "2024-06-30");

    for (id, days) in [
        ("D0", 0),
        ("D1", 1),
        ("D30", 30),
        ("D31", 31),
        ("D60", 60),
        ("D61", 61),
        ("D90", 90),
        ("D91", 91),
    ] {
        let item = open_item(&ledger, &metrics, id).unwrap();
        assert_eq!(item.days_past_due, days, "days past due of {id}");
    }
}

#[test]
fn leap_day_counts_in_days_past_due() {
    let ledger = LedgerBuilder::new()
        .invoice("C1", "F1", "2023-12-31", "2024-01-30", "100.00")
        .invoice("C1", "F2", "2023-12-30", "2024-01-29", "10.00")
        .build();

    let metrics = metrics_at(&ledger, "C1", "2024-02-29");

    assert_eq!(
        open_item(&ledger, &metrics, "F1").unwrap().days_past_due,
        30
    );
    assert_eq!(
        open_item(&ledger, &metrics, "F2").unwrap().days_past_due,
        31
    );
    assert_eq!(metrics.aging.days_1_30, money("100.00"));
    assert_eq!(metrics.aging.days_31_60, money("10.00"));
}

#[test]
fn open_items_ordered_by_due_date() {
    let ledger = LedgerBuilder::new()
        .invoice("C1", "F1", "2024-01-01", "2024-03-01", "100.00")
        .invoice("C1", "F2", "2024-01-10", "2024-01-25", "200.00")
        .invoice("C1", "F3", "2024-01-05", "2024-02-04", "300.00")
        .payment("C1", "P1", "2024-01-20", "300.00", Some("F3"))
        .build();

    let metrics = metrics_at(&ledger, "C1", "2024-02-15");
    let ids: Vec<u32> = metrics.open_items.iter().map(|item| item.invoice).collect();

    assert_eq!(ids, [invoice_id(&ledger, "F2"), invoice_id(&ledger, "F1")]);
}

#[test]
fn partial_payment_remainder_stays_dunnable() {
    let ledger = LedgerBuilder::new()
        .invoice("C1", "F1", "2024-01-01", "2024-01-31", "1000.00")
        .payment("C1", "P1", "2024-02-10", "400.00", Some("F1"))
        .build();

    let metrics = metrics_at(&ledger, "C1", "2024-03-01");
    let item = open_item(&ledger, &metrics, "F1").unwrap();

    assert_eq!(item.open, money("600.00"));
    assert_eq!(item.days_past_due, 30);
    assert_eq!(metrics.overdue, money("600.00"));
    assert_eq!(metrics.overdue_invoices, 1);
}

#[test]
fn credit_notes_reduce_exposure() {
    let ledger = LedgerBuilder::new()
        .invoice("C1", "F1", "2024-01-01", "2024-01-31", "1000.00")
        .invoice("C1", "F2", "2024-01-10", "2024-02-09", "500.00")
        .credit_note("C1", "A1", "2024-01-20", "200.00", Some("F2"))
        .credit_note("C1", "A2", "2024-01-25", "150.00", None)
        .build();

    let metrics = metrics_at(&ledger, "C1", "2024-02-15");

    // A2 has no reference, so it goes to F1, due first.
    assert_eq!(
        open_item(&ledger, &metrics, "F1").unwrap().open,
        money("850.00")
    );
    assert_eq!(
        open_item(&ledger, &metrics, "F2").unwrap().open,
        money("300.00")
    );
    assert_eq!(metrics.exposure, money("1150.00"));
    assert_eq!(metrics.open_invoices, 2);
}

#[test]
fn payment_on_account_reduces_overdue() {
    let ledger = LedgerBuilder::new()
        .invoice("C1", "F1", "2024-01-01", "2024-01-31", "300.00")
        .invoice("C1", "F2", "2024-01-10", "2024-02-09", "300.00")
        .invoice("C1", "F3", "2024-02-10", "2024-03-11", "300.00")
        .payment("C1", "P1", "2024-02-12", "400.00", None)
        .build();

    let metrics = metrics_at(&ledger, "C1", "2024-02-20");

    // F1 settled and 100 off F2, both overdue, leaving 200 of F2 overdue.
    assert_eq!(metrics.overdue, money("200.00"));
    assert_eq!(metrics.overdue_invoices, 1);
    assert_eq!(metrics.receivables, money("500.00"));
    assert_eq!(open_item(&ledger, &metrics, "F1"), None);
}

#[test]
fn overpayment_leaves_no_negative_open_amount() {
    let ledger = LedgerBuilder::new()
        .invoice("C1", "F1", "2024-01-01", "2024-01-31", "100.00")
        .payment("C1", "P1", "2024-01-20", "250.00", Some("F1"))
        .build();

    let metrics = metrics_at(&ledger, "C1", "2024-02-15");

    assert_eq!(metrics.credit_balance, money("150.00"));
    assert_eq!(metrics.receivables, Decimal::ZERO);
    assert_eq!(metrics.open_items, []);
}

#[test]
fn payment_after_as_of_leaves_invoice_overdue() {
    let ledger = LedgerBuilder::new()
        .invoice("C1", "F1", "2024-01-01", "2024-01-31", "100.00")
        .payment("C1", "P1", "2024-02-16", "100.00", Some("F1"))
        .build();

    let metrics = metrics_at(&ledger, "C1", "2024-02-15");

    assert_eq!(metrics.overdue, money("100.00"));
    assert_eq!(metrics.credit_balance, Decimal::ZERO);
}

#[test]
fn unknown_client_has_empty_metrics() {
    let ledger = LedgerBuilder::new()
        .invoice("C1", "F1", "2024-01-01", "2024-01-31", "100.00")
        .build();
    let mut request = MetricsRequest::new(date("2024-02-15"));
    request.lateness_window(90);

    let metrics = metrics::compute(&ledger, 7, &request).unwrap();

    assert_eq!(metrics.receivables, Decimal::ZERO);
    assert_eq!(metrics.open_items, []);
    assert_eq!(metrics.lateness.len(), 2);
    assert_eq!(metrics.dso, Some(Decimal::ZERO));
}

#[test]
fn compute_into_replaces_previous_client() {
    let ledger = LedgerBuilder::new()
        .invoice("C1", "F1", "2024-01-01", "2024-01-31", "100.00")
        .invoice("C2", "G1", "2024-01-01", "2024-03-31", "80.00")
        .build();
    let request = MetricsRequest::new(date("2024-02-15"));
    let mut reused = metrics::compute(&ledger, 0, &request).unwrap();
    let mut allocation = metrics::Allocation::new();

    metrics::compute_into(&mut reused, &mut allocation, &ledger, 1, &request).unwrap();

    assert_eq!(reused, metrics::compute(&ledger, 1, &request).unwrap());
}
