//! Payment behaviour over trailing windows: `avg_days_late` and `late_ratio`.

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::Lateness;
use super::allocation::DueItem;

/// Computes lateness over the `window_days` days up to and including
/// `as_of`, that is for items paid on a date S with
/// `as_of − window_days < S ≤ as_of`.
///
/// An item is paid on the day the credits applied to it reach its amount
/// ([`DueItem::paid_on`]), even when costs taken first leave part of its
/// principal open. Each item weighs by its full amount in the policy's
/// currency, not by the part paid in the window, and counts late against its
/// own due date. Items with a zero amount ask for no payment and do not
/// count.
pub(super) fn lateness(window_days: u32, items: &[DueItem], as_of: NaiveDate) -> Lateness {
    let mut settled_invoices = 0u32;
    let mut late_invoices = 0u32;
    let mut total_amount = Decimal::ZERO;
    let mut weighted_days = Decimal::ZERO;

    for item in items {
        let Some(paid_on) = item.paid_on.filter(|_| item.amount > Decimal::ZERO) else {
            continue;
        };
        let days_before_as_of = (as_of - paid_on).num_days();
        if !(0..i64::from(window_days)).contains(&days_before_as_of) {
            continue;
        }

        let days_late = (paid_on - item.due_date).num_days().max(0);
        settled_invoices = settled_invoices.saturating_add(1);
        if days_late > 0 {
            late_invoices = late_invoices.saturating_add(1);
        }
        let amount = item.amount.saturating_mul(item.rate);
        total_amount = total_amount.saturating_add(amount);
        let weighted = amount.saturating_mul(Decimal::from(days_late));
        weighted_days = weighted_days.saturating_add(weighted);
    }

    summarize(
        window_days,
        settled_invoices,
        late_invoices,
        total_amount,
        weighted_days,
    )
}

fn summarize(
    window_days: u32,
    settled_invoices: u32,
    late_invoices: u32,
    total_amount: Decimal,
    weighted_days: Decimal,
) -> Lateness {
    let mut lateness = Lateness {
        window_days,
        settled_invoices,
        avg_days_late: None,
        late_ratio: None,
        broken_promises: 0,
    };
    if settled_invoices == 0 {
        return lateness;
    }

    lateness.avg_days_late = weighted_days.checked_div(total_amount);
    lateness.late_ratio = Decimal::from(late_invoices).checked_div(Decimal::from(settled_invoices));
    lateness
}
