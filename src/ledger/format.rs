//! How an export writes dates, decimals and yes/no values, and the parsers for them.

use std::fmt::Write as _;

use chrono::format::{Item, ParseErrorKind, StrftimeItems};
use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;

use crate::chars;
pub(crate) use crate::chars::describe as describe_char;

/// Cell conventions of one export. The native format uses the defaults:
/// ISO dates, `.` as decimal point, no thousands separator, `true`/`false`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CellFormat {
    /// A chrono `strftime` pattern, `%Y-%m-%d` by default.
    pub date_format: String,
    pub decimal_separator: char,
    pub thousands_separator: Option<char>,
    /// Cell texts read as true, compared case-sensitively.
    pub true_values: Vec<String>,
    pub false_values: Vec<String>,
}

/// Why a cell did not parse; the loader adds file, line and column.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CellError {
    pub message: String,
    pub help: String,
}

impl Default for CellFormat {
    fn default() -> Self {
        CellFormat {
            date_format: "%Y-%m-%d".to_string(),
            decimal_separator: '.',
            thousands_separator: None,
            true_values: vec!["true".to_string()],
            false_values: vec!["false".to_string()],
        }
    }
}

/// The date every "expected a date like ..." help shows, written in the
/// export's pattern.
const EXAMPLE_DATE: (i32, u32, u32) = (2027, 1, 31);

/// The native date layout, `2027-01-31`.
const ISO_DATE: &str = "%Y-%m-%d";

/// Reads `YYYY-MM-DD` without going through chrono's pattern interpreter,
/// which dominates the loading of large native ledgers. Anything else,
/// including an impossible day, returns `None` and takes the general path,
/// which also produces the error message.
fn parse_iso_date(text: &str) -> Option<NaiveDate> {
    let bytes = text.as_bytes();
    if bytes.len() != 10 || bytes[4] != b'-' || bytes[7] != b'-' {
        return None;
    }
    let number = |range: std::ops::Range<usize>| -> Option<u32> {
        bytes[range].iter().try_fold(0u32, |value, &b| {
            b.is_ascii_digit().then(|| value * 10 + u32::from(b - b'0'))
        })
    };
    let year = i32::try_from(number(0..4)?).ok()?;
    NaiveDate::from_ymd_opt(year, number(5..7)?, number(8..10)?).filter(|d| d.year() >= 1000)
}

impl CellFormat {
    /// Parses a date written with [`CellFormat::date_format`]; surrounding
    /// spaces are ignored. Chrono reads numbers with or without zero padding,
    /// so `%m/%d/%Y` accepts both `01/02/2013` and `1/2/2013`.
    ///
    /// A year below 1000 is refused: it almost always is a two-digit year
    /// read by `%Y` (`1/2/13` would be the year 13).
    pub fn parse_date(&self, cell: &str) -> Result<NaiveDate, CellError> {
        let text = cell.trim();
        if self.date_format == ISO_DATE
            && let Some(date) = parse_iso_date(text)
        {
            return Ok(date);
        }
        // chrono's `%Y` accepts a sign, as in `+2024-01-01`; no export means one.
        let signed = text.starts_with(['+', '-']);
        let parsed = match signed {
            true => Err(None),
            false => NaiveDate::parse_from_str(text, &self.date_format).map_err(Some),
        };
        let date = parsed.map_err(|error| {
            let message = match error.map(|error| error.kind()) {
                Some(ParseErrorKind::OutOfRange | ParseErrorKind::Impossible) => {
                    format!("`{text}` is not a day of the calendar")
                }
                _ => format!("`{text}` is not a date"),
            };
            CellError {
                message,
                help: self.date_help(),
            }
        })?;
        if date.year() < 1000 {
            return Err(CellError {
                message: format!("`{text}` reads as the year {}", date.year()),
                help: format!(
                    "{}; write years with four digits, or use %y in format.date_format \
                     for two-digit years",
                    self.date_help()
                ),
            });
        }
        Ok(date)
    }

    /// Parses a decimal number: an optional leading `-`, digits, optionally
    /// [`CellFormat::decimal_separator`] and at least one decimal digit.
    /// When a [`CellFormat::thousands_separator`] is set, it may separate
    /// groups of exactly three digits in the integer part (`1 234 567,89`).
    /// Surrounding spaces are ignored; nothing else is accepted: no `+`, no
    /// exponent, no currency sign, no `NaN`. The value is exact, never rounded.
    pub fn parse_decimal(&self, cell: &str) -> Result<Decimal, CellError> {
        let text = cell.trim();
        let canonical = self.canonical_decimal(text).ok_or_else(|| {
            self.decimal_error(format!(
                "`{text}` is not a decimal number{}",
                self.character_note(text)
            ))
        })?;
        let mut value = Decimal::from_str_exact(&canonical).map_err(|_| {
            self.decimal_error(format!(
                "`{text}` has too many digits for an exact decimal (at most 28)"
            ))
        })?;
        // `-0` and `-0.00` are zero; keep a single, positive zero.
        if value.is_zero() {
            value.set_sign_positive(true);
        }
        Ok(value)
    }

    /// Reads a yes/no cell: `true` when the trimmed cell is exactly one of
    /// [`CellFormat::true_values`], `false` when it is one of
    /// [`CellFormat::false_values`].
    pub fn parse_boolean(&self, cell: &str) -> Result<bool, CellError> {
        let text = cell.trim();
        if self.true_values.iter().any(|value| value == text) {
            return Ok(true);
        }
        if self.false_values.iter().any(|value| value == text) {
            return Ok(false);
        }
        Err(CellError {
            message: format!("`{text}` is not a yes/no value"),
            help: format!(
                "expected {} for yes or {} for no (compared exactly, case included); \
                 set format.true_values and format.false_values in ledger.toml for other words",
                quoted_list(&self.true_values),
                quoted_list(&self.false_values)
            ),
        })
    }

    /// The example date 2027-01-31 written with [`CellFormat::date_format`], or
    /// `None` when the pattern is not a valid chrono pattern.
    pub fn date_example(&self) -> Option<String> {
        let (year, month, day) = EXAMPLE_DATE;
        self.format_date(NaiveDate::from_ymd_opt(year, month, day)?)
    }

    /// Writes a date as the export writes it, for messages; in ISO form when
    /// the pattern cannot write it.
    pub fn write_date(&self, date: NaiveDate) -> String {
        self.format_date(date)
            .unwrap_or_else(|| date.format(ISO_DATE).to_string())
    }

    /// `date` written with [`CellFormat::date_format`], at midnight for a
    /// pattern with time fields; `None` when the pattern is invalid.
    fn format_date(&self, date: NaiveDate) -> Option<String> {
        if StrftimeItems::new(&self.date_format).any(|item| matches!(item, Item::Error)) {
            return None;
        }
        let midnight = date.and_hms_opt(0, 0, 0)?;
        let mut text = String::new();
        // Formatting fails, rather than panics, on fields a date lacks (`%z`).
        write!(text, "{}", midnight.format(&self.date_format)).ok()?;
        Some(text)
    }

    /// Writes a decimal with the export's decimal separator, for messages.
    pub fn write_decimal(&self, value: Decimal) -> String {
        value
            .to_string()
            .replace('.', &self.decimal_separator.to_string())
    }

    /// Whether the pattern writes and reads back a whole date: valid, and
    /// with year, month and day (or an equivalent such as `%F`).
    pub fn date_format_round_trips(&self) -> bool {
        let (year, month, day) = EXAMPLE_DATE;
        let expected = NaiveDate::from_ymd_opt(year, month, day);
        self.date_example().is_some_and(|text| {
            NaiveDate::parse_from_str(&text, &self.date_format).ok() == expected
        })
    }

    fn date_help(&self) -> String {
        let example = self.date_example().unwrap_or_default();
        format!(
            "expected a date like {example} (pattern {}); set format.date_format in \
             ledger.toml for other layouts",
            self.date_format
        )
    }

    fn decimal_error(&self, message: String) -> CellError {
        let (example, keys) = match self.thousands_separator {
            Some(thousands) => (
                format!("-1{thousands}234{}5", self.decimal_separator),
                "format.decimal_separator and format.thousands_separator",
            ),
            None => (
                format!("-1234{}5", self.decimal_separator),
                "format.decimal_separator (and format.thousands_separator)",
            ),
        };
        let thousands = match self.thousands_separator {
            Some(thousands) => format!(
                ", {} only between groups of three digits",
                chars::describe(thousands)
            ),
            None => ", no thousands separator".to_string(),
        };
        CellError {
            message,
            help: format!(
                "expected a plain number like {example}: an optional minus sign, digits, \
                 {} before any decimals{thousands}, no currency sign or exponent; \
                 set {keys} in ledger.toml for other layouts",
                chars::describe(self.decimal_separator)
            ),
        }
    }

    /// Names the characters of `text` that a reader cannot tell apart by
    /// eye: a look-alike of a separator, such as a plain space where the
    /// thousands separator is a no-break space, and any other non-ASCII
    /// invisible character. Empty when there is none.
    fn character_note(&self, text: &str) -> String {
        let mut notes: Vec<String> = Vec::new();
        let mut seen: Vec<char> = Vec::new();
        for c in text.chars() {
            if seen.contains(&c) {
                continue;
            }
            seen.push(c);
            if let Some(note) = self.separator_note(c) {
                notes.push(note);
            } else if !c.is_ascii() && chars::is_invisible(c) {
                notes.push(format!("the invisible character {}", chars::describe(c)));
            }
        }
        match notes.is_empty() {
            true => String::new(),
            false => format!(": it contains {}", notes.join(", and ")),
        }
    }

    /// Describes `c` when it looks like a separator of the format but is
    /// another character.
    fn separator_note(&self, c: char) -> Option<String> {
        let separators = [
            (Some(self.decimal_separator), "decimal separator"),
            (self.thousands_separator, "thousands separator"),
        ];
        let (separator, role) = separators.into_iter().find_map(|(separator, role)| {
            separator
                .filter(|&separator| chars::look_alike(c, separator))
                .map(|separator| (separator, role))
        })?;
        Some(format!(
            "{}, but the {role} is {}",
            chars::describe(c),
            chars::describe(separator)
        ))
    }

    /// Rewrites a decimal cell as `-1234.5` for `Decimal::from_str_exact`, or
    /// `None` when it does not follow the format.
    fn canonical_decimal(&self, text: &str) -> Option<String> {
        let (negative, body) = match text.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, text),
        };
        let (integer, fraction) = match body.split_once(self.decimal_separator) {
            Some((integer, fraction)) => (integer, Some(fraction)),
            None => (body, None),
        };

        let mut canonical = String::with_capacity(text.len());
        if negative {
            canonical.push('-');
        }
        self.push_integer_digits(integer, &mut canonical)?;
        if let Some(fraction) = fraction {
            if !is_digits(fraction) {
                return None;
            }
            canonical.push('.');
            canonical.push_str(fraction);
        }
        Some(canonical)
    }

    /// Appends the digits of an integer part, checking its thousands groups.
    fn push_integer_digits(&self, integer: &str, out: &mut String) -> Option<()> {
        let Some(separator) = self.thousands_separator.filter(|&s| integer.contains(s)) else {
            is_digits(integer).then(|| out.push_str(integer))?;
            return Some(());
        };
        let mut groups = integer.split(separator);
        let first = groups.next()?;
        if !is_digits(first) || first.len() > 3 {
            return None;
        }
        out.push_str(first);
        for group in groups {
            if !is_digits(group) || group.len() != 3 {
                return None;
            }
            out.push_str(group);
        }
        Some(())
    }
}

/// Whether `text` is one or more ASCII digits.
fn is_digits(text: &str) -> bool {
    !text.is_empty() && text.bytes().all(|byte| byte.is_ascii_digit())
}

/// `a`, `b` or `c`, for help texts.
fn quoted_list(values: &[String]) -> String {
    let quoted: Vec<String> = values.iter().map(|value| format!("`{value}`")).collect();
    match quoted.split_last() {
        None => "nothing".to_string(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use std::str::FromStr;

    use super::*;

    fn date(year: i32, month: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(year, month, day).expect("a valid test date")
    }

    fn decimal(text: &str) -> Decimal {
        Decimal::from_str(text).expect("a valid test decimal")
    }

    fn french() -> CellFormat {
        CellFormat {
            date_format: "%d/%m/%Y".to_string(),
            decimal_separator: ',',
            thousands_separator: Some(' '),
            true_values: vec!["Oui".to_string()],
            false_values: vec!["Non".to_string()],
        }
    }

    fn us_dates() -> CellFormat {
        CellFormat {
            date_format: "%m/%d/%Y".to_string(),
            ..CellFormat::default()
        }
    }

    #[test]
    fn parses_iso_dates_by_default() {
        let cells = CellFormat::default();
        assert_eq!(cells.parse_date("2027-01-31"), Ok(date(2027, 1, 31)));
        assert_eq!(cells.parse_date("  2027-01-31 "), Ok(date(2027, 1, 31)));
    }

    #[test]
    fn parses_month_day_year_without_zero_padding() {
        let cells = us_dates();
        assert_eq!(cells.parse_date("1/2/2013"), Ok(date(2013, 1, 2)));
        assert_eq!(cells.parse_date("12/31/2013"), Ok(date(2013, 12, 31)));
        assert_eq!(cells.parse_date("01/02/2013"), Ok(date(2013, 1, 2)));
    }

    #[test]
    fn date_errors_quote_the_cell_and_name_the_pattern() {
        let error = CellFormat::default().parse_date("31/01/2027").unwrap_err();
        assert_eq!(error.message, "`31/01/2027` is not a date");
        assert_eq!(
            error.help,
            "expected a date like 2027-01-31 (pattern %Y-%m-%d); set format.date_format in \
             ledger.toml for other layouts"
        );

        let error = us_dates().parse_date("2013-01-02").unwrap_err();
        assert!(
            error
                .help
                .starts_with("expected a date like 01/31/2027 (pattern %m/%d/%Y)")
        );
    }

    #[test]
    fn refuses_impossible_days_and_short_years() {
        let cells = CellFormat::default();
        let error = cells.parse_date("2027-02-30").unwrap_err();
        assert_eq!(error.message, "`2027-02-30` is not a day of the calendar");

        let error = us_dates().parse_date("1/2/13").unwrap_err();
        assert_eq!(error.message, "`1/2/13` reads as the year 13");
        assert!(error.help.contains("%y"));
        assert!(cells.parse_date("").is_err());
    }

    #[test]
    fn date_example_and_round_trip_check_the_pattern() {
        assert_eq!(us_dates().date_example().as_deref(), Some("01/31/2027"));
        let broken = |pattern: &str| CellFormat {
            date_format: pattern.to_string(),
            ..CellFormat::default()
        };
        assert!(us_dates().date_format_round_trips());
        assert!(broken("%Y-%m-%d %H:%M:%S").date_format_round_trips());
        assert!(!broken("%Y-%m").date_format_round_trips());
        assert!(!broken("%Q").date_format_round_trips());
        assert!(!broken("%Y-%m-%d %z").date_format_round_trips());
    }

    #[test]
    fn parses_native_decimals() {
        let cells = CellFormat::default();
        assert_eq!(cells.parse_decimal("1234.56"), Ok(decimal("1234.56")));
        assert_eq!(cells.parse_decimal(" -12.5 "), Ok(decimal("-12.5")));
        assert_eq!(cells.parse_decimal("0"), Ok(Decimal::ZERO));
        assert_eq!(cells.parse_decimal("007"), Ok(decimal("7")));
        // Scale is kept: 55.90 stays 55.90.
        assert_eq!(cells.parse_decimal("55.90").map(|d| d.scale()), Ok(2));
    }

    #[test]
    fn negative_zero_is_zero() {
        let zero = CellFormat::default().parse_decimal("-0.00").unwrap();
        assert!(zero.is_zero());
        assert!(zero.is_sign_positive());
    }

    #[test]
    fn refuses_anything_but_a_plain_decimal() {
        let cells = CellFormat::default();
        for cell in [
            "12,5", "1e5", "NaN", "$12", "+5", "", "-", ".5", "5.", "1.2.3", "1 234", "12 EUR",
            "--5", "inf", "١٢",
        ] {
            assert!(
                cells.parse_decimal(cell).is_err(),
                "{cell:?} should not parse"
            );
        }
    }

    #[test]
    fn decimal_errors_quote_the_cell_and_name_the_keys() {
        let error = CellFormat::default().parse_decimal("12,5").unwrap_err();
        assert_eq!(error.message, "`12,5` is not a decimal number");
        assert!(error.help.contains("like -1234.5"));
        assert!(error.help.contains("format.decimal_separator"));

        let error = french().parse_decimal("1.234,56").unwrap_err();
        assert!(error.help.contains("like -1 234,5"));
        assert!(error.help.contains("format.thousands_separator"));

        let error = CellFormat::default()
            .parse_decimal("123456789012345678901234567890")
            .unwrap_err();
        assert!(error.message.contains("too many digits"));
    }

    #[test]
    fn parses_decimal_commas_and_thousands_groups() {
        let cells = french();
        assert_eq!(cells.parse_decimal("1 234,56"), Ok(decimal("1234.56")));
        assert_eq!(
            cells.parse_decimal("-1 234 567,8"),
            Ok(decimal("-1234567.8"))
        );
        assert_eq!(cells.parse_decimal("234,56"), Ok(decimal("234.56")));
        assert_eq!(cells.parse_decimal("1234,56"), Ok(decimal("1234.56")));
        assert_eq!(cells.parse_decimal("12"), Ok(decimal("12")));
        for cell in [
            "12.5",
            "1 23,4",
            "1234 567",
            " 1 2345,6",
            "1  234",
            "1 234,5 6",
            "1 234,",
        ] {
            assert!(
                cells.parse_decimal(cell).is_err(),
                "{cell:?} should not parse"
            );
        }
    }

    #[test]
    fn parses_dot_thousands_with_comma_decimals() {
        let cells = CellFormat {
            decimal_separator: ',',
            thousands_separator: Some('.'),
            ..CellFormat::default()
        };
        assert_eq!(
            cells.parse_decimal("1.234.567,89"),
            Ok(decimal("1234567.89"))
        );
        assert_eq!(cells.parse_decimal("1.234"), Ok(decimal("1234")));
        assert!(cells.parse_decimal("12.5").is_err());
        assert!(cells.parse_decimal("1,2,3").is_err());
    }

    #[test]
    fn parses_configured_booleans_exactly() {
        let cells = CellFormat::default();
        assert_eq!(cells.parse_boolean("true"), Ok(true));
        assert_eq!(cells.parse_boolean(" false "), Ok(false));
        assert!(cells.parse_boolean("TRUE").is_err());
        assert!(cells.parse_boolean("yes").is_err());
        assert!(cells.parse_boolean("").is_err());

        let cells = french();
        assert_eq!(cells.parse_boolean("Oui"), Ok(true));
        assert_eq!(cells.parse_boolean("Non"), Ok(false));
        let error = cells.parse_boolean("oui").unwrap_err();
        assert_eq!(error.message, "`oui` is not a yes/no value");
        assert!(
            error
                .help
                .starts_with("expected `Oui` for yes or `Non` for no")
        );
        assert!(error.help.contains("format.true_values"));
    }

    #[test]
    fn an_empty_string_can_be_a_boolean_value() {
        let cells = CellFormat {
            false_values: vec!["No".to_string(), String::new()],
            true_values: vec!["Yes".to_string()],
            ..CellFormat::default()
        };
        assert_eq!(cells.parse_boolean(""), Ok(false));
        assert_eq!(cells.parse_boolean("  "), Ok(false));
    }

    #[test]
    fn iso_fast_path_matches_chrono() {
        let mut day = NaiveDate::from_ymd_opt(1999, 12, 25).unwrap();
        let last = NaiveDate::from_ymd_opt(2030, 1, 5).unwrap();
        while day <= last {
            let text = day.format("%Y-%m-%d").to_string();
            assert_eq!(parse_iso_date(&text), Some(day), "{text}");
            day = day.succ_opt().unwrap();
        }
        for text in [
            "2023-02-29",
            "2024-13-01",
            "2024-2-29",
            "2024/02/29",
            "0999-01-01",
            "２０２４-01-01",
        ] {
            assert_eq!(parse_iso_date(text), None, "{text}");
        }
        let cells = CellFormat::default();
        assert!(cells.parse_date("2023-02-29").is_err());
        assert!(cells.parse_date("0999-01-01").is_err());
        assert!(cells.parse_date("+2024-01-01").is_err());
        assert!(cells.parse_date("-2024-01-01").is_err());
        assert_eq!(
            cells.parse_date(" 2024-02-29 "),
            Ok(NaiveDate::from_ymd_opt(2024, 2, 29).unwrap())
        );
    }

    #[test]
    fn invisible_separator_is_named() {
        let cells = CellFormat {
            decimal_separator: ',',
            thousands_separator: Some(' '),
            ..CellFormat::default()
        };
        let error = cells.parse_decimal("1\u{a0}234,56").unwrap_err();
        assert!(error.message.contains("U+00A0"), "{}", error.message);
        assert_eq!(cells.parse_decimal("1 234,56"), Ok(decimal("1234.56")));
    }
}
