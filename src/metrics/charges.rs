//! The late-payment charges of a client's items, computed between allocation
//! and the receivables totals.
//!
//! Every item due before the as-of date gets its interest, and each late
//! invoice one recovery fee (see [`super::penalties`]). An open item keeps
//! its charges beside its open amount. An item paid in full keeps them only
//! when the policy duns unpaid charges; otherwise they are taken as settled
//! outside the ledger, for instance invoiced on their own. When the policy
//! applies payments to costs first, the allocation itself has split each
//! payment into fee, interest and principal, and the charges computed here
//! follow the same credits. Under either order, credit left over once every
//! item is paid settles the charges that are still dunned.

use rust_decimal::Decimal;

use chrono::NaiveDate;

use super::allocation::{Allocation, DueItem};
use super::penalties::{self, ChargeInput, ItemCharges, PenaltyError, item_charges};
use super::{ClientMetrics, MetricsError, MetricsRequest, OpenItem, PenaltyTerms};
use crate::ledger::{InvoiceId, Ledger};
use crate::value::Currency;

/// The charges of one item, in the item's currency.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ItemChargesEntry {
    pub invoice: InvoiceId,
    pub instalment: Option<u16>,
    pub currency: Option<Currency>,
    pub charges: ItemCharges,
    /// `charges.due` in the policy's currency.
    pub due_in_policy: Decimal,
    /// Units of the policy's currency for one unit of `currency`.
    pub rate: Decimal,
    pub due_date: chrono::NaiveDate,
    /// As-of date minus the item's due date.
    pub days_past_due: i64,
    /// Whether the item's principal is paid, so only its charges are owed.
    pub principal_paid: bool,
}

/// Computes the charges of every late item and records the charges that
/// still count. The recovery fee is charged once per invoice, on the item
/// that carries it (see [`fee_items`]). When the policy duns unpaid charges
/// and applies payments to principal first, the credit held in
/// [`ClientMetrics::credit_held`] settles the charges of its currency,
/// oldest due first, and drops by as much.
pub(super) fn assess(
    metrics: &mut ClientMetrics,
    allocation: &Allocation,
    ledger: &Ledger,
    request: &MetricsRequest,
    terms: &PenaltyTerms,
) -> Result<(), MetricsError> {
    let fee_carriers = fee_items(allocation, request.as_of);
    for (index, item) in allocation.items().iter().enumerate() {
        if item.due_date >= request.as_of || item.rate.is_zero() {
            continue;
        }
        let carries_fee = fee_carriers.contains(&index);
        let fee = match carries_fee {
            true => penalties::fee_in_item_currency(terms.fee, item.rate),
            false => Decimal::ZERO,
        };
        let input = ChargeInput {
            due_date: item.due_date,
            principal: item.amount,
            applications: allocation.applications(index),
            fee,
        };
        let Some(charges) = item_charges(&input, terms, &ledger.reference_rates, request.as_of)
            .map_err(metrics_error)?
        else {
            continue;
        };
        let principal_paid = charges.principal_open.is_zero();
        if principal_paid && !(terms.dun_unpaid_charges && charges.due > Decimal::ZERO) {
            continue;
        }
        metrics.charges.push(ItemChargesEntry {
            invoice: item.invoice,
            instalment: item.instalment,
            currency: item.currency,
            charges,
            due_in_policy: Decimal::ZERO,
            rate: item.rate,
            due_date: item.due_date,
            days_past_due: (request.as_of - item.due_date).num_days(),
            principal_paid,
        });
    }
    if terms.dun_unpaid_charges {
        pay_from_credit(metrics);
    }
    for entry in &mut metrics.charges {
        entry.due_in_policy = entry.charges.due.saturating_mul(entry.rate);
        metrics.charges_due = metrics.charges_due.saturating_add(entry.due_in_policy);
    }
    metrics
        .charges
        .retain(|entry| !(entry.principal_paid && entry.charges.due.is_zero()));
    Ok(())
}

/// The items that carry their invoice's recovery fee: the one a costs-first
/// replay charged it to, or else the invoice's first late item by due date
/// that is still open, or its first late item when every late one is paid.
/// So the fee of a split invoice stays in the decision while any of its late
/// instalments is open. An item is late when it fell due before the as-of
/// date and was still unpaid the day after.
fn fee_items(allocation: &Allocation, as_of: NaiveDate) -> Vec<usize> {
    let items = allocation.items();
    let mut carriers: Vec<(InvoiceId, usize)> = Vec::new();
    let mut by_due: Vec<usize> = (0..items.len()).collect();
    by_due.sort_by_key(|&index| items[index].due_date);
    for index in by_due {
        let item = &items[index];
        let carrier = match allocation.fee_item(item.invoice) {
            Some(charged) => charged,
            None if is_late(item, as_of) => index,
            None => continue,
        };
        let found = carriers
            .iter_mut()
            .find(|(invoice, _)| *invoice == item.invoice);
        match found {
            None => carriers.push((item.invoice, carrier)),
            Some((_, current)) if items[*current].open.is_zero() => *current = carrier,
            Some(_) => {}
        }
    }
    carriers.into_iter().map(|(_, index)| index).collect()
}

fn is_late(item: &DueItem, as_of: NaiveDate) -> bool {
    if item.due_date >= as_of {
        return false;
    }
    match item.settled_on {
        Some(settled) => settled > item.due_date,
        None => item.open > Decimal::ZERO,
    }
}

/// Pays the charges still due from the credit held in their currency,
/// oldest due first.
fn pay_from_credit(metrics: &mut ClientMetrics) {
    metrics.charges.sort_by_key(|entry| entry.due_date);
    for entry in &mut metrics.charges {
        let Some(held) =
            (metrics.credit_held.iter_mut()).find(|held| held.currency == entry.currency)
        else {
            continue;
        };
        let part = entry.charges.due.min(held.amount);
        if part <= Decimal::ZERO {
            continue;
        }
        entry.charges.due -= part;
        entry.charges.paid = entry.charges.paid.saturating_add(part);
        held.amount -= part;
    }
}

/// Puts each item's charges beside its open amount, and adds the paid
/// items whose charges are still dunned as open items with nothing else
/// open. Those do not count in receivables.
pub(super) fn attach(metrics: &mut ClientMetrics) {
    for entry in &metrics.charges {
        let open = metrics
            .open_items
            .iter_mut()
            .find(|open| open.invoice == entry.invoice && open.instalment == entry.instalment);
        match open {
            Some(open) => {
                open.charges_due = entry.due_in_policy;
                open.charges_due_in_currency = entry.charges.due;
            }
            None if entry.principal_paid => {
                let charges_only = OpenItem {
                    invoice: entry.invoice,
                    instalment: entry.instalment,
                    due_date: entry.due_date,
                    currency: entry.currency,
                    open_in_currency: Decimal::ZERO,
                    open: Decimal::ZERO,
                    rate: entry.rate,
                    days_past_due: entry.days_past_due,
                    charges_due: entry.due_in_policy,
                    charges_due_in_currency: entry.charges.due,
                };
                metrics.open_items.push(charges_only);
            }
            None => {}
        }
    }
}

fn metrics_error(error: PenaltyError) -> MetricsError {
    match error {
        PenaltyError::MissingReferenceRate { half_year_start } => {
            MetricsError::MissingReferenceRate { half_year_start }
        }
        PenaltyError::Overflow => MetricsError::ChargesOverflow,
    }
}
