//! Payment terms and the due dates they give.
//!
//! The policy offers terms per grade, and an export may give an invoice's
//! terms instead of its due date. Both use [`PaymentTerms`]. French practice
//! (Code de commerce, art. L441-10) knows two computations of "45 days end of
//! month", and they give different dates, so a term must say which it means:
//! for an invoice of 17 January 2012, `45 days then end of month` is due on
//! 31 March 2012 and `end of month then 45 days` on 16 March 2012.

use chrono::NaiveDate;

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
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TermsError {
    pub message: String,
    pub help: String,
}

impl PaymentTerms {
    /// Computes the due date of an invoice issued on `invoice_date`; `None`
    /// only past the end of the calendar chrono supports.
    pub fn due_date(&self, invoice_date: NaiveDate) -> Option<NaiveDate> {
        todo!("{self:?} {invoice_date}")
    }

    /// Writes the terms as a policy writes them: `30 days`, `2 months`,
    /// `45 days then end of month`, `end of month then 45 days`, `prepayment`.
    pub fn describe(&self) -> String {
        todo!()
    }

    /// Reads terms written as a policy writes them, and the usual variants of
    /// an export: `net 30`, `30`, `net 30 days`, `end of month plus 45 days`,
    /// any letter case. `45 days end of month` needs `unstated`, the method
    /// the export's manifest declares.
    pub fn parse(
        text: &str,
        unstated: Option<EndOfMonthMethod>,
    ) -> Result<PaymentTerms, TermsError> {
        todo!("{text} {unstated:?}")
    }

    /// The most days from an invoice date to the due date these terms can
    /// give, over every possible invoice date.
    pub fn longest_days(&self) -> u32 {
        todo!()
    }
}
