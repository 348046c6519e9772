//! Diagnostics: located problems in a policy, rendered with the underlined source.
//!
//! Every stage that reports on policy text (the parser, the checker, the
//! evaluator) produces [`Diagnostic`]s. Rendering goes through miette, so all
//! of them look alike: a headline, the source line with the span underlined,
//! and `help:` with the fix.

use std::fmt;

use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteDiagnostic, NamedSource};
use serde::Serialize;

use crate::source::{SourceFile, Span};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Warning,
    Error,
}

/// A problem at a place in a policy.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    /// A stable kebab-case code, documented in `docs/diagnostics.md`.
    pub code: &'static str,
    /// What is wrong, in one lowercase sentence, user input in backticks.
    pub message: String,
    pub span: Span,
    /// A short note printed under the underlined span.
    pub label: Option<String>,
    /// What to do about it.
    pub help: Option<String>,
    /// Other places that explain the problem, such as a first declaration.
    pub related: Vec<(Span, String)>,
}

impl Diagnostic {
    pub fn error(code: &'static str, span: Span, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Error,
            code,
            message: message.into(),
            span,
            label: None,
            help: None,
            related: Vec::new(),
        }
    }

    pub fn warning(code: &'static str, span: Span, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(code, span, message)
        }
    }

    pub fn with_label(mut self, label: impl Into<String>) -> Diagnostic {
        self.label = Some(label.into());
        self
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Diagnostic {
        self.help = Some(help.into());
        self
    }

    pub fn with_related(mut self, span: Span, label: impl Into<String>) -> Diagnostic {
        self.related.push((span, label.into()));
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// Renders the diagnostic as text: headline, underlined source and help.
    pub fn render(&self, source: &SourceFile, style: RenderStyle) -> String {
        let theme = match style {
            RenderStyle::Plain => GraphicalTheme::unicode_nocolor(),
            RenderStyle::Color => GraphicalTheme::unicode(),
        };
        let handler = GraphicalReportHandler::new_themed(theme).with_width(100);
        let report = miette::Report::new(self.to_miette())
            .with_source_code(NamedSource::new(&source.name, source.text.to_string()));

        let mut out = String::new();
        if handler.render_report(&mut out, report.as_ref()).is_err() {
            // The handler only fails when writing to `out` fails, which a
            // String never does; fall back to the headline all the same.
            out = format!("{self}\n");
        }
        out
    }

    fn to_miette(&self) -> MietteDiagnostic {
        let severity = match self.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
        };
        let primary = LabeledSpan::new_primary_with_span(self.label.clone(), self.span.range());
        let related = self
            .related
            .iter()
            .map(|(span, label)| LabeledSpan::new_with_span(Some(label.clone()), span.range()));

        // The headline carries the severity in words, so that a search of a
        // log for "error" finds it: `error[unknown-name]`.
        let mut diagnostic = MietteDiagnostic::new(self.message.clone())
            .with_code(format!("{}[{}]", self.severity_word(), self.code))
            .with_severity(severity)
            .with_labels(std::iter::once(primary).chain(related));
        if let Some(help) = &self.help {
            diagnostic = diagnostic.with_help(help.clone());
        }
        diagnostic
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}[{}]: {}",
            self.severity_word(),
            self.code,
            self.message
        )
    }
}

impl Diagnostic {
    fn severity_word(&self) -> &'static str {
        match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

/// Whether rendered diagnostics carry terminal colours.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RenderStyle {
    Plain,
    Color,
}

/// Sorts diagnostics by position, so they read top to bottom.
pub fn sort_by_position(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by_key(|diagnostic| (diagnostic.span.start, diagnostic.span.end));
}
