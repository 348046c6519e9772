//! `solvent check`: parse and check policies.

use std::path::{Path, PathBuf};

use clap::{Args, ValueEnum};
use serde::Serialize;

use super::exit;
use super::output::{print_diagnostics, print_error, stderr_line};
use crate::check::check_file;
use crate::diagnostic::{Diagnostic, Severity};
use crate::hooks::{HookEngine, HookLimits};
use crate::source::SourceFile;

/// Parse and check policies, reporting every problem at once.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Policy files, or folders searched for `*.policy` files.
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    /// How to print the diagnostics.
    #[arg(long, value_enum, default_value_t = CheckFormat::Human)]
    format: CheckFormat,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum CheckFormat {
    /// The underlined source and a fix, on standard error.
    Human,
    /// A JSON array of diagnostics on standard output.
    Json,
}

pub fn run(args: &CheckArgs) -> u8 {
    let files = match policy_files(&args.paths) {
        Ok(files) => files,
        Err(message) => {
            print_error(&message);
            return exit::USAGE;
        }
    };
    let engine = HookEngine::new(HookLimits::default());
    let mut report = Vec::new();
    let mut errors = 0;
    let mut warnings = 0;
    for file in &files {
        let (source, diagnostics) = match check_file(file, &engine) {
            Ok((source, outcome)) => (source, outcome.diagnostics),
            Err(error) => {
                let message = format!("cannot read `{}`: {error}", file.display());
                let help = (error.kind() == std::io::ErrorKind::InvalidData).then(|| {
                    "save the policy as UTF-8, for example with `iconv -f CP1252 -t UTF-8`"
                        .to_string()
                });
                match args.format {
                    CheckFormat::Human => {
                        print_error(&message);
                        if let Some(help) = &help {
                            stderr_line(&format!("  help: {help}"));
                        }
                    }
                    CheckFormat::Json => {
                        report.push(JsonDiagnostic::unreadable(file, message, help))
                    }
                }
                errors += 1;
                continue;
            }
        };
        errors += diagnostics.iter().filter(|d| d.is_error()).count();
        warnings += diagnostics.len() - diagnostics.iter().filter(|d| d.is_error()).count();
        match args.format {
            CheckFormat::Human => print_diagnostics(&source, &diagnostics),
            CheckFormat::Json => {
                report.extend(diagnostics.iter().map(|d| JsonDiagnostic::new(&source, d)))
            }
        }
    }
    match args.format {
        CheckFormat::Human => stderr_line(&summary(files.len(), errors, warnings)),
        CheckFormat::Json => match serde_json::to_string_pretty(&report) {
            Ok(json) => println!("{json}"),
            Err(error) => print_error(&format!("cannot write JSON: {error}")),
        },
    }
    if errors > 0 {
        exit::ERRORS
    } else {
        exit::SUCCESS
    }
}

fn summary(files: usize, errors: usize, warnings: usize) -> String {
    format!(
        "checked {}: {}, {}",
        count(files, "policy", "policies"),
        count(errors, "error", "errors"),
        count(warnings, "warning", "warnings")
    )
}

fn count(n: usize, singular: &str, plural: &str) -> String {
    format!("{n} {}", if n == 1 { singular } else { plural })
}

/// Expands folders into the `*.policy` files they contain, sorted.
fn policy_files(paths: &[PathBuf]) -> Result<Vec<PathBuf>, String> {
    let mut files = Vec::new();
    for path in paths {
        if path.is_dir() {
            collect_policies(path, &mut files)
                .map_err(|e| format!("cannot read folder `{}`: {e}", path.display()))?;
        } else if path.exists() {
            files.push(path.clone());
        } else {
            return Err(format!("`{}` does not exist", path.display()));
        }
    }
    if files.is_empty() {
        return Err("no `.policy` file found in the given folders".to_string());
    }
    Ok(files)
}

/// Adds the `*.policy` files under `folder`, sorted. Symbolic links to
/// folders are not followed, so a link loop cannot list a file twice.
fn collect_policies(folder: &Path, files: &mut Vec<PathBuf>) -> std::io::Result<()> {
    let mut entries = Vec::new();
    for entry in std::fs::read_dir(folder)? {
        let entry = entry?;
        entries.push((entry.path(), entry.file_type()?));
    }
    entries.sort_by(|a, b| a.0.cmp(&b.0));
    for (path, file_type) in entries {
        if file_type.is_dir() {
            collect_policies(&path, files)?;
        } else if path.extension().is_some_and(|ext| ext == "policy") && path.is_file() {
            files.push(path);
        }
    }
    Ok(())
}

/// One diagnostic in `--format json`. A file that cannot be read has no
/// position, so its line and columns are `null`.
#[derive(Serialize)]
struct JsonDiagnostic {
    file: String,
    line: Option<usize>,
    column: Option<usize>,
    end_line: Option<usize>,
    end_column: Option<usize>,
    severity: Severity,
    code: &'static str,
    message: String,
    help: Option<String>,
}

impl JsonDiagnostic {
    fn new(source: &SourceFile, diagnostic: &Diagnostic) -> Self {
        let start = source.line_column(diagnostic.span.start);
        let end = source.line_column(diagnostic.span.end);
        JsonDiagnostic {
            file: source.name.clone(),
            line: Some(start.line),
            column: Some(start.column),
            end_line: Some(end.line),
            end_column: Some(end.column),
            severity: diagnostic.severity,
            code: diagnostic.code,
            message: diagnostic.message.clone(),
            help: diagnostic.help.clone(),
        }
    }
}

impl JsonDiagnostic {
    fn unreadable(file: &Path, message: String, help: Option<String>) -> Self {
        JsonDiagnostic {
            file: file.display().to_string(),
            line: None,
            column: None,
            end_line: None,
            end_column: None,
            severity: Severity::Error,
            code: "unreadable",
            message,
            help,
        }
    }
}
