//! Reading ledger files into the model.
//!
//! Loading runs in three steps, one file each: `rows.rs` reads every file and
//! checks each cell and the rules within a row; `link.rs` checks rows against
//! each other (unique ids, known clients and invoices); `build.rs` sorts the
//! rows into the [`Ledger`]. A native folder and a manifest take the same path:
//! a folder is read with [`Manifest::native`].

use std::path::{Path, PathBuf};

use super::error::{ErrorSink, LedgerError, LedgerErrorKind};
use super::{Ledger, LedgerErrors, Manifest, build, link, rows};

impl Ledger {
    /// Loads a native ledger folder or a `ledger.toml` manifest.
    ///
    /// Every problem found is reported, in file and line order, up to
    /// [`MAX_ERRORS`](super::MAX_ERRORS); no row is skipped.
    pub fn load(path: &Path) -> Result<Ledger, LedgerErrors> {
        if path.is_dir() {
            return Ledger::from_manifest(&Manifest::native(path));
        }
        if path
            .extension()
            .is_some_and(|extension| extension.eq_ignore_ascii_case("toml"))
        {
            return Ledger::from_manifest(&Manifest::from_path(path)?);
        }
        Err(LedgerErrors(vec![not_a_ledger(path)]))
    }

    /// Loads the files a manifest describes.
    pub fn from_manifest(manifest: &Manifest) -> Result<Ledger, LedgerErrors> {
        let files = manifest.data_files();
        let mut sink = ErrorSink::default();
        let mut rows = rows::read(manifest, &files, &mut sink);
        let links = if rows.complete {
            link::link(&mut rows, manifest, &files, &mut sink)
        } else {
            None
        };
        let ledger: Option<Ledger> = match (links, sink.is_empty()) {
            (Some(links), true) => build::build(
                rows,
                links,
                files.clone(),
                manifest.cells().clone(),
                &mut sink,
            ),
            _ => None,
        };
        let ledger = ledger.map(|ledger| Ledger {
            on_account: manifest.on_account(),
            ..ledger
        });
        sink.finish(&files)?;
        // INVARIANT: every step that yields no ledger has reported why.
        ledger.ok_or_else(|| LedgerErrors(vec![unexplained(&files)]))
    }
}

fn not_a_ledger(path: &Path) -> LedgerError {
    if !path.exists() {
        return LedgerError::new(LedgerErrorKind::Io, path, "no such folder or file")
            .with_help("give a ledger folder (with clients.csv, invoices.csv, payments.csv) or a ledger.toml manifest");
    }
    LedgerError::new(LedgerErrorKind::Manifest, path, "not a ledger folder or a .toml manifest")
        .with_help("give the folder that holds clients.csv, invoices.csv and payments.csv, or a ledger.toml that maps an export's files")
}

fn unexplained(files: &[PathBuf]) -> LedgerError {
    let file = files.first().cloned().unwrap_or_default();
    LedgerError::new(
        LedgerErrorKind::Inconsistent,
        file,
        "the ledger could not be assembled",
    )
    .with_help("this is a bug in solvent; please report it with the ledger files")
}
