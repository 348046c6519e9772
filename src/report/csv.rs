//! One CSV row per client, for spreadsheets.
//!
//! Figures are rounded like those of the decision JSON: money to 2 places,
//! ratios to 4, days to 2. A text cell that starts with `=`, `+`, `-`, `@`,
//! a tab or a carriage return gets a leading `'`, as the OWASP advice on CSV
//! injection recommends, so that a spreadsheet does not run it as a formula.
//! Figures are never changed, so a negative amount stays a number.

use std::io::{self, Write};

use rust_decimal::Decimal;

use crate::eval::{ActionDue, Decision, action_name_of, fixed};

const HEADER: [&str; 24] = [
    "client",
    "currency",
    "grade",
    "score",
    "credit_limit",
    "available_credit",
    "terms",
    "exposure",
    "orders",
    "overdue",
    "overdue_ratio",
    "charges_due",
    "avg_days_late",
    "late_ratio",
    "dso",
    "best_possible_dso",
    "average_days_delinquent",
    "cei",
    "oldest_overdue_days",
    "open_invoices",
    "broken_promises",
    "pending_promises",
    "actions",
    "alerts",
];

/// The first characters that make a spreadsheet read a cell as a formula.
const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// A cell of a row: text, which is guarded against formulas, or a figure,
/// written as it is.
enum Cell {
    Text(String),
    Figure(String),
}

impl Cell {
    fn into_field(self) -> String {
        match self {
            Cell::Text(text) => guard_formula(text),
            Cell::Figure(figure) => figure,
        }
    }
}

/// Prefixes `'` to text that a spreadsheet would read as a formula.
fn guard_formula(text: String) -> String {
    match text.starts_with(FORMULA_STARTS) {
        true => format!("'{text}"),
        false => text,
    }
}

/// Writes a header and one row per decision. Lists of actions and alerts
/// are joined with `; ` inside their cell.
pub fn write_csv(out: &mut impl Write, decisions: &[Decision<'_>]) -> io::Result<()> {
    let mut writer = csv::Writer::from_writer(out);
    writer.write_record(HEADER).map_err(into_io)?;
    for decision in decisions {
        let fields = row(decision).map(Cell::into_field);
        writer.write_record(fields).map_err(into_io)?;
    }
    writer.flush()
}

/// Unwraps the I/O error inside a csv error, so that a closed pipe keeps
/// its kind and the caller can tell it apart.
fn into_io(error: csv::Error) -> io::Error {
    match error.into_kind() {
        csv::ErrorKind::Io(error) => error,
        other => io::Error::other(format!("{other:?}")),
    }
}

fn row(decision: &Decision<'_>) -> [Cell; 24] {
    let m = &decision.metrics;
    let default_window = m.lateness.first();
    let figure = |value: Decimal, places| Cell::Figure(fixed(value, places));
    let optional = |value: Option<Decimal>, places| {
        Cell::Figure(value.map(|v| fixed(v, places)).unwrap_or_default())
    };
    let text = |value: &str| Cell::Text(value.to_string());
    [
        text(decision.client),
        text(decision.currency.as_str()),
        text(decision.grade.unwrap_or_default()),
        optional(decision.score.as_ref().map(|s| s.total), 2),
        optional(decision.credit_limit, 2),
        optional(decision.available_credit, 2),
        Cell::Text(decision.terms.map(|t| t.describe()).unwrap_or_default()),
        figure(m.exposure, 2),
        figure(m.orders, 2),
        figure(m.overdue, 2),
        figure(m.overdue_ratio, 4),
        figure(m.charges_due, 2),
        optional(default_window.and_then(|l| l.avg_days_late), 2),
        optional(default_window.and_then(|l| l.late_ratio), 4),
        optional(m.dso, 2),
        optional(m.best_possible_dso, 2),
        optional(m.average_days_delinquent, 2),
        optional(m.cei(), 4),
        Cell::Figure(m.oldest_overdue_days.to_string()),
        Cell::Figure(m.open_invoices.to_string()),
        Cell::Figure(m.broken_promises.to_string()),
        Cell::Figure(m.pending_promises.to_string()),
        Cell::Text(actions_cell(decision)),
        Cell::Text(alerts_cell(decision)),
    ]
}

fn actions_cell(decision: &Decision<'_>) -> String {
    let actions: Vec<String> = decision.actions.iter().map(describe_action).collect();
    actions.join("; ")
}

/// Describes an action as `F-0045 instalment 2 call (15 days after due,
/// 1000.00 EUR open)`: the item, the action with its template, the step,
/// and the open amount in the invoice's currency.
fn describe_action(action: &ActionDue<'_>) -> String {
    let mut text = action.invoice.to_string();
    if let Some(number) = action.instalment {
        text.push_str(&format!(" instalment {number}"));
    }
    text.push(' ');
    text.push_str(action_name_of(action.action));
    if let Some(template) = action.template {
        text.push_str(&format!(" {template}"));
    }
    text.push_str(&format!(
        " ({}, {} {} open)",
        action.step,
        fixed(action.open_amount, 2),
        action.currency
    ));
    text
}

fn alerts_cell(decision: &Decision<'_>) -> String {
    let alerts: Vec<String> = decision
        .alerts
        .iter()
        .map(|a| format!("{}: {}", a.severity.as_str(), a.name))
        .collect();
    alerts.join("; ")
}

#[cfg(test)]
mod tests {
    use super::guard_formula;

    #[test]
    fn guard_prefixes_formula_starts() {
        for text in ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"] {
            assert_eq!(guard_formula(text.to_string()), format!("'{text}"));
        }
    }

    #[test]
    fn guard_keeps_plain_text() {
        for text in ["C01", "", "a=b", " =1", "'=1"] {
            assert_eq!(guard_formula(text.to_string()), text);
        }
    }
}
