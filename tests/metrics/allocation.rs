//! Allocation of credit notes and payments to invoices.

use rust_decimal::Decimal;
use solvent::metrics::Conversion;

use super::builder::{LedgerBuilder, date, invoice_id, money};
use super::{allocation_at, paid, settled_on, settlement};

#[test]
fn named_payment_partially_settles_invoice() {
    let ledger = LedgerBuilder::new()
        .invoice("C1", "F1", "2024-01-01", "2024-01-31", "1000.00")
        .payment("C1", "P1", "2024-01-20", "400.00", Some("F1"))
        .build();

    let allocation = allocation_at(&ledger, "C1", "2024-03-01");
    let f1 = settlement(&ledger, &allocation, "F1");

    assert_eq!(f1.open, money("600.00"));
    assert_eq!(f1.settled_on, None);
}

#[test]
fn named_payment_settles_on_its_date() {
    let ledger = LedgerBuilder::new()
        .invoice("C1", "F1", "2024-01-01", "2024-01-31", "1000.00")
        .payment("C1", "P1", "2024-01-20", "400.00", Some("F1"))
        .payment("C1", "P2", "2024-02-05", "600.00", Some("F1"))
        .build();

    let allocation = allocation_at(&ledger, "C1", "2024-03-01");
    let f1 = settlement(&ledger, &allocation, "F1");

    assert_eq!(f1.open, Decimal::ZERO);
    assert_eq!(f1.settled_on, settled_on("2024-02-05"));
}

#[test]
fn referenced_credit_note_reduces_its_invoice() {
    // F2 is due first, so only the reference can send the credit to F1.
    let ledger = LedgerBuilder::new()
        .invoice("C1", "F1", "2024-01-01", "2024-02-29", "1000.00")
        .invoice("C1", "F2", "2024-01-05", "2024-02-04", "500.00")
        .credit_note("C1", "A1", "2024-01-10", "200.00", Some("F1"))
        .build();

    let allocation = allocation_at(&ledger, "C1", "2024-01-31");

    assert_eq!(settlement(&ledger, &allocation, "F1").open, money("800.00"));
    assert_eq!(settlement(&ledger, &allocation, "F2").open, money("500.00"));
    assert_eq!(allocation.credit_balance(), Decimal::ZERO);
}

#[test]
fn standalone_credit_note_settles_oldest_due_first() {
    // F2 is issued later than F1 but due first.
    let ledger = LedgerBuilder::new()
        .invoice("C1", "F1", "2024-01-01", "2024-02-29", "1000.00")
        .invoice("C1", "F2", "2024-01-10", "2024-01-25", "200.00")
        .credit_note("C1", "A1", "2024-01-15", "300.00", None)
        .build();

    let allocation = allocation_at(&ledger, "C1", "2024-01-31");
    let f1 = settlement(&ledger, &allocation, "F1");
    let f2 = settlement(&ledger, &allocation, "F2");

    assert_eq!(f2.open, Decimal::ZERO);
    assert_eq!(f2.settled_on, settled_on("2024-01-15"));
    assert_eq!(f1.open, money("900.00"));
    assert_eq!(f1.settled_on, None);
}

#[test]
fn credit_note_is_not_a_receivable() {
    let ledger = LedgerBuilder::new()
        .invoice("C1", "F1", "2024-01-01", "2024-01-31", "1000.00")
        .credit_note("C1", "A1", "2024-01-10", "200.00", Some("F1"))
        .build();

    let allocation = allocation_at(&ledger, "C1", "2024-01-31");
    let a1 = settlement(&ledger, &allocation, "A1");

    assert_eq!(a1.open, Decimal::ZERO);
    assert_eq!(a1.settled_on, None);
}

#[test]
fn payment_on_account_settles_oldest_due_first() {
    let ledger = LedgerBuilder::new()
        .invoice("C1", "F1", "2024-01-01", "2024-01-31", "300.00")
        .invoice("C1", "F2", "2024-01-15", "2024-02-14", "300.00")
        .invoice("C1", "F3", "2024-02-01", "2024-03-02", "300.00")
        .payment("C1", "P1", "2024-02-20", "450.00", None)
        .build();

    let allocation = allocation_at(&ledger, "C1", "2024-02-29");

    assert_eq!(settlement(&ledger, &allocation, "F1").open, Decimal::ZERO);
    assert_eq!(settlement(&ledger, &allocation, "F2").open, money("150.00"));
    assert_eq!(settlement(&ledger, &allocation, "F3").open, money("300.00"));
}

#[test]
fn pool_breaks_due_date_ties_by_invoice_date() {
    // Same due date: F2 was issued first, so the pool settles it first.
    let ledger = LedgerBuilder::new()
        .invoice("C1", "F1", "2024-01-10", "2024-02-15", "100.00")
        .invoice("C1", "F2", "2024-01-05", "2024-02-15", "100.00")
        .payment("C1", "P1", "2024-01-20", "100.00", None)
        .build();

    let allocation = allocation_at(&ledger, "C1", "2024-01-31");

    assert_eq!(settlement(&ledger, &allocation, "F2").open, Decimal::ZERO);
    assert_eq!(settlement(&ledger, &allocation, "F1").open, money("100.00"));
}

#[test]
fn pool_breaks_full_ties_by_id() {
    let ledger = LedgerBuilder::new()
        .invoice("C1", "F2", "2024-01-05", "2024-02-15", "100.00")
        .invoice("C1", "F1", "2024-01-05", "2024-02-15", "100.00")
        .payment("C1", "P1", "2024-01-20", "100.00", None)
        .build();

    let allocation = allocation_at(&ledger, "C1", "2024-01-31");

    assert_eq!(settlement(&ledger, &allocation, "F1").open, Decimal::ZERO);
    assert_eq!(settlement(&ledger, &allocation, "F2").open, money("100.00"));
}

#[test]
fn overpayment_leaves_credit_balance() {
    let ledger = LedgerBuilder::new()
        .invoice("C1", "F1", "2024-01-01", "2024-01-31", "100.00")
        .payment("C1", "P1", "2024-01-20", "150.00", Some("F1"))
        .build();

    let allocation = allocation_at(&ledger, "C1", "2024-01-31");
    let f1 = settlement(&ledger, &allocation, "F1");

    assert_eq!(f1.open, Decimal::ZERO);
    assert_eq!(f1.settled_on, settled_on("2024-01-20"));
    assert_eq!(allocation.credit_balance(), money("50.00"));
}

#[test]
fn named_excess_settles_other_invoices() {
    let ledger = LedgerBuilder::new()
        .invoice("C1", "F1", "2024-01-01", "2024-01-31", "100.00")
        .invoice("C1", "F2", "2024-01-02", "2024-02-01", "100.00")
        .payment("C1", "P1", "2024-01-20", "150.00", Some("F2"))
        .build();

    let allocation = allocation_at(&ledger, "C1", "2024-01-31");

    assert_eq!(settlement(&ledger, &allocation, "F2").open, Decimal::ZERO);
    assert_eq!(settlement(&ledger, &allocation, "F1").open, money("50.00"));
    assert_eq!(allocation.credit_balance(), Decimal::ZERO);
}

#[test]
fn pool_settles_later_invoice_on_issue() {
    let ledger = LedgerBuilder::new()
        .client("C1")
        .payment("C1", "P1", "2024-01-05", "300.00", None)
        .invoice("C1", "F1", "2024-01-10", "2024-02-09", "200.00")
        .invoice("C1", "F2", "2024-02-01", "2024-03-02", "250.00")
        .build();

    let before = allocation_at(&ledger, "C1", "2024-01-07");
    let after = allocation_at(&ledger, "C1", "2024-02-15");
    let f1 = settlement(&ledger, &after, "F1");

    assert_eq!(before.credit_balance(), money("300.00"));
    assert_eq!(f1.open, Decimal::ZERO);
    assert_eq!(f1.settled_on, settled_on("2024-01-10"));
    assert_eq!(settlement(&ledger, &after, "F2").open, money("150.00"));
    assert_eq!(after.credit_balance(), Decimal::ZERO);
}

#[test]
fn payment_on_issue_day_settles_invoice() {
    let ledger = LedgerBuilder::new()
        .invoice("C1", "F1", "2024-01-10", "2024-02-09", "200.00")
        .payment("C1", "P1", "2024-01-10", "200.00", None)
        .build();

    let allocation = allocation_at(&ledger, "C1", "2024-01-10");
    let f1 = settlement(&ledger, &allocation, "F1");

    assert_eq!(f1.open, Decimal::ZERO);
    assert_eq!(f1.settled_on, settled_on("2024-01-10"));
    assert_eq!(allocation.credit_balance(), Decimal::ZERO);
}

#[test]
fn prepayment_waits_for_named_invoice() {
    // P1 names F2 before F2 exists, so it must not settle the older F1.
    let ledger = LedgerBuilder::new()
        .invoice("C1", "F1", "2024-01-01", "2024-01-31", "100.00")
        .payment("C1", "P1", "2024-01-05", "100.00", Some("F2"))
        .invoice("C1", "F2", "2024-01-10", "2024-02-09", "100.00")
        .build();

    let before = allocation_at(&ledger, "C1", "2024-01-08");
    let after = allocation_at(&ledger, "C1", "2024-01-15");
    let f2 = settlement(&ledger, &after, "F2");

    assert_eq!(settlement(&ledger, &before, "F1").open, money("100.00"));
    assert_eq!(before.credit_balance(), money("100.00"));
    assert_eq!(settlement(&ledger, &after, "F1").open, money("100.00"));
    assert_eq!(f2.open, Decimal::ZERO);
    assert_eq!(f2.settled_on, settled_on("2024-01-10"));
    assert_eq!(after.credit_balance(), Decimal::ZERO);
}

#[test]
fn payment_after_as_of_is_ignored() {
    let ledger = LedgerBuilder::new()
        .invoice("C1", "F1", "2024-01-01", "2024-01-31", "100.00")
        .payment("C1", "P1", "2024-02-01", "100.00", Some("F1"))
        .payment("C1", "P2", "2024-02-01", "50.00", None)
        .build();

    let allocation = allocation_at(&ledger, "C1", "2024-01-31");
    let f1 = settlement(&ledger, &allocation, "F1");

    assert_eq!(f1.open, money("100.00"));
    assert_eq!(f1.settled_on, None);
    assert_eq!(allocation.credit_balance(), Decimal::ZERO);
}

#[test]
fn documents_after_as_of_are_ignored() {
    let ledger = LedgerBuilder::new()
        .invoice("C1", "F1", "2024-01-01", "2024-01-31", "100.00")
        .invoice("C1", "F2", "2024-02-01", "2024-03-02", "100.00")
        .credit_note("C1", "A1", "2024-02-01", "40.00", Some("F1"))
        .build();

    let allocation = allocation_at(&ledger, "C1", "2024-01-31");
    let f2 = settlement(&ledger, &allocation, "F2");

    assert_eq!(settlement(&ledger, &allocation, "F1").open, money("100.00"));
    assert_eq!(f2.open, Decimal::ZERO);
    assert_eq!(f2.settled_on, None);
}

#[test]
fn reference_to_credit_note_counts_on_account() {
    let ledger = LedgerBuilder::new()
        .invoice("C1", "F1", "2024-01-01", "2024-01-31", "100.00")
        .credit_note("C1", "A1", "2024-01-05", "30.00", None)
        .payment("C1", "P1", "2024-01-10", "20.00", Some("A1"))
        .build();

    let allocation = allocation_at(&ledger, "C1", "2024-01-31");

    assert_eq!(settlement(&ledger, &allocation, "F1").open, money("50.00"));
    assert_eq!(settlement(&ledger, &allocation, "A1").open, Decimal::ZERO);
}

#[test]
fn reference_to_other_client_counts_on_account() {
    let ledger = LedgerBuilder::new()
        .invoice("C1", "F1", "2024-01-01", "2024-01-31", "100.00")
        .invoice("C2", "G1", "2024-01-01", "2024-01-31", "100.00")
        .credit_note("C1", "A1", "2024-01-05", "30.00", Some("G1"))
        .build();

    let first = allocation_at(&ledger, "C1", "2024-01-31");
    let second = allocation_at(&ledger, "C2", "2024-01-31");

    assert_eq!(settlement(&ledger, &first, "F1").open, money("70.00"));
    assert_eq!(settlement(&ledger, &second, "G1").open, money("100.00"));
}

#[test]
fn zero_amount_invoice_settles_on_issue() {
    let ledger = LedgerBuilder::new()
        .invoice("C1", "F1", "2024-01-03", "2024-02-02", "0.00")
        .build();

    let allocation = allocation_at(&ledger, "C1", "2024-01-31");
    let f1 = settlement(&ledger, &allocation, "F1");

    assert_eq!(f1.open, Decimal::ZERO);
    assert_eq!(f1.settled_on, settled_on("2024-01-03"));
}

#[test]
fn reused_allocation_matches_fresh_one() {
    let ledger = LedgerBuilder::new()
        .invoice("C1", "F1", "2024-01-01", "2024-01-31", "100.00")
        .payment("C1", "P1", "2024-01-10", "70.00", None)
        .invoice("C2", "G1", "2024-01-01", "2024-01-31", "80.00")
        .payment("C2", "Q1", "2024-01-10", "100.00", Some("G1"))
        .build();
    let mut reused = allocation_at(&ledger, "C2", "2024-01-31");

    reused
        .allocate(&ledger, 0, date("2024-01-31"), &Conversion::default())
        .unwrap();
    let fresh = allocation_at(&ledger, "C1", "2024-01-31");

    assert_eq!(reused.settlements(), fresh.settlements());
    assert_eq!(reused.credit_balance(), fresh.credit_balance());
    assert_eq!(reused.sales(), fresh.sales());
    assert_eq!(reused.items(), fresh.items());
}

#[test]
fn applications_date_prepayment_on_issue() {
    let ledger = LedgerBuilder::new()
        .client("C1")
        .payment("C1", "P1", "2024-01-05", "60.00", None)
        .invoice("C1", "F1", "2024-01-10", "2024-02-09", "100.00")
        .payment("C1", "P2", "2024-01-20", "40.00", Some("F1"))
        .build();

    let allocation = allocation_at(&ledger, "C1", "2024-01-31");

    assert_eq!(
        allocation.applications(0),
        [paid("2024-01-10", "60.00"), paid("2024-01-20", "40.00")]
    );
}

#[test]
fn applications_empty_out_of_range() {
    let ledger = LedgerBuilder::new()
        .invoice("C1", "F1", "2024-01-01", "2024-01-31", "100.00")
        .build();

    let allocation = allocation_at(&ledger, "C1", "2024-01-31");

    assert_eq!(allocation.applications(1), []);
}

#[test]
fn items_exclude_invoices_after_as_of() {
    let ledger = LedgerBuilder::new()
        .invoice("C1", "F1", "2024-01-01", "2024-01-31", "100.00")
        .invoice("C1", "F2", "2024-02-01", "2024-03-02", "100.00")
        .credit_note("C1", "A1", "2024-01-05", "10.00", None)
        .build();

    let allocation = allocation_at(&ledger, "C1", "2024-01-31");
    let items = allocation.items();

    assert_eq!(items.len(), 1);
    assert_eq!(items[0].invoice, invoice_id(&ledger, "F1"));
    assert_eq!(items[0].instalment, None);
    assert_eq!(items[0].open, money("90.00"));
    assert_eq!(items[0].currency, None);
}
