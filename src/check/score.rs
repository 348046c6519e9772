//! Checks of the `score` section: weights, arms, and hooks.

use std::path::Path;

use rust_decimal::Decimal;

use super::checked::{CheckedArm, CheckedFactor, Expr, FactorBody, LoadedHook};
use super::expr::MissingCause;
use super::{Checker, Stage};
use crate::diagnostic::Diagnostic;
use crate::hooks::HookEngine;
use crate::syntax::ast::{self, ArmKind};
use crate::value::Type;

/// The arms of a factor, sorted by kind, with the first missing cause found
/// among the `when` conditions.
struct Arms {
    when: Vec<(Expr, CheckedArm)>,
    otherwise: Option<CheckedArm>,
    missing: Option<(CheckedArm, ast::Arm)>,
    missing_cause: Option<MissingCause>,
}

impl Checker<'_> {
    pub(super) fn check_score(
        &mut self,
        section: &ast::ScoreSection,
        base_dir: &Path,
        engine: &HookEngine,
        hooks: &mut Vec<LoadedHook>,
    ) -> Option<Vec<CheckedFactor>> {
        if section.factors.is_empty() {
            self.report(
                Diagnostic::error("empty-score", section.keyword, "the score has no factors")
                    .with_help("add a factor such as `factor \"overdue share\" weight 100% { ... }`, or remove the section"),
            );
            return None;
        }
        self.check_weights(section);
        self.check_factor_names(section);

        let mut factors = Vec::with_capacity(section.factors.len());
        let mut complete = true;
        for factor in &section.factors {
            match self.check_factor(factor, base_dir, engine, hooks) {
                Some(checked) => factors.push(checked),
                None => complete = false,
            }
        }
        complete.then_some(factors)
    }

    fn check_weights(&mut self, section: &ast::ScoreSection) {
        let mut total = Decimal::ZERO;
        for factor in &section.factors {
            let weight = factor.weight.node;
            if weight <= Decimal::ZERO || weight > Decimal::ONE {
                self.report(
                    Diagnostic::error(
                        "invalid-weight",
                        factor.weight.span,
                        format!("a weight of {}% is not allowed", percent(weight)),
                    )
                    .with_help("a weight is more than 0% and at most 100%"),
                );
            }
            total = total.checked_add(weight).unwrap_or(Decimal::MAX);
        }
        if total == Decimal::ONE {
            return;
        }
        let mut diagnostic = Diagnostic::error(
            "weights-sum",
            section.keyword,
            format!("the factor weights add up to {}%, not 100%", percent(total)),
        )
        .with_help("change the weights so that they add up to 100%");
        for factor in &section.factors {
            diagnostic = diagnostic.with_related(
                factor.weight.span,
                format!("{}%", percent(factor.weight.node)),
            );
        }
        self.report(diagnostic);
    }

    fn check_factor_names(&mut self, section: &ast::ScoreSection) {
        for (index, factor) in section.factors.iter().enumerate() {
            if !self.require_name(
                &factor.name,
                "factor name",
                "name the factor, such as \"payment delays\", because decisions list points by factor name",
            ) {
                continue;
            }
            let earlier = section.factors[..index]
                .iter()
                .find(|f| f.name.node == factor.name.node);
            if let Some(first) = earlier {
                self.report(
                    Diagnostic::error(
                        "duplicate-factor",
                        factor.name.span,
                        format!("two factors are named \"{}\"", factor.name.node),
                    )
                    .with_related(first.name.span, "first named here")
                    .with_help(
                        "give each factor its own name: decisions list points by factor name",
                    ),
                );
            }
        }
    }

    fn check_factor(
        &mut self,
        factor: &ast::Factor,
        base_dir: &Path,
        engine: &HookEngine,
        hooks: &mut Vec<LoadedHook>,
    ) -> Option<CheckedFactor> {
        let arms = self.check_arms(factor)?;
        let body = match &factor.hook {
            Some(path) => FactorBody::Hook {
                index: self.check_hook_factor(factor, path, &arms, base_dir, engine, hooks)?,
                text: format!("hook \"{}\"", path.node),
            },
            None => {
                self.check_band_factor(factor, &arms)?;
                FactorBody::Bands {
                    arms: arms.when,
                    otherwise: arms.otherwise,
                }
            }
        };
        Some(CheckedFactor {
            name: factor.name.node.clone(),
            weight: factor.weight.node,
            body,
            missing: arms.missing.map(|(arm, _)| arm),
        })
    }

    fn check_arms(&mut self, factor: &ast::Factor) -> Option<Arms> {
        let mut arms = Arms {
            when: Vec::new(),
            otherwise: None,
            missing: None,
            missing_cause: None,
        };
        let mut otherwise_span = None;
        let mut complete = true;
        for arm in &factor.arms {
            let points = self.check_value(&arm.points, Type::Number, "points", Stage::Score);
            match &arm.kind {
                ArmKind::When(condition) => {
                    if let Some(first) = otherwise_span {
                        self.report_unreachable_arm(arm, first);
                        complete = false;
                        continue;
                    }
                    let condition = self.check_band_condition(condition, &mut arms.missing_cause);
                    match (condition, points) {
                        (Some(condition), Some(points)) => {
                            let text = self.text(condition.span);
                            arms.when.push((condition, CheckedArm { points, text }));
                        }
                        _ => complete = false,
                    }
                }
                ArmKind::Otherwise(span) => {
                    if let Some(first) = otherwise_span {
                        self.report_repeated_arm(&factor.name.node, "otherwise", *span, first);
                        complete = false;
                        continue;
                    }
                    otherwise_span = Some(*span);
                    let text = "otherwise".to_string();
                    arms.otherwise = points.map(|points| CheckedArm { points, text });
                    complete &= arms.otherwise.is_some();
                }
                ArmKind::Missing(span) => {
                    if let Some((_, first)) = &arms.missing {
                        let first_span = first.span;
                        self.report_repeated_arm(&factor.name.node, "missing", *span, first_span);
                        complete = false;
                        continue;
                    }
                    let text = "missing".to_string();
                    match points {
                        Some(points) => {
                            arms.missing = Some((CheckedArm { points, text }, arm.clone()))
                        }
                        None => complete = false,
                    }
                }
            }
        }
        complete.then_some(arms)
    }

    /// Checks a `when` condition. Unlike other conditions it may lack a value:
    /// the factor then takes its `missing` arm. The first such cause is kept
    /// to explain a missing `missing` arm.
    fn check_band_condition(
        &mut self,
        condition: &ast::Expr,
        cause: &mut Option<MissingCause>,
    ) -> Option<Expr> {
        let typed = self.check_expr(condition, Stage::Score)?;
        let typed = self.expect_type(typed, Type::Boolean, "a condition")?;
        if cause.is_none() {
            *cause = typed.missing;
        }
        Some(typed.expr)
    }

    fn report_unreachable_arm(&mut self, arm: &ast::Arm, otherwise: crate::source::Span) {
        self.report(
            Diagnostic::error(
                "unreachable-arm",
                arm.span,
                "this arm comes after `otherwise`, so it never applies",
            )
            .with_related(otherwise, "every client not matched above stops here")
            .with_help("move the arm above `otherwise`"),
        );
    }

    fn report_repeated_arm(
        &mut self,
        factor: &str,
        kind: &str,
        span: crate::source::Span,
        first: crate::source::Span,
    ) {
        self.report(
            Diagnostic::error(
                "duplicate-arm",
                span,
                format!("the factor \"{factor}\" has two `{kind}` arms"),
            )
            .with_related(first, "first one here")
            .with_help(format!("keep one `{kind}` arm")),
        );
    }

    fn check_band_factor(&mut self, factor: &ast::Factor, arms: &Arms) -> Option<()> {
        let mut ok = true;
        if arms.otherwise.is_none() {
            self.report(
                Diagnostic::error(
                    "missing-otherwise",
                    factor.name.span,
                    format!("the factor \"{}\" has no `otherwise` arm", factor.name.node),
                )
                .with_label("a client that matches no `when` arm would get no points")
                .with_help("add `otherwise => N` as the last arm"),
            );
            ok = false;
        }
        match (&arms.missing_cause, &arms.missing) {
            (Some(cause), None) => {
                let leaf = self.text(cause.span);
                self.report(
                    Diagnostic::error(
                        "missing-arm",
                        factor.name.span,
                        format!(
                            "the factor \"{}\" has no `missing` arm, but `{leaf}` {}",
                            factor.name.node, cause.reason
                        ),
                    )
                    .with_related(cause.span, "can be missing")
                    .with_help("add `missing => N`: the points for a client without that data"),
                );
                ok = false;
            }
            (None, Some((_, arm))) => {
                self.report(
                    Diagnostic::warning(
                        "unused-missing-arm",
                        arm.span,
                        "this `missing` arm never applies",
                    )
                    .with_label("every input of this factor always has a value")
                    .with_help("remove the arm"),
                );
            }
            _ => {}
        }
        ok.then_some(())
    }

    fn check_hook_factor(
        &mut self,
        factor: &ast::Factor,
        path: &ast::Spanned<String>,
        arms: &Arms,
        base_dir: &Path,
        engine: &HookEngine,
        hooks: &mut Vec<LoadedHook>,
    ) -> Option<usize> {
        for (condition, _) in &arms.when {
            self.report(
                Diagnostic::error(
                    "hook-arms",
                    condition.span,
                    "a factor computed by a hook has no `when` arms",
                )
                .with_help("the hook returns the points; keep only `missing => N`"),
            );
        }
        if arms.otherwise.is_some() {
            self.report(
                Diagnostic::error(
                    "hook-arms",
                    factor.name.span,
                    "a factor computed by a hook has no `otherwise` arm",
                )
                .with_help("the hook returns the points; keep only `missing => N`"),
            );
        }
        if arms.missing.is_none() {
            self.report(
                Diagnostic::error("missing-arm", path.span, format!("the factor \"{}\" has no `missing` arm", factor.name.node))
                    .with_label("a hook returns `()` when it lacks the data to score a client")
                    .with_help("add `{ missing => N }` after the hook path: the points for a client the hook cannot score"),
            );
        }
        let index = self.load_hook(path, base_dir, engine, hooks)?;
        (arms.when.is_empty() && arms.otherwise.is_none() && arms.missing.is_some())
            .then_some(index)
    }

    fn load_hook(
        &mut self,
        path: &ast::Spanned<String>,
        base_dir: &Path,
        engine: &HookEngine,
        hooks: &mut Vec<LoadedHook>,
    ) -> Option<usize> {
        if !self.require_name(
            path,
            "hook path",
            "give the path of the `.rhai` file relative to the policy's folder, such as \"hooks/altman.rhai\"",
        ) {
            return None;
        }
        let full_path = base_dir.join(&path.node);
        if let Some(index) = hooks.iter().position(|hook| hook.path == full_path) {
            return Some(index);
        }
        if full_path.is_dir() {
            self.report(
                Diagnostic::error(
                    "hook-not-found",
                    path.span,
                    format!("`{}` is a folder, not a hook file", path.node),
                )
                .with_help("name the `.rhai` file inside it, such as `hooks/altman.rhai`"),
            );
            return None;
        }
        if !full_path.is_file() {
            self.report(
                Diagnostic::error("hook-not-found", path.span, format!("the hook file `{}` does not exist", path.node))
                    .with_help("hook paths are relative to the policy file's folder; check the path and the file name"),
            );
            return None;
        }
        let text = match std::fs::read(&full_path) {
            Ok(bytes) => bytes,
            Err(error) => {
                self.report(
                    Diagnostic::error(
                        "hook-not-found",
                        path.span,
                        format!("the hook file `{}` cannot be read: {error}", path.node),
                    )
                    .with_help("check the file's permissions"),
                );
                return None;
            }
        };
        let source = self.hook_text(path, &text)?;
        match engine.compile_source(&full_path, source) {
            Ok(hook) => {
                hooks.push(LoadedHook {
                    path: full_path,
                    written: path.node.clone(),
                    sha256: super::sha256_hex(&text),
                    hook,
                });
                Some(hooks.len() - 1)
            }
            Err(error) => {
                let message = format!(
                    "the hook does not compile: {}{}: {}",
                    path.node,
                    error.location(),
                    error.message
                );
                let mut diagnostic = Diagnostic::error("hook-compile", path.span, message);
                if let Some(help) = &error.help {
                    diagnostic = diagnostic.with_help(help.clone());
                }
                self.report(diagnostic);
                None
            }
        }
    }

    /// Reads a hook's bytes as UTF-8 text, without a byte-order mark.
    fn hook_text<'t>(&mut self, path: &ast::Spanned<String>, bytes: &'t [u8]) -> Option<&'t str> {
        match std::str::from_utf8(bytes) {
            Ok(text) => Some(text.strip_prefix('\u{feff}').unwrap_or(text)),
            Err(error) => {
                let line = bytes[..error.valid_up_to()]
                    .iter()
                    .filter(|b| **b == b'\n')
                    .count()
                    + 1;
                self.report(
                    Diagnostic::error(
                        "hook-compile",
                        path.span,
                        format!("the hook `{}` is not UTF-8 text (line {line})", path.node),
                    )
                    .with_help(
                        "save the hook as UTF-8; convert it with `iconv -f CP1252 -t UTF-8`",
                    ),
                );
                None
            }
        }
    }
}

/// A fraction as a percent figure without trailing zeros: 0.4 → 40. A
/// fraction too large to scale, which only a nonsensical weight produces,
/// shows as the largest decimal.
fn percent(fraction: Decimal) -> Decimal {
    fraction
        .checked_mul(Decimal::ONE_HUNDRED)
        .unwrap_or(Decimal::MAX)
        .normalize()
}
