//! Collection KPIs: best possible DSO, average days delinquent and the
//! collection effectiveness index.

use rust_decimal::Decimal;
use solvent::ledger::Ledger;
use solvent::metrics::{
    self, Conversion, MetricsRequest, PortfolioMetrics, cei_first_day, collection_effectiveness,
};

use super::builder::{LedgerBuilder, client_id, date, money};
use super::metrics_at;

/// C1 at 2024-06-30: 2100 left of 3100 sold in May, overdue, and 400 left
/// of 1000 sold in June, not yet due.
fn delinquent_client() -> LedgerBuilder {
    let mut builder = LedgerBuilder::new();
    builder
        .invoice("C1", "F1", "2024-05-10", "2024-06-09", "3100")
        .payment("C1", "P1", "2024-06-05", "1000", Some("F1"))
        .invoice("C1", "F2", "2024-06-10", "2024-07-10", "1000")
        .payment("C1", "P2", "2024-06-20", "600", Some("F2"));
    builder
}

#[test]
fn dso_of_delinquent_client() {
    let ledger = delinquent_client().build();

    let metrics = metrics_at(&ledger, "C1", "2024-06-30");

    // June's 1000 off the 2500 owed (30 days), then 1500 ÷ 3100 of May's
    // 31 days.
    assert_eq!(metrics.dso, Some(money("45")));
}

#[test]
fn best_possible_dso_counts_current_receivables() {
    let ledger = delinquent_client().build();

    let metrics = metrics_at(&ledger, "C1", "2024-06-30");

    // 400 ÷ 1000 of June's 30 days.
    assert_eq!(metrics.best_possible_dso, Some(money("12")));
}

#[test]
fn average_days_delinquent_subtracts_best_dso() {
    let ledger = delinquent_client().build();

    let metrics = metrics_at(&ledger, "C1", "2024-06-30");

    // 45 − 12.
    assert_eq!(metrics.average_days_delinquent, Some(money("33")));
}

#[test]
fn client_without_overdue_has_no_delinquency() {
    let ledger = LedgerBuilder::new()
        .invoice("C1", "F1", "2024-06-10", "2024-07-10", "1000")
        .build();

    let metrics = metrics_at(&ledger, "C1", "2024-06-30");

    assert_eq!(metrics.best_possible_dso, metrics.dso);
    assert_eq!(metrics.average_days_delinquent, Some(Decimal::ZERO));
}

#[test]
fn cei_formula_worked_example() {
    // (100,000 + 90,000 ÷ 3 − 110,000) ÷ (100,000 + 90,000 ÷ 3 − 80,000)
    // = 20,000 ÷ 50,000.
    let cei = collection_effectiveness(
        money("100000"),
        money("90000"),
        3,
        money("110000"),
        money("80000"),
    );

    assert_eq!(cei, Some(money("0.4")));
}

#[test]
fn cei_none_without_divisor() {
    let zero = Decimal::ZERO;

    assert_eq!(collection_effectiveness(zero, zero, 3, zero, zero), None);
    assert_eq!(
        collection_effectiveness(money("100"), money("300"), 0, zero, zero),
        None
    );
}

#[test]
fn cei_period_starts_months_back() {
    assert_eq!(
        cei_first_day(date("2024-03-15"), 3),
        Some(date("2024-01-01"))
    );
    assert_eq!(
        cei_first_day(date("2024-03-31"), 1),
        Some(date("2024-03-01"))
    );
    assert_eq!(
        cei_first_day(date("2024-02-29"), 12),
        Some(date("2023-03-01"))
    );
    assert_eq!(cei_first_day(date("2024-03-31"), 0), None);
}

/// Beginning AR of 100,000 on 2023-12-31, sales of 90,000 from January to
/// March 2024, and at 2024-03-31 110,000 owed of which 80,000 not yet due.
fn quarter_ledger() -> Ledger {
    LedgerBuilder::new()
        .invoice("C1", "F0", "2023-12-01", "2024-01-30", "100000")
        .payment("C1", "P0", "2024-02-15", "80000", Some("F0"))
        .invoice("C1", "F1", "2024-01-15", "2024-02-14", "10000")
        .invoice("C1", "F2", "2024-03-10", "2024-04-09", "80000")
        .build()
}

#[test]
fn cei_of_client_over_quarter() {
    let ledger = quarter_ledger();

    let metrics = metrics_at(&ledger, "C1", "2024-03-31");

    assert_eq!(
        metrics.cei_periods[0].beginning_receivables,
        money("100000")
    );
    assert_eq!(metrics.cei_periods[0].credit_sales, money("90000"));
    assert_eq!(metrics.receivables, money("110000"));
    assert_eq!(metrics.aging.current, money("80000"));
    assert_eq!(metrics.cei(), Some(money("0.4")));
}

#[test]
fn cei_follows_requested_months() {
    let ledger = quarter_ledger();
    let mut request = MetricsRequest::new(date("2024-03-31"));
    request.cei_periods = vec![1];

    let metrics = metrics::compute(&ledger, client_id(&ledger, "C1"), &request).unwrap();

    // On 2024-02-29, 20,000 of F0 and all of F1 are owed; March sells
    // 80,000: (30,000 + 80,000 − 110,000) ÷ (30,000 + 80,000 − 80,000).
    assert_eq!(metrics.cei_periods[0].beginning_receivables, money("30000"));
    assert_eq!(metrics.cei_periods[0].credit_sales, money("80000"));
    assert_eq!(metrics.cei(), Some(Decimal::ZERO));
}

#[test]
fn cei_of_each_requested_period() {
    let ledger = quarter_ledger();
    let mut request = MetricsRequest::new(date("2024-03-31"));
    request.cei_periods = vec![3, 1, 4];

    let metrics = metrics::compute(&ledger, client_id(&ledger, "C1"), &request).unwrap();
    let months: Vec<u32> = metrics.cei_periods.iter().map(|p| p.months).collect();

    // Over 4 months, nothing is owed on 2023-11-30 and December to March
    // sell 190,000: (190,000 ÷ 4 − 110,000) ÷ (190,000 ÷ 4 − 80,000)
    // = −62,500 ÷ −32,500 = 25/13.
    assert_eq!(months, [3, 1, 4]);
    assert_eq!(metrics.cei_periods[0].cei, Some(money("0.4")));
    assert_eq!(metrics.cei_periods[1].beginning_receivables, money("30000"));
    assert_eq!(metrics.cei_periods[1].cei, Some(Decimal::ZERO));
    assert_eq!(metrics.cei_periods[2].beginning_receivables, Decimal::ZERO);
    assert_eq!(metrics.cei_periods[2].credit_sales, money("190000"));
    assert_eq!(
        metrics.cei_periods[2].cei,
        Some(money("1.9230769230769230769230769231"))
    );
}

#[test]
fn cei_none_for_zero_months() {
    let ledger = quarter_ledger();
    let mut request = MetricsRequest::new(date("2024-03-31"));
    request.cei_periods = vec![0];

    let metrics = metrics::compute(&ledger, client_id(&ledger, "C1"), &request).unwrap();

    assert_eq!(metrics.cei(), None);
    assert_eq!(metrics.cei_periods[0].beginning_receivables, Decimal::ZERO);
}

#[test]
fn cei_none_for_client_without_documents() {
    let ledger = LedgerBuilder::new().client("C1").build();

    let metrics = metrics_at(&ledger, "C1", "2024-03-31");

    assert_eq!(metrics.cei(), None);
}

/// Builds the delinquent client's ledger plus C2, who bought 1000 on
/// 2024-06-15 and paid it.
fn two_clients() -> Ledger {
    delinquent_client()
        .invoice("C2", "G1", "2024-06-15", "2024-07-15", "1000")
        .payment("C2", "Q1", "2024-06-20", "1000", Some("G1"))
        .build()
}

#[test]
fn portfolio_collection_kpis() {
    let ledger = two_clients();

    let totals = metrics::portfolio(&ledger, &MetricsRequest::new(date("2024-06-30"))).unwrap();

    // 2500 owed against 2000 sold in June (30 days), then 500 ÷ 3100 of
    // May's 31 days; 400 current ÷ 2000 of June's 30 days.
    assert_eq!(totals.dso, Some(money("35")));
    assert_eq!(totals.best_possible_dso, Some(money("6")));
    assert_eq!(totals.average_days_delinquent, Some(money("29")));
}

#[test]
fn portfolio_cei_adds_client_figures() {
    let ledger = two_clients();

    let totals = metrics::portfolio(&ledger, &MetricsRequest::new(date("2024-06-30"))).unwrap();

    // Nothing owed on 2024-03-31, 5100 sold from April to June:
    // (5100 ÷ 3 − 2500) ÷ (5100 ÷ 3 − 400) = −800 ÷ 1300 = −8/13.
    assert_eq!(totals.cei_beginning_receivables, Decimal::ZERO);
    assert_eq!(totals.cei_credit_sales, money("5100"));
    assert_eq!(totals.cei, Some(money("-0.6153846153846153846153846154")));
}

#[test]
fn merged_totals_give_same_kpis() {
    let ledger = two_clients();
    let request = MetricsRequest::new(date("2024-06-30"));
    let mut first = PortfolioMetrics::default();
    let mut second = PortfolioMetrics::default();

    first.add(&metrics::compute(&ledger, 0, &request).unwrap());
    second.add(&metrics::compute(&ledger, 1, &request).unwrap());
    first.merge(&second);
    first.compute_kpis(&ledger, &request).unwrap();

    assert_eq!(first, metrics::portfolio(&ledger, &request).unwrap());
}

#[test]
fn cei_beginning_ignores_later_credits() {
    // On 2024-03-31, P1 waits for F2, issued after it, and P2 is not paid
    // yet, so only F1's 500 is owed.
    let ledger = LedgerBuilder::new()
        .invoice("C1", "F1", "2024-03-01", "2024-03-31", "500")
        .payment("C1", "P1", "2024-03-20", "300", Some("F2"))
        .invoice("C1", "F2", "2024-04-10", "2024-05-10", "300")
        .payment("C1", "P2", "2024-04-15", "500", None)
        .build();
    let conversion = Conversion::default();

    let metrics = metrics_at(&ledger, "C1", "2024-06-30");
    let at_beginning = metrics::allocate(&ledger, 0, date("2024-03-31"), &conversion).unwrap();

    assert_eq!(metrics.cei_periods[0].beginning_receivables, money("500"));
    assert_eq!(at_beginning.receivables(), money("500"));
}
