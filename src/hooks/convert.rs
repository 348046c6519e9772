//! Conversions between solvent's [`Value`]s and rhai's dynamic values.

use rhai::{Dynamic, ImmutableString, Map};
use rust_decimal::Decimal;

use super::{HookArgument, HookLimits};
use crate::value::Value;

/// A message and an optional help text, ready for a [`super::HookError`].
pub(super) type Problem = (String, Option<String>);

/// Builds the rhai map a hook receives as `client` or `metrics`. A later
/// argument replaces an earlier one of the same name.
pub(super) fn map(arguments: &[HookArgument<'_>]) -> Map {
    arguments
        .iter()
        .map(|(name, value)| ((*name).into(), dynamic(value)))
        .collect()
}

/// Converts one value. Quantities stay exact decimals, and a grade becomes its
/// 0-based index in the order the policy's `grades` section declares them.
pub(super) fn dynamic(value: &Value<'_>) -> Dynamic {
    match *value {
        Value::Missing => Dynamic::UNIT,
        Value::Number(d) | Value::Money(d) | Value::Percent(d) | Value::Days(d) => {
            Dynamic::from_decimal(d)
        }
        Value::Date(date) => date.format("%Y-%m-%d").to_string().into(),
        Value::Text(text) => text.into(),
        Value::Boolean(flag) => flag.into(),
        Value::Grade(index) => Dynamic::from_int(i64::from(index)),
    }
}

/// Checks that the `client` or `metrics` map fits the map and string limits
/// as rhai counts them, so a size error always comes from data the hook built.
pub(super) fn check_size(role: &str, map: &Map, limits: &HookLimits) -> Result<(), Problem> {
    if map.len() > limits.max_map_size {
        let message = format!(
            "the `{role}` map contains {} entries, more than the hook limit of {}",
            map.len(),
            limits.max_map_size
        );
        return Err((message, Some(raise_help("max_map_size", map.len()))));
    }

    let text_bytes: usize = map.values().map(text_len).sum();
    if text_bytes > limits.max_string_size {
        let message = format!(
            "the `{role}` map contains {text_bytes} bytes of text, more than the hook limit of {}",
            limits.max_string_size
        );
        return Err((message, Some(raise_help("max_string_size", text_bytes))));
    }

    Ok(())
}

/// Returns the bytes of a string value, which count towards rhai's string size.
fn text_len(value: &Dynamic) -> usize {
    value
        .read_lock::<ImmutableString>()
        .map_or(0, |text| text.len())
}

fn raise_help(limit_name: &str, size: usize) -> String {
    format!("raise `HookLimits::{limit_name}` to at least {size}")
}

/// Reads the value `points` returned: a decimal or an integer is the factor's
/// points and `()` means the client cannot be scored.
pub(super) fn points(value: Dynamic) -> Result<Option<Decimal>, Problem> {
    if value.is_unit() {
        return Ok(None);
    }
    if let Ok(decimal) = value.as_decimal() {
        return Ok(Some(decimal));
    }
    if let Ok(integer) = value.as_int() {
        return Ok(Some(Decimal::from(integer)));
    }

    Err((
        format!(
            "`fn points` returned a {}, but a number or `()` is expected",
            type_name(&value)
        ),
        Some(
            "return the factor's points as a number such as `50` or `12.5`, \
             or `()` when the client cannot be scored"
                .to_string(),
        ),
    ))
}

/// Names the rhai type of a value in a policy author's words.
fn type_name(value: &Dynamic) -> &'static str {
    match value.type_name() {
        "bool" => "boolean",
        "Fn" => "function pointer",
        "char" => "character",
        "string" => "string",
        "array" => "array",
        "map" => "map",
        _ => "value of another type",
    }
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::*;

    #[test]
    fn dynamic_keeps_money_exact() {
        let money = Decimal::new(1_234_567, 2);

        let converted = dynamic(&Value::Money(money));

        assert_eq!(converted.as_decimal(), Ok(money));
    }

    #[test]
    fn dynamic_writes_dates_in_iso_format() {
        let date = NaiveDate::from_ymd_opt(2027, 3, 1).unwrap();

        let converted = dynamic(&Value::Date(date));

        assert_eq!(converted.into_string().unwrap(), "2027-03-01");
    }

    #[test]
    fn dynamic_turns_grades_into_indexes() {
        assert_eq!(dynamic(&Value::Grade(2)).as_int(), Ok(2));
    }

    #[test]
    fn dynamic_turns_missing_into_unit() {
        assert!(dynamic(&Value::Missing).is_unit());
    }

    #[test]
    fn dynamic_keeps_text_and_booleans() {
        assert_eq!(
            dynamic(&Value::Text("retail")).into_string().unwrap(),
            "retail"
        );
        assert_eq!(dynamic(&Value::Boolean(true)).as_bool(), Ok(true));
    }

    #[test]
    fn points_accepts_decimals_integers_and_unit() {
        let half = Decimal::new(125, 1);

        assert_eq!(points(Dynamic::from_decimal(half)), Ok(Some(half)));
        assert_eq!(points(Dynamic::from_int(50)), Ok(Some(Decimal::from(50))));
        assert_eq!(points(Dynamic::UNIT), Ok(None));
    }

    #[test]
    fn points_rejects_booleans() {
        let (message, _) = points(Dynamic::from_bool(true)).unwrap_err();

        assert_eq!(
            message,
            "`fn points` returned a boolean, but a number or `()` is expected"
        );
    }

    #[test]
    fn check_size_rejects_too_many_entries() {
        let limits = HookLimits {
            max_map_size: 1,
            ..HookLimits::default()
        };
        let client = map(&[("a", Value::Missing), ("b", Value::Missing)]);

        let (message, _) = check_size("client", &client, &limits).unwrap_err();

        assert_eq!(
            message,
            "the `client` map contains 2 entries, more than the hook limit of 1"
        );
    }

    #[test]
    fn check_size_counts_text_and_dates() {
        let limits = HookLimits {
            max_string_size: 13,
            ..HookLimits::default()
        };
        let date = NaiveDate::from_ymd_opt(2027, 3, 1).unwrap();
        let metrics = map(&[
            ("sector", Value::Text("food")),
            ("opened", Value::Date(date)),
        ]);

        let (message, _) = check_size("metrics", &metrics, &limits).unwrap_err();

        assert_eq!(
            message,
            "the `metrics` map contains 14 bytes of text, more than the hook limit of 13"
        );
    }
}
