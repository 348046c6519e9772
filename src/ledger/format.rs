//! How an export writes dates, decimals and yes/no values, and the parsers for them.

use chrono::NaiveDate;
use rust_decimal::Decimal;

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

impl CellFormat {
    pub fn parse_date(&self, cell: &str) -> Result<NaiveDate, CellError> {
        todo!("{cell}")
    }

    pub fn parse_decimal(&self, cell: &str) -> Result<Decimal, CellError> {
        todo!("{cell}")
    }

    pub fn parse_boolean(&self, cell: &str) -> Result<bool, CellError> {
        todo!("{cell}")
    }
}
