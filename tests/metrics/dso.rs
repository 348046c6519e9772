//! Days sales outstanding by the count-back method.

use rust_decimal::Decimal;
use solvent::metrics::{CalendarPeriods, count_back_dso};

use super::builder::{LedgerBuilder, date, money};
use super::metrics_at;

/// Periods of `(days, sales)` going back, with sales given as text.
fn periods(entries: &[(u32, &str)]) -> Vec<(u32, Decimal)> {
    entries
        .iter()
        .map(|&(days, sales)| (days, money(sales)))
        .collect()
}

#[test]
fn count_back_worked_example() {
    let sales = periods(&[(30, "100000"), (30, "80000"), (30, "70000")]);

    let dso = count_back_dso(money("212000"), sales);

    // 30 + 30 + 32,000 × 30 ÷ 70,000, and 960,000 ÷ 70,000 =
    // 13.714285714285714285714285714 at 27 decimals, the most that fit.
    assert_eq!(dso, Some(money("73.714285714285714285714285714")));
}

#[test]
fn count_back_zero_receivables() {
    let sales = periods(&[(31, "1000")]);

    assert_eq!(count_back_dso(Decimal::ZERO, sales), Some(Decimal::ZERO));
}

#[test]
fn count_back_stops_when_exhausted() {
    let sales = periods(&[(30, "100000"), (31, "5")]);

    assert_eq!(count_back_dso(money("100000"), sales), Some(money("30")));
}

#[test]
fn count_back_counts_empty_months_fully() {
    let sales = periods(&[(31, "100"), (30, "0"), (31, "100")]);

    // 31 + 30 + 50 ÷ 100 × 31.
    assert_eq!(count_back_dso(money("150"), sales), Some(money("76.5")));
}

#[test]
fn count_back_none_when_sales_run_out() {
    let sales = periods(&[(31, "100"), (30, "100")]);

    assert_eq!(count_back_dso(money("500"), sales), None);
}

#[test]
fn periods_end_at_month_end() {
    let days: Vec<u32> = CalendarPeriods::back_from(date("2024-03-31"))
        .take(3)
        .map(|period| period.days)
        .collect();

    assert_eq!(days, [31, 29, 31]);
}

#[test]
fn periods_start_with_partial_month() {
    let periods: Vec<_> = CalendarPeriods::back_from(date("2023-03-15"))
        .take(3)
        .collect();

    assert_eq!(periods[0].first_day, date("2023-03-01"));
    assert_eq!(periods[0].last_day, date("2023-03-15"));
    assert_eq!(periods[0].days, 15);
    assert_eq!(periods[1].first_day, date("2023-02-01"));
    assert_eq!(periods[1].last_day, date("2023-02-28"));
    assert_eq!(periods[1].days, 28);
    assert_eq!(periods[2].days, 31);
}

/// F1 (open), and F2 half paid, so receivables of 2000 against sales of 1000
/// in the first half of March and 2000 in February.
fn half_paid_february(year: i32) -> solvent::ledger::Ledger {
    LedgerBuilder::new()
        .invoice(
            "C1",
            "F1",
            &format!("{year}-03-10"),
            &format!("{year}-04-09"),
            "1000",
        )
        .invoice(
            "C1",
            "F2",
            &format!("{year}-02-20"),
            &format!("{year}-03-21"),
            "2000",
        )
        .payment("C1", "P1", &format!("{year}-03-01"), "1000", Some("F2"))
        .build()
}

#[test]
fn client_partial_month_leap_february() {
    let ledger = half_paid_february(2024);

    let metrics = metrics_at(&ledger, "C1", "2024-03-15");

    // 15 days of March, then 1000 ÷ 2000 of February's 29 days.
    assert_eq!(metrics.dso, Some(money("29.5")));
}

#[test]
fn client_partial_month_common_february() {
    let ledger = half_paid_february(2023);

    let metrics = metrics_at(&ledger, "C1", "2023-03-15");

    // 15 days of March, then 1000 ÷ 2000 of February's 28 days.
    assert_eq!(metrics.dso, Some(money("29")));
}

#[test]
fn client_month_end_counts_whole_month() {
    let ledger = LedgerBuilder::new()
        .invoice("C1", "F1", "2024-03-01", "2024-03-31", "3100")
        .payment("C1", "P1", "2024-03-20", "1550", Some("F1"))
        .build();

    let metrics = metrics_at(&ledger, "C1", "2024-03-31");

    // 1550 ÷ 3100 of March's 31 days.
    assert_eq!(metrics.dso, Some(money("15.5")));
}

#[test]
fn client_credit_notes_are_not_sales() {
    let ledger = LedgerBuilder::new()
        .invoice("C1", "F1", "2024-03-05", "2024-04-04", "1000")
        .credit_note("C1", "A1", "2024-03-10", "400", None)
        .build();

    let metrics = metrics_at(&ledger, "C1", "2024-03-20");

    // 600 ÷ 1000 of the 20 days of March so far.
    assert_eq!(metrics.dso, Some(money("12")));
}

#[test]
fn client_counts_back_to_first_sale() {
    let ledger = LedgerBuilder::new()
        .invoice("C1", "F1", "2024-01-10", "2024-02-09", "1000")
        .invoice("C1", "F2", "2024-03-10", "2024-04-09", "500")
        .build();

    let metrics = metrics_at(&ledger, "C1", "2024-03-15");

    // 15 days of March, all 29 of February without sales, all 31 of January.
    assert_eq!(metrics.dso, Some(money("75")));
}

#[test]
fn client_without_receivables_has_zero_dso() {
    let ledger = LedgerBuilder::new()
        .invoice("C1", "F1", "2024-01-10", "2024-02-09", "1000")
        .payment("C1", "P1", "2024-02-01", "1000", Some("F1"))
        .build();

    let metrics = metrics_at(&ledger, "C1", "2024-03-15");

    assert_eq!(metrics.dso, Some(Decimal::ZERO));
}

#[test]
fn client_dso_counts_months_without_sales() {
    let ledger = LedgerBuilder::new()
        .invoice("C1", "F1", "2020-01-15", "2020-02-14", "100")
        .build();

    let metrics = metrics_at(&ledger, "C1", "2020-06-30");

    // June 30, May 31, April 30, March 31, February 29 (2020 is a leap
    // year) without sales, then January's 100 exhausts the 100 owed: 31.
    assert_eq!(metrics.dso, Some(money("182")));
}

#[test]
fn client_dso_far_after_the_last_invoice() {
    let ledger = LedgerBuilder::new()
        .invoice("C1", "F1", "2000-01-10", "2000-02-09", "300")
        .invoice("C1", "F2", "2000-03-10", "2000-04-09", "100")
        .build();

    let metrics = metrics_at(&ledger, "C1", "9999-12-31");

    // From 2000-04-01 through 9999-12-31 nothing is sold: that is every day
    // of the count up to March 2000. March's 100 comes off the 400 owed in
    // full (31 days), February 2000 has no sales (29 days), and January's
    // 300 covers the remaining 300 in full (31 days).
    let after_march = (date("9999-12-31") - date("2000-03-31")).num_days();
    let expected = Decimal::from(after_march + 31 + 29 + 31);
    assert_eq!(metrics.dso, Some(expected));
}
