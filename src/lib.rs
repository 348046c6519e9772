//! solvent: credit policies as code.

pub mod hooks;
pub mod ledger;
pub mod metrics;
pub mod value;
