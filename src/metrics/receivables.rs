//! Open items, receivables, open orders, overdue amounts and aging.

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::allocation::Allocation;
use super::{Aging, ClientMetrics, MetricsError, MetricsRequest, OpenItem};
use crate::ledger::{ClientId, Ledger};

/// Adds every item with an open amount to the client's open items and
/// totals, oldest due first.
pub(super) fn add_open_items(
    metrics: &mut ClientMetrics,
    allocation: &Allocation,
    as_of: NaiveDate,
) {
    for item in allocation.items_by_due() {
        if item.open <= Decimal::ZERO {
            continue;
        }

        let open_item = OpenItem {
            invoice: item.invoice,
            instalment: item.instalment,
            due_date: item.due_date,
            currency: item.currency,
            open_in_currency: item.open,
            open: item.open.saturating_mul(item.rate),
            rate: item.rate,
            days_past_due: (as_of - item.due_date).num_days(),
            charges_due: Decimal::ZERO,
            charges_due_in_currency: Decimal::ZERO,
        };
        metrics.add_open_item(&open_item);
        metrics.open_items.push(open_item);
    }
    // The items come in the order payments on account settle them, which
    // the ledger may set to oldest invoice first; open items list by due
    // date whatever that order. The sort is stable, so ties keep it.
    metrics.open_items.sort_by_key(|item| item.due_date);
}

/// Sums the client's orders dated on or before the as-of date, in the
/// policy's currency. The ledger contains open orders only.
pub(super) fn open_orders(
    ledger: &Ledger,
    client: ClientId,
    request: &MetricsRequest,
) -> Result<Decimal, MetricsError> {
    let Some(record) = ledger.clients.get(client as usize) else {
        return Ok(Decimal::ZERO);
    };
    let range = record.orders.start as usize..record.orders.end as usize;
    let orders = ledger.orders.get(range).unwrap_or(&[]);

    let mut total = Decimal::ZERO;
    for order in orders {
        if order.date <= request.as_of {
            let amount = request.conversion.to_policy(order.amount, order.currency)?;
            total = total.saturating_add(amount);
        }
    }
    Ok(total)
}

impl ClientMetrics {
    fn add_open_item(&mut self, item: &OpenItem) {
        self.receivables = self.receivables.saturating_add(item.open);
        self.open_invoices = self.open_invoices.saturating_add(1);
        self.aging.add(item.open, item.days_past_due);

        if item.days_past_due > 0 {
            self.overdue = self.overdue.saturating_add(item.open);
            self.overdue_invoices = self.overdue_invoices.saturating_add(1);
            self.oldest_overdue_days = self.oldest_overdue_days.max(item.days_past_due);
        }
    }
}

impl Aging {
    /// Adds an open amount to the bucket of its days past due.
    pub fn add(&mut self, open: Decimal, days_past_due: i64) {
        let bucket = match days_past_due {
            ..=0 => &mut self.current,
            1..=30 => &mut self.days_1_30,
            31..=60 => &mut self.days_31_60,
            61..=90 => &mut self.days_61_90,
            _ => &mut self.over_90,
        };
        *bucket = bucket.saturating_add(open);
    }

    /// Adds another aging bucket by bucket, as when totalling a portfolio.
    pub fn merge(&mut self, other: &Aging) {
        self.current = self.current.saturating_add(other.current);
        self.days_1_30 = self.days_1_30.saturating_add(other.days_1_30);
        self.days_31_60 = self.days_31_60.saturating_add(other.days_31_60);
        self.days_61_90 = self.days_61_90.saturating_add(other.days_61_90);
        self.over_90 = self.over_90.saturating_add(other.over_90);
    }

    /// Sum of all buckets, equal to the receivables they were built from.
    pub fn total(&self) -> Decimal {
        self.current
            .saturating_add(self.days_1_30)
            .saturating_add(self.days_31_60)
            .saturating_add(self.days_61_90)
            .saturating_add(self.over_90)
    }
}
