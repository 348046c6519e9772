//! The decision for one client: what the policy says about it, with a trace
//! of the rule arms that produced each value.
//!
//! Values are exact. The JSON form rounds them half away from zero to fixed
//! scales, written as strings so no reader turns them into floats: money
//! to 2 places, ratios to 4, days to 2, the score to 2, weights to 2, and
//! factor points to at most 2 without trailing zeros (`30`, `20.13`).

use chrono::NaiveDate;
use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Serialize, Serializer};

use crate::metrics::ClientMetrics;
use crate::syntax::ast::{Action, Severity};
use crate::terms::PaymentTerms;
use crate::value::Currency;

#[derive(Clone, Debug, Serialize)]
pub struct Decision<'a> {
    pub client: &'a str,
    #[serde(serialize_with = "iso_date")]
    pub as_of: NaiveDate,
    pub policy: PolicyStamp<'a>,
    /// The currency of every amount but those of `actions` and `charges`,
    /// which carry their own.
    #[serde(serialize_with = "currency_code")]
    pub currency: Currency,
    #[serde(serialize_with = "metrics_json")]
    pub metrics: ClientMetrics,
    pub score: Option<ScoreResult<'a>>,
    pub grade: Option<&'a str>,
    #[serde(serialize_with = "optional_money")]
    pub credit_limit: Option<Decimal>,
    /// Limit minus exposure; negative when the client is over its limit.
    #[serde(serialize_with = "optional_money")]
    pub available_credit: Option<Decimal>,
    #[serde(serialize_with = "optional_terms")]
    pub terms: Option<&'a PaymentTerms>,
    pub actions: Vec<ActionDue<'a>>,
    /// Open items left out of dunning, and why.
    pub suspended: Vec<Suspension<'a>>,
    /// Late-payment interest and fee per late item, when the policy has a
    /// `penalties` section.
    pub charges: Vec<ChargesDue<'a>>,
    /// The client's promises to pay and how they stand.
    pub promises: Vec<PromiseOutcome<'a>>,
    pub alerts: Vec<AlertRaised<'a>>,
    /// Facts about the client's documents that the decision could not use.
    pub warnings: Vec<DecisionWarning>,
    pub trace: Trace<'a>,
}

/// Which policy produced a decision.
#[derive(Clone, Debug, Serialize)]
pub struct PolicyStamp<'a> {
    pub name: &'a str,
    pub version: u64,
    /// Hex SHA-256 of the policy file, as `sha256sum` prints it.
    pub sha256: &'a str,
    /// Every hook the policy loads, with the hash of its file, because a
    /// change to a hook changes decisions as much as a change to the policy.
    pub hooks: Vec<HookStamp<'a>>,
}

#[derive(Clone, Copy, Debug, Serialize)]
pub struct HookStamp<'a> {
    /// The path as the policy writes it.
    pub path: &'a str,
    pub sha256: &'a str,
}

#[derive(Clone, Debug, Serialize)]
pub struct ScoreResult<'a> {
    #[serde(serialize_with = "score")]
    pub total: Decimal,
    pub factors: Vec<FactorResult<'a>>,
}

#[derive(Clone, Debug, Serialize)]
pub struct FactorResult<'a> {
    pub name: &'a str,
    #[serde(serialize_with = "points")]
    pub points: Decimal,
    #[serde(serialize_with = "weight")]
    pub weight: Decimal,
    /// The arm that gave the points: its condition as written, `otherwise`,
    /// `missing`, or `hook "path"` for points a hook returned.
    pub arm: &'a str,
}

/// An escalation action due for an invoice at the as-of date.
#[derive(Clone, Debug, Serialize)]
pub struct ActionDue<'a> {
    pub invoice: &'a str,
    /// The instalment's number, for a split invoice.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub instalment: Option<u16>,
    pub step: &'a str,
    #[serde(serialize_with = "action_name")]
    pub action: &'a Action,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub template: Option<&'a str>,
    pub days_past_due: i64,
    /// The principal still owed, in `currency`.
    #[serde(serialize_with = "money")]
    pub open_amount: Decimal,
    /// Late-payment interest and fee still owed, in `currency`.
    #[serde(serialize_with = "money")]
    pub charges_due: Decimal,
    /// The invoice's currency.
    #[serde(serialize_with = "currency_code")]
    pub currency: Currency,
}

/// The late-payment charges of one item, in its currency.
#[derive(Clone, Debug, Serialize)]
pub struct ChargesDue<'a> {
    pub invoice: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub instalment: Option<u16>,
    #[serde(serialize_with = "currency_code")]
    pub currency: Currency,
    pub days_late: i64,
    #[serde(serialize_with = "money")]
    pub interest: Decimal,
    #[serde(serialize_with = "money")]
    pub fee: Decimal,
    /// The part of the payments that went to the interest and the fee.
    #[serde(serialize_with = "money")]
    pub paid: Decimal,
    /// Interest and fee still owed.
    #[serde(serialize_with = "money")]
    pub due: Decimal,
}

/// A promise to pay and its state at the as-of date.
#[derive(Clone, Debug, Serialize)]
pub struct PromiseOutcome<'a> {
    /// The invoice the promise covers; `None` for the client's balance.
    pub invoice: Option<&'a str>,
    #[serde(serialize_with = "money")]
    pub amount: Decimal,
    #[serde(serialize_with = "money")]
    pub paid: Decimal,
    #[serde(serialize_with = "iso_date")]
    pub promised_date: NaiveDate,
    /// The last day of grace, after which an unkept promise is broken. It is
    /// `None` when that day is past the end of the calendar, because then
    /// the promise never breaks.
    #[serde(serialize_with = "optional_date")]
    pub until: Option<NaiveDate>,
    /// `pending`, `kept` or `broken`.
    pub state: &'static str,
}

/// An open item left out of dunning at the as-of date.
#[derive(Clone, Debug, Serialize)]
pub struct Suspension<'a> {
    pub invoice: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub instalment: Option<u16>,
    #[serde(flatten)]
    pub reason: SuspensionReason<'a>,
}

/// Why an item is left out of dunning.
#[derive(Clone, Debug, Serialize)]
#[serde(tag = "reason", rename_all = "lowercase")]
pub enum SuspensionReason<'a> {
    /// A `skip` rule of the policy matches it.
    Skipped { rule: &'a str },
    /// A dunning hold of the ledger covers it through `until`.
    Hold {
        #[serde(rename = "detail")]
        reason: &'a str,
        #[serde(serialize_with = "iso_date")]
        until: NaiveDate,
    },
    /// A pending promise to pay covers it through `until`, the promised
    /// date plus the grace days, or for good when `until` is `None`
    /// because that day is past the end of the calendar.
    Promise {
        #[serde(serialize_with = "iso_date")]
        promised_date: NaiveDate,
        #[serde(serialize_with = "optional_date")]
        until: Option<NaiveDate>,
    },
}

#[derive(Clone, Debug, Serialize)]
pub struct AlertRaised<'a> {
    pub name: &'a str,
    #[serde(serialize_with = "severity")]
    pub severity: Severity,
}

/// A fact about the client's documents that the decision could not use,
/// with a code from the diagnostics reference.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DecisionWarning {
    pub code: &'static str,
    pub message: String,
}

/// The rule text behind each value that does not come with its own trace.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Trace<'a> {
    pub grade: Option<&'a str>,
    pub credit_limit: Option<&'a str>,
    pub terms: Option<&'a str>,
}

/// The action's name in decisions and journals.
pub fn action_name_of(action: &Action) -> &'static str {
    match action {
        Action::Email(_) => "email",
        Action::Letter(_) => "letter",
        Action::Call => "call",
        Action::BlockOrders => "block_orders",
        Action::HandOverToCollections => "hand_over_to_collections",
        Action::ChargeLateInterest => "charge_late_interest",
    }
}

/// Rounds half away from zero and pads to exactly `places` decimals.
pub fn fixed(value: Decimal, places: u32) -> String {
    let rounded = value.round_dp_with_strategy(places, RoundingStrategy::MidpointAwayFromZero);
    format!("{rounded:.prec$}", prec = places as usize)
}

fn iso_date<S: Serializer>(date: &NaiveDate, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(&date.format("%Y-%m-%d"))
}

fn optional_date<S: Serializer>(date: &Option<NaiveDate>, s: S) -> Result<S::Ok, S::Error> {
    match date {
        Some(date) => iso_date(date, s),
        None => s.serialize_none(),
    }
}

fn currency_code<S: Serializer>(currency: &Currency, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(currency.as_str())
}

fn money<S: Serializer>(value: &Decimal, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&fixed(*value, 2))
}

fn optional_money<S: Serializer>(value: &Option<Decimal>, s: S) -> Result<S::Ok, S::Error> {
    match value {
        Some(value) => money(value, s),
        None => s.serialize_none(),
    }
}

fn score<S: Serializer>(value: &Decimal, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&fixed(*value, 2))
}

fn weight<S: Serializer>(value: &Decimal, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&fixed(*value, 2))
}

fn points<S: Serializer>(value: &Decimal, s: S) -> Result<S::Ok, S::Error> {
    let rounded = value.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero);
    s.serialize_str(&rounded.normalize().to_string())
}

fn optional_terms<S: Serializer>(terms: &Option<&PaymentTerms>, s: S) -> Result<S::Ok, S::Error> {
    match terms {
        Some(terms) => s.serialize_str(&terms.describe()),
        None => s.serialize_none(),
    }
}

fn action_name<S: Serializer>(action: &&Action, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(action_name_of(action))
}

fn severity<S: Serializer>(severity: &Severity, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(severity.as_str())
}

/// The metrics object of the decision JSON.
fn metrics_json<S: Serializer>(m: &ClientMetrics, s: S) -> Result<S::Ok, S::Error> {
    MetricsJson::from(m).serialize(s)
}

#[derive(Serialize)]
struct MetricsJson {
    exposure: String,
    receivables: String,
    overdue: String,
    overdue_ratio: String,
    credit_balance: String,
    avg_days_late: Option<String>,
    late_ratio: Option<String>,
    settled_invoices: u32,
    dso: Option<String>,
    oldest_overdue_days: i64,
    open_invoices: u32,
    overdue_invoices: u32,
    aging: AgingJson,
    lateness: Vec<LatenessJson>,
    orders: String,
    best_possible_dso: Option<String>,
    average_days_delinquent: Option<String>,
    cei: Option<String>,
    cei_periods: Vec<CeiJson>,
    broken_promises: u32,
    pending_promises: u32,
    charges_due: String,
}

#[derive(Serialize)]
struct AgingJson {
    current: String,
    #[serde(rename = "1_30")]
    days_1_30: String,
    #[serde(rename = "31_60")]
    days_31_60: String,
    #[serde(rename = "61_90")]
    days_61_90: String,
    over_90: String,
}

#[derive(Serialize)]
struct CeiJson {
    months: u32,
    beginning_receivables: String,
    credit_sales: String,
    cei: Option<String>,
}

#[derive(Serialize)]
struct LatenessJson {
    window_days: u32,
    settled_invoices: u32,
    avg_days_late: Option<String>,
    late_ratio: Option<String>,
    broken_promises: u32,
}

impl From<&ClientMetrics> for MetricsJson {
    fn from(m: &ClientMetrics) -> Self {
        let default_window = m.lateness.first();
        MetricsJson {
            exposure: fixed(m.exposure, 2),
            receivables: fixed(m.receivables, 2),
            overdue: fixed(m.overdue, 2),
            overdue_ratio: fixed(m.overdue_ratio, 4),
            credit_balance: fixed(m.credit_balance, 2),
            avg_days_late: default_window
                .and_then(|l| l.avg_days_late)
                .map(|d| fixed(d, 2)),
            late_ratio: default_window
                .and_then(|l| l.late_ratio)
                .map(|r| fixed(r, 4)),
            settled_invoices: default_window.map_or(0, |l| l.settled_invoices),
            dso: m.dso.map(|d| fixed(d, 2)),
            oldest_overdue_days: m.oldest_overdue_days,
            open_invoices: m.open_invoices,
            overdue_invoices: m.overdue_invoices,
            aging: AgingJson {
                current: fixed(m.aging.current, 2),
                days_1_30: fixed(m.aging.days_1_30, 2),
                days_31_60: fixed(m.aging.days_31_60, 2),
                days_61_90: fixed(m.aging.days_61_90, 2),
                over_90: fixed(m.aging.over_90, 2),
            },
            lateness: m
                .lateness
                .iter()
                .map(|l| LatenessJson {
                    window_days: l.window_days,
                    settled_invoices: l.settled_invoices,
                    avg_days_late: l.avg_days_late.map(|d| fixed(d, 2)),
                    late_ratio: l.late_ratio.map(|r| fixed(r, 4)),
                    broken_promises: l.broken_promises,
                })
                .collect(),
            orders: fixed(m.orders, 2),
            best_possible_dso: m.best_possible_dso.map(|d| fixed(d, 2)),
            average_days_delinquent: m.average_days_delinquent.map(|d| fixed(d, 2)),
            cei: m.cei().map(|c| fixed(c, 4)),
            cei_periods: m
                .cei_periods
                .iter()
                .map(|p| CeiJson {
                    months: p.months,
                    beginning_receivables: fixed(p.beginning_receivables, 2),
                    credit_sales: fixed(p.credit_sales, 2),
                    cei: p.cei.map(|c| fixed(c, 4)),
                })
                .collect(),
            broken_promises: m.broken_promises,
            pending_promises: m.pending_promises,
            charges_due: fixed(m.charges_due, 2),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::fixed;

    fn dec(text: &str) -> rust_decimal::Decimal {
        text.parse().unwrap()
    }

    #[test]
    fn fixed_rounds_half_away_from_zero() {
        assert_eq!(fixed(dec("0.22475"), 4), "0.2248");
        assert_eq!(fixed(dec("-0.125"), 2), "-0.13");
        assert_eq!(fixed(dec("12"), 2), "12.00");
        assert_eq!(fixed(dec("73.714285"), 2), "73.71");
    }
}
