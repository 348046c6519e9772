//! The checker: resolves names, checks types and units, and enforces the
//! rules that make a policy complete, before anything is evaluated.
//!
//! It reports every problem it finds, sorted by position, and builds a
//! [`CheckedPolicy`] only when there is no error.

mod checked;
mod expr;
mod header;
pub mod names;
mod penalties;
mod score;
mod sections;
mod units;

use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

pub use checked::*;

use crate::chars;
use crate::diagnostic::{Diagnostic, sort_by_position};
use crate::hooks::HookEngine;
use crate::metrics::{DEFAULT_CEI_MONTHS, DEFAULT_LATENESS_WINDOW_DAYS};
use crate::source::{SourceFile, Span};
use crate::syntax::{self, ast};
use crate::value::Currency;

/// What the checker needs besides the policy text.
pub struct CheckOptions<'a> {
    /// The folder hook paths are relative to: the policy file's folder.
    pub base_dir: PathBuf,
    pub hooks: &'a HookEngine,
}

/// The checker's verdict: every diagnostic, and the checked policy when
/// none of them is an error.
pub struct CheckOutcome {
    pub policy: Option<CheckedPolicy>,
    pub diagnostics: Vec<Diagnostic>,
}

impl CheckOutcome {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

/// Parses and checks a policy.
pub fn check_source(source: &SourceFile, options: &CheckOptions<'_>) -> CheckOutcome {
    match syntax::parse(&source.text) {
        Ok(policy) => check(source, &policy, options),
        Err(diagnostic) => CheckOutcome {
            policy: None,
            diagnostics: vec![*diagnostic],
        },
    }
}

/// Checks a parsed policy.
pub fn check(
    source: &SourceFile,
    policy: &ast::Policy,
    options: &CheckOptions<'_>,
) -> CheckOutcome {
    let mut checker = Checker::new(source);
    let checked = checker.check_policy(policy, options);
    let mut diagnostics = checker.diagnostics;
    sort_by_position(&mut diagnostics);
    let has_errors = diagnostics.iter().any(Diagnostic::is_error);
    CheckOutcome {
        policy: if has_errors { None } else { checked },
        diagnostics,
    }
}

/// The sections in evaluation order. A section reads the values of the
/// sections before it: grades read `score`, limits read `grade`, and so on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Stage {
    Fields,
    Score,
    Grades,
    Limit,
    Terms,
    Escalation,
    Alerts,
    Orders,
}

impl Stage {
    fn section(self) -> &'static str {
        match self {
            Stage::Fields => "fields",
            Stage::Score => "score",
            Stage::Grades => "grades",
            Stage::Limit => "limit",
            Stage::Terms => "terms",
            Stage::Escalation => "escalation",
            Stage::Alerts => "alerts",
            Stage::Orders => "orders",
        }
    }
}

/// State shared by the checks of one policy.
pub(crate) struct Checker<'a> {
    source: &'a SourceFile,
    diagnostics: Vec<Diagnostic>,
    /// The policy's currency; `None` when the header lacks a valid one, in
    /// which case money literals are not checked further.
    currency: Option<Currency>,
    fields: Vec<FieldSlot>,
    grade_names: Vec<String>,
    sections_present: Vec<&'static str>,
    lateness_windows: Vec<u32>,
    cei_periods: Vec<u32>,
}

impl<'a> Checker<'a> {
    fn new(source: &'a SourceFile) -> Self {
        Checker {
            source,
            diagnostics: Vec::new(),
            currency: None,
            fields: Vec::new(),
            grade_names: Vec::new(),
            sections_present: Vec::new(),
            lateness_windows: vec![DEFAULT_LATENESS_WINDOW_DAYS],
            cei_periods: vec![DEFAULT_CEI_MONTHS],
        }
    }

    fn report(&mut self, diagnostic: Diagnostic) {
        self.diagnostics.push(diagnostic);
    }

    /// The source text of a span, with runs of whitespace folded to one space.
    fn text(&self, span: Span) -> String {
        self.source
            .slice(span)
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// Reports a quoted name that is empty or prints nothing, such as one of
    /// spaces or zero-width characters, and underlines its quotes. Returns
    /// whether the name has visible text.
    fn require_name(&mut self, name: &ast::Spanned<String>, kind: &str, help: &str) -> bool {
        if !name.node.chars().all(chars::is_invisible) {
            return true;
        }
        self.report(
            Diagnostic::error("empty-name", name.span, format!("the {kind} is empty"))
                .with_help(help),
        );
        false
    }

    fn currency_code(&self) -> String {
        self.currency
            .map_or_else(|| "EUR".to_string(), |currency| currency.to_string())
    }

    fn check_policy(
        &mut self,
        policy: &ast::Policy,
        options: &CheckOptions<'_>,
    ) -> Option<CheckedPolicy> {
        let header = self.check_header(&policy.header);
        let sections = self.unique_sections(&policy.sections);

        if let Some(fields) = sections.fields {
            self.check_fields(fields);
        }
        if let Some(grades) = sections.grades {
            self.declare_grades(grades);
        }
        let mut hooks = Vec::new();
        let score = sections
            .score
            .map(|score| self.check_score(score, &options.base_dir, options.hooks, &mut hooks));
        let grades = sections.grades.map(|grades| self.check_grades(grades));
        let limit = sections.limit.map(|limit| self.check_limit(limit));
        let terms = sections.terms.map(|terms| {
            self.check_terms(terms, header.as_ref().and_then(|h| h.max_terms.as_ref()))
        });
        let escalation = sections
            .escalation
            .map(|escalation| self.check_escalation(escalation));
        let alerts = sections.alerts.map(|alerts| self.check_alerts(alerts));
        let penalties = sections
            .penalties
            .map(|penalties| self.check_penalties(penalties));
        let orders = sections.orders.map(|orders| self.check_orders(orders));
        self.check_grade_dependencies(&sections);
        self.check_interest_action(&sections);

        let header = header?;
        Some(CheckedPolicy {
            source: self.source.clone(),
            name: header.name,
            version: header.version,
            sha256: sha256_hex(self.source.text.as_bytes()),
            currency: header.currency,
            effective: header.effective,
            fields: self.fields.clone(),
            score: score.flatten(),
            grade_names: self.grade_names.clone(),
            grades: grades.flatten().unwrap_or_default(),
            limit: limit.flatten(),
            terms: terms.flatten(),
            escalation: escalation.flatten(),
            alerts: alerts.flatten().unwrap_or_default(),
            penalties: penalties.flatten(),
            orders: orders.flatten(),
            lateness_windows: self.lateness_windows.clone(),
            cei_periods: self.cei_periods.clone(),
            hooks,
        })
    }

    /// Reports `charge late interest` in a policy that sets no rate.
    fn check_interest_action(&mut self, sections: &Sections<'_>) {
        if sections.penalties.is_some() {
            return;
        }
        let Some(escalation) = sections.escalation else {
            return;
        };
        let charging = escalation
            .steps
            .iter()
            .flat_map(|step| &step.actions)
            .find(|action| action.node == ast::Action::ChargeLateInterest);
        if let Some(action) = charging {
            self.report(
                Diagnostic::error(
                    "missing-section",
                    action.span,
                    "`charge late interest` needs a `penalties` section that sets the rate",
                )
                .with_help("add `penalties { interest reference rate + 10 points, actual/365 }`, or remove the action"),
            );
        }
    }

    /// Takes each section once; a repeated section is an error, and only its
    /// first occurrence is checked.
    fn unique_sections<'p>(&mut self, sections: &'p [ast::Section]) -> Sections<'p> {
        let mut unique = Sections::default();
        let mut seen: Vec<(&'static str, Span)> = Vec::new();
        for section in sections {
            let keyword = section.keyword();
            if let Some((_, first)) = seen.iter().find(|(k, _)| *k == keyword) {
                self.report(
                    Diagnostic::error(
                        "duplicate-section",
                        section.keyword_span(),
                        format!("the `{keyword}` section appears twice"),
                    )
                    .with_related(*first, "first defined here")
                    .with_help(format!("merge the two `{keyword}` sections into one")),
                );
                continue;
            }
            seen.push((keyword, section.keyword_span()));
            self.sections_present.push(keyword);
            unique.insert(section);
        }
        unique
    }
}

/// The sections of a policy, each at most once.
#[derive(Default)]
pub(crate) struct Sections<'p> {
    fields: Option<&'p ast::FieldsSection>,
    score: Option<&'p ast::ScoreSection>,
    grades: Option<&'p ast::GradesSection>,
    limit: Option<&'p ast::EntrySection<ast::Expr>>,
    terms: Option<&'p ast::EntrySection<ast::Spanned<ast::TermsValue>>>,
    escalation: Option<&'p ast::EscalationSection>,
    alerts: Option<&'p ast::AlertsSection>,
    penalties: Option<&'p ast::PenaltiesSection>,
    orders: Option<&'p ast::OrdersSection>,
}

impl<'p> Sections<'p> {
    fn insert(&mut self, section: &'p ast::Section) {
        match section {
            ast::Section::Fields(s) => self.fields = Some(s),
            ast::Section::Score(s) => self.score = Some(s),
            ast::Section::Grades(s) => self.grades = Some(s),
            ast::Section::Limit(s) => self.limit = Some(s),
            ast::Section::Terms(s) => self.terms = Some(s),
            ast::Section::Escalation(s) => self.escalation = Some(s),
            ast::Section::Alerts(s) => self.alerts = Some(s),
            ast::Section::Penalties(s) => self.penalties = Some(s),
            ast::Section::Orders(s) => self.orders = Some(s),
        }
    }
}

fn sha256_hex(bytes: impl AsRef<[u8]>) -> String {
    Sha256::digest(bytes.as_ref())
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

/// Reads a policy file and checks it; hooks resolve against its folder.
pub fn check_file(
    path: &Path,
    hooks: &HookEngine,
) -> Result<(SourceFile, CheckOutcome), std::io::Error> {
    let text = read_policy(path)?;
    let source = SourceFile::new(path.display().to_string(), text);
    let base_dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
    let options = CheckOptions { base_dir, hooks };
    let outcome = check_source(&source, &options);
    Ok((source, outcome))
}

/// Reads a policy as UTF-8 text; anything else is an `InvalidData` error
/// naming the line of the first invalid byte.
fn read_policy(path: &Path) -> Result<String, std::io::Error> {
    let bytes = std::fs::read(path)?;
    String::from_utf8(bytes).map_err(|error| {
        let valid = &error.as_bytes()[..error.utf8_error().valid_up_to()];
        let line = valid.iter().filter(|byte| **byte == b'\n').count() + 1;
        std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            format!("line {line} is not UTF-8 text"),
        )
    })
}
