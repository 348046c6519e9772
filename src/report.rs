//! Renders decisions: an aligned table with a portfolio summary, JSON,
//! NDJSON and CSV.

mod csv;
mod table;

use std::io::{self, Write};

use crate::eval::Decision;

pub use table::{PortfolioFigures, PortfolioSummary, write_table};

/// Writes the decisions as one pretty-printed JSON array.
pub fn write_json(out: &mut impl Write, decisions: &[Decision<'_>]) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, decisions)?;
    writeln!(out)
}

/// Writes one compact JSON object per line.
pub fn write_ndjson(out: &mut impl Write, decisions: &[Decision<'_>]) -> io::Result<()> {
    for decision in decisions {
        serde_json::to_writer(&mut *out, decision)?;
        writeln!(out)?;
    }
    Ok(())
}

pub use self::csv::write_csv;
