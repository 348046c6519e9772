//! Printing diagnostics and errors to the terminal.
//!
//! Everything goes through [`stderr_line`] and [`stderr_text`], which ignore
//! write errors: with standard error closed (`2>&-`, or a pipe into a
//! finished `head`) there is nobody left to tell, and `eprintln!` would
//! panic instead.

use std::io::{IsTerminal, Write};

use crate::diagnostic::{Diagnostic, RenderStyle};
use crate::ledger::LedgerErrors;
use crate::source::SourceFile;

/// Colours when standard error is a terminal and `NO_COLOR` is unset.
pub fn style() -> RenderStyle {
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    if std::io::stderr().is_terminal() && !no_color {
        RenderStyle::Color
    } else {
        RenderStyle::Plain
    }
}

pub fn print_diagnostics(source: &SourceFile, diagnostics: &[Diagnostic]) {
    let style = style();
    for diagnostic in diagnostics {
        stderr_text(&diagnostic.render(source, style));
    }
}

/// Prints every ledger error as `file:line: column `x`: message` with its help.
pub fn print_ledger_errors(errors: &LedgerErrors) {
    for error in &errors.0 {
        stderr_line(&format!("error: {error}"));
        if let Some(help) = &error.help {
            stderr_line(&format!("  help: {help}"));
        }
    }
    stderr_line(&errors.to_string());
}

/// Prints a one-line error for a problem outside any policy or ledger file.
pub fn print_error(message: &str) {
    stderr_line(&format!("error: {message}"));
}

/// Writes `text` to standard error as is, ignoring write errors.
pub fn stderr_text(text: &str) {
    let _ = std::io::stderr().write_all(text.as_bytes());
}

/// Writes `line` and a line break to standard error, ignoring write errors.
pub fn stderr_line(line: &str) {
    let _ = writeln!(std::io::stderr(), "{line}");
}
