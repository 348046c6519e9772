//! solvent: credit policies as code.

mod chars;
pub mod check;
pub mod cli;
pub mod diagnostic;
pub mod eval;
pub mod hooks;
pub mod ledger;
pub mod metrics;
pub mod report;
pub mod source;
mod suggest;
pub mod syntax;
pub mod terms;
pub mod value;
