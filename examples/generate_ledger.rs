//! Writes a deterministic synthetic ledger folder for benchmarks.
//!
//! ```sh
//! cargo run --release --example generate_ledger -- \
//!     --clients 100000 --invoices-per-client 10 --seed 1 --out target/bench-data/1m
//! ```
//!
//! Options:
//!
//! - `--clients N`: the number of clients, at least 1 (default 1000).
//! - `--invoices-per-client K`: invoices per client, exactly, at least 1
//!   (default 10).
//!   Credit notes and payments come on top of them.
//! - `--seed S`: the seed of the random numbers (default 1). The same
//!   options always write the same files, byte for byte.
//! - `--as-of DATE`: the last date of any document, `YYYY-MM-DD` in the
//!   years 1100 to 9900 (default 2027-03-31). Invoices are dated in the 730 days up to it, so evaluate
//!   at this date to see the whole ledger.
//! - `--out DIR`: the folder to write; it is created when missing, and
//!   files of the same names in it are replaced. Other files in it stay, so
//!   give a new or empty folder.
//!
//! The folder is a native ledger, shaped like an ERP export:
//!
//! - `clients.csv`: id, name (some with a comma, some with accented
//!   letters), country, and the balance-sheet columns that
//!   `policies/sme-standard.policy` declares, filled in for about 40% of
//!   the clients and empty for the rest. Clients pay promptly (50%), slowly
//!   (30%), late (15%) or leave invoices unpaid (5%), on 30, 45 or 60 days.
//! - `invoices.csv`: invoices numbered in date order, about 2% disputed,
//!   85% in euros and the rest in US dollars, pounds or Swiss francs by
//!   client. About 3% of the invoices get a credit note naming them, and
//!   about 10% of the clients a credit note on their balance.
//! - `payments.csv`: for each invoice paid by the as-of date, one payment
//!   naming it (85%), two partial payments naming it (8%) or one payment on
//!   account (7%). Disputed invoices stay open. Seed 1 gives 0.95 payments
//!   per invoice.
//! - `rates.csv`: a rate for each foreign currency on the first of every
//!   month of the history.
//! - `reference_rates.csv`: the ECB main refinancing rates from July 2022
//!   to June 2025, for `policies/sme-reference-rate.policy`.

#[path = "../benches/support/synthetic.rs"]
mod synthetic;

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use chrono::{Datelike, NaiveDate};
use clap::Parser;

/// Write a deterministic synthetic ledger folder.
#[derive(Debug, Parser)]
struct Args {
    /// Number of clients, at least 1.
    #[arg(long, default_value_t = 1000, value_parser = clap::value_parser!(u32).range(1..))]
    clients: u32,
    /// Invoices per client, not counting credit notes; at least 1.
    #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(u32).range(1..))]
    invoices_per_client: u32,
    /// Seed of the random numbers; the same options write the same files.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Last date of any document, YYYY-MM-DD, in the years 1100 to 9900.
    #[arg(long, default_value = "2027-03-31", value_parser = as_of_date)]
    as_of: NaiveDate,
    /// Folder to write the ledger files into.
    #[arg(long)]
    out: PathBuf,
}

/// Reads the as-of date. The ledger spans two years before it and due
/// dates run past it, so every date keeps four digits only well inside the
/// years 1000 to 9999.
fn as_of_date(text: &str) -> Result<NaiveDate, String> {
    let date = NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .map_err(|_| format!("`{text}` is not a date written YYYY-MM-DD"))?;
    match (1100..=9900).contains(&date.year()) {
        true => Ok(date),
        false => Err(format!(
            "`{text}` is outside the years 1100 to 9900, so the ledger's dates would not all \
             have four-digit years"
        )),
    }
}

fn main() -> ExitCode {
    let args = Args::parse();
    let shape = synthetic::Shape {
        clients: args.clients,
        invoices_per_client: args.invoices_per_client,
        seed: args.seed,
        as_of: args.as_of,
    };
    let started = Instant::now();
    let written = std::fs::create_dir_all(&args.out)
        .and_then(|()| synthetic::write_ledger(&shape, &args.out));
    match written {
        Ok(counts) => {
            eprintln!(
                "wrote {} clients, {} invoices, {} credit notes, {} payments and {} rates \
                 to {} in {:.1?}",
                counts.clients,
                counts.invoices,
                counts.credit_notes,
                counts.payments,
                counts.rates,
                args.out.display(),
                started.elapsed()
            );
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!(
                "error: cannot write the ledger to {}: {error}",
                args.out.display()
            );
            ExitCode::FAILURE
        }
    }
}
