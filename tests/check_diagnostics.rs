//! The checker's rendered diagnostics, one fixture per kind of mistake.
//!
//! Each `tests/fixtures/check/*.policy` is checked and the full rendering
//! (headline, underlined source, help) is compared with its snapshot. A
//! fixture named after a warning yields only warnings and is accepted.

use std::path::Path;

use solvent::check::{CheckOptions, check_source};
use solvent::diagnostic::RenderStyle;
use solvent::hooks::{HookEngine, HookLimits};
use solvent::source::SourceFile;

/// Fixtures whose diagnostics are warnings: the policy is accepted.
const WARNINGS: [&str; 2] = ["needless-if-missing", "unused-missing-arm"];

fn render_check(path: &Path) -> String {
    let text = std::fs::read_to_string(path).unwrap();
    let name = format!(
        "fixtures/check/{}",
        path.file_name().unwrap().to_string_lossy()
    );
    let source = SourceFile::new(name, text);
    let engine = HookEngine::new(HookLimits::default());
    let options = CheckOptions {
        base_dir: path.parent().unwrap().to_path_buf(),
        hooks: &engine,
    };
    let outcome = check_source(&source, &options);
    assert!(
        !outcome.diagnostics.is_empty(),
        "{} has no diagnostic",
        path.display()
    );
    let warning_fixture = WARNINGS
        .iter()
        .any(|code| path.ends_with(format!("{code}.policy")));
    assert_eq!(outcome.has_errors(), !warning_fixture, "{}", path.display());
    assert_eq!(
        outcome.policy.is_some(),
        warning_fixture,
        "{}",
        path.display()
    );
    outcome
        .diagnostics
        .iter()
        .map(|diagnostic| diagnostic.render(&source, RenderStyle::Plain))
        .collect()
}

#[test]
fn rendered_diagnostics() {
    insta::glob!("fixtures/check/*.policy", |path| {
        insta::assert_snapshot!(render_check(path));
    });
}
