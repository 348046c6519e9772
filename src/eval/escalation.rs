//! The escalation: for each open item, the dunning step due at the as-of
//! date, or the reason it is left out of dunning.
//!
//! An item leaves dunning while a `skip` rule of the policy matches it, while
//! a dunning hold of the ledger covers it (from its start through its last
//! day), or while a promise to pay covers it and is neither kept nor broken.
//! A broken promise suspends nothing, so escalation resumes where the item
//! stands. Items left out still count in exposure and every metric.

use super::decide::holds;
use super::decision::{ActionDue, Suspension, SuspensionReason};
use super::interpret::Frame;
use super::{EvalError, Evaluator};
use crate::check::{CheckedEscalation, CheckedStep};
use crate::ledger::InvoiceId;
use crate::metrics::{OpenItem, PromiseState};
use crate::syntax::ast::Action;

type Result<T> = std::result::Result<T, EvalError>;

/// The escalation's output for one client.
#[derive(Default)]
pub(super) struct Dunning<'a> {
    pub actions: Vec<ActionDue<'a>>,
    pub suspended: Vec<Suspension<'a>>,
}

impl<'a> Evaluator<'a> {
    /// Decides, for each open item, the step due or why it is left out.
    pub(super) fn dunning<'e>(&self, frame: &mut Frame<'e>) -> Result<Dunning<'a>>
    where
        'a: 'e,
    {
        let Some(escalation) = &self.policy.escalation else {
            return Ok(Dunning::default());
        };
        let mut dunning = Dunning::default();
        let metrics = frame.metrics;
        for item in &metrics.open_items {
            let Some(invoice) = self.ledger.invoices.get(item.invoice as usize) else {
                continue;
            };
            frame.invoice = Some((invoice, item));
            if let Some(reason) = self.suspension(escalation, frame, item)? {
                dunning.suspended.push(Suspension {
                    invoice: &invoice.id,
                    instalment: item.instalment,
                    reason,
                });
                continue;
            }
            if let Some(step) = self.step_due(&escalation.steps, item.days_past_due, frame)? {
                let currency = self.currency_code(item);
                dunning
                    .actions
                    .extend(step.actions.iter().map(|action| ActionDue {
                        invoice: &invoice.id,
                        instalment: item.instalment,
                        step: &step.text,
                        action,
                        template: template(action),
                        days_past_due: item.days_past_due,
                        open_amount: item.open_in_currency,
                        charges_due: item.charges_due_in_currency,
                        currency,
                    }));
            }
        }
        frame.invoice = None;
        Ok(dunning)
    }

    /// Why an item is left out of dunning at the as-of date, if it is.
    fn suspension<'e>(
        &self,
        escalation: &'a CheckedEscalation,
        frame: &Frame<'e>,
        item: &OpenItem,
    ) -> Result<Option<SuspensionReason<'a>>>
    where
        'a: 'e,
    {
        for skip in &escalation.skips {
            if holds(frame.eval(&skip.condition)?) {
                return Ok(Some(SuspensionReason::Skipped { rule: &skip.text }));
            }
        }
        if let Some(reason) = self.active_hold(frame, item.invoice) {
            return Ok(Some(reason));
        }
        Ok(self.pending_promise(frame, item.invoice))
    }

    fn active_hold(&self, frame: &Frame<'_>, invoice: InvoiceId) -> Option<SuspensionReason<'a>> {
        let as_of = frame.as_of;
        let ledger: &'a crate::ledger::Ledger = self.ledger;
        ledger
            .client_holds(frame.client)
            .iter()
            .filter(|hold| hold.invoice.is_none_or(|held| held == invoice))
            .find(|hold| hold.from.is_none_or(|from| from <= as_of) && as_of <= hold.until)
            .map(|hold| SuspensionReason::Hold {
                reason: &hold.reason,
                until: hold.until,
            })
    }

    fn pending_promise(
        &self,
        frame: &Frame<'_>,
        invoice: InvoiceId,
    ) -> Option<SuspensionReason<'a>> {
        let ledger: &'a crate::ledger::Ledger = self.ledger;
        frame
            .metrics
            .promises
            .iter()
            .filter(|status| status.state == PromiseState::Pending)
            .filter_map(|status| {
                let promise = ledger.promises.get(status.promise as usize)?;
                Some((promise, status.deadline))
            })
            .find(|(promise, _)| promise.invoice.is_none_or(|promised| promised == invoice))
            .map(|(promise, deadline)| SuspensionReason::Promise {
                promised_date: promise.due,
                until: deadline,
            })
    }

    /// The code of the item's currency, or of the policy's when the
    /// document has none.
    fn currency_code(&self, item: &OpenItem) -> crate::value::Currency {
        item.currency.unwrap_or(self.policy.currency)
    }

    /// Finds the latest step reached at `days_past_due` whose condition
    /// holds. Steps sharing a day are tried top to bottom, like every other
    /// first-match list; only when none of them applies does an earlier day
    /// get its turn.
    fn step_due<'e>(
        &self,
        steps: &'a [CheckedStep],
        days_past_due: i64,
        frame: &Frame<'e>,
    ) -> Result<Option<&'a CheckedStep>>
    where
        'a: 'e,
    {
        // INVARIANT: the checker keeps steps sorted by offset.
        let mut end = steps.partition_point(|step| step.offset <= days_past_due);
        while end > 0 {
            let day = steps[end - 1].offset;
            let start = steps[..end].partition_point(|step| step.offset < day);
            for step in &steps[start..end] {
                let applies = match &step.condition {
                    None => true,
                    Some(condition) => holds(frame.eval(condition)?),
                };
                if applies {
                    return Ok(Some(step));
                }
            }
            end = start;
        }
        Ok(None)
    }
}

fn template(action: &Action) -> Option<&str> {
    match action {
        Action::Email(template) | Action::Letter(template) => Some(template),
        _ => None,
    }
}
