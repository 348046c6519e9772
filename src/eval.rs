//! Evaluation: a checked policy applied to each client of a ledger at an
//! as-of date.
//!
//! Evaluation is a pure function of (policy, ledger, as-of date). Clients
//! are independent of each other, so they are evaluated in parallel and the
//! result does not depend on the order.

mod bind;
mod decide;
mod decision;
mod error;
mod escalation;
mod interpret;
mod order;

use chrono::NaiveDate;
use rayon::prelude::*;
use rust_decimal::Decimal;

pub use bind::{BindWarning, BoundFields};
pub use decision::{
    ActionDue, AlertRaised, ChargesDue, Decision, DecisionWarning, FactorResult, HookStamp,
    PolicyStamp, PromiseOutcome, ScoreResult, Suspension, SuspensionReason, Trace, action_name_of,
    fixed,
};
pub use error::EvalError;
pub use order::{OrderCheck, OrderVerdict, ReplacedOrder, remove_open_order};

use crate::check::CheckedPolicy;
use crate::hooks::HookEngine;
use crate::ledger::{ClientId, Ledger, LedgerErrors};
use crate::metrics::{
    self, Allocation, ClientMetrics, Conversion, DEFAULT_CEI_MONTHS, MetricsRequest,
    PortfolioMetrics, PromiseState,
};
use interpret::Frame;

/// A policy bound to a ledger, ready to decide for any of its clients.
pub struct Evaluator<'a> {
    policy: &'a CheckedPolicy,
    ledger: &'a Ledger,
    hooks: &'a HookEngine,
    fields: BoundFields<'a>,
    request: MetricsRequest,
    /// Declared fields the ledger lacks, and similar notices.
    pub warnings: Vec<BindWarning>,
}

impl<'a> Evaluator<'a> {
    /// Binds the policy's fields to the ledger's columns. A cell that does
    /// not parse as its declared type is an error naming file, line and column.
    pub fn new(
        policy: &'a CheckedPolicy,
        ledger: &'a Ledger,
        hooks: &'a HookEngine,
        as_of: NaiveDate,
    ) -> Result<Self, LedgerErrors> {
        let (fields, warnings) = bind::bind(policy, ledger, as_of)?;
        let request = MetricsRequest {
            lateness_windows: policy.lateness_windows.clone(),
            cei_periods: policy.cei_periods.clone(),
            conversion: Conversion::from_ledger(ledger, policy.currency, as_of),
            penalties: policy.penalties.clone(),
            ..MetricsRequest::new(as_of)
        };
        Ok(Evaluator {
            policy,
            ledger,
            hooks,
            fields,
            request,
            warnings,
        })
    }

    pub fn as_of(&self) -> NaiveDate {
        self.request.as_of
    }

    /// Finds a client of the ledger by id.
    pub fn client_id(&self, id: &str) -> Option<ClientId> {
        self.ledger.client_by_id(id)
    }

    /// Decides for every client, in client id order. Every client is
    /// evaluated; the errors of all failing clients are returned together.
    pub fn evaluate_all(&self) -> Result<Vec<Decision<'a>>, Vec<EvalError>> {
        // Each thread reuses one allocation's buffers across its clients.
        let results: Vec<Result<Decision<'a>, EvalError>> = (0..self.ledger.clients.len())
            .into_par_iter()
            .map_init(Allocation::new, |allocation, index| {
                self.decide(index as ClientId, None, allocation)
                    .map(|(decision, _)| decision)
            })
            .collect();
        let mut decisions = Vec::with_capacity(results.len());
        let mut errors = Vec::new();
        for result in results {
            match result {
                Ok(decision) => decisions.push(decision),
                Err(error) => errors.push(error),
            }
        }
        if errors.is_empty() {
            Ok(decisions)
        } else {
            Err(errors)
        }
    }

    /// Decides for one client.
    pub fn evaluate(&self, client_id: ClientId) -> Result<Decision<'a>, EvalError> {
        self.decide(client_id, None, &mut Allocation::new())
            .map(|(decision, _)| decision)
    }

    /// Runs the order credit check for a new order of `amount`, in the
    /// policy's currency, by `client_id`.
    pub fn check_order(
        &self,
        client_id: ClientId,
        amount: Decimal,
    ) -> Result<OrderCheck<'a>, EvalError> {
        let (decision, holds) = self.decide(client_id, Some(amount), &mut Allocation::new())?;
        Ok(OrderCheck::new(decision, amount, holds))
    }

    /// Decides for one client and, given an order amount, lists the reasons
    /// to hold that order.
    /// `allocation` is scratch space, reused between calls.
    fn decide(
        &self,
        client_id: ClientId,
        order: Option<Decimal>,
        allocation: &mut Allocation,
    ) -> Result<(Decision<'a>, Vec<&'a str>), EvalError> {
        let ledger: &'a Ledger = self.ledger;
        let policy: &'a CheckedPolicy = self.policy;
        let client = &ledger.clients[client_id as usize];
        let mut metrics = ClientMetrics::default();
        metrics::compute_into(&mut metrics, allocation, ledger, client_id, &self.request)
            .map_err(|error| EvalError::from_metrics(&client.id, error))?;

        let mut frame = Frame {
            client,
            fields: self.fields.client(client_id),
            metrics: &metrics,
            as_of: self.request.as_of,
            score: None,
            grade: None,
            limit: None,
            order,
            orders_blocked: false,
            invoice: None,
        };
        let score = self.score(&frame)?;
        frame.score = score.as_ref().map(|score| score.total);
        let grade = self.grade(&frame)?;
        frame.grade = grade.map(|(grade, _)| grade);
        let limit = self.limit(&frame)?;
        frame.limit = limit.map(|(limit, _)| limit);
        let terms = match &policy.terms {
            Some(entries) => self.entry(entries, &frame)?,
            None => None,
        };
        let dunning = self.dunning(&mut frame)?;
        frame.orders_blocked = dunning
            .actions
            .iter()
            .any(|due| *due.action == crate::syntax::ast::Action::BlockOrders);
        let alerts = self.alerts(&frame)?;
        let holds = match order {
            Some(_) => self.order_holds(&frame)?,
            None => Vec::new(),
        };

        let available_credit = limit.and_then(|(limit, _)| limit.checked_sub(metrics.exposure));
        let charges = self.charges_out(&metrics);
        let promises = self.promises_out(&metrics);
        let warnings = self.warnings_out(&metrics);
        let decision = Decision {
            client: &client.id,
            as_of: self.request.as_of,
            currency: policy.currency,
            policy: PolicyStamp {
                name: &policy.name,
                version: policy.version,
                sha256: &policy.sha256,
                hooks: policy
                    .hooks
                    .iter()
                    .map(|hook| HookStamp {
                        path: &hook.written,
                        sha256: &hook.sha256,
                    })
                    .collect(),
            },
            score,
            grade: grade
                .and_then(|(grade, _)| policy.grade_names.get(grade as usize))
                .map(String::as_str),
            credit_limit: limit.map(|(limit, _)| limit),
            available_credit,
            terms: terms.map(|entry| &entry.value),
            actions: dunning.actions,
            suspended: dunning.suspended,
            charges,
            promises,
            alerts,
            warnings,
            trace: Trace {
                grade: grade.map(|(_, text)| text),
                credit_limit: limit.map(|(_, text)| text),
                terms: terms.map(|entry| entry.text.as_str()),
            },
            metrics,
        };
        Ok((decision, holds))
    }

    /// Lists the client's late-payment charges with their invoice ids.
    fn charges_out(&self, metrics: &ClientMetrics) -> Vec<ChargesDue<'a>> {
        let ledger: &'a Ledger = self.ledger;
        metrics
            .charges
            .iter()
            .filter_map(|entry| {
                let invoice = ledger.invoices.get(entry.invoice as usize)?;
                Some(ChargesDue {
                    invoice: &invoice.id,
                    instalment: entry.instalment,
                    currency: entry.currency.unwrap_or(self.policy.currency),
                    days_late: entry.charges.days_late,
                    interest: entry.charges.interest,
                    fee: entry.charges.fee,
                    paid: entry.charges.paid,
                    due: entry.charges.due,
                })
            })
            .collect()
    }

    /// Reports the credit held in a currency in which the client has
    /// nothing open while items in another currency are.
    fn warnings_out(&self, metrics: &ClientMetrics) -> Vec<DecisionWarning> {
        let policy_currency = self.policy.currency;
        metrics
            .unapplied_credit()
            .map(|held| {
                let currency = held.currency.unwrap_or(policy_currency);
                let amount = fixed(held.amount, 2);
                DecisionWarning {
                    code: "unapplied-credit",
                    message: format!(
                        "{amount} {currency} of credit settles nothing: no open item is in \
                         {currency}, and credit is never converted to pay items in another \
                         currency; record the payment or credit note in the currency of the invoices it settles"
                    ),
                }
            })
            .collect()
    }

    /// Lists the client's promises to pay with their states.
    fn promises_out(&self, metrics: &ClientMetrics) -> Vec<PromiseOutcome<'a>> {
        let ledger: &'a Ledger = self.ledger;
        metrics
            .promises
            .iter()
            .filter_map(|status| {
                let promise = ledger.promises.get(status.promise as usize)?;
                let invoice = promise
                    .invoice
                    .and_then(|id| ledger.invoices.get(id as usize))
                    .map(|invoice| invoice.id.as_str());
                Some(PromiseOutcome {
                    invoice,
                    amount: status.amount,
                    paid: status.paid,
                    promised_date: promise.due,
                    until: status.deadline,
                    state: match status.state {
                        PromiseState::Pending => "pending",
                        PromiseState::Kept => "kept",
                        PromiseState::Broken => "broken",
                    },
                })
            })
            .collect()
    }

    /// Totals the decisions' metrics and computes the portfolio's DSO, best
    /// possible DSO, average days delinquent and CEI.
    pub fn portfolio(&self, decisions: &[Decision<'_>]) -> Result<PortfolioMetrics, EvalError> {
        let mut portfolio = PortfolioMetrics::default();
        for decision in decisions {
            portfolio.add(&decision.metrics);
        }
        portfolio
            .compute_kpis(self.ledger, &self.request)
            .map_err(|error| EvalError::from_metrics("(portfolio)", error))?;
        Ok(portfolio)
    }

    /// The months of the portfolio's collection effectiveness index period,
    /// the default period of `cei`.
    pub fn cei_months(&self) -> u32 {
        self.request
            .cei_periods
            .first()
            .copied()
            .unwrap_or(DEFAULT_CEI_MONTHS)
    }
}
