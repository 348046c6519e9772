//! Checks of the grades, limit, terms, escalation and alerts sections.

use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

use super::checked::{
    CheckedAlert, CheckedEntry, CheckedEscalation, CheckedRule, CheckedSkip, CheckedStep, Expr,
    Node,
};
use super::header::MaxTermsInfo;
use super::names;
use super::{Checker, Sections, Stage};
use crate::chars;
use crate::diagnostic::Diagnostic;
use crate::source::Span;
use crate::suggest;
use crate::syntax::ast::{self, GradeSelector, TermsValue};
use crate::terms::{MAX_MONTHS, PaymentTerms as Terms};
use crate::value::{GradeId, Type};

/// Ten years, the longest payment term, step offset or window a policy may
/// write; anything longer is a typing mistake.
pub(crate) const MAX_DAYS: u32 = crate::terms::MAX_DAYS;

/// The shared advice for terms over a cap that `max terms` could raise.
const SHORTEN_OR_RAISE_CAP: &str =
    "shorten the terms, or raise the cap in `max terms` if the law and your contracts allow it";

impl Checker<'_> {
    /// Records the grade names, so that every section can refer to them.
    pub(super) fn declare_grades(&mut self, section: &ast::GradesSection) {
        for rule in &section.rules {
            let name = rule.grade.node.as_str();
            if self.grade_names.iter().any(|g| g == name) {
                let first = section
                    .rules
                    .iter()
                    .find(|r| r.grade.node == name)
                    .map(|r| r.grade.span);
                let mut diagnostic = Diagnostic::error(
                    "duplicate-grade",
                    rule.grade.span,
                    format!("the grade `{name}` is declared twice"),
                )
                .with_help("declare each grade once: remove one of the two, or join their conditions with `or`");
                if let Some(first) = first {
                    diagnostic = diagnostic.with_related(first, "first declared here");
                }
                self.report(diagnostic);
                continue;
            }
            if is_reserved(name) {
                self.report(
                    Diagnostic::error(
                        "reserved-name",
                        rule.grade.span,
                        format!("`{name}` names a metric or a value and cannot be a grade"),
                    )
                    .with_help("pick another grade name, such as a letter"),
                );
                continue;
            }
            self.grade_names.push(name.to_string());
        }
    }

    pub(super) fn check_grades(
        &mut self,
        section: &ast::GradesSection,
    ) -> Option<Vec<CheckedRule<GradeId>>> {
        let mut rules = Vec::with_capacity(section.rules.len());
        let mut otherwise: Option<Span> = None;
        let mut complete = true;
        for rule in &section.rules {
            if let Some(first) = otherwise {
                self.report(
                    Diagnostic::error(
                        "unreachable-arm",
                        rule.span,
                        format!(
                            "grade `{}` comes after `otherwise`, so no client gets it",
                            rule.grade.node
                        ),
                    )
                    .with_related(first, "every client not graded above stops here")
                    .with_help("move it above the `otherwise` grade"),
                );
                complete = false;
                continue;
            }
            let Some(grade) = self.grade_names.iter().position(|g| *g == rule.grade.node) else {
                complete = false;
                continue;
            };
            let condition = match &rule.condition {
                Some(condition) => match self.check_condition(condition, Stage::Grades) {
                    Some(condition) => Some(condition),
                    None => {
                        complete = false;
                        continue;
                    }
                },
                None => {
                    otherwise = Some(rule.span);
                    None
                }
            };
            let text = self.text(rule.span);
            rules.push(CheckedRule {
                value: grade as GradeId,
                condition,
                text,
            });
        }
        if otherwise.is_none() {
            self.report(
                Diagnostic::error(
                    "missing-otherwise",
                    section.keyword,
                    "the grades have no `otherwise` grade",
                )
                .with_label("a client that matches no condition would get no grade")
                .with_help("end the list with a grade for everyone else, such as `E otherwise`"),
            );
            complete = false;
        }
        complete.then_some(rules)
    }

    /// Reports limit and terms sections in a policy without grades.
    pub(super) fn check_grade_dependencies(&mut self, sections: &Sections<'_>) {
        if sections.grades.is_some() {
            return;
        }
        let dependents = [
            sections.limit.map(|s| ("limit", s.keyword)),
            sections.terms.map(|s| ("terms", s.keyword)),
        ];
        for (keyword, span) in dependents.into_iter().flatten() {
            self.report(
                Diagnostic::error("missing-section", span, format!("the `{keyword}` section is given per grade, but the policy has no `grades` section"))
                    .with_help("add a `grades` section that turns the score into grades"),
            );
        }
    }

    pub(super) fn check_limit(
        &mut self,
        section: &ast::EntrySection<ast::Expr>,
    ) -> Option<Vec<CheckedEntry<Expr>>> {
        self.check_entries(
            section.keyword,
            "limit",
            &section.entries,
            Stage::Limit,
            |checker, value| {
                let expr =
                    checker.check_value(value, Type::Money, "a credit limit", Stage::Limit)?;
                checker.check_limit_sign(&expr);
                Some(expr)
            },
        )
    }

    fn check_limit_sign(&mut self, expr: &Expr) {
        if let Node::Negate(_) = expr.node {
            self.report(
                Diagnostic::error(
                    "invalid-limit",
                    expr.span,
                    "a credit limit cannot be negative",
                )
                .with_help(format!("use `0 {}` for no credit", self.currency_code())),
            );
        }
    }

    pub(super) fn check_terms(
        &mut self,
        section: &ast::EntrySection<ast::Spanned<TermsValue>>,
        cap: Option<&MaxTermsInfo>,
    ) -> Option<Vec<CheckedEntry<Terms>>> {
        self.check_entries(
            section.keyword,
            "terms",
            &section.entries,
            Stage::Terms,
            |checker, value| checker.check_terms_value(value, cap),
        )
    }

    fn check_terms_value(
        &mut self,
        value: &ast::Spanned<TermsValue>,
        cap: Option<&MaxTermsInfo>,
    ) -> Option<Terms> {
        let span = value.span;
        let terms = match &value.node {
            TermsValue::Prepayment => Terms::Prepayment,
            TermsValue::Net(days) => Terms::Net(self.whole_days(*days, span)?),
            TermsValue::NetMonths(months) => Terms::NetMonths(self.whole_months(*months, span)?),
            TermsValue::DaysThenEndOfMonth(days) => {
                Terms::DaysThenEndOfMonth(self.whole_days(*days, span)?)
            }
            TermsValue::EndOfMonthThenDays(days) => {
                Terms::EndOfMonthThenDays(self.whole_days(*days, span)?)
            }
            TermsValue::EndOfMonthUnstated(days) => {
                self.report_terms_method(*days, span);
                return None;
            }
        };

        if let Some(cap) = cap {
            self.check_terms_cap(&terms, span, cap);
        }
        Some(terms)
    }

    fn report_terms_method(&mut self, days: Decimal, span: Span) {
        self.report(
            Diagnostic::error("terms-method", span, format!("`{days} days end of month` does not say how its due date is computed"))
                .with_label("two computations are in use, and they give different due dates")
                .with_help(format!(
                    "write `{days} days then end of month` (invoice date + {days} days, then the end of that month) or `end of month then {days} days` (the end of the invoice's month, then + {days} days)"
                )),
        );
    }

    fn whole_days(&mut self, days: Decimal, span: Span) -> Option<u32> {
        let problem = if !days.fract().is_zero() {
            "is not a whole number of days"
        } else if days > Decimal::from(MAX_DAYS) {
            "is longer than any payment term solvent accepts"
        } else {
            return days.to_u32();
        };
        self.report(
            Diagnostic::error("invalid-terms", span, format!("`{days} days` {problem}")).with_help(
                format!("payment terms are a whole number of days up to {MAX_DAYS}"),
            ),
        );
        None
    }

    fn whole_months(&mut self, months: Decimal, span: Span) -> Option<u32> {
        let range = format!("payment terms in months are a whole number from 1 to {MAX_MONTHS}");
        let (problem, help) = if !months.fract().is_zero() {
            ("is not a whole number of months", range)
        } else if months.is_zero() {
            (
                "is below the minimum of 1 month",
                "write `prepayment` for payment on the invoice date".to_string(),
            )
        } else if months > Decimal::from(MAX_MONTHS) {
            ("is longer than any payment term solvent accepts", range)
        } else {
            return months.to_u32();
        };
        self.report(
            Diagnostic::error(
                "invalid-terms",
                span,
                format!("`{months} months` {problem}"),
            )
            .with_help(help),
        );
        None
    }

    /// Reports terms longer than `max terms` allows. When `max terms` gives an
    /// end-of-month cap, end-of-month terms are compared with it by their
    /// stated length. All other terms are compared with the net cap by their
    /// longest reach.
    fn check_terms_cap(&mut self, terms: &Terms, span: Span, cap: &MaxTermsInfo) {
        let (limit, reach, cap_text) = match (terms, cap.end_of_month) {
            (Terms::DaysThenEndOfMonth(days) | Terms::EndOfMonthThenDays(days), Some(eom_cap)) => {
                (eom_cap, *days, format!("{eom_cap} days end of month"))
            }
            _ => (cap.net, terms.longest_days(), format!("{} days", cap.net)),
        };
        if Decimal::from(reach) <= limit {
            return;
        }

        self.report(
            Diagnostic::error(
                "terms-over-cap",
                span,
                format!("these terms exceed the policy's cap of {cap_text}"),
            )
            .with_label(format!("`max terms` allows {cap_text}"))
            .with_help(cap_help(terms, reach, cap)),
        );
    }

    /// Checks the entries of a `limit` or `terms` section: known grades,
    /// conditions, values, and that every grade gets a value.
    fn check_entries<A, V>(
        &mut self,
        keyword: Span,
        section: &str,
        entries: &[ast::Entry<A>],
        stage: Stage,
        mut check_value: impl FnMut(&mut Self, &A) -> Option<V>,
    ) -> Option<Vec<CheckedEntry<V>>> {
        let mut checked = Vec::with_capacity(entries.len());
        let mut covered = vec![false; self.grade_names.len()];
        let mut complete = true;
        for entry in entries {
            let Some(grades) = self.check_selector(&entry.grades) else {
                complete = false;
                continue;
            };
            // Coverage counts the entry even when its value or condition has
            // an error, so that one mistake is not reported twice.
            if !self.mark_covered(
                &mut covered,
                grades.as_deref(),
                entry.condition.is_none(),
                entry.span,
            ) {
                complete = false;
                continue;
            }
            let condition = match &entry.condition {
                Some(condition) => self.check_condition(condition, stage).map(Some),
                None => Some(None),
            };
            let value = check_value(self, &entry.value);
            let (Some(condition), Some(value)) = (condition, value) else {
                complete = false;
                continue;
            };
            let text = self.text(entry.span);
            checked.push(CheckedEntry {
                grades,
                condition,
                value,
                text,
            });
        }
        let uncovered: Vec<&str> = covered
            .iter()
            .zip(&self.grade_names)
            .filter(|(covered, _)| !**covered)
            .map(|(_, name)| name.as_str())
            .collect();
        if let Some((last, first)) = uncovered.split_last() {
            let grades = match first {
                [] => format!("grade {last}"),
                _ => format!("grades {} and {last}", first.join(", ")),
            };
            self.report(
                Diagnostic::error(
                    "missing-grade",
                    keyword,
                    format!("the `{section}` section gives nothing for {grades}"),
                )
                .with_label("a client with such a grade would get no value")
                .with_help(format!(
                    "add an entry without condition such as `{} => ...`, or `otherwise => ...`",
                    uncovered[0]
                )),
            );
            complete = false;
        }
        complete.then_some(checked)
    }

    /// Marks the grades an unconditional entry covers; returns false and
    /// reports when every grade of the entry was already covered.
    fn mark_covered(
        &mut self,
        covered: &mut [bool],
        grades: Option<&[GradeId]>,
        unconditional: bool,
        span: Span,
    ) -> bool {
        let indices: Vec<usize> = match grades {
            Some(grades) => grades.iter().map(|g| *g as usize).collect(),
            None => (0..covered.len()).collect(),
        };
        if !indices.is_empty() && indices.iter().all(|&i| covered[i]) {
            self.report(
                Diagnostic::error("unreachable-entry", span, "this entry never applies: earlier entries without condition already cover its grades")
                    .with_help("remove it, or move it above the entries that cover the same grades"),
            );
            return false;
        }
        if unconditional {
            for i in indices {
                covered[i] = true;
            }
        }
        true
    }

    /// Resolves an entry's grades; `Some(None)` stands for `otherwise`.
    fn check_selector(&mut self, selector: &GradeSelector) -> Option<Option<Vec<GradeId>>> {
        let grades = match selector {
            GradeSelector::Otherwise(_) => return Some(None),
            GradeSelector::Grades(grades) => grades,
        };
        let mut ids = Vec::with_capacity(grades.len());
        for grade in grades {
            match self.grade_names.iter().position(|g| *g == grade.node) {
                Some(id) => ids.push(id as GradeId),
                None => {
                    self.report_unknown_grade(grade);
                    return None;
                }
            }
        }
        Some(Some(ids))
    }

    fn report_unknown_grade(&mut self, grade: &ast::Ident) {
        if self.grade_names.is_empty() && !self.sections_present.contains(&"grades") {
            // Reported once by `check_grade_dependencies`.
            return;
        }
        let help = match suggest::closest(&grade.node, self.grade_names.iter().map(String::as_str))
        {
            Some(suggestion) => format!("did you mean `{suggestion}`?"),
            None => format!("the grades are {}", self.grade_names.join(", ")),
        };
        self.report(
            Diagnostic::error(
                "unknown-grade",
                grade.span,
                format!("unknown grade `{}`", grade.node),
            )
            .with_label("not declared in `grades`")
            .with_help(help),
        );
    }

    pub(super) fn check_escalation(
        &mut self,
        section: &ast::EscalationSection,
    ) -> Option<CheckedEscalation> {
        let mut complete = true;
        let mut skips = Vec::with_capacity(section.skips.len());
        for skip in &section.skips {
            match self.check_condition(&skip.condition, Stage::Escalation) {
                Some(condition) => skips.push(CheckedSkip {
                    text: self.text(skip.condition.span),
                    condition,
                }),
                None => complete = false,
            }
        }
        let mut steps: Vec<CheckedStep> = Vec::with_capacity(section.steps.len());
        let mut previous: Option<&ast::Step> = None;
        // The step without condition on the day of `previous`, if any: every
        // later step of that day is unreachable.
        let mut catch_all: Option<&ast::Step> = None;
        for step in &section.steps {
            let checked = self.check_step(step, previous, catch_all);
            let same_day = previous.is_some_and(|p| p.offset.node == step.offset.node);
            if !same_day {
                catch_all = None;
            }
            if catch_all.is_none() && step.condition.is_none() {
                catch_all = Some(step);
            }
            previous = Some(step);
            match checked {
                Some(checked) => steps.push(checked),
                None => complete = false,
            }
        }
        complete.then_some(CheckedEscalation { skips, steps })
    }

    fn check_step(
        &mut self,
        step: &ast::Step,
        previous: Option<&ast::Step>,
        catch_all: Option<&ast::Step>,
    ) -> Option<CheckedStep> {
        let offset = &step.offset;
        let in_range = offset.node.abs() <= Decimal::from(MAX_DAYS);
        let whole = (offset.node.fract().is_zero() && in_range)
            .then(|| offset.node.to_i64())
            .flatten();
        let Some(days) = whole else {
            self.report(
                Diagnostic::error(
                    "invalid-step",
                    offset.span,
                    format!(
                        "a step is a whole number of days from the due date, at most {MAX_DAYS}"
                    ),
                )
                .with_help("write `5 days after due`"),
            );
            return None;
        };
        if let Some(previous) = previous {
            if offset.node < previous.offset.node {
                self.report(
                    Diagnostic::error(
                        "step-order",
                        offset.span,
                        "the escalation steps are out of order",
                    )
                    .with_label("this step comes earlier than the one above it")
                    .with_related(previous.offset.span, "later step listed first")
                    .with_help(
                        "list the steps from the earliest to the latest, relative to the due date",
                    ),
                );
                return None;
            }
            if let Some(catch_all) = catch_all.filter(|c| c.offset.node == offset.node) {
                self.report(
                    Diagnostic::error(
                        "unreachable-entry",
                        offset.span,
                        "this step never applies: a step above has the same day and no condition",
                    )
                    .with_related(catch_all.offset.span, "same day, no condition")
                    .with_help(
                        "merge the actions into one step, or give the step above a condition",
                    ),
                );
                return None;
            }
        }
        let condition = match &step.condition {
            Some(condition) => Some(self.check_condition(condition, Stage::Escalation)?),
            None => None,
        };
        for (index, action) in step.actions.iter().enumerate() {
            self.check_action(action);
            if let Some(first) = step.actions[..index].iter().find(|a| a.node == action.node) {
                self.report(
                    Diagnostic::error(
                        "duplicate-action",
                        action.span,
                        "this action is already in the step",
                    )
                    .with_related(first.span, "first here")
                    .with_help("list each action of a step once; it would be sent twice"),
                );
            }
        }
        Some(CheckedStep {
            offset: days,
            condition,
            actions: step.actions.iter().map(|a| a.node.clone()).collect(),
            text: step_text(days),
        })
    }

    fn check_action(&mut self, action: &ast::Spanned<ast::Action>) {
        let template = match &action.node {
            ast::Action::Email(template) | ast::Action::Letter(template) => template,
            _ => return,
        };
        if !template.chars().all(chars::is_invisible) {
            return;
        }
        // The template string is the last token of the action, so it ends
        // where the action ends. A blank string contains no escape, so its
        // text is the template's bytes between two quotes.
        let start = (action.span.end as usize).saturating_sub(template.len() + 2);
        let span = Span::new(start, action.span.end as usize);
        self.report(
            Diagnostic::error("empty-template", span, "the template name is empty")
                .with_help("name the template to send, such as \"reminder-1\""),
        );
    }

    pub(super) fn check_alerts(
        &mut self,
        section: &ast::AlertsSection,
    ) -> Option<Vec<CheckedAlert>> {
        let mut alerts = Vec::with_capacity(section.alerts.len());
        let mut complete = true;
        for (index, alert) in section.alerts.iter().enumerate() {
            let named = self.require_name(
                &alert.name,
                "alert name",
                "name the alert, such as \"over credit limit\", because decisions list the alerts raised by name",
            );
            complete &= named;
            let first = section.alerts[..index]
                .iter()
                .find(|a| chars::printed(&a.name.node) == chars::printed(&alert.name.node));
            if let Some(first) = first.filter(|_| named) {
                self.report(
                    Diagnostic::error(
                        "duplicate-alert",
                        alert.name.span,
                        format!("two alerts are named \"{}\"", alert.name.node),
                    )
                    .with_related(first.name.span, "first named here")
                    .with_help(match first.name.node == alert.name.node {
                        true => "give each alert its own name, or join the conditions with `or`",
                        false => "the two names differ only by characters that print nothing, so they read the same in every output; give each alert its own name",
                    }),
                );
                complete = false;
                continue;
            }
            match self.check_condition(&alert.condition, Stage::Alerts) {
                Some(condition) => alerts.push(CheckedAlert {
                    severity: alert.severity.node,
                    name: alert.name.node.clone(),
                    condition,
                }),
                None => complete = false,
            }
        }
        complete.then_some(alerts)
    }
}

/// Builds the help for terms over the cap. `reach` is the number of days
/// compared with the cap.
fn cap_help(terms: &Terms, reach: u32, cap: &MaxTermsInfo) -> String {
    match terms {
        Terms::Prepayment | Terms::Net(_) => SHORTEN_OR_RAISE_CAP.to_string(),
        Terms::NetMonths(_) => {
            format!(
                "these terms can reach {reach} days after the invoice date; {SHORTEN_OR_RAISE_CAP}"
            )
        }
        _ if cap.end_of_month.is_none() => format!(
            "these terms can reach {reach} days after the invoice date; add an end-of-month cap such as `max terms {} days, 45 days end of month` if your contracts allow one, or shorten the terms",
            cap.net
        ),
        _ => "shorten the terms, or raise the end-of-month cap in `max terms`".to_string(),
    }
}

/// The canonical text of a step offset, as decisions show it.
pub(crate) fn step_text(days: i64) -> String {
    match days {
        0 => "on due".to_string(),
        1 => "1 day after due".to_string(),
        -1 => "1 day before due".to_string(),
        d if d > 0 => format!("{d} days after due"),
        d => format!("{} days before due", -d),
    }
}

fn is_reserved(name: &str) -> bool {
    names::metric_info(name).is_some()
        || [
            names::SCORE,
            names::GRADE,
            names::LIMIT,
            names::AVAILABLE_CREDIT,
            names::AS_OF,
            names::ORDER,
            names::ORDERS_BLOCKED,
        ]
        .contains(&name)
        || names::invoice_attribute(name).is_some()
}
