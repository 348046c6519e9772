//! Late-payment interest and the recovery fee of one late item.
//!
//! Interest is simple interest on the unpaid principal, day by day, from the
//! day after the due date through the day the principal is paid, or through
//! the as-of date while it is open: principal × annual rate × days ÷ 365 (or
//! 360 when the policy says so). A payment on day P still bears interest for
//! day P. With a reference rate, each day takes the rate of its half-year:
//! the reference rate in force on 1 January for January to June, on 1 July
//! for July to December, plus the policy's points, and at least its floor
//! and zero.
//!
//! When the policy applies payments to costs first (German BGB §367), a
//! payment on a late item settles the unpaid fee, then the interest accrued
//! so far, then the principal. Otherwise payments settle the principal only,
//! and the charges stay due on their own.
//!
//! Amounts are exact; the caller rounds for display.

use chrono::{Datelike, NaiveDate};
use rust_decimal::{Decimal, RoundingStrategy};

use super::{Application, DayCount, InterestRate, PenaltyTerms};
use crate::ledger::ReferenceRate;

/// What the computation needs to know about one late item.
#[derive(Clone, Copy, Debug)]
pub struct ChargeInput<'a> {
    pub due_date: NaiveDate,
    /// The item's amount, in its own currency.
    pub principal: Decimal,
    /// Credits applied to the item, in date order, in its currency.
    pub applications: &'a [Application],
    /// The recovery fee in the item's currency.
    pub fee: Decimal,
}

/// The charges of one late item at the as-of date, in the item's currency.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ItemCharges {
    /// Days from the due date to the day the principal was paid, or to the
    /// as-of date while it is open.
    pub days_late: i64,
    /// Interest accrued over those days.
    pub interest: Decimal,
    pub fee: Decimal,
    /// The part of the credits that went to the fee and the interest.
    pub paid: Decimal,
    /// Fee and interest still owed.
    pub due: Decimal,
    /// Principal still owed once the credits are split.
    pub principal_open: Decimal,
}

/// Why charges could not be computed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PenaltyError {
    /// No reference rate is in force on the first day of a half-year the
    /// interest covers.
    MissingReferenceRate { half_year_start: NaiveDate },
    /// A sum left the range of a decimal.
    Overflow,
}

/// Computes the charges of one item at `as_of`; `None` when the item was
/// never late, because it was paid by its due date or is not due yet.
pub fn item_charges(
    input: &ChargeInput<'_>,
    terms: &PenaltyTerms,
    reference_rates: &[ReferenceRate],
    as_of: NaiveDate,
) -> Result<Option<ItemCharges>, PenaltyError> {
    let mut state = State {
        principal: input.principal,
        interest_due: Decimal::ZERO,
        fee_due: Decimal::ZERO,
        charges: ItemCharges::default(),
        accrued_to: input.due_date,
    };
    let rate = RateBook {
        terms,
        reference_rates,
    };
    let applications = input.applications.iter();
    for application in applications.filter(|application| application.date <= as_of) {
        if state.principal <= Decimal::ZERO {
            break;
        }
        let date = application.date;
        state.accrue_to(date, &rate)?;
        if date > input.due_date && state.charges.fee.is_zero() {
            state.charge_fee(input.fee);
        }
        let costs_first = terms.costs_first && application.payment && date > input.due_date;
        state.apply(application.amount, costs_first)?;
    }
    let end = match state.principal > Decimal::ZERO {
        true => as_of,
        false => state.accrued_to,
    };
    if end <= input.due_date {
        return Ok(None);
    }
    state.accrue_to(end, &rate)?;
    if state.charges.fee.is_zero() {
        state.charge_fee(input.fee);
    }
    Ok(Some(state.finish(input.due_date, end)))
}

/// The running account of one item while its credits are replayed.
struct State {
    principal: Decimal,
    interest_due: Decimal,
    fee_due: Decimal,
    charges: ItemCharges,
    /// The last day interest has been counted for.
    accrued_to: NaiveDate,
}

impl State {
    /// Adds the interest on the current principal for the days after
    /// `accrued_to` through `date`.
    fn accrue_to(&mut self, date: NaiveDate, rate: &RateBook<'_>) -> Result<(), PenaltyError> {
        if date <= self.accrued_to || self.principal <= Decimal::ZERO {
            self.accrued_to = self.accrued_to.max(date);
            return Ok(());
        }
        let interest = rate.interest(self.principal, self.accrued_to, date)?;
        self.charges.interest = add(self.charges.interest, interest)?;
        self.interest_due = add(self.interest_due, interest)?;
        self.accrued_to = date;
        Ok(())
    }

    fn charge_fee(&mut self, fee: Decimal) {
        self.charges.fee = fee;
        self.fee_due = fee;
    }

    /// Applies a credit: to the fee and the interest first when
    /// `costs_first`, the rest to the principal.
    fn apply(&mut self, amount: Decimal, costs_first: bool) -> Result<(), PenaltyError> {
        let mut left = amount;
        if costs_first {
            for due in [&mut self.fee_due, &mut self.interest_due] {
                let part = left.min(*due);
                *due -= part;
                left -= part;
                self.charges.paid = add(self.charges.paid, part)?;
            }
        }
        self.principal = (self.principal - left.min(self.principal)).max(Decimal::ZERO);
        Ok(())
    }

    fn finish(mut self, due_date: NaiveDate, end: NaiveDate) -> ItemCharges {
        self.charges.days_late = (end - due_date).num_days();
        self.charges.due = self.fee_due + self.interest_due;
        self.charges.principal_open = self.principal;
        self.charges
    }
}

fn add(a: Decimal, b: Decimal) -> Result<Decimal, PenaltyError> {
    a.checked_add(b).ok_or(PenaltyError::Overflow)
}

/// The annual rate of each day.
struct RateBook<'a> {
    terms: &'a PenaltyTerms,
    reference_rates: &'a [ReferenceRate],
}

impl RateBook<'_> {
    /// Interest on `principal` for the days after `from` through `to`, one
    /// half-year at a time so that each part takes its own rate.
    fn interest(
        &self,
        principal: Decimal,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Decimal, PenaltyError> {
        let year_days = match self.terms.day_count {
            DayCount::Actual365 => Decimal::from(365),
            DayCount::Actual360 => Decimal::from(360),
        };
        let mut total = Decimal::ZERO;
        let mut start = from;
        while start < to {
            let first_day = start.succ_opt().ok_or(PenaltyError::Overflow)?;
            let half_year = half_year_start(first_day);
            let half_year_end = next_half_year(half_year).ok_or(PenaltyError::Overflow)?;
            let end = to.min(half_year_end.pred_opt().ok_or(PenaltyError::Overflow)?);
            let days = Decimal::from((end - start).num_days());
            let rate = self.rate(half_year)?;
            let part = principal
                .checked_mul(rate)
                .and_then(|p| p.checked_mul(days))
                .and_then(|p| p.checked_div(year_days))
                .ok_or(PenaltyError::Overflow)?;
            total = add(total, part)?;
            start = end;
        }
        Ok(exact_enough(total))
    }

    fn rate(&self, half_year: NaiveDate) -> Result<Decimal, PenaltyError> {
        match self.terms.rate {
            InterestRate::Fixed(rate) => Ok(rate),
            InterestRate::Reference { points, floor } => {
                let position = self
                    .reference_rates
                    .partition_point(|r| r.date <= half_year);
                let reference = position
                    .checked_sub(1)
                    .and_then(|index| self.reference_rates.get(index))
                    .ok_or(PenaltyError::MissingReferenceRate {
                        half_year_start: half_year,
                    })?;
                let rate = add(reference.rate, points)?;
                let rate = floor.map_or(rate, |floor| rate.max(floor));
                // Late-payment interest is owed by the client, never to it.
                Ok(rate.max(Decimal::ZERO))
            }
        }
    }
}

/// Costs first, applied while the allocation replays a client's credits: a
/// credit that reaches a late item pays its fee, then the interest accrued
/// through the credit's date, then the principal, and only what is left goes
/// on to the next item or the pool. So a later payment naming an invoice
/// still reaches principal that an earlier payment left open.
#[derive(Clone, Copy, Debug)]
pub struct CostRule<'a> {
    pub terms: &'a PenaltyTerms,
    pub reference_rates: &'a [ReferenceRate],
}

/// The fee and interest an item owes between two credits of the replay.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CostState {
    interest_due: Decimal,
    fee_due: Decimal,
    /// The last day interest has been counted for; `None` before the first
    /// late credit, when it is the due date.
    accrued_to: Option<NaiveDate>,
}

impl CostRule<'_> {
    /// Applies up to `amount` on `date` to a late item whose principal still
    /// owed is `principal`, charging `fee` first when given. Returns the part
    /// of `amount` applied; `principal` keeps what stays owed.
    pub fn absorb(
        &self,
        state: &mut CostState,
        principal: &mut Decimal,
        due_date: NaiveDate,
        date: NaiveDate,
        amount: Decimal,
        fee: Option<Decimal>,
    ) -> Result<Decimal, PenaltyError> {
        self.accrue(state, *principal, due_date, date)?;
        if let Some(fee) = fee {
            state.fee_due = add(state.fee_due, fee)?;
        }
        let mut left = amount.max(Decimal::ZERO);
        for due in [&mut state.fee_due, &mut state.interest_due] {
            let part = left.min(*due);
            *due -= part;
            left -= part;
        }
        let to_principal = left.min(*principal);
        *principal -= to_principal;
        left -= to_principal;
        Ok(amount.max(Decimal::ZERO) - left)
    }

    /// Counts the interest `principal` bears from the day after the last
    /// day counted, or after `due_date`, through `date`. A credit note that
    /// lowers the principal on `date` calls it first, so the interest the
    /// whole principal bore until then stays owed.
    pub fn accrue(
        &self,
        state: &mut CostState,
        principal: Decimal,
        due_date: NaiveDate,
        date: NaiveDate,
    ) -> Result<(), PenaltyError> {
        let from = state.accrued_to.unwrap_or(due_date);
        if date > from && principal > Decimal::ZERO {
            let rates = RateBook {
                terms: self.terms,
                reference_rates: self.reference_rates,
            };
            let interest = rates.interest(principal, from, date)?;
            state.interest_due = add(state.interest_due, interest)?;
            state.accrued_to = Some(date);
        }
        Ok(())
    }
}

/// Decimal places kept of computed charges: interest, and a fee converted
/// to another currency.
///
/// A division gives up to 28 significant digits, and a payment that settles
/// a fee, its interest and a principal is their sum, which can need more
/// digits than a decimal holds. It would then be rounded, and replaying the
/// rounded payment would leave a sliver of principal open. At 12 places,
/// such sums stay exact for amounts below 10^16, and the charges still
/// round to the same cents.
const CHARGE_PLACES: u32 = 12;

/// Rounds a computed charge to [`CHARGE_PLACES`].
fn exact_enough(charge: Decimal) -> Decimal {
    charge.round_dp_with_strategy(CHARGE_PLACES, RoundingStrategy::MidpointAwayFromZero)
}

/// Converts the fee from the policy's currency into an item's, `rate` being
/// the policy's units per unit of the item's; returns zero for a zero rate.
pub fn fee_in_item_currency(fee: Decimal, rate: Decimal) -> Decimal {
    fee.checked_div(rate).map_or(Decimal::ZERO, exact_enough)
}

/// 1 January or 1 July of the half-year `date` is in.
pub fn half_year_start(date: NaiveDate) -> NaiveDate {
    let month = if date.month() <= 6 { 1 } else { 7 };
    NaiveDate::from_ymd_opt(date.year(), month, 1).unwrap_or(date)
}

fn next_half_year(start: NaiveDate) -> Option<NaiveDate> {
    start.checked_add_months(chrono::Months::new(6))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ledger::RowOrigin;

    fn date(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    fn dec(text: &str) -> Decimal {
        text.parse().unwrap()
    }

    /// Rounds a computed charge as solvent keeps it: half away from zero to
    /// 12 decimal places.
    fn charge(exact: Decimal) -> Decimal {
        exact.round_dp_with_strategy(12, RoundingStrategy::MidpointAwayFromZero)
    }

    fn fixed(rate: &str, day_count: DayCount, costs_first: bool) -> PenaltyTerms {
        PenaltyTerms {
            rate: InterestRate::Fixed(dec(rate)),
            day_count,
            fee: Decimal::ZERO,
            costs_first,
            dun_unpaid_charges: false,
        }
    }

    fn input<'a>(due: &str, principal: &str, applications: &'a [Application]) -> ChargeInput<'a> {
        ChargeInput {
            due_date: date(due),
            principal: dec(principal),
            applications,
            fee: Decimal::ZERO,
        }
    }

    fn payment(date_text: &str, amount: &str) -> Application {
        Application {
            date: date(date_text),
            amount: dec(amount),
            payment: true,
        }
    }

    fn reference(date_text: &str, rate: &str) -> ReferenceRate {
        ReferenceRate {
            date: date(date_text),
            rate: dec(rate),
            origin: RowOrigin { file: 0, line: 0 },
        }
    }

    #[test]
    fn three_months_at_ten_and_a_quarter_percent() {
        // 10,000 EUR at 10.25% for the 91 days from 1 January to 1 April
        // 2027: 10,000 × 0.1025 × 91 ÷ 365 = 255.547..., about 256 EUR.
        let paid = [payment("2027-04-01", "10000")];
        let terms = fixed("0.1025", DayCount::Actual365, false);
        let charges = item_charges(
            &input("2026-12-31", "10000", &paid),
            &terms,
            &[],
            date("2027-06-30"),
        )
        .unwrap()
        .unwrap();
        assert_eq!(charges.days_late, 91);
        assert_eq!(charges.interest.round_dp(2), dec("255.55"));
        assert_eq!(charges.principal_open, Decimal::ZERO);
        assert_eq!(charges.due, charges.interest);
    }

    #[test]
    fn actual_360_charges_more() {
        // 10,000 × 0.1025 × 91 ÷ 360 = 259.097...
        let paid = [payment("2027-04-01", "10000")];
        let terms = fixed("0.1025", DayCount::Actual360, false);
        let charges = item_charges(
            &input("2026-12-31", "10000", &paid),
            &terms,
            &[],
            date("2027-06-30"),
        )
        .unwrap()
        .unwrap();
        assert_eq!(charges.interest.round_dp(2), dec("259.10"));
    }

    #[test]
    fn leap_year_counts_february_29() {
        // 31 December 2023 to 1 March 2024: 31 + 29 + 1 = 61 days.
        let terms = fixed("0.10", DayCount::Actual365, false);
        let charges = item_charges(
            &input("2023-12-31", "3650", &[]),
            &terms,
            &[],
            date("2024-03-01"),
        )
        .unwrap()
        .unwrap();
        assert_eq!(charges.days_late, 61);
        // 3650 × 0.10 × 61 ÷ 365 = 61 exactly.
        assert_eq!(charges.interest, dec("61"));
        assert_eq!(charges.principal_open, dec("3650"));
    }

    #[test]
    fn partial_payment_lowers_the_base() {
        // 1000 due 31 January; 400 paid on 10 February; open at 2 March:
        // 1000 × 0.1 × 10 ÷ 365 + 600 × 0.1 × 20 ÷ 365 = 2200 ÷ 365.
        let paid = [payment("2027-02-10", "400")];
        let terms = fixed("0.1", DayCount::Actual365, false);
        let charges = item_charges(
            &input("2027-01-31", "1000", &paid),
            &terms,
            &[],
            date("2027-03-02"),
        )
        .unwrap()
        .unwrap();
        assert_eq!(
            charges.interest,
            charge(dec("1000") / dec("365")) + charge(dec("1200") / dec("365"))
        );
        assert_eq!(charges.principal_open, dec("600"));
        assert_eq!(charges.days_late, 30);
    }

    #[test]
    fn paid_on_time_has_no_charges() {
        let paid = [payment("2027-01-31", "1000")];
        let terms = fixed("0.1", DayCount::Actual365, false);
        let result = item_charges(
            &input("2027-01-31", "1000", &paid),
            &terms,
            &[],
            date("2027-03-31"),
        );
        assert_eq!(result, Ok(None));
        let not_due = item_charges(
            &input("2027-04-30", "1000", &[]),
            &terms,
            &[],
            date("2027-03-31"),
        );
        assert_eq!(not_due, Ok(None));
    }

    #[test]
    fn payments_after_as_of_do_not_count() {
        let paid = [payment("2027-04-05", "1000")];
        let terms = fixed("0.1", DayCount::Actual365, false);
        let charges = item_charges(
            &input("2027-03-01", "1000", &paid),
            &terms,
            &[],
            date("2027-03-31"),
        )
        .unwrap()
        .unwrap();
        assert_eq!(charges.days_late, 30);
        assert_eq!(charges.principal_open, dec("1000"));
    }

    #[test]
    fn costs_first_keeps_principal_open() {
        // 1000 due 31 January, fee 40, 10%. 1000 paid on 2 March, 30 days
        // late: interest 1000 × 0.1 × 30 ÷ 365 = 3000 ÷ 365. The payment
        // settles the fee, then that interest, and the rest of the
        // principal: 40 + 3000/365 of principal stay open.
        let paid = [payment("2027-03-02", "1000")];
        let mut terms = fixed("0.1", DayCount::Actual365, true);
        terms.fee = dec("40");
        let mut item = input("2027-01-31", "1000", &paid);
        item.fee = dec("40");
        let charges = item_charges(&item, &terms, &[], date("2027-03-02"))
            .unwrap()
            .unwrap();
        let interest = charge(dec("3000") / dec("365"));
        assert_eq!(charges.interest, interest);
        assert_eq!(charges.fee, dec("40"));
        assert_eq!(charges.paid, dec("40") + interest);
        assert_eq!(charges.due, Decimal::ZERO);
        assert_eq!(charges.principal_open, dec("40") + interest);
    }

    #[test]
    fn costs_first_leaves_credit_notes_to_principal() {
        // The same item as above, cancelled on 2 March by a credit note of
        // 1000: the note reduces the sale, so the principal is settled and
        // the fee and the 30 days of interest stay due.
        let note = Application {
            payment: false,
            ..payment("2027-03-02", "1000")
        };
        let mut terms = fixed("0.1", DayCount::Actual365, true);
        terms.fee = dec("40");
        let notes = [note];
        let mut item = input("2027-01-31", "1000", &notes);
        item.fee = dec("40");
        let charges = item_charges(&item, &terms, &[], date("2027-03-31"))
            .unwrap()
            .unwrap();
        assert_eq!(charges.principal_open, Decimal::ZERO);
        assert_eq!(charges.paid, Decimal::ZERO);
        assert_eq!(charges.due, dec("40") + charge(dec("3000") / dec("365")));
    }

    #[test]
    fn principal_first_leaves_charges_due() {
        let paid = [payment("2027-03-02", "1000")];
        let mut terms = fixed("0.1", DayCount::Actual365, false);
        terms.fee = dec("40");
        let mut item = input("2027-01-31", "1000", &paid);
        item.fee = dec("40");
        let charges = item_charges(&item, &terms, &[], date("2027-03-31"))
            .unwrap()
            .unwrap();
        assert_eq!(charges.principal_open, Decimal::ZERO);
        assert_eq!(charges.days_late, 30);
        assert_eq!(charges.due, dec("40") + charge(dec("3000") / dec("365")));
    }

    #[test]
    fn reference_rate_changes_at_the_half_year() {
        // The rate in force on 1 January 2024 is 4.50% (set 20 September
        // 2023); on 1 July 2024 it is 4.25% (set 12 June 2024). Plus 10
        // points: 10 days of June at 14.50%, 10 days of July at 14.25%.
        let rates = [
            reference("2023-09-20", "0.045"),
            reference("2024-06-12", "0.0425"),
        ];
        let terms = PenaltyTerms {
            rate: InterestRate::Reference {
                points: dec("0.10"),
                floor: None,
            },
            day_count: DayCount::Actual365,
            fee: Decimal::ZERO,
            costs_first: false,
            dun_unpaid_charges: false,
        };
        let charges = item_charges(
            &input("2024-06-20", "10000", &[]),
            &terms,
            &rates,
            date("2024-07-10"),
        )
        .unwrap()
        .unwrap();
        let expected = charge(
            (dec("10000") * dec("0.145") * dec("10") + dec("10000") * dec("0.1425") * dec("10"))
                / dec("365"),
        );
        assert_eq!(charges.interest, expected);
    }

    #[test]
    fn reference_rate_floor_applies() {
        let rates = [reference("2024-01-01", "0.02")];
        let terms = PenaltyTerms {
            rate: InterestRate::Reference {
                points: Decimal::ZERO,
                floor: Some(dec("0.03")),
            },
            day_count: DayCount::Actual365,
            fee: Decimal::ZERO,
            costs_first: false,
            dun_unpaid_charges: false,
        };
        let charges = item_charges(
            &input("2024-02-29", "3650", &[]),
            &terms,
            &rates,
            date("2024-03-10"),
        )
        .unwrap()
        .unwrap();
        // 3650 × 0.03 × 10 ÷ 365 = 3.
        assert_eq!(charges.interest, dec("3"));
    }

    #[test]
    fn negative_reference_rate_bears_no_interest() {
        // -0.50% plus 0.25 points is -0.25%: no interest, not a credit.
        let rates = [reference("2024-01-01", "-0.005")];
        let terms = PenaltyTerms {
            rate: InterestRate::Reference {
                points: dec("0.0025"),
                floor: None,
            },
            day_count: DayCount::Actual365,
            fee: Decimal::ZERO,
            costs_first: false,
            dun_unpaid_charges: false,
        };
        let charges = item_charges(
            &input("2024-02-29", "10000", &[]),
            &terms,
            &rates,
            date("2024-05-29"),
        )
        .unwrap()
        .unwrap();
        assert_eq!(charges.interest, Decimal::ZERO);
        assert_eq!(charges.due, Decimal::ZERO);
    }

    #[test]
    fn missing_reference_rate_is_an_error() {
        let rates = [reference("2024-06-12", "0.0425")];
        let terms = PenaltyTerms {
            rate: InterestRate::Reference {
                points: dec("0.10"),
                floor: None,
            },
            day_count: DayCount::Actual365,
            fee: Decimal::ZERO,
            costs_first: false,
            dun_unpaid_charges: false,
        };
        let result = item_charges(
            &input("2024-05-01", "100", &[]),
            &terms,
            &rates,
            date("2024-05-10"),
        );
        assert_eq!(
            result,
            Err(PenaltyError::MissingReferenceRate {
                half_year_start: date("2024-01-01")
            })
        );
    }

    #[test]
    fn absorb_pays_fee_interest_then_principal() {
        // 1000 due 31 January, fee 40, 10%: a payment of 1000 on 2 March
        // (30 days late) pays 40, then 3000/365 of interest, then principal.
        let terms = fixed("0.1", DayCount::Actual365, true);
        let rule = CostRule {
            terms: &terms,
            reference_rates: &[],
        };
        let mut state = CostState::default();
        let mut principal = dec("1000");
        let applied = rule
            .absorb(
                &mut state,
                &mut principal,
                date("2027-01-31"),
                date("2027-03-02"),
                dec("1000"),
                Some(dec("40")),
            )
            .unwrap();
        assert_eq!(applied, dec("1000"));
        assert_eq!(principal, dec("40") + charge(dec("3000") / dec("365")));

        // A payment larger than what is owed takes only that.
        let owed = principal;
        let applied = rule
            .absorb(
                &mut state,
                &mut principal,
                date("2027-01-31"),
                date("2027-03-02"),
                dec("100"),
                None,
            )
            .unwrap();
        assert_eq!(applied, owed);
        assert_eq!(principal, Decimal::ZERO);
    }
}
