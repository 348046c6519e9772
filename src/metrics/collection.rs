//! Collection KPIs: DSO, best possible DSO, average days delinquent and the
//! collection effectiveness index.

use chrono::{Datelike, Months, NaiveDate};
use rust_decimal::Decimal;

use super::allocation::{Allocation, Sale};
use super::dso::client_dso;
use super::{CeiPeriod, ClientMetrics, MetricsRequest};

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
/// and sales. `allocation` has recorded the receivables at the day before
/// each CEI period starts, in the order of the request's periods.
pub(super) fn add_kpis(
    metrics: &mut ClientMetrics,
    allocation: &Allocation,
    request: &MetricsRequest,
) {
    let as_of = request.as_of;
    let sales = allocation.sales();
    metrics.dso = client_dso(metrics.receivables, sales, as_of);
    metrics.best_possible_dso = client_dso(metrics.aging.current, sales, as_of);
    metrics.average_days_delinquent =
        average_days_delinquent(metrics.dso, metrics.best_possible_dso);

    for (index, &months) in request.cei_periods.iter().enumerate() {
        let beginning = allocation.checkpoint_receivables(index);
        let period = cei_period(metrics, sales, as_of, months, beginning);
        metrics.cei_periods.push(period);
    }
}

/// Computes the CEI over `months` ending on `as_of`, from the receivables at the
/// day before the period starts (zero when unknown) and the `sales`,
/// ordered by date.
fn cei_period(
    metrics: &ClientMetrics,
    sales: &[Sale],
    as_of: NaiveDate,
    months: u32,
    beginning: Option<Decimal>,
) -> CeiPeriod {
    let mut period = CeiPeriod {
        months,
        beginning_receivables: beginning.unwrap_or(Decimal::ZERO),
        credit_sales: Decimal::ZERO,
        cei: None,
    };
    let Some(first_day) = cei_first_day(as_of, months) else {
        return period;
    };

    let period_start = sales.partition_point(|sale| sale.date < first_day);
    let period_sales = sales.get(period_start..).unwrap_or(&[]);
    period.credit_sales = period_sales
        .iter()
        .fold(Decimal::ZERO, |sum, sale| sum.saturating_add(sale.amount));
    period.cei = collection_effectiveness(
        period.beginning_receivables,
        period.credit_sales,
        months,
        metrics.receivables,
        metrics.aging.current,
    );
    period
}
