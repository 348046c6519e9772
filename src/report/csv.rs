//! One CSV row per client, for spreadsheets.

use std::io::{self, Write};

use crate::eval::{Decision, action_name_of, fixed};

const HEADER: [&str; 16] = [
    "client",
    "grade",
    "score",
    "credit_limit",
    "available_credit",
    "terms",
    "exposure",
    "overdue",
    "overdue_ratio",
    "avg_days_late",
    "late_ratio",
    "dso",
    "oldest_overdue_days",
    "open_invoices",
    "actions",
    "alerts",
];

/// Writes a header and one row per decision. Lists of actions and alerts
/// are joined with `; ` inside their cell.
pub fn write_csv(out: &mut impl Write, decisions: &[Decision<'_>]) -> io::Result<()> {
    let mut writer = csv::Writer::from_writer(out);
    writer.write_record(HEADER).map_err(into_io)?;
    for decision in decisions {
        writer.write_record(row(decision)).map_err(into_io)?;
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

fn row(decision: &Decision<'_>) -> [String; 16] {
    let m = &decision.metrics;
    let default_window = m.lateness.first();
    let optional = |value: Option<rust_decimal::Decimal>, places| {
        value.map(|v| fixed(v, places)).unwrap_or_default()
    };
    [
        decision.client.to_string(),
        decision.grade.unwrap_or_default().to_string(),
        optional(decision.score.as_ref().map(|s| s.total), 2),
        optional(decision.credit_limit, 2),
        optional(decision.available_credit, 2),
        decision.terms.map(|t| t.describe()).unwrap_or_default(),
        fixed(m.exposure, 2),
        fixed(m.overdue, 2),
        fixed(m.overdue_ratio, 4),
        optional(default_window.and_then(|l| l.avg_days_late), 2),
        optional(default_window.and_then(|l| l.late_ratio), 4),
        optional(m.dso, 2),
        m.oldest_overdue_days.to_string(),
        m.open_invoices.to_string(),
        actions_cell(decision),
        alerts_cell(decision),
    ]
}

fn actions_cell(decision: &Decision<'_>) -> String {
    let actions: Vec<String> = decision
        .actions
        .iter()
        .map(|a| match a.template {
            Some(template) => format!(
                "{} {} {template} ({})",
                a.invoice,
                action_name_of(a.action),
                a.step
            ),
            None => format!("{} {} ({})", a.invoice, action_name_of(a.action), a.step),
        })
        .collect();
    actions.join("; ")
}

fn alerts_cell(decision: &Decision<'_>) -> String {
    let alerts: Vec<String> = decision
        .alerts
        .iter()
        .map(|a| format!("{}: {}", a.severity.as_str(), a.name))
        .collect();
    alerts.join("; ")
}
