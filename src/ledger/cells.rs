//! Typed cells of a row: each reader checks one cell and says what is wrong
//! with it in the terms of the file, line and column.

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::error::{LedgerError, LedgerErrorKind};
use super::format::{CellError, CellFormat};
use super::model::DocumentKind;
use super::table::{Column, Row};
use crate::value::Currency;

/// A required date cell.
pub(super) fn date(
    row: &Row,
    column: &Column,
    cells: &CellFormat,
) -> Result<NaiveDate, LedgerError> {
    let text = row.required(column)?;
    cells
        .parse_date(text)
        .map_err(|error| located(row, LedgerErrorKind::InvalidDate, column, error))
}

/// The largest amount a document may carry: 10^15. Sums of up to 79
/// trillion such amounts stay within a decimal's range (about 7.9 × 10^28),
/// so no total can overflow.
pub const MAX_AMOUNT: Decimal = Decimal::from_parts(2_764_472_320, 232_830, 0, false, 0);

/// A required amount, zero or more and at most [`MAX_AMOUNT`].
/// `negative_help` says what a negative amount should have been instead.
pub(super) fn amount(
    row: &Row,
    column: &Column,
    cells: &CellFormat,
    negative_help: &str,
) -> Result<Decimal, LedgerError> {
    let amount = signed_amount(row, column, cells)?;
    if amount.is_sign_negative() {
        return Err(negative_amount(row, column, negative_help));
    }
    Ok(amount)
}

/// Builds the error for a negative amount, quoting the cell.
pub(super) fn negative_amount(row: &Row, column: &Column, help: &str) -> LedgerError {
    let message = format!("`{}` is negative", row.text(column));
    row.error(LedgerErrorKind::InvalidAmount, column, message)
        .with_help(help)
}

/// Reads a required amount of either sign, at most [`MAX_AMOUNT`] in
/// absolute value.
pub(super) fn signed_amount(
    row: &Row,
    column: &Column,
    cells: &CellFormat,
) -> Result<Decimal, LedgerError> {
    let text = row.required(column)?;
    let amount = cells
        .parse_decimal(text)
        .map_err(|error| located(row, LedgerErrorKind::InvalidAmount, column, error))?;
    if amount.abs() > MAX_AMOUNT {
        let message =
            format!("`{text}` is larger than the largest amount solvent accepts, {MAX_AMOUNT}");
        return Err(row
            .error(LedgerErrorKind::InvalidAmount, column, message)
            .with_help("check the cell: the export may have shifted a column or dropped a decimal separator"));
    }
    Ok(amount)
}

/// Reads a date cell of an optional column: `None` when absent or empty.
pub(super) fn optional_date(
    row: &Row,
    column: Option<&Column>,
    cells: &CellFormat,
) -> Result<Option<NaiveDate>, LedgerError> {
    match (column, row.optional(column)) {
        (Some(column), Some(_)) => date(row, column, cells).map(Some),
        _ => Ok(None),
    }
}

/// Reads a required currency code; `help` is the help for an invalid code
/// and names what the code is for.
pub(super) fn required_currency(
    row: &Row,
    column: &Column,
    help: &str,
) -> Result<Currency, LedgerError> {
    let text = row.required(column)?;
    parse_currency(row, column, text, help)
}

/// Reads a whole number of days, zero or more: `0` when the file lacks the
/// column.
pub(super) fn whole_days(row: &Row, column: Option<&Column>) -> Result<u32, LedgerError> {
    let Some(column) = column else {
        return Ok(0);
    };
    let text = row.required(column)?;
    let digits = !text.is_empty() && text.bytes().all(|byte| byte.is_ascii_digit());
    match text.parse::<u32>() {
        Ok(days) if digits => Ok(days),
        _ => Err(row
            .error(
                LedgerErrorKind::InvalidNumber,
                column,
                format!("`{text}` is not a whole number of days"),
            )
            .with_help(format!(
                "write {} as digits only, such as 0 or 15 (at most {})",
                column.about,
                u32::MAX
            ))),
    }
}

/// Reads a required decimal greater than zero, such as an exchange rate.
/// `help` explains what the number means.
pub(super) fn positive_number(
    row: &Row,
    column: &Column,
    cells: &CellFormat,
    help: &str,
) -> Result<Decimal, LedgerError> {
    let text = row.required(column)?;
    let value = cells
        .parse_decimal(text)
        .map_err(|error| located(row, LedgerErrorKind::InvalidNumber, column, error))?;
    if value <= Decimal::ZERO {
        let message = format!("`{text}` is not greater than zero");
        return Err(row
            .error(LedgerErrorKind::InvalidNumber, column, message)
            .with_help(help));
    }
    Ok(value)
}

/// Reads a required percent written with its sign, `4.50%` or `4,50 %`, as
/// a fraction: `4.50%` is 0.0450. The number is read with the export's
/// decimal separator and may be negative.
pub(super) fn percent(
    row: &Row,
    column: &Column,
    cells: &CellFormat,
) -> Result<Decimal, LedgerError> {
    let text = row.required(column)?;
    let Some(number) = text.strip_suffix('%') else {
        let message = format!("`{text}` has no `%` sign");
        let help = format!(
            "write {} as a percent with its sign, such as 4.50% for 4.5 percent; a bare \
             number is refused because 4.5 and 0.045 are both common ways to write it",
            column.about
        );
        return Err(row
            .error(LedgerErrorKind::InvalidNumber, column, message)
            .with_help(help));
    };
    let value = cells
        .parse_decimal(number)
        .map_err(|error| located(row, LedgerErrorKind::InvalidNumber, column, error))?;
    let mut fraction = value;
    fraction.set_scale(value.scale() + 2).map_err(|_| {
        row.error(
            LedgerErrorKind::InvalidNumber,
            column,
            format!("`{text}` has too many decimals (at most 26)"),
        )
        .with_help("round the percent to fewer decimals")
    })?;
    Ok(fraction)
}

/// A yes/no cell of an optional column: `false` when the file lacks the
/// column. An empty cell is an error unless the format lists `""` as a value.
pub(super) fn flag(
    row: &Row,
    column: Option<&Column>,
    cells: &CellFormat,
) -> Result<bool, LedgerError> {
    let Some(column) = column else {
        return Ok(false);
    };
    let text = row.text(column);
    cells.parse_boolean(text).or_else(|error| {
        row.required(column)?;
        Err(located(row, LedgerErrorKind::InvalidBoolean, column, error))
    })
}

/// An optional currency code: `None` when the column is absent or the cell empty.
pub(super) fn currency(
    row: &Row,
    column: Option<&Column>,
) -> Result<Option<Currency>, LedgerError> {
    let (Some(column), Some(text)) = (column, row.optional(column)) else {
        return Ok(None);
    };
    let help = "write a three-letter ISO 4217 code in capitals, such as EUR or USD, or leave \
                the cell empty for the policy's currency";
    parse_currency(row, column, text, help).map(Some)
}

/// Parses a currency code; an error has `help`, and a suggestion when the
/// code is in lowercase.
fn parse_currency(
    row: &Row,
    column: &Column,
    text: &str,
    help: &str,
) -> Result<Currency, LedgerError> {
    if let Some(currency) = Currency::parse(text) {
        return Ok(currency);
    }
    let mut help = help.to_string();
    if let Some(upper) = Currency::parse(&text.to_ascii_uppercase()) {
        help.push_str(&format!("; did you mean `{upper}`?"));
    }
    let message = format!("`{text}` is not a currency code");
    Err(row
        .error(LedgerErrorKind::InvalidCurrency, column, message)
        .with_help(help))
}

/// The document kind: `invoice` when the file has no kind column.
pub(super) fn kind(row: &Row, column: Option<&Column>) -> Result<DocumentKind, LedgerError> {
    let Some(column) = column else {
        return Ok(DocumentKind::Invoice);
    };
    match row.required(column)? {
        "invoice" => Ok(DocumentKind::Invoice),
        "credit_note" => Ok(DocumentKind::CreditNote),
        other => {
            let message = format!("`{other}` is not a document kind");
            let help = "write `invoice`, or `credit_note` for a credit note \
                        (a positive amount that reduces what the client owes)";
            Err(row
                .error(LedgerErrorKind::InvalidValue, column, message)
                .with_help(help))
        }
    }
}

fn located(row: &Row, kind: LedgerErrorKind, column: &Column, error: CellError) -> LedgerError {
    row.error(kind, column, error.message).with_help(error.help)
}

#[cfg(test)]
mod tests {
    use super::MAX_AMOUNT;
    use rust_decimal::Decimal;

    #[test]
    fn max_amount_is_ten_to_the_fifteenth() {
        assert_eq!(MAX_AMOUNT, Decimal::from(1_000_000_000_000_000i64));
    }

    #[test]
    fn max_amount_sums_do_not_overflow() {
        let many = Decimal::from(79_000_000_000_000u64);
        assert!(MAX_AMOUNT.checked_mul(many).is_some());
    }
}
