//! The maximum span of N calendar months, in days.
//!
//! A span that starts on the 1st of a month is the longest of its month,
//! because a later start day can only be clamped back to a shorter target
//! month's last day, never forward. From the 1st, N months cover N whole
//! months: their common-year lengths, plus one day for each 29 February.

/// Days in each month of a common year, January first.
const COMMON_MONTH_DAYS: [u64; 12] = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/// The Gregorian calendar repeats every 400 years, which hold 97 leap years.
const CYCLE_YEARS: u64 = 400;
const CYCLE_LEAP_YEARS: u64 = 97;

/// Computes the maximum number of days that `months` calendar months can
/// span, saturating at `u32::MAX`.
pub(super) fn max_months_span(months: u32) -> u32 {
    let longest = (0..12)
        .map(|first_month| span_from(first_month, months))
        .max()
        .unwrap_or(0);
    u32::try_from(longest).unwrap_or(u32::MAX)
}

/// Computes the maximum number of days that `months` months starting on the
/// 1st of `first_month` (0 for January) span, over every year.
fn span_from(first_month: usize, months: u32) -> u64 {
    let whole_years = u64::from(months / 12);
    let extra_months = (months % 12) as usize;

    let extra_days: u64 = COMMON_MONTH_DAYS
        .iter()
        .cycle()
        .skip(first_month)
        .take(extra_months)
        .sum();
    let extra_february = (first_month..first_month + extra_months).any(|month| month % 12 == 1);

    // The Februaries of consecutive months fall in consecutive years.
    let februaries = whole_years + u64::from(extra_february);
    whole_years * 365 + extra_days + max_leap_years(februaries)
}

/// Computes the maximum number of leap years among `count` consecutive years.
fn max_leap_years(count: u64) -> u64 {
    let rest = count % CYCLE_YEARS;
    let max_in_rest = (0..CYCLE_YEARS)
        .map(|start| leap_years_before(start + rest) - leap_years_before(start))
        .max()
        .unwrap_or(0);
    count / CYCLE_YEARS * CYCLE_LEAP_YEARS + max_in_rest
}

/// Counts the leap years from year 0, which is one, to `year - 1`.
fn leap_years_before(year: u64) -> u64 {
    match year.checked_sub(1) {
        None => 0,
        Some(last) => last / 4 - last / 100 + last / 400 + 1,
    }
}

#[cfg(test)]
mod tests {
    use super::{leap_years_before, max_leap_years, max_months_span};

    #[test]
    fn leap_years_in_first_cycle() {
        assert_eq!(leap_years_before(0), 0);
        assert_eq!(leap_years_before(1), 1);
        assert_eq!(leap_years_before(5), 2);
        assert_eq!(leap_years_before(101), 25);
        assert_eq!(leap_years_before(400), 97);
    }

    #[test]
    fn max_leap_years_small_counts() {
        assert_eq!(max_leap_years(0), 0);
        assert_eq!(max_leap_years(1), 1);
        assert_eq!(max_leap_years(4), 1);
        assert_eq!(max_leap_years(5), 2);
        assert_eq!(max_leap_years(400), 97);
    }

    #[test]
    fn months_span_known_values() {
        assert_eq!(max_months_span(0), 0);
        assert_eq!(max_months_span(1), 31);
        assert_eq!(max_months_span(2), 62);
        assert_eq!(max_months_span(12), 366);
    }

    #[test]
    fn months_span_saturates() {
        assert_eq!(max_months_span(u32::MAX), u32::MAX);
    }
}
