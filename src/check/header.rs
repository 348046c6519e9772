//! Checks of the header settings and the `fields` section.

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::checked::{Constant, FieldSlot};
use super::names;
use super::{Checker, Stage};
use crate::diagnostic::Diagnostic;
use crate::source::Span;
use crate::syntax::ast::{self, Setting};
use crate::value::{Currency, Type};

/// The header once checked.
pub(super) struct HeaderInfo {
    pub name: String,
    pub version: u64,
    pub currency: Currency,
    pub effective: Option<NaiveDate>,
    pub max_terms: Option<MaxTermsInfo>,
}

/// `max terms`: caps in days for net terms and for end-of-month terms.
pub(super) struct MaxTermsInfo {
    pub net: Decimal,
    pub end_of_month: Option<Decimal>,
}

impl Checker<'_> {
    pub(super) fn check_header(&mut self, header: &ast::Header) -> Option<HeaderInfo> {
        self.require_name(
            &header.name,
            "policy name",
            "name the policy, such as \"SME trade credit\", because every decision carries its name",
        );
        let mut currency: Option<(Currency, Span)> = None;
        let mut effective: Option<(NaiveDate, Span)> = None;
        let mut max_terms: Option<MaxTermsInfo> = None;
        let mut max_terms_span: Option<Span> = None;

        for setting in &header.settings {
            match setting {
                Setting::Currency(code) => {
                    // INVARIANT: the grammar admits only three capital letters.
                    let Some(parsed) = Currency::parse(&code.node) else {
                        continue;
                    };
                    if let Some((_, first)) = currency {
                        self.report_duplicate_setting("currency", code.span, first);
                    } else {
                        currency = Some((parsed, code.span));
                    }
                }
                Setting::Effective(date) => match effective {
                    Some((_, first)) => {
                        self.report_duplicate_setting("effective", date.span, first)
                    }
                    None => effective = Some((date.node, date.span)),
                },
                Setting::MaxTerms(max) => match max_terms_span {
                    Some(first) => self.report_duplicate_setting("max terms", max.span, first),
                    None => {
                        max_terms_span = Some(max.span);
                        max_terms = self.check_max_terms(max);
                    }
                },
            }
        }

        let Some((currency, _)) = currency else {
            self.report(
                Diagnostic::error(
                    "missing-currency",
                    header.span,
                    "the policy does not say its currency",
                )
                .with_help("add a line such as `currency EUR` after the `policy` line"),
            );
            return None;
        };
        self.currency = Some(currency);
        Some(HeaderInfo {
            name: header.name.node.clone(),
            version: header.version.node,
            currency,
            effective: effective.map(|(date, _)| date),
            max_terms,
        })
    }

    fn report_duplicate_setting(&mut self, setting: &str, span: Span, first: Span) {
        self.report(
            Diagnostic::error(
                "duplicate-setting",
                span,
                format!("`{setting}` is set twice"),
            )
            .with_related(first, "first set here")
            .with_help(format!("keep one `{setting}` line")),
        );
    }

    /// Checks the caps of `max terms`. An invalid cap is reported once and
    /// then left out, so that the terms are not also reported against it.
    fn check_max_terms(&mut self, max: &ast::MaxTerms) -> Option<MaxTermsInfo> {
        let mut valid = true;
        for cap in std::iter::once(&max.net).chain(max.end_of_month.as_ref()) {
            let too_long = cap.node > Decimal::from(super::sections::MAX_DAYS);
            if cap.node.is_zero() || !cap.node.fract().is_zero() || too_long {
                valid = false;
                self.report(
                    Diagnostic::error(
                        "invalid-terms",
                        cap.span,
                        format!("`{} days` is not a valid cap", cap.node),
                    )
                    .with_help(format!(
                        "a cap is a whole, positive number of days up to {}",
                        super::sections::MAX_DAYS
                    )),
                );
            }
        }
        valid.then(|| MaxTermsInfo {
            net: max.net.node,
            end_of_month: max.end_of_month.as_ref().map(|cap| cap.node),
        })
    }

    pub(super) fn check_fields(&mut self, section: &ast::FieldsSection) {
        for field in &section.fields {
            let name = field.name.node.as_str();
            if let Some(first) = self.fields.iter().find(|f| f.name == name) {
                let first_span = first.span;
                self.report(
                    Diagnostic::error(
                        "duplicate-field",
                        field.name.span,
                        format!("the field `{name}` is declared twice"),
                    )
                    .with_related(first_span, "first declared here")
                    .with_help("keep one declaration"),
                );
                continue;
            }
            if name == names::CLIENT_ID || name == names::CLIENT_NAME {
                self.report(
                    Diagnostic::error(
                        "reserved-name",
                        field.name.span,
                        format!("`client.{name}` is built in and cannot be declared"),
                    )
                    .with_help(format!("read it as `client.{name}` without declaring it")),
                );
                continue;
            }
            // A default that fails its check has been reported; the field
            // still gets a stand-in default so that its uses raise no
            // second error. The policy is rejected either way.
            let default = field.default.as_ref().map(|default| {
                self.check_default(default, field.ty.node)
                    .unwrap_or_else(|| stand_in(field.ty.node))
            });
            self.fields.push(FieldSlot {
                name: name.to_string(),
                ty: field.ty.node,
                default,
                span: field.name.span,
            });
        }
    }

    /// Checks a field default: a literal of the field's type.
    fn check_default(&mut self, default: &ast::Expr, ty: Type) -> Option<Constant> {
        let typed = self.check_expr(default, Stage::Fields)?;
        let typed = self.expect_type(typed, ty, "the default")?;
        match typed.expr.node {
            super::Node::Constant(constant) => Some(constant),
            super::Node::Negate(inner) => match inner.node {
                super::Node::Constant(constant) => Some(negate(constant)),
                _ => None,
            },
            _ => None,
        }
    }
}

/// A value of the given type, used only in a policy already rejected.
fn stand_in(ty: Type) -> Constant {
    match ty {
        Type::Money => Constant::Money(Decimal::ZERO),
        Type::Percent => Constant::Percent(Decimal::ZERO),
        Type::Days => Constant::Days(Decimal::ZERO),
        Type::Date => Constant::Date(NaiveDate::MIN),
        Type::Text => Constant::Text("".into()),
        Type::Boolean => Constant::Boolean(false),
        Type::Number | Type::Grade => Constant::Number(Decimal::ZERO),
    }
}

fn negate(constant: Constant) -> Constant {
    match constant {
        Constant::Number(d) => Constant::Number(-d),
        Constant::Money(d) => Constant::Money(-d),
        Constant::Percent(d) => Constant::Percent(-d),
        Constant::Days(d) => Constant::Days(-d),
        other => other,
    }
}
