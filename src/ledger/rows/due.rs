//! The due date of an invoice row: its due date cell, its terms cell, or
//! both, which must then agree. A row with both cells empty is due when its
//! last instalment is, which only the checks between rows can tell.

use chrono::NaiveDate;

use super::RowDue;
use crate::ledger::cells;
use crate::ledger::error::{ErrorSink, LedgerError, LedgerErrorKind};
use crate::ledger::format::CellFormat;
use crate::ledger::manifest::{TermsRules, method_hint};
use crate::ledger::table::{Column, Row};
use crate::terms::PaymentTerms;

/// The columns of the invoices file that a due date is read from.
#[derive(Clone, Copy)]
pub(super) struct DueColumns<'c> {
    pub date: &'c Column,
    /// At least one of `due_date` and `terms` is present.
    pub due_date: Option<&'c Column>,
    pub terms: Option<&'c Column>,
}

/// The due date and terms cells of a row, each read when filled in.
#[derive(Clone, Copy, Debug)]
pub(super) struct DueCells {
    pub due_date: Option<NaiveDate>,
    pub terms: Option<PaymentTerms>,
}

impl DueCells {
    pub fn is_empty(&self) -> bool {
        self.due_date.is_none() && self.terms.is_none()
    }
}

/// Reads the due date and terms cells, reporting each bad one; `None` when
/// either is bad.
pub(super) fn read_due_cells(
    row: &Row,
    columns: DueColumns,
    rules: &TermsRules,
    cells: &CellFormat,
    sink: &mut ErrorSink,
) -> Option<DueCells> {
    let due_date = sink.ok(cells::optional_date(row, columns.due_date, cells));
    let terms = match (columns.terms, row.optional(columns.terms)) {
        (Some(column), Some(text)) => sink.ok(terms(row, column, text, rules)).map(Some),
        _ => Some(None),
    };
    Some(DueCells {
        due_date: due_date?,
        terms: terms?,
    })
}

/// Computes a row's due date once its issue date is known: the due date
/// cell when it is filled in, otherwise the date the terms give. Reports a
/// due date before the issue date, terms that fall due past the calendar,
/// and a due date that differs from the one its terms give. `Some(None)`
/// when both cells are empty; `None` after an error that leaves no date.
pub(super) fn row_due(
    row: &Row,
    columns: DueColumns,
    found: DueCells,
    date: NaiveDate,
    cells: &CellFormat,
    sink: &mut ErrorSink,
) -> Option<Option<RowDue>> {
    let by_terms = match found.terms.map(|terms| terms.due_date(date)) {
        Some(None) => {
            sink.push(beyond_calendar(row, columns));
            return None;
        }
        Some(Some(due_date)) => Some(due_date),
        None => None,
    };

    let Some(due_date) = found.due_date else {
        return Some(by_terms.map(|date| RowDue {
            date,
            from_terms: true,
        }));
    };
    if due_date < date {
        sink.push(due_before_date(row, columns));
    }
    if let Some(by_terms) = by_terms.filter(|by_terms| *by_terms != due_date) {
        sink.push(terms_disagree(row, columns, by_terms, cells));
    }
    Some(Some(RowDue {
        date: due_date,
        from_terms: false,
    }))
}

/// Builds the error for a row whose due date and terms cells are both empty.
pub(super) fn no_due_date(row: &Row, columns: DueColumns) -> LedgerError {
    match (columns.due_date, columns.terms) {
        (Some(due_date), Some(terms)) => row
            .error(
                LedgerErrorKind::EmptyCell,
                due_date,
                format!("`{}` and `{}` are both empty", due_date.name, terms.name),
            )
            .with_help(
                "fill in the due date, or the payment terms such as `30 days`; only an \
                 invoice paid in instalments may leave both empty, since its instalments \
                 give every due date",
            ),
        (Some(column), None) | (None, Some(column)) => row.empty_error(column).with_help(format!(
            "fill in {}; only an invoice paid in instalments may leave it empty, since \
                 its instalments give every due date",
            column.about
        )),
        (None, None) => row.empty_error(columns.date),
    }
}

/// Reads a terms cell: a code of `invoices.terms_codes` when there are
/// any, terms text otherwise.
fn terms(
    row: &Row,
    column: &Column,
    text: &str,
    rules: &TermsRules,
) -> Result<PaymentTerms, LedgerError> {
    if !rules.codes.is_empty() {
        return rules
            .codes
            .get(text)
            .copied()
            .ok_or_else(|| unknown_terms_code(row, column, text, rules));
    }
    PaymentTerms::parse(text, rules.method).map_err(|error| {
        let message = match error.message.contains(text) {
            true => error.message,
            false => format!("`{text}`: {}", error.message),
        };
        let mut help = error.help;
        help.push_str(method_hint(text, rules.method));
        row.error(LedgerErrorKind::InvalidValue, column, message)
            .with_help(help)
    })
}

fn unknown_terms_code(row: &Row, column: &Column, text: &str, rules: &TermsRules) -> LedgerError {
    let known: Vec<String> = rules.codes.keys().map(|code| format!("`{code}`")).collect();
    let message = format!("`{text}` is not a terms code of invoices.terms_codes");
    let help = format!(
        "the known codes are {}; add `{text}` to [invoices.terms_codes] in ledger.toml with \
         the terms it stands for, or correct the cell",
        known.join(", ")
    );
    row.error(LedgerErrorKind::InvalidValue, column, message)
        .with_help(help)
}

fn beyond_calendar(row: &Row, columns: DueColumns) -> LedgerError {
    let column = columns.terms.unwrap_or(columns.date);
    let message = format!(
        "terms `{}` from `{}` fall due past the last date solvent can represent",
        row.text(column),
        row.text(columns.date)
    );
    row.error(LedgerErrorKind::InvalidDate, column, message)
        .with_help("check the invoice date and the terms")
}

fn due_before_date(row: &Row, columns: DueColumns) -> LedgerError {
    let column = columns.due_date.unwrap_or(columns.date);
    let message = format!(
        "due date `{}` is before the invoice date `{}`",
        row.text(column),
        row.text(columns.date)
    );
    let help = "an invoice falls due on or after its issue date; check both dates, and \
                format.date_format if day and month may be swapped";
    row.error(LedgerErrorKind::Inconsistent, column, message)
        .with_help(help)
}

/// Builds the error for a due date cell that differs from `by_terms`, the
/// due date the row's terms give from its issue date.
fn terms_disagree(
    row: &Row,
    columns: DueColumns,
    by_terms: NaiveDate,
    cells: &CellFormat,
) -> LedgerError {
    let due_column = columns.due_date.unwrap_or(columns.date);
    let terms_column = columns.terms.unwrap_or(columns.date);
    let by_terms = cells.write_date(by_terms);
    let message = format!(
        "due date `{}` differs from `{by_terms}`, the due date that the terms `{}` in `{}` give \
         from the invoice date `{}`",
        row.text(due_column),
        row.text(terms_column),
        terms_column.name,
        row.text(columns.date)
    );
    let help = format!(
        "the export's due date and terms disagree: correct the cell that is wrong, or empty \
         `{}` to keep the due date, or empty `{}` to take the due date from the terms",
        terms_column.name, due_column.name
    );
    row.error(LedgerErrorKind::Inconsistent, due_column, message)
        .with_help(help)
}
