//! No input makes the parser or the checker panic or overflow its stack:
//! every malformed policy yields diagnostics located inside the text.

use std::path::Path;

use solvent::check::{CheckOptions, CheckOutcome, check_source};
use solvent::diagnostic::RenderStyle;
use solvent::hooks::{HookEngine, HookLimits};
use solvent::source::SourceFile;

fn check_text(engine: &HookEngine, name: &str, text: &str) -> CheckOutcome {
    let source = SourceFile::new(name, text);
    let options = CheckOptions {
        base_dir: Path::new(env!("CARGO_MANIFEST_DIR")).join("policies"),
        hooks: engine,
    };
    let outcome = check_source(&source, &options);
    for diagnostic in &outcome.diagnostics {
        assert!(
            diagnostic.span.end as usize <= text.len(),
            "{name}: span {:?} past the end of the text",
            diagnostic.span
        );
        assert!(!diagnostic.render(&source, RenderStyle::Plain).is_empty());
    }
    assert!(
        outcome.policy.is_some() || outcome.has_errors(),
        "{name}: rejected without an error"
    );
    outcome
}

#[test]
fn hostile_corpus_is_handled() {
    let engine = HookEngine::new(HookLimits::default());
    let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/malformed");
    let mut checked = 0;
    for entry in std::fs::read_dir(folder).unwrap() {
        let path = entry.unwrap().path();
        let bytes = std::fs::read(&path).unwrap();
        let text = String::from_utf8_lossy(&bytes);
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        check_text(&engine, &name, &text);
        checked += 1;
    }
    assert!(checked >= 19, "only {checked} policies found in the corpus");
}

#[test]
fn every_prefix_of_a_policy_is_handled() {
    let engine = HookEngine::new(HookLimits::default());
    let text = include_str!("../policies/sme-standard.policy");
    for (end, _) in text.char_indices() {
        check_text(&engine, &format!("prefix {end}"), &text[..end]);
    }
}

#[test]
fn every_single_deletion_is_handled() {
    let engine = HookEngine::new(HookLimits::default());
    let text = include_str!("../policies/sme-standard.policy");
    for (start, c) in text.char_indices() {
        let mutated = format!("{}{}", &text[..start], &text[start + c.len_utf8()..]);
        check_text(&engine, &format!("deletion at {start}"), &mutated);
    }
}

#[test]
fn every_line_removal_is_handled() {
    let engine = HookEngine::new(HookLimits::default());
    let text = include_str!("../policies/sme-standard.policy");
    let lines: Vec<&str> = text.lines().collect();
    for removed in 0..lines.len() {
        let mutated: Vec<&str> = lines
            .iter()
            .enumerate()
            .filter(|(i, _)| *i != removed)
            .map(|(_, line)| *line)
            .collect();
        check_text(
            &engine,
            &format!("without line {}", removed + 1),
            &mutated.join("\n"),
        );
    }
}

#[test]
fn deep_nesting_is_rejected_with_a_location() {
    let engine = HookEngine::new(HookLimits::default());
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/malformed/deep-parentheses.policy"),
    )
    .unwrap();
    let outcome = check_text(&engine, "deep", &text);
    assert_eq!(outcome.diagnostics.len(), 1);
    assert_eq!(outcome.diagnostics[0].code, "too-complex");
}

#[test]
fn windows_line_endings_and_tabs_are_whitespace() {
    let engine = HookEngine::new(HookLimits::default());
    for name in ["crlf.policy", "tabs.policy"] {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/malformed")
            .join(name);
        let text = std::fs::read_to_string(path).unwrap();
        let outcome = check_text(&engine, name, &text);
        assert!(
            outcome.policy.is_some(),
            "{name}: {:?}",
            outcome.diagnostics
        );
    }
}

#[test]
fn percents_of_percents_compose() {
    let engine = HookEngine::new(HookLimits::default());
    let text = "policy \"x\" version 1\ncurrency EUR\nalerts {\n  high \"p\" when 10% of 10% of exposure > 1 EUR\n}\n";
    let outcome = check_text(&engine, "percent of percent", text);
    assert!(outcome.policy.is_some(), "{:?}", outcome.diagnostics);
}
