//! Reading ledger files into the model.

use std::path::Path;

use super::{Ledger, LedgerErrors};

impl Ledger {
    /// Loads a native ledger folder or a `ledger.toml` manifest.
    pub fn load(path: &Path) -> Result<Ledger, LedgerErrors> {
        todo!("{}", path.display())
    }
}
