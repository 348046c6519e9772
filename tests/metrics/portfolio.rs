//! Totals over all clients and the portfolio's DSO.

use rust_decimal::Decimal;
use solvent::ledger::Ledger;
use solvent::metrics::{self, MetricsRequest, PortfolioMetrics};

use super::builder::{LedgerBuilder, date, money};

/// Portfolio totals at `as_of`, with every document in the policy's
/// currency.
fn portfolio_at(ledger: &Ledger, as_of: &str) -> PortfolioMetrics {
    metrics::portfolio(ledger, &MetricsRequest::new(date(as_of))).unwrap()
}

/// C1 owes 1000 issued in March, C2 owes 1000 of 2000 issued in February and
/// 300 of an older invoice, and C3 has paid 50 too much.
fn three_clients() -> Ledger {
    LedgerBuilder::new()
        .invoice("C1", "F1", "2024-03-10", "2024-04-09", "1000")
        .invoice("C2", "G1", "2024-02-20", "2024-03-21", "2000")
        .payment("C2", "Q1", "2024-03-01", "1000", Some("G1"))
        .invoice("C2", "G2", "2024-02-01", "2024-03-02", "300")
        .invoice("C3", "H1", "2024-02-01", "2024-03-02", "100")
        .payment("C3", "R1", "2024-03-01", "150", Some("H1"))
        .build()
}

#[test]
fn portfolio_totals_add_clients() {
    let ledger = three_clients();

    let totals = portfolio_at(&ledger, "2024-03-15");

    assert_eq!(totals.clients, 3);
    assert_eq!(totals.receivables, money("2300"));
    assert_eq!(totals.exposure, money("2300"));
    assert_eq!(totals.overdue, money("300"));
    assert_eq!(totals.credit_balance, money("50"));
    assert_eq!(totals.aging.current, money("2000"));
    assert_eq!(totals.aging.days_1_30, money("300"));
    assert_eq!(totals.open_invoices, 3);
    assert_eq!(totals.overdue_invoices, 1);
    assert_eq!(totals.oldest_overdue_days, 13);
}

#[test]
fn portfolio_overdue_ratio() {
    let totals = portfolio_at(&three_clients(), "2024-03-15");

    // 300 ÷ 2300 = 3/23.
    assert_eq!(
        totals.overdue_ratio(),
        money("0.1304347826086956521739130435")
    );
}

#[test]
fn portfolio_dso_counts_all_sales() {
    let ledger = three_clients();

    let request = MetricsRequest::new(date("2024-03-15"));
    let dso = metrics::portfolio_dso(&ledger, &request).unwrap();

    // 2300 owed against 1000 sold from 1 to 15 March, then 2400 in
    // February: 15 + 1300 × 29 ÷ 2400 = 15 + 37700 ÷ 2400.
    assert_eq!(dso, Some(money("30.708333333333333333333333333")));
    assert_eq!(portfolio_at(&ledger, "2024-03-15").dso, dso);
}

#[test]
fn merged_totals_equal_added_clients() {
    let ledger = three_clients();
    let request = MetricsRequest::new(date("2024-03-15"));
    let mut all = PortfolioMetrics::default();
    let mut first = PortfolioMetrics::default();
    let mut rest = PortfolioMetrics::default();

    for client in 0..3 {
        let client_metrics = metrics::compute(&ledger, client, &request).unwrap();
        all.add(&client_metrics);
        let part = if client == 0 { &mut first } else { &mut rest };
        part.add(&client_metrics);
    }
    first.merge(&rest);

    assert_eq!(first, all);
}

#[test]
fn empty_portfolio_has_zero_dso() {
    let ledger = LedgerBuilder::new().build();

    let totals = portfolio_at(&ledger, "2024-03-15");

    assert_eq!(totals.receivables, Decimal::ZERO);
    assert_eq!(totals.overdue_ratio(), Decimal::ZERO);
    assert_eq!(totals.dso, Some(Decimal::ZERO));
}
