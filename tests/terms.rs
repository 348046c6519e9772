//! Payment terms: due dates, the longest reach of each kind of term, reading
//! terms texts, and how the policy checker applies them.
//!
//! Expected due dates come from a separate computation written here. It adds
//! days one at a time and finds a month's end by walking forward until the
//! month changes. It adds months by counting year and month numbers, with a
//! hand-written table of month lengths.

use chrono::{Datelike, NaiveDate};
use solvent::check::{CheckOptions, check_source};
use solvent::hooks::{HookEngine, HookLimits};
use solvent::source::SourceFile;
use solvent::terms::{EndOfMonthMethod, MAX_DAYS, MAX_MONTHS, PaymentTerms, TermsError};

/// Lengths tried on every day of a year, in days or months.
const LENGTHS: [u32; 8] = [0, 1, 28, 29, 30, 31, 45, 60];

/// Extra lengths in months: a quarter, a year, and spans across one or two
/// Februaries.
const EXTRA_MONTHS: [u32; 5] = [2, 3, 12, 13, 24];

/// A common year and a leap year.
const YEARS: [i32; 2] = [2023, 2024];

fn date(year: i32, month: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month, day).unwrap()
}

/// Lists every day of `year`, walked one day at a time.
fn days_of_year(year: i32) -> Vec<NaiveDate> {
    let mut days = Vec::new();
    let mut day = date(year, 1, 1);
    while day.year() == year {
        days.push(day);
        day = day.succ_opt().unwrap();
    }
    days
}

/// Lists every day from the start of `first` to the end of `last`.
fn days_of_years(first: i32, last: i32) -> Vec<NaiveDate> {
    (first..=last).flat_map(days_of_year).collect()
}

fn walk_days(from: NaiveDate, days: u32) -> NaiveDate {
    let mut day = from;
    for _ in 0..days {
        day = day.succ_opt().unwrap();
    }
    day
}

fn walk_to_month_end(from: NaiveDate) -> NaiveDate {
    let mut day = from;
    loop {
        let next = day.succ_opt().unwrap();
        if next.month() != day.month() {
            return day;
        }
        day = next;
    }
}

fn table_days_in_month(year: i32, month: u32) -> u32 {
    const COMMON_YEAR: [u32; 12] = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    if month == 2 && leap {
        29
    } else {
        COMMON_YEAR[month as usize - 1]
    }
}

fn table_add_months(from: NaiveDate, months: u32) -> NaiveDate {
    let mut year = from.year();
    let mut month = from.month();
    for _ in 0..months {
        month += 1;
        if month == 13 {
            month = 1;
            year += 1;
        }
    }
    let day = from.day().min(table_days_in_month(year, month));
    date(year, month, day)
}

/// Asserts the due date of `terms` on every day of [`YEARS`].
fn assert_every_day(terms: PaymentTerms, expected: impl Fn(NaiveDate) -> NaiveDate) {
    for year in YEARS {
        for invoice_date in days_of_year(year) {
            assert_eq!(
                terms.due_date(invoice_date),
                Some(expected(invoice_date)),
                "{terms:?} for an invoice of {invoice_date}"
            );
        }
    }
}

fn due(terms: PaymentTerms, invoice_date: NaiveDate) -> NaiveDate {
    terms.due_date(invoice_date).unwrap()
}

// ─── Due dates ───────────────────────────────────────────────────────────────

#[test]
fn worked_example_days_then_end_of_month() {
    let terms = PaymentTerms::DaysThenEndOfMonth(45);
    assert_eq!(due(terms, date(2012, 1, 17)), date(2012, 3, 31));
}

#[test]
fn worked_example_end_of_month_then_days() {
    let terms = PaymentTerms::EndOfMonthThenDays(45);
    assert_eq!(due(terms, date(2012, 1, 17)), date(2012, 3, 16));
}

#[test]
fn worked_example_net_60() {
    let terms = PaymentTerms::Net(60);
    assert_eq!(due(terms, date(2012, 1, 17)), date(2012, 3, 17));
}

#[test]
fn prepayment_every_day() {
    assert_every_day(PaymentTerms::Prepayment, |invoice_date| invoice_date);
}

#[test]
fn net_every_day() {
    for days in LENGTHS {
        assert_every_day(PaymentTerms::Net(days), |invoice_date| {
            walk_days(invoice_date, days)
        });
    }
}

#[test]
fn months_every_day() {
    for months in LENGTHS.into_iter().chain(EXTRA_MONTHS) {
        assert_every_day(PaymentTerms::NetMonths(months), |invoice_date| {
            table_add_months(invoice_date, months)
        });
    }
}

#[test]
fn days_then_end_of_month_every_day() {
    for days in LENGTHS {
        assert_every_day(PaymentTerms::DaysThenEndOfMonth(days), |invoice_date| {
            walk_to_month_end(walk_days(invoice_date, days))
        });
    }
}

#[test]
fn end_of_month_then_days_every_day() {
    for days in LENGTHS {
        assert_every_day(PaymentTerms::EndOfMonthThenDays(days), |invoice_date| {
            walk_days(walk_to_month_end(invoice_date), days)
        });
    }
}

#[test]
fn months_from_31_january() {
    let terms = PaymentTerms::NetMonths(1);
    assert_eq!(due(terms, date(2024, 1, 31)), date(2024, 2, 29));
    assert_eq!(due(terms, date(2023, 1, 31)), date(2023, 2, 28));
}

#[test]
fn months_from_30_november() {
    let terms = PaymentTerms::NetMonths(3);
    assert_eq!(due(terms, date(2023, 11, 30)), date(2024, 2, 29));
    assert_eq!(due(terms, date(2022, 11, 30)), date(2023, 2, 28));
}

#[test]
fn months_from_29_february() {
    let one = PaymentTerms::NetMonths(1);
    let twelve = PaymentTerms::NetMonths(12);
    let forty_eight = PaymentTerms::NetMonths(48);
    assert_eq!(due(one, date(2024, 2, 29)), date(2024, 3, 29));
    assert_eq!(due(twelve, date(2024, 2, 29)), date(2025, 2, 28));
    assert_eq!(due(forty_eight, date(2024, 2, 29)), date(2028, 2, 29));
}

#[test]
fn months_from_31_december() {
    let one = PaymentTerms::NetMonths(1);
    let two = PaymentTerms::NetMonths(2);
    assert_eq!(due(one, date(2023, 12, 31)), date(2024, 1, 31));
    assert_eq!(due(two, date(2023, 12, 31)), date(2024, 2, 29));
}

#[test]
fn months_over_century_years() {
    let twelve = PaymentTerms::NetMonths(12);
    // 1900 and 2100 are common years, 2000 is a leap year.
    assert_eq!(due(twelve, date(1899, 2, 28)), date(1900, 2, 28));
    assert_eq!(due(twelve, date(1999, 3, 31)), date(2000, 3, 31));
    assert_eq!(
        due(PaymentTerms::NetMonths(1), date(2100, 1, 31)),
        date(2100, 2, 28)
    );
}

#[test]
fn end_of_month_from_31_january() {
    let after = PaymentTerms::DaysThenEndOfMonth(30);
    let before = PaymentTerms::EndOfMonthThenDays(30);
    // 31 Jan 2024 + 30 days is 1 Mar 2024.
    assert_eq!(due(after, date(2024, 1, 31)), date(2024, 3, 31));
    assert_eq!(due(before, date(2024, 1, 31)), date(2024, 3, 1));
}

#[test]
fn end_of_month_from_29_february() {
    let after = PaymentTerms::DaysThenEndOfMonth(0);
    let before = PaymentTerms::EndOfMonthThenDays(1);
    assert_eq!(due(after, date(2024, 2, 29)), date(2024, 2, 29));
    assert_eq!(due(before, date(2024, 2, 29)), date(2024, 3, 1));
}

#[test]
fn end_of_month_after_february() {
    let after = PaymentTerms::DaysThenEndOfMonth(30);
    let before = PaymentTerms::EndOfMonthThenDays(30);
    // The month after February ends on the 31st, not on the 28th.
    assert_eq!(due(after, date(2023, 2, 28)), date(2023, 3, 31));
    assert_eq!(due(before, date(2023, 2, 15)), date(2023, 3, 30));
}

#[test]
fn end_of_month_from_30_november() {
    let after = PaymentTerms::DaysThenEndOfMonth(1);
    let before = PaymentTerms::EndOfMonthThenDays(1);
    assert_eq!(due(after, date(2023, 11, 30)), date(2023, 12, 31));
    assert_eq!(due(before, date(2023, 11, 30)), date(2023, 12, 1));
}

#[test]
fn end_of_month_from_31_december() {
    let after = PaymentTerms::DaysThenEndOfMonth(1);
    let before = PaymentTerms::EndOfMonthThenDays(1);
    assert_eq!(due(after, date(2023, 12, 31)), date(2024, 1, 31));
    assert_eq!(due(before, date(2023, 12, 31)), date(2024, 1, 1));
}

#[test]
fn net_from_31_december() {
    assert_eq!(
        due(PaymentTerms::Net(60), date(2023, 12, 31)),
        date(2024, 2, 29)
    );
    assert_eq!(
        due(PaymentTerms::Net(60), date(2022, 12, 31)),
        date(2023, 3, 1)
    );
}

#[test]
fn due_date_past_calendar_end() {
    let last = NaiveDate::MAX;
    assert_eq!(PaymentTerms::Net(1).due_date(last), None);
    assert_eq!(PaymentTerms::NetMonths(1).due_date(last), None);
    assert_eq!(PaymentTerms::DaysThenEndOfMonth(1).due_date(last), None);
    assert_eq!(PaymentTerms::EndOfMonthThenDays(1).due_date(last), None);
}

#[test]
fn due_date_on_calendar_end() {
    let last = NaiveDate::MAX;
    assert_eq!(PaymentTerms::Prepayment.due_date(last), Some(last));
    assert_eq!(PaymentTerms::Net(0).due_date(last), Some(last));
    assert_eq!(PaymentTerms::NetMonths(0).due_date(last), Some(last));
    assert_eq!(
        PaymentTerms::DaysThenEndOfMonth(0).due_date(last),
        Some(last)
    );
    assert_eq!(
        PaymentTerms::EndOfMonthThenDays(0).due_date(last),
        Some(last)
    );
}

#[test]
fn due_date_largest_lengths() {
    let first = NaiveDate::MIN;
    assert_eq!(PaymentTerms::Net(u32::MAX).due_date(first), None);
    assert_eq!(PaymentTerms::NetMonths(u32::MAX).due_date(first), None);
    assert_eq!(
        PaymentTerms::DaysThenEndOfMonth(u32::MAX).due_date(first),
        None
    );
    assert_eq!(
        PaymentTerms::EndOfMonthThenDays(u32::MAX).due_date(first),
        None
    );
}

// ─── Longest reach ───────────────────────────────────────────────────────────

#[test]
fn longest_days_simple_terms() {
    assert_eq!(PaymentTerms::Prepayment.longest_days(), 0);
    assert_eq!(PaymentTerms::Net(60).longest_days(), 60);
    assert_eq!(PaymentTerms::DaysThenEndOfMonth(45).longest_days(), 75);
    assert_eq!(PaymentTerms::EndOfMonthThenDays(45).longest_days(), 75);
}

#[test]
fn longest_days_months() {
    // 1 month: January to February. 2 months: July and August. 3 months:
    // July to September. 12 months: a year with 29 February.
    assert_eq!(PaymentTerms::NetMonths(1).longest_days(), 31);
    assert_eq!(PaymentTerms::NetMonths(2).longest_days(), 62);
    assert_eq!(PaymentTerms::NetMonths(3).longest_days(), 92);
    assert_eq!(PaymentTerms::NetMonths(12).longest_days(), 366);
}

#[test]
fn longest_days_century() {
    // The 100 years from 1904 to 2003 hold 25 leap years, as many as any
    // 100 consecutive years, because 2000 is one.
    let span = date(2004, 1, 1) - date(1904, 1, 1);
    assert_eq!(span.num_days(), 36525);
    assert_eq!(PaymentTerms::NetMonths(1200).longest_days(), 36525);
}

#[test]
fn longest_days_saturates() {
    assert_eq!(PaymentTerms::Net(u32::MAX).longest_days(), u32::MAX);
    assert_eq!(PaymentTerms::NetMonths(u32::MAX).longest_days(), u32::MAX);
    let after = PaymentTerms::DaysThenEndOfMonth(u32::MAX);
    assert_eq!(after.longest_days(), u32::MAX);
}

/// Lists terms of every kind, with lengths whose longest reach occurs between 1996
/// and 2031. Up to 120 months, that window contains as many leap years as
/// any window of its length can, because it contains 2000 and not 2100.
fn brute_force_terms() -> Vec<PaymentTerms> {
    let days = [0, 1, 27, 28, 29, 30, 31, 45, 60, 365, 366];
    let months = [0, 1, 2, 3, 5, 6, 11, 12, 13, 23, 24, 25, 47, 48, 49, 120];
    let mut terms = vec![PaymentTerms::Prepayment];
    for n in days {
        terms.push(PaymentTerms::Net(n));
        terms.push(PaymentTerms::DaysThenEndOfMonth(n));
        terms.push(PaymentTerms::EndOfMonthThenDays(n));
    }
    terms.extend(months.map(PaymentTerms::NetMonths));
    terms
}

#[test]
fn longest_days_brute_force() {
    let invoice_dates = days_of_years(1996, 2031);
    for terms in brute_force_terms() {
        let longest = invoice_dates
            .iter()
            .map(|&invoice_date| (due(terms, invoice_date) - invoice_date).num_days())
            .max()
            .unwrap();
        assert_eq!(
            i64::from(terms.longest_days()),
            longest,
            "{terms:?} over every invoice date from 1996 to 2031"
        );
    }
}

// ─── Reading terms ───────────────────────────────────────────────────────────

fn parse(text: &str) -> Result<PaymentTerms, TermsError> {
    PaymentTerms::parse(text, None)
}

fn parse_error(text: &str, unstated: Option<EndOfMonthMethod>) -> TermsError {
    PaymentTerms::parse(text, unstated).unwrap_err()
}

#[test]
fn parse_describe_round_trip() {
    let mut all = vec![PaymentTerms::Prepayment];
    for days in 0..=MAX_DAYS {
        all.push(PaymentTerms::Net(days));
        all.push(PaymentTerms::DaysThenEndOfMonth(days));
        all.push(PaymentTerms::EndOfMonthThenDays(days));
    }
    all.extend((0..=MAX_MONTHS).map(PaymentTerms::NetMonths));

    for terms in all {
        let text = terms.describe();
        assert_eq!(parse(&text), Ok(terms), "`{text}`");
        let upper = text.to_uppercase();
        assert_eq!(parse(&upper), Ok(terms), "`{upper}`");
    }
}

#[test]
fn parse_explicit_method_ignores_unstated() {
    let declared = Some(EndOfMonthMethod::EndOfMonthThenDays);
    let terms = PaymentTerms::parse("45 days then end of month", declared);
    assert_eq!(terms, Ok(PaymentTerms::DaysThenEndOfMonth(45)));
}

#[test]
fn parse_accepted_spellings() {
    let cases = [
        ("net 30", PaymentTerms::Net(30)),
        ("net 30 days", PaymentTerms::Net(30)),
        ("30", PaymentTerms::Net(30)),
        ("30 days", PaymentTerms::Net(30)),
        ("30 days net", PaymentTerms::Net(30)),
        ("1 day", PaymentTerms::Net(1)),
        ("net 1 day", PaymentTerms::Net(1)),
        ("net 2 months", PaymentTerms::NetMonths(2)),
        ("2 months", PaymentTerms::NetMonths(2)),
        ("2 months net", PaymentTerms::NetMonths(2)),
        ("1 month", PaymentTerms::NetMonths(1)),
        ("net 1 month", PaymentTerms::NetMonths(1)),
        (
            "45 days then end of month",
            PaymentTerms::DaysThenEndOfMonth(45),
        ),
        ("45 then end of month", PaymentTerms::DaysThenEndOfMonth(45)),
        ("45 days then eom", PaymentTerms::DaysThenEndOfMonth(45)),
        (
            "end of month then 45 days",
            PaymentTerms::EndOfMonthThenDays(45),
        ),
        (
            "end of month plus 45 days",
            PaymentTerms::EndOfMonthThenDays(45),
        ),
        (
            "end of month + 45 days",
            PaymentTerms::EndOfMonthThenDays(45),
        ),
        (
            "end of month +45 days",
            PaymentTerms::EndOfMonthThenDays(45),
        ),
        ("end of month + 45", PaymentTerms::EndOfMonthThenDays(45)),
        ("eom + 45", PaymentTerms::EndOfMonthThenDays(45)),
        ("prepayment", PaymentTerms::Prepayment),
        ("30.0 days", PaymentTerms::Net(30)),
        ("-0 days", PaymentTerms::Net(0)),
        ("0030 days", PaymentTerms::Net(30)),
        ("net 3660 days", PaymentTerms::Net(3660)),
        ("120 months", PaymentTerms::NetMonths(120)),
    ];
    for (text, expected) in cases {
        assert_eq!(parse(text), Ok(expected), "`{text}`");
    }
}

#[test]
fn parse_case_and_spacing() {
    let cases = [
        ("  NET   30  ", PaymentTerms::Net(30)),
        ("Net\t30 Days", PaymentTerms::Net(30)),
        ("PREPAYMENT", PaymentTerms::Prepayment),
        (
            "\nEnd Of Month  Then 45 Days\r\n",
            PaymentTerms::EndOfMonthThenDays(45),
        ),
        ("NET30", PaymentTerms::Net(30)),
        ("30days", PaymentTerms::Net(30)),
        ("EOM+45", PaymentTerms::EndOfMonthThenDays(45)),
    ];
    for (text, expected) in cases {
        assert_eq!(parse(text), Ok(expected), "`{text}`");
    }
}

#[test]
fn parse_unstated_with_method() {
    let after = Some(EndOfMonthMethod::DaysThenEndOfMonth);
    let before = Some(EndOfMonthMethod::EndOfMonthThenDays);
    for text in [
        "45 days end of month",
        "45 days eom",
        "45 Days EOM",
        "45 end of month",
    ] {
        assert_eq!(
            PaymentTerms::parse(text, after),
            Ok(PaymentTerms::DaysThenEndOfMonth(45)),
            "`{text}`"
        );
        assert_eq!(
            PaymentTerms::parse(text, before),
            Ok(PaymentTerms::EndOfMonthThenDays(45)),
            "`{text}`"
        );
    }
}

#[test]
fn parse_unstated_without_method() {
    let error = parse_error("45 days end of month", None);
    assert_eq!(
        error.message,
        "`45 days end of month` does not say how its due date is computed"
    );
    assert_eq!(
        error.help,
        "two computations are in use, and they give different due dates: write \
         `45 days then end of month` (invoice date + 45 days, then the end of that month) \
         or `end of month then 45 days` (the end of the invoice's month, then + 45 days)"
    );
}

#[test]
fn parse_unstated_eom_quotes_text() {
    let error = parse_error("  45 Days EOM ", None);
    assert_eq!(
        error.message,
        "`45 Days EOM` does not say how its due date is computed"
    );
}

#[test]
fn parse_unstated_one_day() {
    let error = parse_error("1 day eom", None);
    assert!(
        error.help.contains("`1 day then end of month`"),
        "{}",
        error.help
    );
    assert!(
        error.help.contains("`end of month then 1 day`"),
        "{}",
        error.help
    );
}

#[test]
fn parse_rejections() {
    let cases = [
        (
            "-30 days",
            "invalid payment terms `-30 days`: a length cannot be negative",
        ),
        (
            "net -30",
            "invalid payment terms `net -30`: a length cannot be negative",
        ),
        (
            "30.5 days",
            "invalid payment terms `30.5 days`: the length is not a whole number of days",
        ),
        (
            "1.5 months",
            "invalid payment terms `1.5 months`: the length is not a whole number of months",
        ),
        (
            "end of month then 0.5 days",
            "invalid payment terms `end of month then 0.5 days`: the length is not a whole number of days",
        ),
        (
            "3661 days",
            "invalid payment terms `3661 days`: the length is over 3660 days",
        ),
        (
            "121 months",
            "invalid payment terms `121 months`: the length is over 120 months",
        ),
        (
            "4000 days then end of month",
            "invalid payment terms `4000 days then end of month`: the length is over 3660 days",
        ),
        (
            "99999999999999999999999999999999 days",
            "invalid payment terms `99999999999999999999999999999999 days`: the length is over 3660 days",
        ),
        (
            "0.00000000000000000000000000000001 days",
            "invalid payment terms `0.00000000000000000000000000000001 days`: the length is not a whole number of days",
        ),
        (
            "4294967296 days",
            "invalid payment terms `4294967296 days`: the length is over 3660 days",
        ),
        (
            "-0.5 days",
            "invalid payment terms `-0.5 days`: a length cannot be negative",
        ),
        ("30. days", "invalid payment terms `30. days`"),
        (".5 days", "invalid payment terms `.5 days`"),
        ("3-0 days", "invalid payment terms `3-0 days`"),
        ("thirty days", "invalid payment terms `thirty days`"),
        ("net", "invalid payment terms `net`"),
        ("days", "invalid payment terms `days`"),
        ("net 30 days net", "invalid payment terms `net 30 days net`"),
        ("30 weeks", "invalid payment terms `30 weeks`"),
        (
            "30 days 2 months",
            "invalid payment terms `30 days 2 months`",
        ),
        ("end of month", "invalid payment terms `end of month`"),
        (
            "end of month 45 days",
            "invalid payment terms `end of month 45 days`",
        ),
        ("45 days then", "invalid payment terms `45 days then`"),
        (
            "2 months then end of month",
            "invalid payment terms `2 months then end of month`",
        ),
        (
            "end of month then 2 months",
            "invalid payment terms `end of month then 2 months`",
        ),
        ("30,5 days", "invalid payment terms `30,5 days`"),
        ("1e3 days", "invalid payment terms `1e3 days`"),
        ("net 30 - 2%", "invalid payment terms `net 30 - 2%`"),
        (
            "prepayment 30 days",
            "invalid payment terms `prepayment 30 days`",
        ),
        ("", "missing payment terms: the text is empty"),
        (" \t ", "missing payment terms: the text is empty"),
    ];
    for (text, message) in cases {
        assert_eq!(parse_error(text, None).message, message, "`{text}`");
    }
}

#[test]
fn parse_rejection_help_lists_forms() {
    let help = parse_error("thirty days", None).help;
    let forms = [
        "`30 days`",
        "`net 30`",
        "`net 30 days`",
        "`30 days net`",
        "`2 months`",
        "`net 2 months`",
        "`45 days then end of month`",
        "`end of month then 45 days`",
        "`end of month plus 45 days`",
        "`end of month + 45 days`",
        "`prepayment`",
    ];
    for form in forms {
        assert!(help.contains(form), "{form} missing from: {help}");
    }
    assert!(help.contains("up to 3660"), "{help}");
    assert!(help.contains("up to 120"), "{help}");
}

#[test]
fn parse_same_help_for_every_rejection() {
    let unknown = parse_error("thirty days", None).help;
    assert_eq!(parse_error("-30 days", None).help, unknown);
    assert_eq!(parse_error("30.5 days", None).help, unknown);
    assert_eq!(parse_error("3661 days", None).help, unknown);
    assert_eq!(parse_error("", None).help, unknown);
}

#[test]
fn terms_error_displays_message() {
    let error = parse_error("thirty days", None);
    assert_eq!(error.to_string(), error.message);
}

/// A deterministic generator of word sequences, so that the test needs no
/// random-number crate and fails the same way each run.
struct WordMixer {
    state: u64,
}

impl WordMixer {
    const WORDS: [&str; 22] = [
        "net",
        "30",
        "45",
        "0",
        "-1",
        "1.5",
        "days",
        "day",
        "months",
        "month",
        "end",
        "of",
        "then",
        "plus",
        "+",
        "eom",
        "prepayment",
        "İ",
        "ß",
        "٣٠",
        "\u{0}",
        "4294967296",
    ];

    fn next(&mut self) -> u64 {
        // Knuth's MMIX linear congruential generator.
        self.state = self
            .state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.state >> 33
    }

    fn text(&mut self) -> String {
        let count = self.next() % 7;
        let mut words = Vec::new();
        for _ in 0..count {
            let index = (self.next() % Self::WORDS.len() as u64) as usize;
            words.push(Self::WORDS[index]);
        }
        let separator = if self.next().is_multiple_of(2) {
            " "
        } else {
            ""
        };
        words.join(separator)
    }
}

#[test]
fn parse_mixed_words_never_panics() {
    let mut mixer = WordMixer { state: 2012 };
    let methods = [
        None,
        Some(EndOfMonthMethod::DaysThenEndOfMonth),
        Some(EndOfMonthMethod::EndOfMonthThenDays),
    ];
    let mut accepted = 0;
    for _ in 0..20_000 {
        let text = mixer.text();
        for method in methods {
            let Ok(terms) = PaymentTerms::parse(&text, method) else {
                continue;
            };
            accepted += 1;
            let again = parse(&terms.describe());
            assert_eq!(again, Ok(terms), "`{text}` read as {terms:?}");
        }
    }
    // The mix must also produce accepted texts for the round trip to test.
    assert!(accepted > 100, "only {accepted} texts accepted");
}

#[test]
fn parse_long_text() {
    let text = "net ".repeat(10_000) + "30";
    let error = parse_error(&text, None);
    assert!(error.message.starts_with("invalid payment terms `net net"));
}

// ─── Terms in a policy ───────────────────────────────────────────────────────

/// Checks a policy with one grade `A`, the given `max terms` line and terms.
fn check_terms(max_terms: &str, terms: &str) -> solvent::check::CheckOutcome {
    let text = format!(
        "policy \"terms\" version 1\ncurrency EUR\n{max_terms}\n\n\
         score {{\n  factor \"overdue share\" weight 100% {{\n    \
         when overdue_ratio < 5% => 0\n    otherwise => 100\n  }}\n}}\n\n\
         grades {{\n  A otherwise\n}}\n\n\
         terms {{\n  A => {terms}\n}}\n"
    );
    let source = SourceFile::new("terms.policy".to_string(), text);
    let engine = HookEngine::new(HookLimits::default());
    let options = CheckOptions {
        base_dir: std::env::temp_dir(),
        hooks: &engine,
    };
    check_source(&source, &options)
}

fn checked_terms(max_terms: &str, terms: &str) -> PaymentTerms {
    let outcome = check_terms(max_terms, terms);
    let messages: Vec<&str> = outcome
        .diagnostics
        .iter()
        .map(|d| d.message.as_str())
        .collect();
    let policy = outcome.policy.unwrap_or_else(|| panic!("{messages:?}"));
    policy.terms.unwrap()[0].value
}

fn error_codes(max_terms: &str, terms: &str) -> Vec<&'static str> {
    let outcome = check_terms(max_terms, terms);
    outcome.diagnostics.iter().map(|d| d.code).collect()
}

#[test]
fn policy_months_terms() {
    assert_eq!(checked_terms("", "2 months"), PaymentTerms::NetMonths(2));
    assert_eq!(checked_terms("", "net 1 month"), PaymentTerms::NetMonths(1));
    assert_eq!(
        checked_terms("", "120 months"),
        PaymentTerms::NetMonths(120)
    );
}

#[test]
fn policy_months_invalid() {
    assert_eq!(error_codes("", "0 months"), ["invalid-terms"]);
    assert_eq!(error_codes("", "1.5 months"), ["invalid-terms"]);
    assert_eq!(error_codes("", "121 months"), ["invalid-terms"]);
}

#[test]
fn policy_months_within_net_cap() {
    // One month spans at most 31 days, two months at most 62.
    let one = checked_terms("max terms 31 days", "1 month");
    let two = checked_terms("max terms 62 days", "2 months");
    assert_eq!(one, PaymentTerms::NetMonths(1));
    assert_eq!(two, PaymentTerms::NetMonths(2));
}

#[test]
fn policy_months_over_net_cap() {
    assert_eq!(
        error_codes("max terms 30 days", "1 month"),
        ["terms-over-cap"]
    );
    assert_eq!(
        error_codes("max terms 61 days", "2 months"),
        ["terms-over-cap"]
    );
}

#[test]
fn policy_end_of_month_against_net_cap() {
    // Without an end-of-month cap, N days plus the 30 an end of month can add.
    let within = checked_terms("max terms 60 days", "30 days then end of month");
    assert_eq!(within, PaymentTerms::DaysThenEndOfMonth(30));
    let over = error_codes("max terms 60 days", "end of month then 31 days");
    assert_eq!(over, ["terms-over-cap"]);
}

#[test]
fn policy_end_of_month_against_its_cap() {
    let cap = "max terms 60 days, 45 days end of month";
    let within = checked_terms(cap, "45 days then end of month");
    assert_eq!(within, PaymentTerms::DaysThenEndOfMonth(45));
    assert_eq!(
        error_codes(cap, "end of month then 46 days"),
        ["terms-over-cap"]
    );
}

#[test]
fn policy_net_days_against_cap() {
    assert_eq!(
        checked_terms("max terms 60 days", "60 days"),
        PaymentTerms::Net(60)
    );
    assert_eq!(
        error_codes("max terms 60 days", "61 days"),
        ["terms-over-cap"]
    );
}

#[test]
fn policy_prepayment_under_any_cap() {
    let terms = checked_terms("max terms 1 day", "prepayment");
    assert_eq!(terms, PaymentTerms::Prepayment);
}
