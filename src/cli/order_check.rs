//! `solvent order-check`: approve or hold a new order for one client.

use std::path::PathBuf;

use chrono::NaiveDate;
use clap::{Args, ValueEnum};
use rust_decimal::Decimal;

use super::eval::{parse_date, print_eval_errors};
use super::exit;
use super::output::print_error;
use super::session;
use crate::eval::{OrderCheck, OrderVerdict};

/// Check a new order against the policy: approve it, or hold it with the reasons.
#[derive(Debug, Args)]
pub struct OrderCheckArgs {
    /// The policy file.
    policy: PathBuf,
    /// A native ledger folder, or a `ledger.toml` manifest.
    #[arg(long)]
    ledger: PathBuf,
    /// The client placing the order, by its id in the ledger.
    #[arg(long)]
    client: String,
    /// The order amount in the policy's currency, such as `5000` or `5000 EUR`.
    #[arg(long)]
    amount: String,
    /// The date to check at, YYYY-MM-DD; documents dated later are ignored.
    #[arg(long, value_parser = parse_date)]
    as_of: NaiveDate,
    /// Output format.
    #[arg(long, value_enum, default_value_t = OrderCheckFormat::Human)]
    format: OrderCheckFormat,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum OrderCheckFormat {
    /// The verdict and its reasons in words.
    Human,
    /// One JSON object.
    Json,
}

pub fn run(args: &OrderCheckArgs) -> u8 {
    session::with_evaluator(
        &args.policy,
        &args.ledger,
        args.as_of,
        |evaluator, source, policy| {
            let Some(amount) = parse_amount(&args.amount, &policy.currency.to_string()) else {
                print_error(&format!(
                    "`{}` is not an amount in {}; write it like `5000` or `5000 {}`",
                    args.amount, policy.currency, policy.currency
                ));
                return exit::USAGE;
            };
            let Some(client) = evaluator.client_id(&args.client) else {
                print_error(&format!("client `{}` is not in the ledger", args.client));
                return exit::USAGE;
            };
            match evaluator.check_order(client, amount) {
                Ok(check) => {
                    print_check(&check, args.format, &policy.currency.to_string());
                    exit::SUCCESS
                }
                Err(error) => {
                    print_eval_errors(source, &[error]);
                    exit::ERRORS
                }
            }
        },
    )
}

/// Reads `5000`, `5000.00` or `5000 EUR`: a non-negative amount, with the
/// policy's currency code or none.
fn parse_amount(text: &str, currency: &str) -> Option<Decimal> {
    let mut parts = text.split_whitespace();
    let number = parts.next()?;
    match (parts.next(), parts.next()) {
        (None, None) => {}
        (Some(code), None) if code == currency => {}
        _ => return None,
    }
    let plain = number.chars().all(|c| c.is_ascii_digit() || c == '.');
    let amount: Decimal = number.parse().ok().filter(|_| plain)?;
    (!amount.is_sign_negative()).then_some(amount)
}

fn print_check(check: &OrderCheck<'_>, format: OrderCheckFormat, currency: &str) {
    let text = match format {
        OrderCheckFormat::Json => serde_json::to_string_pretty(check).unwrap_or_default(),
        OrderCheckFormat::Human => human(check, currency),
    };
    println!("{text}");
}

fn human(check: &OrderCheck<'_>, currency: &str) -> String {
    use crate::eval::fixed;
    let verdict = match check.verdict {
        OrderVerdict::Approve => "APPROVE",
        OrderVerdict::Hold => "HOLD",
    };
    let decision = &check.decision;
    let mut lines = vec![format!(
        "{verdict} order of {} {currency} for client {} at {}",
        fixed(check.order, 2),
        decision.client,
        decision.as_of
    )];
    lines.extend(check.reasons.iter().map(|reason| format!("  - {reason}")));
    let limit = decision
        .credit_limit
        .map_or_else(|| "none".to_string(), |l| fixed(l, 2));
    let with_order = check
        .exposure_with_order()
        .map_or_else(|| "-".to_string(), |e| fixed(e, 2));
    lines.push(format!(
        "  exposure {}, with the order {with_order}, credit limit {limit}, grade {}",
        fixed(decision.metrics.exposure, 2),
        decision.grade.unwrap_or("-")
    ));
    lines.join("\n")
}
