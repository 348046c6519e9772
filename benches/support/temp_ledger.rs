//! A synthetic ledger written to a temporary folder for one benchmark run
//! and removed when the run ends.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use crate::synthetic::{self, Counts, Shape};

/// The seed of every benchmark ledger, so that runs compare the same data.
pub const SEED: u64 = 1;

/// Returns the last date of every benchmark ledger, which is also the date
/// the benchmarks evaluate them at.
pub fn as_of() -> NaiveDate {
    NaiveDate::from_ymd_opt(2027, 3, 31).expect("a calendar date")
}

/// A ledger folder under the system's temporary folder.
pub struct TempLedger {
    dir: PathBuf,
    pub counts: Counts,
}

impl TempLedger {
    /// Writes a ledger of `clients` clients with `invoices_per_client`
    /// invoices each, dated up to [`as_of`], and prints what it holds.
    pub fn write(name: &str, clients: u32, invoices_per_client: u32) -> TempLedger {
        let shape = Shape {
            clients,
            invoices_per_client,
            seed: SEED,
            as_of: as_of(),
        };
        let dir = std::env::temp_dir().join(format!("solvent-bench-{name}-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("the temporary ledger folder can be created");
        let counts =
            synthetic::write_ledger(&shape, &dir).expect("the ledger files can be written");
        eprintln!(
            "{name}: {} clients, {} invoices, {} credit notes, {} payments, {} rates in {}",
            counts.clients,
            counts.invoices,
            counts.credit_notes,
            counts.payments,
            counts.rates,
            dir.display()
        );
        TempLedger { dir, counts }
    }

    pub fn path(&self) -> &Path {
        &self.dir
    }
}

impl Drop for TempLedger {
    fn drop(&mut self) {
        // A folder left behind only takes space, so a failure is reported
        // and not raised.
        if let Err(error) = std::fs::remove_dir_all(&self.dir) {
            eprintln!("cannot remove {}: {error}", self.dir.display());
        }
    }
}
