//! Open orders in exposure.

use rust_decimal::Decimal;
use solvent::metrics::{self, MetricsRequest};

use super::builder::{LedgerBuilder, date, money};
use super::{eur_metrics_at, metrics_at};

#[test]
fn orders_add_to_exposure() {
    let ledger = LedgerBuilder::new()
        .invoice("C1", "F1", "2024-01-01", "2024-01-31", "1000")
        .order("C1", "O1", "2024-02-01", "500")
        .build();

    let metrics = metrics_at(&ledger, "C1", "2024-02-15");

    assert_eq!(metrics.receivables, money("1000"));
    assert_eq!(metrics.orders, money("500"));
    assert_eq!(metrics.exposure, money("1500"));
}

#[test]
fn overdue_ratio_counts_orders_in_exposure() {
    let ledger = LedgerBuilder::new()
        .invoice("C1", "F1", "2024-01-01", "2024-01-31", "1000")
        .order("C1", "O1", "2024-02-01", "3000")
        .build();

    let metrics = metrics_at(&ledger, "C1", "2024-02-15");

    // 1000 overdue of 4000.
    assert_eq!(metrics.overdue_ratio, money("0.25"));
}

#[test]
fn split_order_counts_both_parts() {
    let whole = LedgerBuilder::new()
        .order("C1", "O1", "2024-02-01", "600")
        .build();
    let split = LedgerBuilder::new()
        .order("C1", "O1", "2024-02-01", "300")
        .order("C1", "O2", "2024-02-01", "300")
        .build();

    let whole = metrics_at(&whole, "C1", "2024-02-15");
    let split = metrics_at(&split, "C1", "2024-02-15");

    assert_eq!(split.orders, money("600"));
    assert_eq!(split.exposure, whole.exposure);
}

#[test]
fn order_after_as_of_is_ignored() {
    let ledger = LedgerBuilder::new()
        .order("C1", "O1", "2024-02-15", "300")
        .order("C1", "O2", "2024-02-16", "700")
        .build();

    let metrics = metrics_at(&ledger, "C1", "2024-02-15");

    assert_eq!(metrics.orders, money("300"));
}

#[test]
fn order_converts_at_as_of_rate() {
    let ledger = LedgerBuilder::new()
        .rate("USD", "2024-01-01", "0.5")
        .order("C1", "O1", "2024-02-01", "1000")
        .currency("O1", "USD")
        .build();

    let metrics = eur_metrics_at(&ledger, "C1", "2024-02-15").unwrap();

    assert_eq!(metrics.orders, money("500"));
    assert_eq!(metrics.exposure, money("500"));
}

#[test]
fn portfolio_totals_orders() {
    let ledger = LedgerBuilder::new()
        .invoice("C1", "F1", "2024-01-01", "2024-01-31", "1000")
        .order("C1", "O1", "2024-02-01", "500")
        .order("C2", "O2", "2024-02-01", "250")
        .build();

    let totals = metrics::portfolio(&ledger, &MetricsRequest::new(date("2024-02-15"))).unwrap();

    assert_eq!(totals.orders, money("750"));
    assert_eq!(totals.exposure, money("1750"));
    assert_eq!(totals.receivables, money("1000"));
}

#[test]
fn client_with_orders_only_has_no_receivables() {
    let ledger = LedgerBuilder::new()
        .order("C1", "O1", "2024-02-01", "500")
        .build();

    let metrics = metrics_at(&ledger, "C1", "2024-02-15");

    assert_eq!(metrics.receivables, Decimal::ZERO);
    assert_eq!(metrics.overdue_ratio, Decimal::ZERO);
}
