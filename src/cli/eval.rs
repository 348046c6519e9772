//! `solvent eval`: evaluate a policy against a ledger at an as-of date.

use std::io::{self, BufWriter, Write};
use std::path::PathBuf;

use chrono::{Datelike, NaiveDate};
use clap::{Args, ValueEnum};

use super::output::{print_diagnostics, print_error, stderr_line};
use super::{exit, session};
use crate::check::CheckedPolicy;
use crate::eval::{Decision, EvalError, Evaluator};
use crate::report;
use crate::source::SourceFile;

/// Evaluate a policy against a ledger and print one decision per client.
#[derive(Debug, Args)]
pub struct EvalArgs {
    /// The policy file.
    policy: PathBuf,
    /// A native ledger folder, or a `ledger.toml` manifest.
    #[arg(long)]
    ledger: PathBuf,
    /// The date to evaluate at, YYYY-MM-DD; documents dated later are ignored.
    #[arg(long, value_parser = parse_date)]
    as_of: NaiveDate,
    /// Output format.
    #[arg(long, value_enum, default_value_t = EvalFormat::Table)]
    format: EvalFormat,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum EvalFormat {
    /// An aligned table with a portfolio summary.
    Table,
    /// A JSON array of decisions.
    Json,
    /// One JSON decision per line.
    Ndjson,
    /// One CSV row per client.
    Csv,
}

/// Parses `--as-of`: exactly `YYYY-MM-DD` with a four-digit year from 1000,
/// so that `27-03-31` is not read as the year 27.
pub(super) fn parse_date(text: &str) -> Result<NaiveDate, String> {
    let shaped = text.len() == 10
        && text.bytes().enumerate().all(|(i, b)| match i {
            4 | 7 => b == b'-',
            _ => b.is_ascii_digit(),
        });
    shaped
        .then(|| NaiveDate::parse_from_str(text, "%Y-%m-%d").ok())
        .flatten()
        .filter(|date| date.year() >= 1000)
        .ok_or_else(|| format!("`{text}` is not a date in the form YYYY-MM-DD"))
}

pub fn run(args: &EvalArgs) -> u8 {
    session::with_evaluator(
        &args.policy,
        &args.ledger,
        args.as_of,
        |evaluator, source, policy| write_all(args, evaluator, source, policy),
    )
}

fn write_all(
    args: &EvalArgs,
    evaluator: &Evaluator<'_>,
    source: &SourceFile,
    policy: &CheckedPolicy,
) -> u8 {
    let decisions = match evaluator.evaluate_all() {
        Ok(decisions) => decisions,
        Err(errors) => {
            print_eval_errors(source, &errors);
            return exit::ERRORS;
        }
    };
    print_decision_warnings(&decisions);
    let portfolio = match args.format {
        EvalFormat::Table => match evaluator.portfolio(&decisions) {
            Ok(portfolio) => Some(portfolio),
            Err(error) => {
                print_eval_errors(source, &[error]);
                return exit::ERRORS;
            }
        },
        _ => None,
    };
    let currency = policy.currency.to_string();
    let figures = portfolio.as_ref().map(|metrics| report::PortfolioFigures {
        metrics,
        currency: &currency,
        cei_months: evaluator.cei_months(),
    });
    match write_decisions(
        args.format,
        &decisions,
        &policy.grade_names,
        figures.as_ref(),
    ) {
        Ok(()) => exit::SUCCESS,
        // A closed pipe (`solvent eval ... | head`) is not an error of ours.
        Err(error) if error.kind() == io::ErrorKind::BrokenPipe => exit::SUCCESS,
        Err(error) => {
            print_error(&format!("cannot write the decisions: {error}"));
            exit::ERRORS
        }
    }
}

/// Prints each decision's warnings, which the JSON forms also carry, so
/// that the table and CSV forms do not hide them.
pub(super) fn print_decision_warnings(decisions: &[Decision<'_>]) {
    for decision in decisions {
        for warning in &decision.warnings {
            stderr_line(&format!(
                "warning[{}]: client {}: {}",
                warning.code, decision.client, warning.message
            ));
        }
    }
}

fn write_decisions(
    format: EvalFormat,
    decisions: &[Decision<'_>],
    grades: &[String],
    portfolio: Option<&report::PortfolioFigures<'_>>,
) -> io::Result<()> {
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    match (format, portfolio) {
        (EvalFormat::Table, Some(portfolio)) => {
            report::write_table(&mut out, decisions, grades, portfolio)?
        }
        (EvalFormat::Table, None) => {}
        (EvalFormat::Json, _) => report::write_json(&mut out, decisions)?,
        (EvalFormat::Ndjson, _) => report::write_ndjson(&mut out, decisions)?,
        (EvalFormat::Csv, _) => report::write_csv(&mut out, decisions)?,
    }
    out.flush()
}

/// Errors printed in full; the rest are counted. A broken hook fails for
/// every client, and ten thousand copies of one message help nobody.
const MAX_PRINTED_ERRORS: usize = 20;

pub(super) fn print_eval_errors(source: &SourceFile, errors: &[EvalError]) {
    for error in errors.iter().take(MAX_PRINTED_ERRORS) {
        match error.to_diagnostic() {
            Some(diagnostic) => print_diagnostics(source, &[diagnostic]),
            None => print_error(&error.to_string()),
        }
        if let EvalError::Hook { error, .. } = error
            && let Some(help) = &error.help
        {
            stderr_line(&format!("  help: {help}"));
        }
    }
    if errors.len() > MAX_PRINTED_ERRORS {
        stderr_line(&format!(
            "... and {} more errors like these",
            errors.len() - MAX_PRINTED_ERRORS
        ));
    }
    let clients = match errors.len() {
        1 => "1 client".to_string(),
        count => format!("{count} clients"),
    };
    stderr_line(&format!(
        "{clients} could not be evaluated; no decision was written"
    ));
}
