//! Checks of the `penalties` and `orders` sections.

use rust_decimal::Decimal;

use super::checked::CheckedOrderRule;
use super::{Checker, Stage};
use crate::chars;
use crate::diagnostic::Diagnostic;
use crate::metrics::{DayCount, InterestRate, PenaltyTerms};
use crate::source::Span;
use crate::syntax::ast::{self, DayCountSpec, PenaltyRule, RateSpec};
use crate::value::Currency;

/// Rates above this are typing mistakes (`1025%` for `10.25%`).
const MAX_ANNUAL_RATE: Decimal = Decimal::ONE;

impl Checker<'_> {
    pub(super) fn check_penalties(
        &mut self,
        section: &ast::PenaltiesSection,
    ) -> Option<PenaltyTerms> {
        let mut interest: Option<(&ast::InterestRule, Span)> = None;
        let mut fee: Option<(Decimal, Span)> = None;
        let mut costs_first: Option<Span> = None;
        let mut dun_charges: Option<Span> = None;
        let mut complete = true;
        for rule in &section.rules {
            match rule {
                PenaltyRule::Interest(rule) => match interest {
                    Some((_, first)) => self.report_repeated_penalty("interest", rule.span, first),
                    None => interest = Some((rule, rule.span)),
                },
                PenaltyRule::Fee {
                    amount,
                    currency,
                    span,
                } => match fee {
                    Some((_, first)) => self.report_repeated_penalty("fee", *span, first),
                    None => match self.check_fee(amount, currency) {
                        Some(checked) => fee = Some((checked, *span)),
                        None => complete = false,
                    },
                },
                PenaltyRule::CostsFirst(span) => match costs_first {
                    Some(first) => self.report_repeated_penalty("apply payments", *span, first),
                    None => costs_first = Some(*span),
                },
                PenaltyRule::DunUnpaidCharges(span) => match dun_charges {
                    Some(first) => self.report_repeated_penalty("dun unpaid charges", *span, first),
                    None => dun_charges = Some(*span),
                },
            }
        }
        let rate = match interest {
            Some((rule, _)) => self.check_interest(rule),
            None => {
                self.report(
                    Diagnostic::error("missing-interest", section.keyword, "the penalties give no interest rate")
                        .with_help("add a line such as `interest reference rate + 10 points, actual/365`, or `interest 0%` for none"),
                );
                None
            }
        };
        let (rate, day_count) = rate?;
        complete.then_some(PenaltyTerms {
            rate,
            day_count,
            fee: fee.map_or(Decimal::ZERO, |(amount, _)| amount),
            costs_first: costs_first.is_some(),
            dun_unpaid_charges: dun_charges.is_some(),
        })
    }

    fn report_repeated_penalty(&mut self, what: &str, span: Span, first: Span) {
        self.report(
            Diagnostic::error(
                "duplicate-penalty",
                span,
                format!("the penalties give `{what}` twice"),
            )
            .with_related(first, "first given here")
            .with_help(format!("keep one `{what}` line")),
        );
    }

    fn report_repeated_option(&mut self, what: &str, span: Span, first: Span) {
        self.report(
            Diagnostic::error(
                "duplicate-penalty",
                span,
                format!("the interest line gives {what} twice"),
            )
            .with_related(first, "first given here")
            .with_help(format!("give {what} once on the interest line")),
        );
    }

    fn check_fee(
        &mut self,
        amount: &ast::Spanned<Decimal>,
        currency: &ast::Spanned<String>,
    ) -> Option<Decimal> {
        let policy_currency = self.currency?;
        if Currency::parse(&currency.node) != Some(policy_currency) {
            self.report(
                Diagnostic::error(
                    "currency-mismatch",
                    currency.span,
                    format!(
                        "the fee is in {}, but the policy's amounts are in {policy_currency}",
                        currency.node
                    ),
                )
                .with_help(format!("write the fee in {policy_currency}")),
            );
            return None;
        }
        Some(amount.node)
    }

    fn check_interest(&mut self, rule: &ast::InterestRule) -> Option<(InterestRate, DayCount)> {
        let mut ok = true;
        let rate = match rule.rate.node {
            RateSpec::Fixed(rate) => {
                ok &= self.check_rate_bound(rate, rule.rate.span);
                InterestRate::Fixed(rate)
            }
            RateSpec::Reference { points } => {
                ok &= self.check_rate_bound(points, rule.rate.span);
                InterestRate::Reference {
                    points,
                    floor: rule.floors.first().map(|floor| floor.node),
                }
            }
        };
        if let (RateSpec::Fixed(_), Some(floor)) = (rule.rate.node, rule.floors.first()) {
            self.report(
                Diagnostic::error("invalid-interest", floor.span, "a fixed rate has no floor")
                    .with_help("`at least` applies to a reference rate plus points; remove it or use `reference rate + N points`"),
            );
            ok = false;
        }
        for floor in &rule.floors {
            ok &= self.check_rate_bound(floor.node, floor.span);
        }
        for extra in rule.floors.iter().skip(1) {
            self.report_repeated_option("at least", extra.span, rule.floors[0].span);
            ok = false;
        }
        for extra in rule.day_counts.iter().skip(1) {
            self.report_repeated_option("a day count", extra.span, rule.day_counts[0].span);
            ok = false;
        }
        let day_count = match rule.day_counts.first().map(|count| count.node) {
            Some(DayCountSpec::Actual360) => DayCount::Actual360,
            _ => DayCount::Actual365,
        };
        ok.then_some((rate, day_count))
    }

    fn check_rate_bound(&mut self, rate: Decimal, span: Span) -> bool {
        if rate <= MAX_ANNUAL_RATE {
            return true;
        }
        self.report(
            Diagnostic::error(
                "invalid-interest",
                span,
                "an annual interest rate above 100% is almost surely a typing mistake",
            )
            .with_help("write the rate as a percent, such as `10.25%`"),
        );
        false
    }

    pub(super) fn check_orders(
        &mut self,
        section: &ast::OrdersSection,
    ) -> Option<Vec<CheckedOrderRule>> {
        if section.rules.is_empty() {
            self.report(
                Diagnostic::error("empty-orders", section.keyword, "the `orders` section has no hold rules")
                    .with_label("every order would be approved")
                    .with_help("add a rule such as `hold \"over credit limit\" when exposure + order > limit`, or remove the section to use the default rules"),
            );
            return None;
        }
        let mut rules = Vec::with_capacity(section.rules.len());
        let mut complete = true;
        for (index, rule) in section.rules.iter().enumerate() {
            let named = self.require_name(
                &rule.reason,
                "hold reason",
                "give the reason, such as \"over credit limit\", because `solvent order-check` prints it for each order held",
            );
            complete &= named;
            let first = section.rules[..index]
                .iter()
                .find(|r| chars::printed(&r.reason.node) == chars::printed(&rule.reason.node));
            if let Some(first) = first.filter(|_| named) {
                self.report(
                    Diagnostic::error(
                        "duplicate-alert",
                        rule.reason.span,
                        format!("two hold rules give the reason \"{}\"", rule.reason.node),
                    )
                    .with_related(first.reason.span, "first given here")
                    .with_help(
                        "give each hold rule its own reason, or join the conditions with `or`",
                    ),
                );
                complete = false;
                continue;
            }
            match self.check_condition(&rule.condition, Stage::Orders) {
                Some(condition) => rules.push(CheckedOrderRule {
                    reason: rule.reason.node.clone(),
                    condition,
                }),
                None => complete = false,
            }
        }
        complete.then_some(rules)
    }
}
