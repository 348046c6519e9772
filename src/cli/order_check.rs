//! `solvent order-check`: approve or hold a new order for one client.

use std::path::PathBuf;

use chrono::NaiveDate;
use clap::{Args, ValueEnum};
use rust_decimal::Decimal;

use super::eval::{parse_date, print_decision_warnings, print_eval_errors};
use super::exit;
use super::output::print_error;
use super::session;
use crate::eval::{DecisionWarning, OrderCheck, OrderVerdict, ReplacedOrder, remove_open_order};
use crate::ledger::{ClientId, Ledger, MAX_AMOUNT, Order};
use crate::value::Currency;

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
    /// The order amount in the policy's currency, with at most 2 decimal
    /// places, such as `5000` or `5000.50 EUR`.
    // A value that starts with `-` is taken as the amount, so that `-5` gets
    // the message for a negative amount rather than clap's tip about `--`.
    #[arg(long, allow_hyphen_values = true)]
    amount: String,
    /// The order's id. When the client has an open order with this id in the
    /// ledger, dated on or before `--as-of`, the check replaces it: that
    /// order is left out of the exposure before `--amount` is added. Any
    /// other id is a new order.
    #[arg(long)]
    order_id: Option<String>,
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
    let order_id = args.order_id.as_deref().map(str::trim);
    if order_id.is_some_and(str::is_empty) {
        print_error(
            "`--order-id` is empty; give the order's id as the ledger records it, or leave \
             the option out for a new order",
        );
        return exit::USAGE;
    }
    session::with_prepared_evaluator(
        &args.policy,
        &args.ledger,
        args.as_of,
        |ledger| leave_out_order(ledger, args, order_id),
        |evaluator, source, policy, prepared| {
            let amount = match parse_amount(&args.amount, &policy.currency.to_string()) {
                Ok(amount) => amount,
                Err(error) => {
                    print_error(&error.to_string());
                    return exit::USAGE;
                }
            };
            let Some(client) = evaluator.client_id(&args.client) else {
                print_error(&format!("client `{}` is not in the ledger", args.client));
                return exit::USAGE;
            };
            match evaluator.check_order(client, amount) {
                Ok(check) => {
                    let check = name_order(check, order_id, prepared, policy.currency);
                    print_decision_warnings(std::slice::from_ref(&check.decision));
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

/// The ledger's record of the order that `--order-id` names.
#[derive(Default)]
struct KnownOrder {
    /// The client's open order with that id, left out of the ledger.
    replaced: Option<Order>,
    /// The client whose order that id is, when it is another client's.
    other_client: Option<String>,
}

/// Removes the client's open order that `--order-id` names from the ledger,
/// so the exposure does not count it beside `--amount`, or finds the other
/// client whose order that id is.
fn leave_out_order(ledger: &mut Ledger, args: &OrderCheckArgs, id: Option<&str>) -> KnownOrder {
    let (Some(id), Some(client)) = (id, ledger.client_by_id(&args.client)) else {
        return KnownOrder::default();
    };
    let replaced = remove_open_order(ledger, client, id, args.as_of);
    let other_client = match replaced {
        Some(_) => None,
        None => other_clients_order(ledger, client, id),
    };
    KnownOrder {
        replaced,
        other_client,
    }
}

/// Returns the id of the other client that has an order `id`.
fn other_clients_order(ledger: &Ledger, client: ClientId, id: &str) -> Option<String> {
    let order = (ledger.orders.iter()).find(|order| order.id == id && order.client != client)?;
    Some(ledger.clients.get(order.client as usize)?.id.clone())
}

/// Adds the order's id to the check, with the order it replaces, and a
/// warning when the id is another client's order, which suggests a wrong
/// `--client` rather than a new order.
fn name_order<'a>(
    check: OrderCheck<'a>,
    id: Option<&str>,
    known: KnownOrder,
    currency: Currency,
) -> OrderCheck<'a> {
    let Some(id) = id else {
        return check;
    };
    let replaces = known
        .replaced
        .map(|order| ReplacedOrder::new(&order, currency));
    let mut check = check.with_order_id(id, replaces);
    if let Some(owner) = known.other_client {
        check.decision.warnings.push(DecisionWarning {
            code: "order-of-another-client",
            message: format!(
                "order `{id}` is an order of client {owner} in the ledger; it is checked as a \
                 new order of client {}",
                check.decision.client
            ),
        });
    }
    check
}

/// The maximum number of decimal places of an `--amount`. Every output shows
/// amounts in cents, so a finer amount would be checked exactly but printed
/// rounded, and a hold could show an exposure equal to the limit.
const AMOUNT_PLACES: usize = 2;

/// A reason to reject an `--amount`.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
enum AmountError {
    #[error("`{text}` is not an amount in {currency}; write it like `5000` or `5000 {currency}`")]
    Invalid { text: String, currency: String },
    #[error(
        "`{text}` is not an amount in {currency}: an order amount cannot be negative; write it like `5000` or `5000 {currency}`"
    )]
    Negative { text: String, currency: String },
    #[error(
        "`{text}` is too large for an amount in {currency}; the largest is {MAX_AMOUNT}, as for \
         the ledger's amounts"
    )]
    TooLarge { text: String, currency: String },
    #[error(
        "`{text}` has {places} decimal places; an amount in {currency} has at most {AMOUNT_PLACES}, such as `5000.50`"
    )]
    TooManyPlaces {
        text: String,
        currency: String,
        places: usize,
    },
}

/// Reads `5000`, `5000.50` or `5000 EUR`: a non-negative amount with at most
/// [`AMOUNT_PLACES`] decimal places, and the policy's currency code or none.
fn parse_amount(text: &str, currency: &str) -> Result<Decimal, AmountError> {
    let owned = || (text.to_string(), currency.to_string());
    let invalid = || {
        let (text, currency) = owned();
        AmountError::Invalid { text, currency }
    };

    let mut parts = text.split_whitespace();
    let number = parts.next().ok_or_else(invalid)?;
    match (parts.next(), parts.next()) {
        (None, None) => {}
        (Some(code), None) if code == currency => {}
        _ => return Err(invalid()),
    }

    let (negative, digits) = match number.strip_prefix('-') {
        Some(digits) => (true, digits),
        None => (false, number),
    };
    let plain = digits.chars().any(|c| c.is_ascii_digit())
        && digits.chars().all(|c| c.is_ascii_digit() || c == '.');
    if !plain || digits.matches('.').count() > 1 {
        return Err(invalid());
    }
    let too_large = || {
        let (text, currency) = owned();
        AmountError::TooLarge { text, currency }
    };
    // Trailing zeros are exact: `500.000` is 500. The places are counted in
    // the text, because parsing rounds beyond 28 digits.
    let places = digits
        .split_once('.')
        .map_or(0, |(_, fraction)| fraction.trim_end_matches('0').len());
    let amount: Decimal = digits.parse().map_err(|_| too_large())?;
    if amount > MAX_AMOUNT {
        return Err(too_large());
    }
    if negative && !amount.is_zero() {
        let (text, currency) = owned();
        return Err(AmountError::Negative { text, currency });
    }

    if places > AMOUNT_PLACES {
        let (text, currency) = owned();
        return Err(AmountError::TooManyPlaces {
            text,
            currency,
            places,
        });
    }
    Ok(amount)
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
    if let Some(id) = &check.order_id {
        lines.push(order_id_line(id, check.replaces.as_ref(), decision.as_of));
    }
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

/// Formats the line that states whether the order replaces an open order
/// of the ledger or is new.
fn order_id_line(id: &str, replaces: Option<&ReplacedOrder>, as_of: NaiveDate) -> String {
    match replaces {
        Some(order) => format!(
            "  order {id} replaces the open order of {} {} dated {}, left out of the exposure",
            crate::eval::fixed(order.amount, 2),
            order.currency,
            order.date
        ),
        None => format!(
            "  order {id} is not an open order of the client at {as_of}, so it is a new order"
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn amount(text: &str) -> Result<Decimal, AmountError> {
        parse_amount(text, "EUR")
    }

    #[test]
    fn amount_plain_and_with_currency() {
        assert_eq!(amount("5000"), Ok(Decimal::new(5000, 0)));
        assert_eq!(amount("5000.5 EUR"), Ok(Decimal::new(50005, 1)));
        assert_eq!(amount("73700.00"), Ok(Decimal::new(7370000, 2)));
    }

    #[test]
    fn amount_trailing_zeros_and_negative_zero_accepted() {
        assert_eq!(amount("500.000"), Ok(Decimal::new(500, 0)));
        assert_eq!(amount("-0"), Ok(Decimal::ZERO));
        assert_eq!(amount("-0.00 EUR"), Ok(Decimal::ZERO));
    }

    #[test]
    fn amount_too_large_rejected() {
        let error = amount("99999999999999999999999999999").unwrap_err();
        assert!(matches!(error, AmountError::TooLarge { .. }));
        assert!(
            error
                .to_string()
                .contains("the largest is 1000000000000000")
        );
        let error = amount("1000000000000000.01").unwrap_err();
        assert!(matches!(error, AmountError::TooLarge { .. }));
        assert_eq!(amount("1000000000000000"), Ok(MAX_AMOUNT));
    }

    #[test]
    fn amount_beyond_28_places_rejected_not_rounded() {
        for text in [
            "0.0000000000000000000000000000001",
            "5000.000000000000000000000000001",
        ] {
            let error = amount(text).unwrap_err();
            assert!(matches!(error, AmountError::TooManyPlaces { .. }), "{text}");
        }
    }

    #[test]
    fn amount_with_three_places_rejected() {
        let error = amount("73700.004").unwrap_err();
        assert!(matches!(
            error,
            AmountError::TooManyPlaces { places: 3, .. }
        ));
        assert_eq!(
            error.to_string(),
            "`73700.004` has 3 decimal places; an amount in EUR has at most 2, such as `5000.50`"
        );
    }

    #[test]
    fn amount_negative_rejected() {
        for text in ["-5", "-5 EUR", "-0.5", "-0.01"] {
            let error = amount(text).unwrap_err();
            assert!(matches!(error, AmountError::Negative { .. }), "{text}");
        }
    }

    #[test]
    fn amount_malformed_rejected() {
        for text in [
            "",
            "ten",
            "1e3",
            "+5",
            "5 USD",
            "5 EUR EUR",
            "--as-of",
            "1,000",
            ".",
            "-",
            "1.2.3",
        ] {
            let error = amount(text).unwrap_err();
            assert!(matches!(error, AmountError::Invalid { .. }), "{text}");
        }
    }
}
