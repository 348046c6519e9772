//! Name resolution and type checking of expressions.
//!
//! Each check returns `None` once it has reported a problem, and callers
//! stop there, so one mistake is reported once rather than at every
//! enclosing expression.

use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

use super::checked::{ArithmeticOp, CompareOp, Constant, Expr, Node};
use super::names::{self, Window};
use super::sections::MAX_DAYS;
use super::units;
use super::{Checker, Stage};
use crate::diagnostic::Diagnostic;
use crate::metrics::{DEFAULT_CEI_MONTHS, DEFAULT_LATENESS_WINDOW_DAYS, MAX_CEI_MONTHS};
use crate::source::Span;
use crate::suggest;
use crate::syntax::ast::{self, BinaryOp, ExprKind, Literal, UnaryOp};
use crate::value::{Currency, Type};

/// A checked expression with its type and, when it can lack a value, the
/// first place that can be missing and why.
pub(super) struct Typed {
    pub expr: Expr,
    pub ty: Type,
    pub missing: Option<MissingCause>,
}

#[derive(Clone)]
pub(super) struct MissingCause {
    pub span: Span,
    pub reason: String,
    /// Whether a declared field is missing, which a default in `fields` can fix.
    pub field: bool,
}

impl Checker<'_> {
    pub(super) fn check_expr(&mut self, expr: &ast::Expr, stage: Stage) -> Option<Typed> {
        match &expr.kind {
            ExprKind::Literal(literal) => self.check_literal(literal, expr.span),
            ExprKind::Name(name) => self.check_name(name, expr.span, stage),
            ExprKind::Path(object, attribute) => self.check_path(object, attribute, stage),
            ExprKind::Call(function, arguments) => {
                self.check_call(function, arguments, expr.span, stage)
            }
            ExprKind::List(_) => {
                self.report(
                    Diagnostic::error(
                        "type-mismatch",
                        expr.span,
                        "a list is only allowed after `in`",
                    )
                    .with_help("test membership with `grade in [D, E]`"),
                );
                None
            }
            ExprKind::Unary(op, operand) => self.check_unary(*op, operand, expr.span, stage),
            ExprKind::Binary(op, lhs, rhs) => self.check_binary(*op, lhs, rhs, expr.span, stage),
        }
    }

    /// Checks a condition: a boolean that always has a value.
    pub(super) fn check_condition(&mut self, expr: &ast::Expr, stage: Stage) -> Option<Expr> {
        let typed = self.check_expr(expr, stage)?;
        let typed = self.expect_type(typed, Type::Boolean, "a condition")?;
        self.require_present(typed)
    }

    /// Checks an expression that must have `ty` and must always have a value.
    pub(super) fn check_value(
        &mut self,
        expr: &ast::Expr,
        ty: Type,
        what: &str,
        stage: Stage,
    ) -> Option<Expr> {
        let typed = self.check_expr(expr, stage)?;
        let typed = self.expect_type(typed, ty, what)?;
        self.require_present(typed)
    }

    pub(super) fn expect_type(&mut self, typed: Typed, ty: Type, what: &str) -> Option<Typed> {
        if typed.ty == ty {
            return Some(typed);
        }
        let text = self.text(typed.expr.span);
        self.report(
            Diagnostic::error(
                "type-mismatch",
                typed.expr.span,
                format!(
                    "{what} must be {}, but `{text}` is {}",
                    units::article(ty),
                    units::article(typed.ty)
                ),
            )
            .with_label(format!("this is {}", units::article(typed.ty))),
        );
        None
    }

    /// Rejects an expression that can lack a value, pointing at the part that
    /// can be missing.
    pub(super) fn require_present(&mut self, typed: Typed) -> Option<Expr> {
        let Some(cause) = typed.missing else {
            return Some(typed.expr);
        };
        let example = match typed.ty {
            Type::Boolean => "false".to_string(),
            Type::Money => format!("0 {}", self.currency_code()),
            Type::Days => "0 days".to_string(),
            Type::Percent => "0%".to_string(),
            _ => "0".to_string(),
        };
        let leaf = self.text(cause.span);
        let whole = self.text(typed.expr.span);
        self.report(
            Diagnostic::error(
                "missing-not-handled",
                cause.span,
                format!("`{leaf}` {}, and nothing says what to do then", cause.reason),
            )
            .with_label("can be missing")
            .with_help(match cause.field {
                true => format!(
                    "write `{whole} if missing {example}`, or give the field a default with `or` in `fields`"
                ),
                false => format!("write `{whole} if missing {example}`"),
            }),
        );
        None
    }

    fn check_literal(&mut self, literal: &Literal, span: Span) -> Option<Typed> {
        let (constant, ty) = match literal {
            Literal::Number(n) => (Constant::Number(*n), Type::Number),
            Literal::Money(amount, code) => (
                Constant::Money(self.check_currency(*amount, code, span)?),
                Type::Money,
            ),
            Literal::Percent(p) => (Constant::Percent(*p), Type::Percent),
            Literal::Days(d) => (Constant::Days(*d), Type::Days),
            Literal::Months(_) => {
                self.report(
                    Diagnostic::error("invalid-call", span, "a number of months is not a value")
                        .with_help("months are only the period of `cei`, as in `cei(6 months)`; write durations in days"),
                );
                return None;
            }
            Literal::Date(d) => (Constant::Date(*d), Type::Date),
            Literal::Text(t) => (Constant::Text(t.as_str().into()), Type::Text),
            Literal::Boolean(b) => (Constant::Boolean(*b), Type::Boolean),
        };
        Some(present(Node::Constant(constant), span, ty))
    }

    fn check_currency(&mut self, amount: Decimal, code: &str, span: Span) -> Option<Decimal> {
        let policy_currency = self.currency?;
        if Currency::parse(code) == Some(policy_currency) {
            return Some(amount);
        }
        self.report(
            Diagnostic::error(
                "currency-mismatch",
                span,
                format!("`{amount} {code}` is in {code}, but the policy's amounts are in {policy_currency}"),
            )
            .with_help(format!("write the amount in {policy_currency}, the currency the `currency` line sets")),
        );
        None
    }

    fn check_name(&mut self, name: &str, span: Span, stage: Stage) -> Option<Typed> {
        if let Some(info) = names::metric_info(name) {
            // A windowed metric without parentheses reads the default window,
            // which is always index 0.
            return Some(self.metric(info, 0, span));
        }
        if let Some(typed) = self.check_produced_value(name, span, stage) {
            return typed;
        }
        if let Some(grade) = self.grade_names.iter().position(|g| g == name) {
            return Some(present(
                Node::Constant(Constant::Grade(grade as u16)),
                span,
                Type::Grade,
            ));
        }
        if stage == Stage::Escalation
            && let Some((attribute, ty)) = names::invoice_attribute(name)
        {
            return Some(present(Node::Invoice(attribute), span, ty));
        }
        self.report_unknown_name(name, span, stage);
        None
    }

    fn metric(&mut self, info: &names::MetricInfo, window: u16, span: Span) -> Typed {
        let missing = info.missing_when.map(|reason| MissingCause {
            span,
            field: false,
            reason: reason.to_string(),
        });
        Typed {
            expr: Expr {
                node: Node::Metric(info.metric(window)),
                span,
            },
            ty: info.ty,
            missing,
        }
    }

    /// Resolves the values earlier sections produce. Returns `None` when the
    /// name is not one of them, `Some(None)` when it is but is not available.
    fn check_produced_value(
        &mut self,
        name: &str,
        span: Span,
        stage: Stage,
    ) -> Option<Option<Typed>> {
        let (node, ty, produced_by, available_from) = match name {
            names::SCORE => (Node::Score, Type::Number, "score", Stage::Grades),
            names::GRADE => (Node::Grade, Type::Grade, "grades", Stage::Limit),
            names::LIMIT => (Node::Limit, Type::Money, "limit", Stage::Terms),
            names::AVAILABLE_CREDIT => (Node::AvailableCredit, Type::Money, "limit", Stage::Terms),
            names::ORDERS_BLOCKED => (
                Node::OrdersBlocked,
                Type::Boolean,
                "escalation",
                Stage::Alerts,
            ),
            names::ORDER => (Node::Order, Type::Money, "orders", Stage::Orders),
            names::AS_OF => return Some(Some(present(Node::AsOf, span, Type::Date))),
            _ => return None,
        };
        if stage < available_from {
            self.report(
                Diagnostic::error(
                    "not-available",
                    span,
                    format!("`{name}` is not known yet in the `{}` section", stage.section()),
                )
                .with_help(format!(
                    "sections are evaluated in the order score, grades, limit, terms, escalation, alerts, orders; `{name}` can be read from the `{}` section on",
                    available_from.section()
                )),
            );
            return Some(None);
        }
        if !self.sections_present.contains(&produced_by) {
            self.report(
                Diagnostic::error(
                    "unknown-name",
                    span,
                    format!("`{name}` comes from the `{produced_by}` section, which this policy does not have"),
                )
                .with_help(format!("add the `{produced_by}` section, or remove this use of `{name}`")),
            );
            return Some(None);
        }
        Some(Some(present(node, span, ty)))
    }

    fn report_unknown_name(&mut self, name: &str, span: Span, stage: Stage) {
        let mut candidates: Vec<&str> = names::METRICS.iter().map(|info| info.name).collect();
        candidates.extend([
            names::SCORE,
            names::GRADE,
            names::LIMIT,
            names::AVAILABLE_CREDIT,
            names::AS_OF,
            names::ORDER,
            names::ORDERS_BLOCKED,
        ]);
        candidates.extend(self.grade_names.iter().map(String::as_str));
        if stage == Stage::Escalation {
            candidates.extend(names::INVOICE_ATTRIBUTES.iter().map(|(n, _, _)| *n));
        }
        let field = self.fields.iter().find(|field| field.name == name);
        let looks_like_grade = !self.grade_names.is_empty()
            && name.len() <= 3
            && name
                .chars()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit());
        let help = if looks_like_grade {
            format!(
                "the grades are {}; text is written in quotes, such as `\"{name}\"`",
                self.grade_names.join(", ")
            )
        } else if let Some(field) = field {
            format!(
                "client fields are read with `client.`: write `client.{}`",
                field.name
            )
        } else if let Some(suggestion) = suggest::closest(name, candidates) {
            format!("did you mean `{suggestion}`?")
        } else {
            "metrics include exposure, overdue, overdue_ratio, oldest_overdue_days, avg_days_late, late_ratio and dso; a client column is declared in `fields` and read as `client.<column>`".to_string()
        };
        self.report(
            Diagnostic::error("unknown-name", span, format!("unknown name `{name}`"))
                .with_label("not a metric, a grade or a value of this policy")
                .with_help(help),
        );
    }

    fn check_path(
        &mut self,
        object: &ast::Ident,
        attribute: &ast::Ident,
        stage: Stage,
    ) -> Option<Typed> {
        let span = object.span.to(attribute.span);
        match object.node.as_str() {
            "client" => self.check_client_attribute(attribute, span),
            "invoice" if stage == Stage::Escalation => {
                let Some((attribute_id, ty)) = names::invoice_attribute(&attribute.node) else {
                    let candidates = names::INVOICE_ATTRIBUTES.iter().map(|(n, _, _)| *n);
                    let help = suggest::closest(&attribute.node, candidates)
                        .map(|s| format!("did you mean `invoice.{s}`?"))
                        .unwrap_or_else(|| {
                            let names: Vec<&str> = names::INVOICE_ATTRIBUTES
                                .iter()
                                .map(|(n, _, _)| *n)
                                .collect();
                            format!("invoices have {}", names.join(", "))
                        });
                    self.report(
                        Diagnostic::error(
                            "unknown-field",
                            attribute.span,
                            format!("invoices have no attribute `{}`", attribute.node),
                        )
                        .with_help(help),
                    );
                    return None;
                };
                Some(present(Node::Invoice(attribute_id), span, ty))
            }
            "invoice" => {
                self.report(
                    Diagnostic::error("not-available", span, "`invoice.` is only available in the `escalation` section")
                        .with_help("other sections look at the client as a whole; use metrics such as `overdue` or `oldest_overdue_days`"),
                );
                None
            }
            other => {
                let help = match suggest::closest(other, ["client", "invoice"]) {
                    Some(suggestion) => format!("did you mean `{suggestion}.{}`?", attribute.node),
                    None => "only `client.` and `invoice.` have attributes".to_string(),
                };
                self.report(
                    Diagnostic::error(
                        "unknown-name",
                        object.span,
                        format!("unknown name `{other}`"),
                    )
                    .with_help(help),
                );
                None
            }
        }
    }

    fn check_client_attribute(&mut self, attribute: &ast::Ident, span: Span) -> Option<Typed> {
        let name = attribute.node.as_str();
        if name == names::CLIENT_ID {
            return Some(present(Node::ClientId, span, Type::Text));
        }
        if name == names::CLIENT_NAME {
            return Some(Typed {
                expr: Expr {
                    node: Node::ClientName,
                    span,
                },
                ty: Type::Text,
                missing: Some(MissingCause {
                    span,
                    field: false,
                    reason: "has no value for a client whose name cell is empty".to_string(),
                }),
            });
        }
        let Some(index) = self.fields.iter().position(|field| field.name == name) else {
            self.report_unknown_field(attribute);
            return None;
        };
        let field = &self.fields[index];
        let missing = field.default.is_none().then(|| MissingCause {
            span,
            field: true,
            reason: "has no value for a client whose cell is empty".to_string(),
        });
        Some(Typed {
            expr: Expr {
                node: Node::Field(index as u16),
                span,
            },
            ty: field.ty,
            missing,
        })
    }

    fn report_unknown_field(&mut self, attribute: &ast::Ident) {
        let name = attribute.node.as_str();
        let declared = self.fields.iter().map(|field| field.name.as_str());
        let candidates = declared.chain([names::CLIENT_ID, names::CLIENT_NAME]);
        let help = match suggest::closest(name, candidates) {
            Some(suggestion) => format!("did you mean `client.{suggestion}`?"),
            None => format!(
                "declare the client column in the `fields` section as `{name}: <type>`, where the type is money, percent, days, date, number, text or boolean"
            ),
        };
        self.report(
            Diagnostic::error(
                "unknown-field",
                attribute.span,
                format!("unknown client field `{name}`"),
            )
            .with_label("not declared in `fields`")
            .with_help(help),
        );
    }

    fn check_call(
        &mut self,
        function: &ast::Ident,
        arguments: &[ast::Expr],
        span: Span,
        stage: Stage,
    ) -> Option<Typed> {
        let name = function.node.as_str();
        if name == "min" || name == "max" {
            return self.check_min_max(name, arguments, span, stage);
        }
        if let Some(info) = names::metric_info(name) {
            let index = match info.window {
                Window::None => {
                    self.report(
                        Diagnostic::error(
                            "invalid-call",
                            span,
                            format!("`{name}` takes no window"),
                        )
                        .with_help(format!("write `{name}` without parentheses")),
                    );
                    return None;
                }
                Window::Days => self.check_window(name, arguments, span)?,
                Window::Months => self.check_period(name, arguments, span)?,
            };
            return Some(self.metric(info, index, span));
        }
        let candidates = names::FUNCTIONS.iter().copied().chain(
            names::METRICS
                .iter()
                .filter(|m| m.window != Window::None)
                .map(|m| m.name),
        );
        let help = match suggest::closest(name, candidates) {
            Some(suggestion) => format!("did you mean `{suggestion}`?"),
            None => "the functions are min, max, the windowed metrics avg_days_late, late_ratio, settled_invoices and broken_promises, and cei".to_string(),
        };
        self.report(
            Diagnostic::error(
                "unknown-name",
                function.span,
                format!("unknown function `{name}`"),
            )
            .with_help(help),
        );
        None
    }

    /// Checks `metric(N days)` and returns the window's index.
    fn check_window(&mut self, name: &str, arguments: &[ast::Expr], span: Span) -> Option<u16> {
        let days = match arguments {
            [
                ast::Expr {
                    kind: ExprKind::Literal(Literal::Days(days)),
                    ..
                },
            ] => *days,
            _ => {
                self.report(
                    Diagnostic::error("invalid-call", span, format!("`{name}` takes one window in days"))
                        .with_help(format!("write `{name}(90 days)`, or `{name}` for the last {DEFAULT_LATENESS_WINDOW_DAYS} days")),
                );
                return None;
            }
        };
        let whole_days = days.fract().is_zero().then(|| days.to_u32()).flatten();
        let Some(whole_days) = whole_days.filter(|d| (1..=MAX_DAYS).contains(d)) else {
            self.report(
                Diagnostic::error(
                    "invalid-call",
                    arguments[0].span,
                    format!("`{days} days` is not a valid window"),
                )
                .with_help(format!(
                    "a window is a whole number of days from 1 to {MAX_DAYS}"
                )),
            );
            return None;
        };
        let index = match self.lateness_windows.iter().position(|&w| w == whole_days) {
            Some(index) => index,
            None => {
                self.lateness_windows.push(whole_days);
                self.lateness_windows.len() - 1
            }
        };
        Some(index as u16)
    }

    /// Checks `cei(N months)` and returns the period's index.
    fn check_period(&mut self, name: &str, arguments: &[ast::Expr], span: Span) -> Option<u16> {
        let months = match arguments {
            [
                ast::Expr {
                    kind: ExprKind::Literal(Literal::Months(months)),
                    ..
                },
            ] => *months,
            _ => {
                self.report(
                    Diagnostic::error("invalid-call", span, format!("`{name}` takes one period in months"))
                        .with_help(format!("write `{name}(6 months)`, or `{name}` for the last {DEFAULT_CEI_MONTHS} months")),
                );
                return None;
            }
        };
        let whole_months = months.fract().is_zero().then(|| months.to_u32()).flatten();
        let Some(whole_months) = whole_months.filter(|m| (1..=MAX_CEI_MONTHS).contains(m)) else {
            self.report(
                Diagnostic::error(
                    "invalid-call",
                    arguments[0].span,
                    format!("`{months} months` is not a valid period"),
                )
                .with_help(format!(
                    "a period is a whole number of months from 1 to {MAX_CEI_MONTHS}"
                )),
            );
            return None;
        };
        let index = match self.cei_periods.iter().position(|&m| m == whole_months) {
            Some(index) => index,
            None => {
                self.cei_periods.push(whole_months);
                self.cei_periods.len() - 1
            }
        };
        Some(index as u16)
    }

    fn check_min_max(
        &mut self,
        name: &str,
        arguments: &[ast::Expr],
        span: Span,
        stage: Stage,
    ) -> Option<Typed> {
        if arguments.len() < 2 {
            self.report(
                Diagnostic::error(
                    "invalid-call",
                    span,
                    format!("`{name}` needs at least two values"),
                )
                .with_help(format!(
                    "write `{name}(overdue, 5000 {})`",
                    self.currency_code()
                )),
            );
            return None;
        }
        let checked: Vec<Option<Typed>> = arguments
            .iter()
            .map(|a| self.check_expr(a, stage))
            .collect();
        let checked: Vec<Typed> = checked.into_iter().collect::<Option<_>>()?;
        let ty = checked[0].ty;
        if !units::is_quantity(ty) && ty != Type::Date {
            self.report(Diagnostic::error(
                "type-mismatch",
                checked[0].expr.span,
                format!(
                    "`{name}` takes numbers, amounts, percents, days or dates, not {}",
                    units::article(ty)
                ),
            ));
            return None;
        }
        if let Some(other) = checked.iter().find(|t| t.ty != ty) {
            self.report(
                Diagnostic::error(
                    units::mismatch_code(ty, other.ty),
                    other.expr.span,
                    format!(
                        "`{name}` mixes {} with {}",
                        units::article(ty),
                        units::article(other.ty)
                    ),
                )
                .with_related(
                    checked[0].expr.span,
                    format!("this is {}", units::article(ty)),
                ),
            );
            return None;
        }
        let missing = checked.iter().find_map(|t| t.missing.clone());
        let expressions = checked.into_iter().map(|t| t.expr).collect();
        let node = if name == "min" {
            Node::Min(expressions)
        } else {
            Node::Max(expressions)
        };
        Some(Typed {
            expr: Expr { node, span },
            ty,
            missing,
        })
    }

    fn check_unary(
        &mut self,
        op: UnaryOp,
        operand: &ast::Expr,
        span: Span,
        stage: Stage,
    ) -> Option<Typed> {
        let typed = self.check_expr(operand, stage)?;
        let (node, ok) = match op {
            UnaryOp::Not => (Node::Not(Box::new(typed.expr)), typed.ty == Type::Boolean),
            UnaryOp::Negate => (
                Node::Negate(Box::new(typed.expr)),
                units::is_quantity(typed.ty),
            ),
        };
        if !ok {
            let what = if op == UnaryOp::Not {
                "`not` applies to conditions"
            } else {
                "`-` applies to numbers, amounts, percents and days"
            };
            self.report(Diagnostic::error(
                "type-mismatch",
                span,
                format!("{what}, not to {}", units::article(typed.ty)),
            ));
            return None;
        }
        Some(Typed {
            expr: Expr { node, span },
            ty: typed.ty,
            missing: typed.missing,
        })
    }

    fn check_binary(
        &mut self,
        op: BinaryOp,
        lhs: &ast::Expr,
        rhs: &ast::Expr,
        span: Span,
        stage: Stage,
    ) -> Option<Typed> {
        if op == BinaryOp::In {
            return self.check_in(lhs, rhs, span, stage);
        }
        let left = self.check_expr(lhs, stage);
        let right = self.check_expr(rhs, stage);
        let (left, right) = (left?, right?);
        match op {
            BinaryOp::And | BinaryOp::Or => self.check_logic(op, left, right, span),
            BinaryOp::IfMissing => self.check_if_missing(left, right, span),
            op if op.is_comparison() => self.check_comparison(op, left, right, span),
            _ => self.check_arithmetic(op, left, right, span),
        }
    }

    fn check_logic(
        &mut self,
        op: BinaryOp,
        left: Typed,
        right: Typed,
        span: Span,
    ) -> Option<Typed> {
        for side in [&left, &right] {
            if side.ty != Type::Boolean {
                let text = self.text(side.expr.span);
                self.report(
                    Diagnostic::error(
                        "type-mismatch",
                        side.expr.span,
                        format!(
                            "`{}` joins conditions, but `{text}` is {}",
                            op.symbol(),
                            units::article(side.ty)
                        ),
                    )
                    .with_help("write a comparison, such as `overdue > 0 EUR`"),
                );
                return None;
            }
        }
        let missing = left.missing.clone().or(right.missing.clone());
        let (l, r) = (Box::new(left.expr), Box::new(right.expr));
        let node = if op == BinaryOp::And {
            Node::And(l, r)
        } else {
            Node::Or(l, r)
        };
        Some(Typed {
            expr: Expr { node, span },
            ty: Type::Boolean,
            missing,
        })
    }

    fn check_if_missing(&mut self, left: Typed, right: Typed, span: Span) -> Option<Typed> {
        if left.ty != right.ty {
            let text = self.text(right.expr.span);
            self.report(
                Diagnostic::error(
                    "type-mismatch",
                    right.expr.span,
                    format!("the value after `if missing` must be {}, like the value before it, but `{text}` is {}", units::article(left.ty), units::article(right.ty)),
                ),
            );
            return None;
        }
        if left.missing.is_none() {
            let text = self.text(left.expr.span);
            self.report(
                Diagnostic::warning(
                    "needless-if-missing",
                    span,
                    format!("`{text}` always has a value, so `if missing` never applies"),
                )
                .with_help("remove `if missing` and the value after it"),
            );
        }
        let node = Node::IfMissing(Box::new(left.expr), Box::new(right.expr));
        Some(Typed {
            expr: Expr { node, span },
            ty: left.ty,
            missing: right.missing,
        })
    }

    fn check_comparison(
        &mut self,
        op: BinaryOp,
        left: Typed,
        right: Typed,
        span: Span,
    ) -> Option<Typed> {
        if let Err(mismatch) = units::comparison(op, left.ty, right.ty) {
            self.report_mismatch(mismatch, &left, &right, span);
            return None;
        }
        let missing = left.missing.clone().or(right.missing.clone());
        let node = Node::Compare {
            op: compare_op(op),
            lhs: Box::new(left.expr),
            rhs: Box::new(right.expr),
        };
        Some(Typed {
            expr: Expr { node, span },
            ty: Type::Boolean,
            missing,
        })
    }

    fn check_arithmetic(
        &mut self,
        op: BinaryOp,
        left: Typed,
        right: Typed,
        span: Span,
    ) -> Option<Typed> {
        let result = match units::arithmetic(op, left.ty, right.ty) {
            Ok(result) => result,
            Err(mismatch) => {
                self.report_mismatch(mismatch, &left, &right, span);
                return None;
            }
        };
        let divides_by_zero = op == BinaryOp::Divide && !is_nonzero_constant(&right.expr);
        let missing = left.missing.clone().or(right.missing.clone()).or_else(|| {
            divides_by_zero.then(|| MissingCause {
                span,
                field: false,
                reason: "has no value when the divisor is zero".to_string(),
            })
        });
        let arithmetic_op = match op {
            BinaryOp::Add => ArithmeticOp::Add,
            BinaryOp::Subtract => ArithmeticOp::Subtract,
            BinaryOp::Divide => ArithmeticOp::Divide,
            _ => ArithmeticOp::Multiply,
        };
        let node = Node::Arithmetic {
            op: arithmetic_op,
            result,
            lhs: Box::new(left.expr),
            rhs: Box::new(right.expr),
        };
        Some(Typed {
            expr: Expr { node, span },
            ty: result,
            missing,
        })
    }

    fn report_mismatch(
        &mut self,
        mismatch: units::Mismatch,
        left: &Typed,
        right: &Typed,
        span: Span,
    ) {
        let left_text = self.text(left.expr.span);
        let right_text = self.text(right.expr.span);
        let label = match left.ty == right.ty {
            true => format!("both sides are {}", units::article(left.ty)),
            false => format!(
                "`{left_text}` is {}, `{right_text}` is {}",
                units::article(left.ty),
                units::article(right.ty)
            ),
        };
        let mut diagnostic =
            Diagnostic::error(mismatch.code, span, mismatch.message).with_label(label);
        // The unit hints assume a bare number was written without its unit;
        // a computed number, such as a ratio of two amounts, needs another.
        let computed_number = [left, right]
            .into_iter()
            .find(|side| side.ty == Type::Number && !is_literal(&side.expr));
        let help = match computed_number {
            Some(side) if left.ty != right.ty => Some(format!(
                "`{}` is a plain number without a unit, so the other side needs none either: write a plain number",
                self.text(side.expr.span)
            )),
            _ => mismatch.help,
        };
        if let Some(help) = help {
            diagnostic = diagnostic.with_help(help);
        }
        self.report(diagnostic);
    }

    fn check_in(
        &mut self,
        lhs: &ast::Expr,
        rhs: &ast::Expr,
        span: Span,
        stage: Stage,
    ) -> Option<Typed> {
        let left = self.check_expr(lhs, stage)?;
        let ExprKind::List(items) = &rhs.kind else {
            self.report(
                Diagnostic::error("type-mismatch", rhs.span, "`in` needs a list in brackets")
                    .with_help("write `grade in [D, E]`"),
            );
            return None;
        };
        let mut checked = Vec::with_capacity(items.len());
        let mut missing = left.missing.clone();
        for item in items {
            let typed = self.check_expr(item, stage)?;
            let typed = self.expect_type(typed, left.ty, "each item of the list")?;
            missing = missing.or(typed.missing);
            checked.push(typed.expr);
        }
        let node = Node::In(Box::new(left.expr), checked);
        Some(Typed {
            expr: Expr { node, span },
            ty: Type::Boolean,
            missing,
        })
    }
}

fn present(node: Node, span: Span, ty: Type) -> Typed {
    Typed {
        expr: Expr { node, span },
        ty,
        missing: None,
    }
}

/// A constant as written, possibly negated.
fn is_literal(expr: &Expr) -> bool {
    match &expr.node {
        Node::Constant(_) => true,
        Node::Negate(inner) => matches!(inner.node, Node::Constant(_)),
        _ => false,
    }
}

fn is_nonzero_constant(expr: &Expr) -> bool {
    match &expr.node {
        Node::Constant(constant) => constant
            .as_value()
            .as_decimal()
            .is_some_and(|d| !d.is_zero()),
        _ => false,
    }
}

fn compare_op(op: BinaryOp) -> CompareOp {
    match op {
        BinaryOp::Less => CompareOp::Less,
        BinaryOp::LessOrEqual => CompareOp::LessOrEqual,
        BinaryOp::Greater => CompareOp::Greater,
        BinaryOp::GreaterOrEqual => CompareOp::GreaterOrEqual,
        BinaryOp::Equal => CompareOp::Equal,
        _ => CompareOp::NotEqual,
    }
}
