//! Printing diagnostics and errors to the terminal.

use std::io::IsTerminal;

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
        eprint!("{}", diagnostic.render(source, style));
    }
}

/// Prints every ledger error as `file:line: column `x`: message` with its help.
pub fn print_ledger_errors(errors: &LedgerErrors) {
    for error in &errors.0 {
        eprintln!("error: {error}");
        if let Some(help) = &error.help {
            eprintln!("  help: {help}");
        }
    }
    eprintln!("{errors}");
}

/// Prints a one-line error for a problem outside any policy or ledger file.
pub fn print_error(message: &str) {
    eprintln!("error: {message}");
}
