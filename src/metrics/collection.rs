//! Collection KPIs: DSO, best possible DSO, average days delinquent and the
//! collection effectiveness index.

use chrono::{Datelike, Months, NaiveDate};
use rust_decimal::Decimal;

use super::allocation::Sale;
use super::dso::client_dso;
use super::{ClientMetrics, MetricsRequest};

/// Returns the first day of the CEI period of `months` calendar months that
/// ends on `as_of`: the first of the month `months − 1` months before the
/// as-of date's month. `None` for zero months or a date before the calendar
/// starts.
///
/// For three months ending on 2024-03-15, the period starts on 2024-01-01.
pub fn cei_first_day(as_of: NaiveDate, months: u32) -> Option<NaiveDate> {
    let earlier_months = months.checked_sub(1)?;
    as_of
        .with_day(1)?
        .checked_sub_months(Months::new(earlier_months))
}

/// Computes the collection effectiveness index as a fraction:
/// (B + S ÷ N − E) ÷ (B + S ÷ N − C). B is the receivables at the start of
/// the period and S its credit sales over N months. E is the total and C
/// the current receivables at its end.
///
/// Returns `None` when N is zero, the divisor is zero, or a product
/// overflows. With B = 100,000, S = 90,000 over 3 months, E = 110,000 and
/// C = 80,000, the index is 20,000 ÷ 50,000 = 0.4.
pub fn collection_effectiveness(
    beginning: Decimal,
    credit_sales: Decimal,
    months: u32,
    ending_total: Decimal,
    ending_current: Decimal,
) -> Option<Decimal> {
    if months == 0 {
        return None;
    }

    // Both sides are multiplied by N, so the last step is the only division.
    let months = Decimal::from(months);
    let available = beginning.checked_mul(months)?.checked_add(credit_sales)?;
    let collected = available.checked_sub(ending_total.checked_mul(months)?)?;
    let collectible = available.checked_sub(ending_current.checked_mul(months)?)?;
    collected.checked_div(collectible)
}

/// Returns DSO − best possible DSO, or `None` when either is missing.
pub(super) fn average_days_delinquent(
    dso: Option<Decimal>,
    best_possible_dso: Option<Decimal>,
) -> Option<Decimal> {
    dso?.checked_sub(best_possible_dso?)
}

/// Sets the client's DSO and collection KPIs from its receivables, aging
/// and `sales`, ordered by date. `first_day` starts the CEI period; the
/// caller has set the beginning receivables.
pub(super) fn add_kpis(
    metrics: &mut ClientMetrics,
    sales: &[Sale],
    request: &MetricsRequest,
    first_day: Option<NaiveDate>,
) {
    let as_of = request.as_of;
    metrics.dso = client_dso(metrics.receivables, sales, as_of);
    metrics.best_possible_dso = client_dso(metrics.aging.current, sales, as_of);
    metrics.average_days_delinquent =
        average_days_delinquent(metrics.dso, metrics.best_possible_dso);

    let Some(first_day) = first_day else {
        return;
    };
    let period_start = sales.partition_point(|sale| sale.date < first_day);
    let period_sales = sales.get(period_start..).unwrap_or(&[]);
    metrics.cei_credit_sales = period_sales
        .iter()
        .fold(Decimal::ZERO, |sum, sale| sum.saturating_add(sale.amount));
    metrics.cei = collection_effectiveness(
        metrics.cei_beginning_receivables,
        metrics.cei_credit_sales,
        request.cei_months,
        metrics.receivables,
        metrics.aging.current,
    );
}
