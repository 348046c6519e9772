//! A plain-text table, one row per client, ending with a portfolio summary.

use std::io::{self, Write};

use rust_decimal::Decimal;
use unicode_width::UnicodeWidthStr;

use crate::eval::{Decision, fixed};
use crate::metrics::PortfolioMetrics;
use crate::syntax::ast::Severity;

/// Portfolio totals over a set of decisions.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PortfolioSummary {
    pub clients: usize,
    /// Clients per grade, in the order the grades first appear in `grade_order`.
    pub clients_per_grade: Vec<(String, usize)>,
    pub ungraded: usize,
    pub total_exposure: Decimal,
    pub total_overdue: Decimal,
    /// Clients whose exposure exceeds their credit limit.
    pub over_limit: usize,
    pub actions_due: usize,
    pub alerts_by_severity: [(Severity, usize); 3],
}

impl PortfolioSummary {
    /// Sums the decisions; `grade_order` lists the policy's grades so that
    /// grades without clients still show, with zero.
    pub fn from_decisions(decisions: &[Decision<'_>], grade_order: &[String]) -> Self {
        let mut summary = PortfolioSummary {
            clients: decisions.len(),
            clients_per_grade: grade_order.iter().map(|g| (g.clone(), 0)).collect(),
            ungraded: 0,
            total_exposure: Decimal::ZERO,
            total_overdue: Decimal::ZERO,
            over_limit: 0,
            actions_due: 0,
            alerts_by_severity: [
                (Severity::High, 0),
                (Severity::Medium, 0),
                (Severity::Low, 0),
            ],
        };
        for decision in decisions {
            summary.add(decision);
        }
        summary
    }

    fn add(&mut self, decision: &Decision<'_>) {
        match decision.grade.and_then(|g| {
            self.clients_per_grade
                .iter_mut()
                .find(|(name, _)| name == g)
        }) {
            Some((_, count)) => *count += 1,
            None => self.ungraded += 1,
        }
        self.total_exposure += decision.metrics.exposure;
        self.total_overdue += decision.metrics.overdue;
        if decision
            .credit_limit
            .is_some_and(|limit| decision.metrics.exposure > limit)
        {
            self.over_limit += 1;
        }
        self.actions_due += decision.actions.len();
        for alert in &decision.alerts {
            if let Some((_, count)) = self
                .alerts_by_severity
                .iter_mut()
                .find(|(s, _)| *s == alert.severity)
            {
                *count += 1;
            }
        }
    }
}

const COLUMNS: [&str; 10] = [
    "client",
    "grade",
    "score",
    "limit",
    "exposure",
    "overdue",
    "available",
    "terms",
    "actions",
    "alerts",
];

/// The portfolio figures printed under the table, beside the totals of the
/// decisions.
pub struct PortfolioFigures<'p> {
    pub metrics: &'p PortfolioMetrics,
    pub currency: &'p str,
    pub cei_months: u32,
}

/// Writes the table and the summary.
pub fn write_table(
    out: &mut impl Write,
    decisions: &[Decision<'_>],
    grade_order: &[String],
    portfolio: &PortfolioFigures<'_>,
) -> io::Result<()> {
    let rows: Vec<[String; 10]> = decisions.iter().map(row).collect();
    let widths = column_widths(&rows);
    write_row(out, &COLUMNS.map(str::to_string), &widths)?;
    for row in &rows {
        write_row(out, row, &widths)?;
    }
    writeln!(out)?;
    write_summary(out, decisions, grade_order)?;
    write_kpis(out, portfolio)
}

fn row(decision: &Decision<'_>) -> [String; 10] {
    let money = |value: Option<Decimal>| {
        value
            .map(|v| fixed(v, 2))
            .unwrap_or_else(|| "-".to_string())
    };
    let alerts: Vec<&str> = decision.alerts.iter().map(|a| a.name).collect();
    [
        decision.client.to_string(),
        decision.grade.unwrap_or("-").to_string(),
        decision
            .score
            .as_ref()
            .map_or_else(|| "-".to_string(), |s| fixed(s.total, 2)),
        money(decision.credit_limit),
        fixed(decision.metrics.exposure, 2),
        fixed(decision.metrics.overdue, 2),
        money(decision.available_credit),
        decision
            .terms
            .map_or_else(|| "-".to_string(), |t| t.describe()),
        decision.actions.len().to_string(),
        if alerts.is_empty() {
            "-".to_string()
        } else {
            alerts.join(", ")
        },
    ]
}

fn column_widths(rows: &[[String; 10]]) -> [usize; 10] {
    let mut widths = COLUMNS.map(str::len);
    for row in rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.width());
        }
    }
    widths
}

/// Text columns align left, figures right; the last column is not padded.
/// Widths are terminal columns, so a CJK character takes two.
fn write_row(out: &mut impl Write, row: &[String; 10], widths: &[usize; 10]) -> io::Result<()> {
    let mut line = String::new();
    for (index, (cell, width)) in row.iter().zip(widths).enumerate() {
        if index > 0 {
            line.push_str("  ");
        }
        let figure = (2..=6).contains(&index) || index == 8;
        let padding = " ".repeat(width.saturating_sub(cell.width()));
        match (figure, index == row.len() - 1) {
            (true, _) => {
                line.push_str(&padding);
                line.push_str(cell);
            }
            (false, true) => line.push_str(cell),
            (false, false) => {
                line.push_str(cell);
                line.push_str(&padding);
            }
        }
    }
    writeln!(out, "{}", line.trim_end())
}

fn write_kpis(out: &mut impl Write, portfolio: &PortfolioFigures<'_>) -> io::Result<()> {
    let days = |value: Option<Decimal>| {
        value.map_or_else(|| "-".to_string(), |d| format!("{} days", fixed(d, 2)))
    };
    let metrics = portfolio.metrics;
    writeln!(out, "  open orders      {}", fixed(metrics.orders, 2))?;
    writeln!(out, "  DSO              {}", days(metrics.dso))?;
    writeln!(
        out,
        "  best possible    {}",
        days(metrics.best_possible_dso)
    )?;
    writeln!(
        out,
        "  days delinquent  {}",
        days(metrics.average_days_delinquent)
    )?;
    let cei = metrics.cei.map_or_else(
        || "-".to_string(),
        |c| format!("{}%", fixed(c * Decimal::ONE_HUNDRED, 1)),
    );
    let cei_label = format!("CEI, {} months", portfolio.cei_months);
    writeln!(out, "  {cei_label:<17}{cei}")?;
    writeln!(out, "  amounts in       {}", portfolio.currency)
}

fn write_summary(
    out: &mut impl Write,
    decisions: &[Decision<'_>],
    grade_order: &[String],
) -> io::Result<()> {
    let summary = PortfolioSummary::from_decisions(decisions, grade_order);
    let mut grades: Vec<String> = summary
        .clients_per_grade
        .iter()
        .map(|(g, n)| format!("{g} {n}"))
        .collect();
    if summary.ungraded > 0 {
        grades.push(format!("ungraded {}", summary.ungraded));
    }
    let overdue_share = match summary.total_exposure.is_zero() {
        true => "0.0%".to_string(),
        false => format!(
            "{}%",
            fixed(
                summary.total_overdue / summary.total_exposure * Decimal::ONE_HUNDRED,
                1
            )
        ),
    };
    let alerts: Vec<String> = summary
        .alerts_by_severity
        .iter()
        .map(|(s, n)| format!("{} {n}", s.as_str()))
        .collect();

    writeln!(out, "portfolio")?;
    writeln!(out, "  clients          {}", summary.clients)?;
    if !grades.is_empty() {
        writeln!(out, "  per grade        {}", grades.join(", "))?;
    }
    writeln!(
        out,
        "  total exposure   {}",
        fixed(summary.total_exposure, 2)
    )?;
    writeln!(
        out,
        "  total overdue    {} ({overdue_share} of exposure)",
        fixed(summary.total_overdue, 2)
    )?;
    writeln!(out, "  over limit       {}", summary.over_limit)?;
    writeln!(out, "  actions due      {}", summary.actions_due)?;
    writeln!(out, "  alerts           {}", alerts.join(", "))
}
