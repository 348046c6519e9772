//! Days sales outstanding by the count-back method.
//!
//! Count-back starts from the receivables at the as-of date. The first period
//! runs from the first of the as-of date's month through the as-of date, and
//! each earlier period is a full calendar month with its real length. While
//! the remainder of the receivables is at least a period's sales, the sales
//! come off the remainder and the period's days count in full. In the period
//! where the remainder runs out, remainder ÷ sales × days counts. Months
//! without sales count in full.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;

use super::allocation::Sale;
use super::{MetricsError, MetricsRequest};
use crate::ledger::{DocumentKind, Ledger};

/// Counts `receivables` back against the `(days, sales)` of successive
/// periods, the most recent first, and returns the days counted.
///
/// Receivables of zero or less give zero days. Returns `None` when the
/// periods run out before the receivables do.
///
/// With receivables of 212,000 and sales of 100,000, 80,000 and 70,000 in
/// three 30-day months going back, DSO is 30 + 30 + 32,000 ÷ 70,000 × 30,
/// about 73.71 days.
pub fn count_back_dso<I>(receivables: Decimal, periods: I) -> Option<Decimal>
where
    I: IntoIterator<Item = (u32, Decimal)>,
{
    let mut remainder = receivables;
    let mut days = Decimal::ZERO;
    if remainder <= Decimal::ZERO {
        return Some(days);
    }

    for (period_days, sales) in periods {
        let period_days = Decimal::from(period_days);
        if remainder < sales {
            return Some(days.saturating_add(share_of_period(remainder, sales, period_days)));
        }

        remainder = remainder.saturating_sub(sales);
        days = days.saturating_add(period_days);
        if remainder <= Decimal::ZERO {
            return Some(days);
        }
    }
    None
}

/// Computes remainder ÷ sales × days for `0 ≤ remainder < sales`.
fn share_of_period(remainder: Decimal, sales: Decimal, days: Decimal) -> Decimal {
    // Multiplying first keeps every digit the quotient can carry, and the
    // quotient first cannot overflow because it is below 1.
    match remainder.checked_mul(days) {
        Some(product) => product.checked_div(sales),
        None => remainder
            .checked_div(sales)
            .and_then(|share| share.checked_mul(days)),
    }
    .unwrap_or(days)
}

/// A count-back period: part or all of one calendar month.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Period {
    pub first_day: NaiveDate,
    pub last_day: NaiveDate,
    /// Days from `first_day` through `last_day`, both included.
    pub days: u32,
}

/// Count-back periods going back from an as-of date: the first of its month
/// through the as-of date, then each earlier calendar month in full.
#[derive(Clone, Copy, Debug)]
pub struct CalendarPeriods {
    next_last_day: Option<NaiveDate>,
}

impl CalendarPeriods {
    pub fn back_from(as_of: NaiveDate) -> Self {
        CalendarPeriods {
            next_last_day: Some(as_of),
        }
    }
}

impl Iterator for CalendarPeriods {
    type Item = Period;

    fn next(&mut self) -> Option<Period> {
        let last_day = self.next_last_day?;
        let first_day = last_day.with_day(1)?;
        self.next_last_day = first_day.pred_opt();

        // The last day's day of month is the number of days in the period,
        // whether the period is a full month or ends at the as-of date.
        Some(Period {
            first_day,
            last_day,
            days: last_day.day(),
        })
    }
}

/// Computes one client's DSO: `receivables` counted back against `sales`,
/// which are ordered by date, all dated on or before `as_of`.
///
/// Counting stops at the month of the earliest sale. Every open amount is
/// at most its invoice's amount, and every open invoice is a sale, so the
/// receivables run out by then and the result is `None` only for an
/// allocation that breaks that rule.
pub(super) fn client_dso(
    receivables: Decimal,
    sales: &[Sale],
    as_of: NaiveDate,
) -> Option<Decimal> {
    let periods = SalesPeriods {
        uncounted: sales,
        next_last_day: Some(as_of),
    };
    count_back_dso(receivables, periods)
}

/// The count-back periods of one client, with each run of months without
/// sales folded into one period of their total days. The count is the same
/// as month by month, since a month without sales only adds its days, but
/// an as-of date decades after the last invoice costs one step, not one per
/// month. The periods end with the month of the earliest invoice.
struct SalesPeriods<'s> {
    /// Sales not yet counted, ordered by date.
    uncounted: &'s [Sale],
    next_last_day: Option<NaiveDate>,
}

impl Iterator for SalesPeriods<'_> {
    type Item = (u32, Decimal);

    fn next(&mut self) -> Option<(u32, Decimal)> {
        let last_day = self.next_last_day?;
        let first_day = last_day.with_day(1)?;
        let latest = self.uncounted.last()?.date;

        if latest >= first_day {
            self.next_last_day = first_day.pred_opt();
            let sales = take_sales_since(&mut self.uncounted, first_day);
            return Some((last_day.day(), sales));
        }

        // The months from `last_day` back to the end of the latest invoice's
        // month have no sales.
        let month_end = end_of_month(latest)?;
        self.next_last_day = Some(month_end);
        let gap = u32::try_from((last_day - month_end).num_days()).ok()?;
        Some((gap, Decimal::ZERO))
    }
}

fn end_of_month(date: NaiveDate) -> Option<NaiveDate> {
    let first = date.with_day(1)?;
    let next_month = first.checked_add_months(chrono::Months::new(1))?;
    next_month.pred_opt()
}

/// Sums the amounts of the sales at the end of `sales` dated on or after
/// `first_day`, and removes them from `sales`.
fn take_sales_since(sales: &mut &[Sale], first_day: NaiveDate) -> Decimal {
    let mut total = Decimal::ZERO;
    while let Some((last, rest)) = sales.split_last() {
        if last.date < first_day {
            break;
        }

        total = total.saturating_add(last.amount);
        *sales = rest;
    }
    total
}

/// Computes the DSO of the whole ledger for total `receivables` at the
/// request's as-of date, counting back against every client's invoices
/// converted at the as-of rates.
///
/// Fails with [`MetricsError::MissingRate`] when an invoice dated on or
/// before the as-of date is in a currency without a rate.
pub fn count_back_portfolio(
    ledger: &Ledger,
    request: &MetricsRequest,
    receivables: Decimal,
) -> Result<Option<Decimal>, MetricsError> {
    let sales = PortfolioSales::new(ledger, request)?;
    Ok(sales.count_back(receivables))
}

/// Every client's sales by the number of calendar months between their date
/// and the as-of date.
pub(super) struct PortfolioSales {
    as_of: NaiveDate,
    by_months_back: BTreeMap<u32, Decimal>,
}

impl PortfolioSales {
    /// Sums invoice amounts (not credit notes) dated on or before the as-of
    /// date, in the policy's currency.
    pub fn new(ledger: &Ledger, request: &MetricsRequest) -> Result<PortfolioSales, MetricsError> {
        let as_of = request.as_of;
        let mut by_months_back = BTreeMap::new();
        for invoice in &ledger.invoices {
            if invoice.kind != DocumentKind::Invoice || invoice.date > as_of {
                continue;
            }

            let amount = request
                .conversion
                .to_policy(invoice.amount, invoice.currency)?;
            let months_back = months_between(invoice.date, as_of);
            let total: &mut Decimal = by_months_back.entry(months_back).or_default();
            *total = total.saturating_add(amount);
        }
        Ok(PortfolioSales {
            as_of,
            by_months_back,
        })
    }

    /// Counts `receivables` back against these sales.
    pub fn count_back(&self, receivables: Decimal) -> Option<Decimal> {
        let months = self
            .by_months_back
            .last_key_value()
            .map_or(0, |(&months_back, _)| months_back);

        let periods =
            CalendarPeriods::back_from(self.as_of)
                .zip(0..=months)
                .map(|(period, months_back)| {
                    let sales = self.by_months_back.get(&months_back).copied();
                    (period.days, sales.unwrap_or(Decimal::ZERO))
                });
        count_back_dso(receivables, periods)
    }
}

fn months_between(earlier: NaiveDate, later: NaiveDate) -> u32 {
    let months = |date: NaiveDate| i64::from(date.year()) * 12 + i64::from(date.month0());
    u32::try_from(months(later) - months(earlier)).unwrap_or(0)
}
