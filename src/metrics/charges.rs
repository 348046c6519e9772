//! The late-payment charges of a client's items, computed between allocation
//! and the receivables totals because a policy that applies payments to
//! costs first changes how much principal stays open.
//!
//! Every item due before the as-of date gets its interest and fee (see
//! [`super::penalties`]). An open item keeps its charges beside its open
//! amount. An item paid in full keeps them only when the policy duns
//! unpaid charges; otherwise they are taken as settled outside the ledger,
//! for instance invoiced on their own.

use rust_decimal::Decimal;

use super::allocation::Allocation;
use super::penalties::{ChargeInput, ItemCharges, PenaltyError, item_charges};
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

/// Computes the charges of every late item, keeps principal open where the
/// policy applies payments to costs first, and records the charges that
/// still count.
pub(super) fn assess(
    metrics: &mut ClientMetrics,
    allocation: &mut Allocation,
    ledger: &Ledger,
    request: &MetricsRequest,
    terms: &PenaltyTerms,
) -> Result<(), MetricsError> {
    for index in 0..allocation.items().len() {
        let item = allocation.items()[index];
        if item.due_date >= request.as_of || item.rate.is_zero() {
            continue;
        }
        let input = ChargeInput {
            due_date: item.due_date,
            principal: item.amount,
            applications: allocation.applications(index),
            fee: terms.fee.checked_div(item.rate).unwrap_or(Decimal::ZERO),
        };
        let Some(charges) = item_charges(&input, terms, &ledger.reference_rates, request.as_of)
            .map_err(metrics_error)?
        else {
            continue;
        };
        if terms.costs_first {
            let item = &mut allocation.items_mut()[index];
            item.open = charges.principal_open;
            if item.open > Decimal::ZERO {
                item.settled_on = None;
            }
        }
        let principal_paid = charges.principal_open.is_zero();
        if principal_paid && !(terms.dun_unpaid_charges && charges.due > Decimal::ZERO) {
            continue;
        }
        let due_in_policy = charges.due.saturating_mul(item.rate);
        metrics.charges_due = metrics.charges_due.saturating_add(due_in_policy);
        metrics.charges.push(ItemChargesEntry {
            invoice: item.invoice,
            instalment: item.instalment,
            currency: item.currency,
            charges,
            due_in_policy,
            rate: item.rate,
            due_date: item.due_date,
            days_past_due: (request.as_of - item.due_date).num_days(),
            principal_paid,
        });
    }
    Ok(())
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
