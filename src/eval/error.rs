//! Errors raised while evaluating a policy for a client.

use crate::diagnostic::Diagnostic;
use crate::hooks::HookError;
use crate::metrics::MetricsError;
use crate::source::Span;
use crate::value::Currency;

/// The reason a client could not be evaluated. A missing value is never
/// one, because the checker makes every policy state what happens then.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum EvalError {
    /// A computation left the range of a decimal (about ±7.9 × 10²⁸).
    #[error("client `{client}`: the result of this expression is too large")]
    Overflow { client: String, span: Span },
    /// A fractional number of days was added to or subtracted from a date.
    #[error("client `{client}`: a date cannot move by {days} days, a fractional number")]
    FractionalDays {
        client: String,
        span: Span,
        days: rust_decimal::Decimal,
    },
    /// A limit expression gave a negative credit limit.
    #[error("client `{client}`: the credit limit comes out as {limit}, below zero")]
    NegativeLimit {
        client: String,
        span: Span,
        limit: rust_decimal::Decimal,
        /// The policy's currency, for the suggested fix.
        currency: crate::value::Currency,
    },
    /// The weighted sum of a score left the range of a decimal.
    #[error("client `{client}`: the weighted points of factor \"{factor}\" are too large")]
    ScoreOverflow { client: String, factor: String },
    /// A factor's input was missing and it has no `missing` arm. The checker
    /// rejects such policies, so this signals a bug.
    #[error("client `{client}`: factor \"{factor}\" has no arm for this client")]
    MissingInput { client: String, factor: String },
    /// A document of the client is in a currency without an exchange rate
    /// at the as-of date.
    #[error(
        "client `{client}`: missing exchange rate for {currency} at the as-of date; add a {currency} rate dated on or before it to the ledger's rates"
    )]
    MissingRate { client: String, currency: Currency },
    /// Interest at a reference rate reaches back to a half-year for which
    /// the ledger has no reference rate.
    #[error(
        "client `{client}`: no reference rate is in force on {half_year_start}; add the rate in force that day to the ledger's reference rates"
    )]
    MissingReferenceRate {
        client: String,
        half_year_start: chrono::NaiveDate,
    },
    /// The late-payment charges of a client are too large for a decimal.
    #[error("client `{client}`: the late-payment charges are too large for a decimal")]
    ChargesOverflow { client: String },
    /// A hook failed or returned something other than points.
    #[error("client `{client}`: {error}")]
    Hook {
        client: String,
        factor: String,
        error: Box<HookError>,
    },
}

impl EvalError {
    /// Wraps an error from computing the metrics of `client`.
    pub fn from_metrics(client: &str, error: MetricsError) -> EvalError {
        match error {
            MetricsError::MissingRate { currency } => EvalError::MissingRate {
                client: client.to_string(),
                currency,
            },
            MetricsError::MissingReferenceRate { half_year_start } => {
                EvalError::MissingReferenceRate {
                    client: client.to_string(),
                    half_year_start,
                }
            }
            MetricsError::ChargesOverflow => EvalError::ChargesOverflow {
                client: client.to_string(),
            },
        }
    }

    /// Builds a diagnostic located in the policy, for errors that have a span
    /// there.
    pub fn to_diagnostic(&self) -> Option<Diagnostic> {
        match self {
            EvalError::Overflow { client, span } => Some(
                Diagnostic::error("overflow", *span, format!("evaluating client `{client}`, this expression overflows"))
                    .with_help("a decimal holds about 28 significant digits; check the amounts in the ledger and the factors in the expression"),
            ),
            EvalError::FractionalDays { client, span, days } => Some(
                Diagnostic::error("fractional-days", *span, format!("evaluating client `{client}`, a date cannot move by {days} days, a fractional number"))
                    .with_help("dates move by whole days; compare durations instead, such as `avg_days_late > 10 days`"),
            ),
            EvalError::NegativeLimit {
                client,
                span,
                limit,
                currency,
            } => Some(
                Diagnostic::error(
                    "negative-limit",
                    *span,
                    format!("evaluating client `{client}`, this credit limit comes out as {limit}, below zero"),
                )
                .with_help(format!(
                    "a credit limit is zero or more; write `max(<expression>, 0 {currency})` to stop at zero"
                )),
            ),
            EvalError::Hook { .. }
            | EvalError::ScoreOverflow { .. }
            | EvalError::MissingInput { .. }
            | EvalError::MissingRate { .. }
            | EvalError::MissingReferenceRate { .. }
            | EvalError::ChargesOverflow { .. } => None,
        }
    }
}
