//! Reading payment terms from the text of a policy or an export.
//!
//! The text is split into lower-case words, with a break between letters and
//! digits (`NET30` reads as `net 30`), `+` as a word of its own and `eom` read
//! as `end of month`. The words are then matched against the accepted forms.

use super::{EndOfMonthMethod, MAX_DAYS, MAX_MONTHS, PaymentTerms, TermsError};

/// The accepted forms, shown in the help of every rejection.
const ACCEPTED_FORMS: &str = "write `30 days` (or `net 30`, `net 30 days`, `30 days net`, `30`), \
     `2 months` (or `net 2 months`), `45 days then end of month`, \
     `end of month then 45 days` (or `end of month plus 45 days`, `end of month + 45 days`) \
     or `prepayment`";

/// A reason for rejecting a terms text.
enum Problem {
    Empty,
    Unrecognized,
    Negative,
    Fractional(Unit),
    TooLong(Unit),
    MethodMissing(u32),
}

#[derive(Clone, Copy)]
enum Unit {
    Days,
    Months,
}

impl Unit {
    fn name(self) -> &'static str {
        match self {
            Unit::Days => "days",
            Unit::Months => "months",
        }
    }

    fn max(self) -> u32 {
        match self {
            Unit::Days => MAX_DAYS,
            Unit::Months => MAX_MONTHS,
        }
    }
}

/// Parses `text`; see [`PaymentTerms::parse`].
pub(super) fn parse_terms(
    text: &str,
    unstated: Option<EndOfMonthMethod>,
) -> Result<PaymentTerms, TermsError> {
    let words = split_words(text);
    let words: Vec<&str> = words.iter().map(String::as_str).collect();
    read_terms(&words, unstated).map_err(|problem| terms_error(text.trim(), problem))
}

/// Matches the words against the accepted forms.
fn read_terms(words: &[&str], unstated: Option<EndOfMonthMethod>) -> Result<PaymentTerms, Problem> {
    match words {
        [] => Err(Problem::Empty),
        ["prepayment"] => Ok(PaymentTerms::Prepayment),
        ["end", "of", "month", "then" | "plus" | "+", length @ ..] => {
            read_days(length).map(PaymentTerms::EndOfMonthThenDays)
        }
        [length @ .., "then", "end", "of", "month"] => {
            read_days(length).map(PaymentTerms::DaysThenEndOfMonth)
        }
        [length @ .., "end", "of", "month"] => {
            let days = read_days(length)?;
            match unstated {
                Some(EndOfMonthMethod::DaysThenEndOfMonth) => {
                    Ok(PaymentTerms::DaysThenEndOfMonth(days))
                }
                Some(EndOfMonthMethod::EndOfMonthThenDays) => {
                    Ok(PaymentTerms::EndOfMonthThenDays(days))
                }
                None => Err(Problem::MethodMissing(days)),
            }
        }
        ["net", length @ ..] | [length @ .., "net"] => read_net(length),
        length => read_net(length),
    }
}

/// Reads `30`, `30 days` or `2 months`.
fn read_net(words: &[&str]) -> Result<PaymentTerms, Problem> {
    match words {
        [number, "month" | "months"] => {
            read_whole(number, Unit::Months).map(PaymentTerms::NetMonths)
        }
        _ => read_days(words).map(PaymentTerms::Net),
    }
}

/// Reads `45` or `45 days`.
fn read_days(words: &[&str]) -> Result<u32, Problem> {
    match words {
        [number] | [number, "day" | "days"] => read_whole(number, Unit::Days),
        _ => Err(Problem::Unrecognized),
    }
}

/// Reads a whole number of `unit` from 0 to the unit's maximum.
fn read_whole(word: &str, unit: Unit) -> Result<u32, Problem> {
    let number = NumberParts::split(word).ok_or(Problem::Unrecognized)?;
    let whole_is_zero = is_all_zeros(number.whole);
    let fraction_is_zero = is_all_zeros(number.fraction);

    if number.negative && !(whole_is_zero && fraction_is_zero) {
        return Err(Problem::Negative);
    }
    if !fraction_is_zero {
        return Err(Problem::Fractional(unit));
    }
    // Parsing fails only for a number above `u32::MAX`.
    match number.whole.parse::<u32>() {
        Ok(whole) if whole <= unit.max() => Ok(whole),
        _ => Err(Problem::TooLong(unit)),
    }
}

/// The parts of a number such as `-30.5`: a sign, whole digits and fraction
/// digits, each part exactly as written.
struct NumberParts<'a> {
    negative: bool,
    whole: &'a str,
    /// The digits after the point, empty without one.
    fraction: &'a str,
}

impl<'a> NumberParts<'a> {
    /// Splits `word` into its parts, or returns `None` unless it is digits
    /// with an optional leading `-` and an optional fraction.
    fn split(word: &'a str) -> Option<NumberParts<'a>> {
        let unsigned = word.strip_prefix('-');
        let negative = unsigned.is_some();
        let unsigned = unsigned.unwrap_or(word);
        let (whole, fraction) = match unsigned.split_once('.') {
            Some((whole, fraction)) if is_digits(fraction) => (whole, fraction),
            Some(_) => return None,
            None => (unsigned, ""),
        };
        is_digits(whole).then_some(NumberParts {
            negative,
            whole,
            fraction,
        })
    }
}

fn is_digits(part: &str) -> bool {
    !part.is_empty() && part.chars().all(|c| c.is_ascii_digit())
}

fn is_all_zeros(digits: &str) -> bool {
    digits.chars().all(|c| c == '0')
}

/// Splits `text` into lower-case words; see the module documentation.
fn split_words(text: &str) -> Vec<String> {
    let mut words = Vec::new();
    for chunk in text.to_lowercase().split_whitespace() {
        split_chunk(chunk, &mut words);
    }

    let mut expanded = Vec::with_capacity(words.len());
    for word in words {
        if word == "eom" {
            expanded.extend(["end", "of", "month"].map(String::from));
        } else {
            expanded.push(word);
        }
    }
    expanded
}

/// Kinds of characters; a word ends where the kind changes.
#[derive(Clone, Copy, PartialEq, Eq)]
enum CharKind {
    Letter,
    Number,
    /// Any other character, which makes a word of its own.
    Symbol,
}

fn char_kind(c: char) -> CharKind {
    if c.is_alphabetic() {
        CharKind::Letter
    } else if c.is_ascii_digit() || c == '.' || c == '-' {
        CharKind::Number
    } else {
        CharKind::Symbol
    }
}

/// Splits a chunk without whitespace, such as `net30`, into words.
fn split_chunk(chunk: &str, words: &mut Vec<String>) {
    let mut current = String::new();
    let mut current_kind: Option<CharKind> = None;
    for c in chunk.chars() {
        let kind = char_kind(c);
        let joins = current_kind == Some(kind) && kind != CharKind::Symbol;
        if !joins && !current.is_empty() {
            words.push(std::mem::take(&mut current));
        }
        current.push(c);
        current_kind = Some(kind);
    }
    if !current.is_empty() {
        words.push(current);
    }
}

fn terms_error(text: &str, problem: Problem) -> TermsError {
    let message = match problem {
        Problem::MethodMissing(days) => return method_missing(text, days),
        Problem::Empty => "missing payment terms: the text is empty".to_string(),
        Problem::Unrecognized => format!("invalid payment terms `{text}`"),
        Problem::Negative => {
            format!("invalid payment terms `{text}`: a length cannot be negative")
        }
        Problem::Fractional(unit) => format!(
            "invalid payment terms `{text}`: the length is not a whole number of {}",
            unit.name()
        ),
        Problem::TooLong(unit) => format!(
            "invalid payment terms `{text}`: the length is over {} {}",
            unit.max(),
            unit.name()
        ),
    };
    rejected(message)
}

fn rejected(message: String) -> TermsError {
    TermsError {
        message,
        help: format!(
            "{ACCEPTED_FORMS}; a length is a whole number of days up to {MAX_DAYS} \
             or of months up to {MAX_MONTHS}"
        ),
    }
}

/// The error for `45 days end of month` without a declared method, worded
/// like the policy checker's `terms-method` diagnostic.
fn method_missing(text: &str, days: u32) -> TermsError {
    let length = super::days_text(days);
    TermsError {
        message: format!("`{text}` does not say how its due date is computed"),
        help: format!(
            "two computations are in use, and they give different due dates: write \
             `{length} then end of month` (invoice date + {length}, then the end of that \
             month) or `end of month then {length}` (the end of the invoice's month, then \
             + {length})"
        ),
    }
}
