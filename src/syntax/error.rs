//! Turns pest's parse errors into diagnostics that name what was expected in
//! the words of the language, not in grammar rule names.

use std::collections::BTreeSet;

use pest::error::{Error, ErrorVariant, InputLocation};

use super::parser::Rule;
use crate::diagnostic::Diagnostic;
use crate::source::Span;

/// Builds the diagnostic for a parse error.
pub(super) fn syntax_error(text: &str, error: &Error<Rule>) -> Diagnostic {
    let position = match error.location {
        InputLocation::Pos(position) => position,
        InputLocation::Span((start, _)) => start,
    };
    let found = found_token(text, position);
    let expected = expected_descriptions(error);
    let span = Span::new(position, position + found.len());

    let expectation = match expected.as_slice() {
        [] => None,
        [only] => Some(format!("expected {only}")),
        [init @ .., last] => Some(format!("expected {} or {last}", init.join(", "))),
    };
    // At the end of the text miette has no character to underline, so the
    // expectation goes into the message.
    let blank = content_is_blank(text.get(..position).unwrap_or(""));
    let (message, label) = match (found.as_str(), expectation) {
        ("", _) if blank => ("the policy is empty".to_string(), None),
        ("", Some(expectation)) => (format!("the policy ends too early: {expectation}"), None),
        ("", None) => ("the policy ends too early".to_string(), None),
        (token, expectation) => (
            format!("unexpected `{token}`"),
            Some(expectation.unwrap_or_else(|| "not valid here".to_string())),
        ),
    };
    let mut diagnostic = Diagnostic::error("syntax", span, message);
    if let Some(label) = label {
        diagnostic = diagnostic.with_label(label);
    }
    let before = text.get(..position).and_then(|t| t.chars().last());
    let help = match (found.as_str(), blank) {
        ("", true) => Some(
            "start the policy with a line such as `policy \"SME trade credit\" version 1`"
                .to_string(),
        ),
        _ => hint(before, &found)
            .or_else(|| unit_on_next_line(text.get(..position).unwrap_or(""), &found))
            .or_else(|| did_you_mean(&found, &expected)),
    };
    match help {
        Some(help) => diagnostic.with_help(help),
        None => diagnostic,
    }
}

/// Suggests the expected word closest to a misspelled one.
fn did_you_mean(found: &str, expected: &[String]) -> Option<String> {
    // Every word in backticks counts, including those inside a longer
    // description such as "a severity (`high`, `medium` or `low`)".
    let words = expected
        .iter()
        .flat_map(|description| description.split('`').skip(1).step_by(2))
        .filter(|word| word.chars().all(|c| c.is_ascii_lowercase()));
    crate::suggest::closest(found, words).map(|word| format!("did you mean `{word}`?"))
}

/// Explains a unit that a line break separates from its number, as in
/// `30` at the end of a line and `days` at the start of the next.
fn unit_on_next_line(before: &str, found: &str) -> Option<String> {
    let is_unit = matches!(found, "day" | "days" | "month" | "months")
        || (found.len() == 3 && found.chars().all(|c| c.is_ascii_uppercase()));
    let gap = &before[before.trim_end().len()..];
    let after_number = before.trim_end().ends_with(|c: char| c.is_ascii_digit());
    (is_unit && after_number && gap.contains('\n')).then(|| {
        "keep a number and its unit on one line, such as `30 days` or `500 EUR`".to_string()
    })
}

fn is_lowercase_currency(token: &str) -> bool {
    matches!(
        token,
        "eur" | "usd" | "gbp" | "chf" | "jpy" | "cad" | "aud" | "sek" | "nok" | "dkk" | "pln"
    )
}

/// A number written against its unit, such as `30days` or `0EUR`.
fn is_glued_unit(token: &str) -> bool {
    let unit = token.trim_start_matches(|c: char| c.is_ascii_digit() || c == '.');
    unit.len() < token.len()
        && (matches!(unit, "days" | "day" | "months" | "month")
            || (unit.len() == 3 && unit.chars().all(|c| c.is_ascii_uppercase())))
}

/// A number in scientific notation, such as `1e3` or `2.5E6`.
fn is_exponent(token: &str) -> bool {
    let Some((mantissa, exponent)) = token.split_once(['e', 'E']) else {
        return false;
    };
    !mantissa.is_empty()
        && mantissa.chars().all(|c| c.is_ascii_digit() || c == '.')
        && !exponent.is_empty()
        && exponent.chars().all(|c| c.is_ascii_digit())
}

/// Whether `text` holds nothing but whitespace and comments.
fn content_is_blank(text: &str) -> bool {
    text.lines()
        .all(|line| line.trim().is_empty() || line.trim_start().starts_with('#'))
}

/// Returns the word or symbol at `position`, or `""` at the end of the text.
fn found_token(text: &str, position: usize) -> String {
    let rest = text.get(position..).unwrap_or("");
    let first = match rest.chars().next() {
        Some(first) => first,
        None => return String::new(),
    };
    if first.is_alphanumeric() || first == '_' {
        rest.chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == '.')
            .collect()
    } else if first == '"' {
        let end = rest[1..].find(['"', '\n']).map_or(rest.len(), |i| i + 2);
        rest[..end.min(rest.len())].to_string()
    } else {
        rest.chars()
            .take_while(|c| !c.is_alphanumeric() && !c.is_whitespace() && *c != '"')
            .take(3)
            .collect()
    }
}

/// Describes what the parser would have accepted, in words for a policy
/// author, without duplicates and in a stable order.
fn expected_descriptions(error: &Error<Rule>) -> Vec<String> {
    let mut descriptions = BTreeSet::new();
    if let ErrorVariant::ParsingError { positives, .. } = &error.variant {
        for rule in positives {
            if let Some(description) = describe_rule(*rule) {
                descriptions.insert(description.to_string());
            }
        }
    }
    if let Some(attempts) = error.parse_attempts() {
        for token in attempts.expected_tokens() {
            let token = token.to_string();
            if is_punctuation(&token) || is_word(&token) {
                descriptions.insert(format!("`{token}`"));
            }
        }
    }
    collapse_expression_words(&mut descriptions);
    order_descriptions(descriptions)
}

/// Leaves "a value" and "an operator" standing for the many words and rules
/// that can start an operand or an operator.
fn collapse_expression_words(descriptions: &mut BTreeSet<String>) {
    const VALUE_STARTS: [&str; 6] = [
        "`true`",
        "`false`",
        "`not`",
        "a name",
        "a number",
        QUOTED_TEXT,
    ];
    const OPERATORS: [&str; 5] = ["`and`", "`or`", "`in`", "`of`", "`if`"];
    if descriptions.contains(VALUE) {
        descriptions.retain(|d| !VALUE_STARTS.contains(&d.as_str()));
    }
    if descriptions.contains(OPERATOR) {
        descriptions.retain(|d| !OPERATORS.contains(&d.as_str()));
    }
    // A word that another description already shows, such as `high` in
    // "a severity (`high`, `medium` or `low`)", adds nothing.
    let shown: Vec<String> = descriptions.iter().cloned().collect();
    descriptions.retain(|d| {
        !shown
            .iter()
            .any(|other| other != d && other.contains(d.as_str()))
    });
    // Nor does a lone word that starts a longer phrase in the list, such as
    // `end` beside `end of month`.
    let phrases: Vec<String> = descriptions.iter().cloned().collect();
    descriptions.retain(|d| {
        let word = d.trim_end_matches('`');
        !d.starts_with('`')
            || !phrases
                .iter()
                .any(|p| p != d && p.starts_with(&format!("{word} ")))
    });
}

const VALUE: &str = "a value";
const OPERATOR: &str = "an operator";
const QUOTED_TEXT: &str = "a quoted text such as \"reminder-1\"";

/// Puts values and operators after the specific words and symbols, which
/// are the more likely fix.
fn order_descriptions(descriptions: BTreeSet<String>) -> Vec<String> {
    let (general, specific): (Vec<String>, Vec<String>) = descriptions
        .into_iter()
        .partition(|d| d.starts_with("a ") || d.starts_with("an "));
    specific.into_iter().chain(general).collect()
}

fn is_punctuation(token: &str) -> bool {
    matches!(token, "=>" | "{" | "}" | ")" | "]" | ":" | ",")
}

fn is_word(token: &str) -> bool {
    !token.trim().is_empty() && token.chars().all(|c| c.is_ascii_lowercase() || c == ' ')
}

fn describe_rule(rule: Rule) -> Option<&'static str> {
    use Rule::*;
    Some(match rule {
        EOI => "the end of the policy",
        expr | name | call | path | list | number | not_op | neg_op | date | money | percent
        | boolean => VALUE,
        if_missing_op | or_op | and_op | in_op | le_op | ge_op | ne_op | lt_op | gt_op | eq_op
        | add_op | sub_op | mul_op | div_op | of_op => OPERATOR,
        identifier => "a name",
        string => QUOTED_TEXT,
        days => "a number of days such as `30 days` (`day` for one)",
        months => "a number of months such as `2 months` (`month` for one)",
        integer => "a whole number",
        decimal => "a number",
        currency_code => "a currency code such as `EUR`",
        type_name => "a type (money, percent, days, date, number, text or boolean)",
        severity => "a severity (`high`, `medium` or `low`)",
        fields_section | kw_fields => "`fields`",
        score_section | kw_score => "`score`",
        grades_section | kw_grades => "`grades`",
        limit_section | kw_limit => "`limit`",
        terms_section => "`terms`",
        escalation_section | kw_escalation => "`escalation`",
        alerts_section | kw_alerts => "`alerts`",
        penalties_section | kw_penalties => "`penalties`",
        orders_section | kw_orders => "`orders`",
        interest_rule | kw_interest => "`interest`",
        fee_rule | kw_fee => "`fee`",
        payment_order_rule | kw_apply => "`apply payments to costs, then interest, then principal`",
        reference_rate | kw_reference => "`reference rate`",
        points => "points such as `10 points`",
        rate_floor => "`at least`",
        day_count => "`actual/365` or `actual/360`",
        dun_charges_rule | kw_dun => "`dun unpaid charges`",
        order_rule | kw_hold => "`hold \"reason\" when ...`",
        factor | kw_factor => "`factor`",
        when_arm | kw_when => "`when`",
        otherwise_arm | kw_otherwise => "`otherwise`",
        missing_arm | kw_missing => "`missing`",
        hook_source => "`= hook`",
        grade_rule | grade_selector => "a grade",
        limit_entry | terms_entry => "a grade",
        terms_value | net_days | prepayment => "payment terms such as `30 days` or `prepayment`",
        net_months | days_then_end_of_month | end_of_month_then_days | days_end_of_month => {
            "payment terms such as `30 days` or `prepayment`"
        }
        skip_rule | kw_skip => "`skip`",
        step | step_offset | on_due => "a step such as `5 days after due`",
        before_due | after_due => "`before due` or `after due`",
        email_action
        | letter_action
        | call_action
        | block_orders_action
        | hand_over_action
        | charge_interest_action => "an action (email, letter, call, block orders, ...)",
        alert => "an alert such as `high \"over limit\" when exposure > limit`",
        field_decl => "a field such as `equity: money`",
        setting | currency_setting | kw_currency => "`currency`",
        effective_setting | kw_effective => "`effective`",
        max_terms_setting | kw_max => "`max terms`",
        kw_policy | policy_line => "`policy \"name\" version N`",
        kw_version => "`version`",
        kw_weight => "`weight`",
        kw_terms => "`terms`",
        kw_end => "`end of month`",
        kw_then => "`then`",
        kw_due => "`due`",
        kw_or => "`or`",
        kw_hook => "`hook`",
        kw_invoices => "`invoices`",
        kw_where => "`where`",
        _ => return None,
    })
}

/// Suggests a fix for mistakes that authors coming from other tools make.
/// `before` is the character just before the unexpected token.
fn hint(before: Option<char>, found: &str) -> Option<String> {
    Some(match found {
        "==" => "compare with a single `=`".to_string(),
        token if before == Some('=') && token.starts_with('=') => {
            "compare with a single `=`".to_string()
        }
        "&&" => "write `and`".to_string(),
        "||" => "write `or`".to_string(),
        "!" => "write `not`".to_string(),
        "->" | ":" => "separate a condition from its value with `=>`".to_string(),
        "AND" | "OR" | "NOT" => format!("write `{}` in lower case", found.to_lowercase()),
        "≥" => "write `>=`".to_string(),
        "≤" => "write `<=`".to_string(),
        "≠" => "write `!=`".to_string(),
        "€" | "$" | "£" => {
            "write the currency code after the amount, such as `5000 EUR`".to_string()
        }
        token if is_lowercase_currency(token) => {
            format!(
                "currency codes are three capital letters: `{}`",
                token.to_uppercase()
            )
        }
        token if before.is_some_and(|c| c.is_ascii_digit()) && token.starts_with(',') => {
            "write numbers without thousands separators, such as `1000 EUR`".to_string()
        }
        token if is_glued_unit(token) => {
            "put a space between a number and its unit, such as `30 days` or `500 EUR`".to_string()
        }
        token if is_exponent(token) => {
            "write the number in full; exponents such as `1e3` are not allowed".to_string()
        }
        _ => return None,
    })
}
