//! Custom scoring hooks: sandboxed rhai scripts that turn a client's fields and
//! metrics into a factor's points.
//!
//! A hook file defines `fn points(client, metrics)`. Both arguments are maps;
//! money, percent, days and numbers arrive as exact decimals, dates as
//! `YYYY-MM-DD` strings and missing values as `()`. The function returns a
//! number, or `()` when it lacks the data to score the client, in which case
//! the factor takes its `missing` arm.

use std::path::{Path, PathBuf};

use rust_decimal::Decimal;

use crate::value::Value;

/// Bounds that keep a hook from running away.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct HookLimits {
    pub max_operations: u64,
    pub max_call_levels: usize,
    pub max_expression_depth: usize,
    pub max_string_size: usize,
    pub max_array_size: usize,
    pub max_map_size: usize,
}

/// One named input of a hook call.
pub type HookArgument<'a> = (&'a str, Value<'a>);

/// The data a hook sees for one client.
#[derive(Clone, Debug, Default)]
pub struct HookInput<'a> {
    pub client: Vec<HookArgument<'a>>,
    pub metrics: Vec<HookArgument<'a>>,
}

/// A hook that failed to load or to run, located in the hook's own file.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{}{}: {message}", path.display(), location(*line, *column))]
pub struct HookError {
    pub path: PathBuf,
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub message: String,
    pub help: Option<String>,
}

fn location(line: Option<usize>, column: Option<usize>) -> String {
    match (line, column) {
        (Some(line), Some(column)) => format!(":{line}:{column}"),
        (Some(line), None) => format!(":{line}"),
        _ => String::new(),
    }
}

/// A compiled hook.
pub struct Hook {
    pub path: PathBuf,
}

/// The sandboxed engine every hook runs in.
pub struct HookEngine {}

impl HookEngine {
    pub fn new(limits: HookLimits) -> Self {
        todo!("{limits:?}")
    }

    /// Reads and compiles a hook file.
    pub fn compile(&self, path: &Path) -> Result<Hook, HookError> {
        todo!("{}", path.display())
    }

    /// Calls the hook's `points` function; `Ok(None)` when it returns `()`.
    pub fn call(&self, hook: &Hook, input: &HookInput<'_>) -> Result<Option<Decimal>, HookError> {
        todo!("{} {input:?}", hook.path.display())
    }
}

impl Default for HookLimits {
    fn default() -> Self {
        todo!()
    }
}
