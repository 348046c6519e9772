//! The `ledger.toml` manifest that maps an export's files and columns onto the model.

/// A parsed manifest.
#[derive(Clone, Debug)]
pub struct Manifest {}
