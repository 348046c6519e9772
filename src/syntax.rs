//! Policy text to AST: the pest grammar in `grammar/policy.pest`, the tree
//! conversion and the syntax-error messages.

pub mod ast;
mod error;
mod parser;

pub use parser::parse;
