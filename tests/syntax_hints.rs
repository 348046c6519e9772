//! Syntax errors for the mistakes authors coming from spreadsheets and
//! other languages make come with a hint that names the fix.

use std::path::PathBuf;

use solvent::check::{CheckOptions, check_source};
use solvent::hooks::{HookEngine, HookLimits};
use solvent::source::SourceFile;

/// The help of the first diagnostic for an alert with this condition.
fn help_for(condition: &str) -> String {
    let text = format!(
        "policy \"x\" version 1\ncurrency EUR\nalerts {{\n  high \"a\" when {condition}\n}}\n"
    );
    let source = SourceFile::new("hint.policy", text);
    let engine = HookEngine::new(HookLimits::default());
    let options = CheckOptions {
        base_dir: PathBuf::from("."),
        hooks: &engine,
    };
    let outcome = check_source(&source, &options);
    let first = outcome
        .diagnostics
        .first()
        .unwrap_or_else(|| panic!("`{condition}` was accepted"));
    first.help.clone().unwrap_or_default()
}

#[test]
fn hints_name_the_fix() {
    let cases = [
        ("open_invoices == 0", "compare with a single `=`"),
        (
            "exposure > 500 eur",
            "currency codes are three capital letters: `EUR`",
        ),
        (
            "exposure > € 500",
            "write the currency code after the amount",
        ),
        ("exposure > 1,000 EUR", "without thousands separators"),
        (
            "exposure > 0EUR",
            "put a space between a number and its unit",
        ),
        (
            "exposure > 1e3 EUR",
            "exponents such as `1e3` are not allowed",
        ),
        (
            "exposure > 0 EUR AND overdue > 0 EUR",
            "write `and` in lower case",
        ),
        ("oldest_overdue_days ≥ 30 days", "write `>=`"),
        (
            "oldest_overdue_days > 30\n    days",
            "keep a number and its unit on one line",
        ),
        ("exposure > 0 EUR && overdue > 0 EUR", "write `and`"),
    ];
    for (condition, expected) in cases {
        let help = help_for(condition);
        assert!(help.contains(expected), "`{condition}`: {help}");
    }
}
