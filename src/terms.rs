//! Payment terms and the due dates they give.
//!
//! The policy offers terms per grade, and an export may give an invoice's
//! terms instead of its due date. Both use [`PaymentTerms`]. French practice
//! (Code de commerce, art. L441-10) knows two computations of "45 days end of
//! month", and they give different dates, so a term must say which it means:
//! for an invoice of 17 January 2012, `45 days then end of month` is due on
//! 31 March 2012 and `end of month then 45 days` on 16 March 2012.

mod longest;
mod parse;

use chrono::{Datelike, Days, Months, NaiveDate};

/// Ten years: the longest payment term in days that a policy or an export may
/// give. Anything longer is taken for a typing mistake.
pub const MAX_DAYS: u32 = 3660;

/// Ten years: the longest payment term in calendar months that a policy or an
/// export may give.
pub const MAX_MONTHS: u32 = 120;

/// The maximum number of days an end-of-month step adds: an invoice dated on
/// the 1st of a 31-day month waits 30 days for the month's end.
const END_OF_MONTH_MAX_EXTRA_DAYS: u32 = 30;

/// Terms of payment.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum PaymentTerms {
    /// Paid before delivery: due on the invoice date.
    Prepayment,
    /// Due N days after the invoice date.
    Net(u32),
    /// Due N calendar months after the invoice date, on the same day of the
    /// month or on the month's last day when it is shorter (31 January plus
    /// one month is 28 or 29 February).
    NetMonths(u32),
    /// The invoice date plus N days, then the end of that month.
    DaysThenEndOfMonth(u32),
    /// The end of the invoice's month, then N days more.
    EndOfMonthThenDays(u32),
}

/// The computation meant by "N days end of month" when a text leaves it out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EndOfMonthMethod {
    DaysThenEndOfMonth,
    EndOfMonthThenDays,
}

/// Why a terms text was not understood.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct TermsError {
    pub message: String,
    pub help: String,
}

impl PaymentTerms {
    /// Computes the due date of an invoice issued on `invoice_date`; `None`
    /// only past the end of the calendar chrono supports.
    pub fn due_date(&self, invoice_date: NaiveDate) -> Option<NaiveDate> {
        match *self {
            Self::Prepayment => Some(invoice_date),
            Self::Net(days) => add_days(invoice_date, days),
            Self::NetMonths(months) => invoice_date.checked_add_months(Months::new(months)),
            Self::DaysThenEndOfMonth(days) => end_of_month(add_days(invoice_date, days)?),
            Self::EndOfMonthThenDays(days) => add_days(end_of_month(invoice_date)?, days),
        }
    }

    /// Writes the terms as a policy writes them: `30 days`, `2 months`,
    /// `45 days then end of month`, `end of month then 45 days`, `prepayment`.
    pub fn describe(&self) -> String {
        match *self {
            Self::Prepayment => "prepayment".to_string(),
            Self::Net(days) => days_text(days),
            Self::NetMonths(1) => "1 month".to_string(),
            Self::NetMonths(months) => format!("{months} months"),
            Self::DaysThenEndOfMonth(days) => format!("{} then end of month", days_text(days)),
            Self::EndOfMonthThenDays(days) => format!("end of month then {}", days_text(days)),
        }
    }

    /// Reads terms written as a policy writes them, and the usual variants of
    /// an export: `net 30`, `30`, `net 30 days`, `end of month plus 45 days`,
    /// any letter case. `45 days end of month` needs `unstated`, the method
    /// the export's manifest declares.
    ///
    /// Lengths are whole numbers up to [`MAX_DAYS`] days or [`MAX_MONTHS`]
    /// months, so `parse(describe(t))` returns `t` for every `t` within
    /// those bounds.
    pub fn parse(
        text: &str,
        unstated: Option<EndOfMonthMethod>,
    ) -> Result<PaymentTerms, TermsError> {
        parse::parse_terms(text, unstated)
    }

    /// The most days from an invoice date to the due date these terms can
    /// give, over every possible invoice date. Saturates at `u32::MAX` for
    /// lengths far beyond [`MAX_DAYS`] and [`MAX_MONTHS`].
    pub fn longest_days(&self) -> u32 {
        match *self {
            Self::Prepayment => 0,
            Self::Net(days) => days,
            Self::NetMonths(months) => longest::max_months_span(months),
            Self::DaysThenEndOfMonth(days) | Self::EndOfMonthThenDays(days) => {
                days.saturating_add(END_OF_MONTH_MAX_EXTRA_DAYS)
            }
        }
    }
}

fn add_days(date: NaiveDate, days: u32) -> Option<NaiveDate> {
    date.checked_add_days(Days::new(u64::from(days)))
}

/// Returns the last day of `date`'s month.
fn end_of_month(date: NaiveDate) -> Option<NaiveDate> {
    date.with_day(u32::from(date.num_days_in_month()))
}

/// Formats a number of days as `30 days`, or `1 day` for one.
fn days_text(days: u32) -> String {
    match days {
        1 => "1 day".to_string(),
        days => format!("{days} days"),
    }
}

#[cfg(test)]
mod tests {
    use super::PaymentTerms;

    #[test]
    fn describe_prepayment() {
        assert_eq!(PaymentTerms::Prepayment.describe(), "prepayment");
    }

    #[test]
    fn describe_net_days() {
        assert_eq!(PaymentTerms::Net(30).describe(), "30 days");
        assert_eq!(PaymentTerms::Net(0).describe(), "0 days");
    }

    #[test]
    fn describe_one_day() {
        assert_eq!(PaymentTerms::Net(1).describe(), "1 day");
    }

    #[test]
    fn describe_months() {
        assert_eq!(PaymentTerms::NetMonths(2).describe(), "2 months");
        assert_eq!(PaymentTerms::NetMonths(120).describe(), "120 months");
    }

    #[test]
    fn describe_one_month() {
        assert_eq!(PaymentTerms::NetMonths(1).describe(), "1 month");
    }

    #[test]
    fn describe_days_then_end_of_month() {
        let terms = PaymentTerms::DaysThenEndOfMonth(45);
        assert_eq!(terms.describe(), "45 days then end of month");
    }

    #[test]
    fn describe_end_of_month_then_days() {
        let terms = PaymentTerms::EndOfMonthThenDays(45);
        assert_eq!(terms.describe(), "end of month then 45 days");
    }

    #[test]
    fn describe_end_of_month_one_day() {
        let after = PaymentTerms::DaysThenEndOfMonth(1);
        let before = PaymentTerms::EndOfMonthThenDays(1);
        assert_eq!(after.describe(), "1 day then end of month");
        assert_eq!(before.describe(), "end of month then 1 day");
    }
}
