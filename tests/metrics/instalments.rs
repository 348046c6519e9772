//! Split invoices: each instalment is allocated, aged and counted on its own
//! due date.

use rust_decimal::Decimal;

use super::builder::{LedgerBuilder, date, invoice_id, money};
use super::{allocation_at, metrics_at, open_instalment, paid, settled_on, settlement};

/// F1, issued on 2024-01-01 for 900, due in three instalments of 300 at the
/// end of January, February and March 2024.
fn three_instalments() -> LedgerBuilder {
    let mut builder = LedgerBuilder::new();
    builder
        .invoice("C1", "F1", "2024-01-01", "2024-03-31", "900")
        .instalment("F1", "2024-01-31", "300")
        .instalment("F1", "2024-02-29", "300")
        .instalment("F1", "2024-03-31", "300");
    builder
}

#[test]
fn instalments_age_on_own_due_dates() {
    let ledger = three_instalments().build();

    let metrics = metrics_at(&ledger, "C1", "2024-03-15");

    // 29 days of February and 15 of March past the first instalment, 15
    // past the second, and 16 to go before the third.
    assert_eq!(metrics.aging.days_31_60, money("300"));
    assert_eq!(metrics.aging.days_1_30, money("300"));
    assert_eq!(metrics.aging.current, money("300"));
    assert_eq!(metrics.overdue, money("600"));
    assert_eq!(metrics.oldest_overdue_days, 44);
}

#[test]
fn instalments_count_as_open_items() {
    let ledger = three_instalments().build();

    let metrics = metrics_at(&ledger, "C1", "2024-03-15");
    let first = open_instalment(&ledger, &metrics, "F1", 1).unwrap();
    let third = open_instalment(&ledger, &metrics, "F1", 3).unwrap();

    assert_eq!(metrics.open_invoices, 3);
    assert_eq!(metrics.overdue_invoices, 2);
    assert_eq!(first.due_date, date("2024-01-31"));
    assert_eq!(first.days_past_due, 44);
    assert_eq!(first.open, money("300"));
    assert_eq!(third.due_date, date("2024-03-31"));
    assert_eq!(third.days_past_due, -16);
}

#[test]
fn open_items_list_instalments_by_due_date() {
    let ledger = three_instalments().build();

    let metrics = metrics_at(&ledger, "C1", "2024-03-15");
    let numbers: Vec<Option<u16>> = (metrics.open_items.iter())
        .map(|item| item.instalment)
        .collect();

    assert_eq!(numbers, [Some(1), Some(2), Some(3)]);
}

#[test]
fn named_payment_settles_oldest_instalment_first() {
    let ledger = three_instalments()
        .payment("C1", "P1", "2024-02-10", "400", Some("F1"))
        .build();

    let metrics = metrics_at(&ledger, "C1", "2024-03-15");

    assert_eq!(open_instalment(&ledger, &metrics, "F1", 1), None);
    assert_eq!(
        open_instalment(&ledger, &metrics, "F1", 2).unwrap().open,
        money("200")
    );
    assert_eq!(
        open_instalment(&ledger, &metrics, "F1", 3).unwrap().open,
        money("300")
    );
    assert_eq!(metrics.overdue, money("200"));
}

#[test]
fn split_invoice_settlement_sums_instalments() {
    let ledger = three_instalments()
        .payment("C1", "P1", "2024-02-10", "400", Some("F1"))
        .build();

    let allocation = allocation_at(&ledger, "C1", "2024-03-15");
    let f1 = settlement(&ledger, &allocation, "F1");

    assert_eq!(f1.open, money("500"));
    assert_eq!(f1.settled_on, None);
}

#[test]
fn split_invoice_settles_with_last_instalment() {
    let ledger = three_instalments()
        .payment("C1", "P1", "2024-01-31", "300", Some("F1"))
        .payment("C1", "P2", "2024-03-05", "600", Some("F1"))
        .build();

    let allocation = allocation_at(&ledger, "C1", "2024-03-15");
    let f1 = settlement(&ledger, &allocation, "F1");

    assert_eq!(f1.open, Decimal::ZERO);
    assert_eq!(f1.settled_on, settled_on("2024-03-05"));
}

#[test]
fn pool_settles_instalment_before_later_invoice() {
    // Oldest due first: F1's first instalment (15 Feb), then F2 (1 Mar),
    // then F1's second instalment (15 Apr), though F1 is due after F2.
    let ledger = LedgerBuilder::new()
        .invoice("C1", "F1", "2024-01-01", "2024-04-15", "200")
        .instalment("F1", "2024-02-15", "100")
        .instalment("F1", "2024-04-15", "100")
        .invoice("C1", "F2", "2024-01-10", "2024-03-01", "100")
        .payment("C1", "P1", "2024-01-20", "150", None)
        .build();

    let metrics = metrics_at(&ledger, "C1", "2024-01-31");

    assert_eq!(open_instalment(&ledger, &metrics, "F1", 1), None);
    assert_eq!(
        super::open_item(&ledger, &metrics, "F2").unwrap().open,
        money("50")
    );
    assert_eq!(
        open_instalment(&ledger, &metrics, "F1", 2).unwrap().open,
        money("100")
    );
}

#[test]
fn lateness_counts_each_instalment() {
    // The first instalment of 600 is paid 5 days late, the second of 400
    // 9 days early: 600 × 5 ÷ 1000.
    let ledger = LedgerBuilder::new()
        .invoice("C1", "F1", "2024-01-01", "2024-02-29", "1000")
        .instalment("F1", "2024-01-31", "600")
        .instalment("F1", "2024-02-29", "400")
        .payment("C1", "P1", "2024-02-05", "600", Some("F1"))
        .payment("C1", "P2", "2024-02-20", "400", Some("F1"))
        .build();

    let lateness = metrics_at(&ledger, "C1", "2024-03-31").lateness[0];

    assert_eq!(lateness.settled_invoices, 2);
    assert_eq!(lateness.avg_days_late, Some(money("3")));
    assert_eq!(lateness.late_ratio, Some(money("0.5")));
}

#[test]
fn dso_counts_split_invoice_once() {
    let ledger = LedgerBuilder::new()
        .invoice("C1", "F1", "2024-03-01", "2024-04-30", "1000")
        .instalment("F1", "2024-03-31", "500")
        .instalment("F1", "2024-04-30", "500")
        .invoice("C1", "F2", "2024-02-01", "2024-03-02", "1000")
        .build();

    let allocation = allocation_at(&ledger, "C1", "2024-03-31");
    let metrics = metrics_at(&ledger, "C1", "2024-03-31");
    let f1 = invoice_id(&ledger, "F1");
    let f1_sales: Vec<Decimal> = (allocation.sales().iter())
        .filter(|sale| sale.invoice == f1)
        .map(|sale| sale.amount)
        .collect();

    // 2000 owed: March's 1000 in full (31 days), then February's 1000
    // in full (29 days).
    assert_eq!(f1_sales, [money("1000")]);
    assert_eq!(metrics.dso, Some(money("60")));
}

#[test]
fn items_list_instalments_of_issued_invoices() {
    let ledger = three_instalments()
        .invoice("C1", "F2", "2024-04-01", "2024-05-01", "50")
        .build();

    let allocation = allocation_at(&ledger, "C1", "2024-03-15");
    let items = allocation.items();

    assert_eq!(items.len(), 3);
    assert_eq!(items[1].invoice, invoice_id(&ledger, "F1"));
    assert_eq!(items[1].instalment, Some(2));
    assert_eq!(items[1].due_date, date("2024-02-29"));
    assert_eq!(items[1].amount, money("300"));
    assert_eq!(items[1].open, money("300"));
}

#[test]
fn applications_list_credits_per_instalment() {
    // P1 names F1 and goes to the first instalment. P2 is on account: 100
    // finishes the first instalment and 150 goes to the second.
    let ledger = three_instalments()
        .payment("C1", "P1", "2024-01-20", "200", Some("F1"))
        .payment("C1", "P2", "2024-02-10", "250", None)
        .build();

    let allocation = allocation_at(&ledger, "C1", "2024-03-15");

    assert_eq!(
        allocation.applications(0),
        [paid("2024-01-20", "200"), paid("2024-02-10", "100")]
    );
    assert_eq!(allocation.applications(1), [paid("2024-02-10", "150")]);
    assert_eq!(allocation.applications(2), []);
    assert_eq!(allocation.items()[0].settled_on, settled_on("2024-02-10"));
    assert_eq!(allocation.items()[1].open, money("150"));
}
