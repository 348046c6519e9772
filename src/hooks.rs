//! Custom scoring hooks: sandboxed rhai scripts that turn a client's fields and
//! metrics into a factor's points.
//!
//! A hook file defines `fn points(client, metrics)`. Both arguments are maps;
//! money, percent, days and numbers arrive as exact decimals, dates as
//! `YYYY-MM-DD` strings and missing values as `()`. The function returns a
//! number, or `()` when it lacks the data to score the client, in which case
//! the factor takes its `missing` arm.
//!
//! # Sandbox
//!
//! A hook can call only rhai's arithmetic, logic, string, array, map, range and
//! decimal math functions. `eval` is disabled, `print` and `debug` output is
//! discarded, and there are no modules, so `import` does not parse. No file,
//! network or clock function is registered (the crate builds rhai with
//! `no_time` and `no_module`, and the sandbox leaves out `sleep` and `exit`).
//! Variables must be declared before use, and reading a key that a map does
//! not contain is an error, so a misspelled field name fails instead of
//! reading as `()`. Every call is bounded by [`HookLimits`].
//!
//! Only the functions of a hook file run: [`HookEngine::compile`] rejects
//! statements outside a function.
//!
//! # Files
//!
//! - `hooks/sandbox.rs` builds the rhai engines.
//! - `hooks/convert.rs` turns [`Value`]s into rhai values and back.
//! - `hooks/diagnostics.rs` turns rhai's errors into [`HookError`]s.

mod convert;
mod diagnostics;
mod sandbox;

use std::panic::{self, AssertUnwindSafe};
use std::path::{Path, PathBuf};

use rhai::{AST, CallFnOptions, Dynamic, Engine, EvalAltResult, Map, Position, Scope};
use rust_decimal::Decimal;

use crate::value::Value;

/// The function every hook file defines.
const ENTRY_POINT: &str = "points";

/// Bounds that keep a hook from running away.
///
/// rhai reads a zero operation count, expression depth or size as "no
/// limit", so [`HookEngine::new`] raises those zeros to 1: no field of this
/// struct can switch a bound off.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct HookLimits {
    /// Maximum number of operations (statements, expressions and loop
    /// iterations that rhai counts) in one call of `points`.
    pub max_operations: u64,
    /// Maximum depth of nested script function calls below `points`: with 1,
    /// `points` may call a function that calls no other.
    pub max_call_levels: usize,
    /// Maximum nesting depth of expressions and blocks, checked when a hook
    /// compiles, both at the top level and inside functions.
    pub max_expression_depth: usize,
    /// Maximum length of a string in bytes. rhai adds up the bytes of every
    /// string inside an array or map when it checks that array or map.
    pub max_string_size: usize,
    /// Maximum number of items in an array, nested arrays included.
    pub max_array_size: usize,
    /// Maximum number of entries in a map, nested maps included. The client
    /// and metrics maps passed to `points` must fit as well.
    pub max_map_size: usize,
}

impl Default for HookLimits {
    /// Bounds sized for scoring one client. `policies/hooks/altman.rhai` runs
    /// 105 operations per client, so 100 000 leaves room for loops over small
    /// arrays while a runaway loop fails within milliseconds.
    ///
    /// 32 call levels keep a hook within a 2 MiB thread stack, the Rust
    /// default for spawned threads. In a debug build of this crate, the
    /// traced rerun of a recursion through expressions nested to the default
    /// depth overflowed that stack at about 96 levels. The fixture
    /// `tests/fixtures/hooks/deep_nested_recursion.rhai` is that case.
    fn default() -> Self {
        HookLimits {
            max_operations: 100_000,
            max_call_levels: 32,
            max_expression_depth: 32,
            max_string_size: 10_000,
            max_array_size: 1_000,
            max_map_size: 1_000,
        }
    }
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

impl HookError {
    /// The `:line:column` suffix of the error's place in the hook file, or
    /// `""` when rhai gave no position.
    pub fn location(&self) -> String {
        location(self.line, self.column)
    }

    /// Creates an error at a rhai position; [`Position::NONE`] leaves the line
    /// and column empty.
    fn at(path: &Path, position: Position, message: String, help: Option<String>) -> Self {
        HookError {
            path: path.to_path_buf(),
            line: position.line(),
            column: position.position(),
            message,
            help,
        }
    }
}

/// A compiled hook.
pub struct Hook {
    pub path: PathBuf,
    ast: AST,
    /// Whether the script names the `client` and the `metrics` parameter of
    /// `points` anywhere but in its signature. A map it never names cannot be
    /// read, so it is passed empty rather than converted on every call.
    reads: [bool; 2],
}

/// The sandboxed engine every hook runs in. It is `Send + Sync`, so one
/// engine can run hooks from several threads at once.
pub struct HookEngine {
    engine: Engine,
    /// A copy of `engine` that records the position of every step. It reruns
    /// a call that failed on a limit, because rhai drops the position of
    /// those errors when they leave a function.
    tracer: Engine,
    limits: HookLimits,
}

impl HookEngine {
    /// Builds the sandbox with `limits`, after raising the zeros that rhai
    /// reads as "no limit" to 1.
    pub fn new(limits: HookLimits) -> Self {
        let limits = sandbox::positive(limits);
        let packages = sandbox::packages();

        HookEngine {
            engine: sandbox::engine(&packages, &limits),
            tracer: sandbox::tracing_engine(&packages, &limits),
            limits,
        }
    }

    /// Returns the bounds in force, after zeros that rhai reads as "no limit"
    /// were raised to 1.
    pub fn limits(&self) -> HookLimits {
        self.limits
    }

    /// Reads and compiles a hook file, then checks that it defines
    /// `fn points(client, metrics)` and has no statement outside a function.
    pub fn compile(&self, path: &Path) -> Result<Hook, HookError> {
        let source =
            std::fs::read_to_string(path).map_err(|err| diagnostics::read_error(path, &err))?;

        self.compile_source(path, &source)
    }

    /// Compiles a hook from its text, such as a file read from an older git
    /// revision. `path` only names the hook in errors.
    pub fn compile_source(&self, path: &Path, source: &str) -> Result<Hook, HookError> {
        let ast = self
            .engine
            .compile(source)
            .map_err(|err| diagnostics::parse_error(path, &err))?;

        diagnostics::check_shape(path, &ast)?;

        let reads = parameters_read(source, &ast);
        Ok(Hook {
            path: path.to_path_buf(),
            ast,
            reads,
        })
    }

    /// Calls the hook's `points` function; `Ok(None)` when it returns `()`.
    pub fn call(&self, hook: &Hook, input: &HookInput<'_>) -> Result<Option<Decimal>, HookError> {
        let (client, metrics) = hook.maps(input);
        let located = |(message, help)| HookError::at(&hook.path, Position::NONE, message, help);

        convert::check_size("client", &client, &self.limits).map_err(located)?;
        convert::check_size("metrics", &metrics, &self.limits).map_err(located)?;

        match run(&self.engine, hook, client, metrics) {
            Ok(value) => convert::points(value).map_err(located),
            Err(Failure::Script(err)) => Err(self.runtime_error(hook, input, *err)),
            Err(Failure::Panic(message)) => Err(diagnostics::panic_error(&hook.path, &message)),
        }
    }

    /// Translates a script error, locating limit errors by a traced rerun.
    fn runtime_error(&self, hook: &Hook, input: &HookInput<'_>, err: EvalAltResult) -> HookError {
        let mut error = diagnostics::innermost(err);
        let mut position = error.take_position();

        if position.is_none() && error.is_system_exception() {
            let (client, metrics) = hook.maps(input);

            sandbox::clear_traced_position();
            // The rerun fails the same way because evaluation is
            // deterministic, so only the traced position is of interest.
            let _ = run(&self.tracer, hook, client, metrics);
            position = sandbox::traced_position();
        }

        diagnostics::runtime_error(&hook.path, &error, position, &self.limits)
    }
}

impl Hook {
    /// Builds the `client` and `metrics` maps the script reads; a map it
    /// never names stays empty.
    fn maps(&self, input: &HookInput<'_>) -> (Map, Map) {
        let [client, metrics] = self.reads;
        let map = |read: bool, arguments: &[HookArgument<'_>]| match read {
            true => convert::map(arguments),
            false => Map::new(),
        };
        (map(client, &input.client), map(metrics, &input.metrics))
    }
}

/// Returns whether `source` names each parameter of `fn points` more than
/// once, the signature being one of the mentions. Any mention counts, even
/// in a comment or a string, so a parameter the script reads is never missed.
fn parameters_read(source: &str, ast: &AST) -> [bool; 2] {
    let entry = ast
        .iter_functions()
        .find(|function| function.name == ENTRY_POINT && function.params.len() == 2);
    let Some(entry) = entry else {
        return [true, true];
    };
    let read = |index: usize| {
        entry
            .params
            .get(index)
            .is_none_or(|name| mentions(source, name) > 1)
    };
    [read(0), read(1)]
}

/// Counts the places where `name` appears as a whole identifier in `source`.
fn mentions(source: &str, name: &str) -> usize {
    let is_identifier = |c: char| c.is_alphanumeric() || c == '_';
    source
        .match_indices(name)
        .filter(|&(start, _)| {
            let before = source
                .get(..start)
                .and_then(|text| text.chars().next_back());
            let after = (source.get(start + name.len()..)).and_then(|text| text.chars().next());
            !before.is_some_and(is_identifier) && !after.is_some_and(is_identifier)
        })
        .count()
}

/// The reason a call of `points` produced no value.
enum Failure {
    Script(Box<EvalAltResult>),
    /// rhai panicked; the payload's message, when it has one.
    Panic(String),
}

/// Runs `points` on a fresh scope, catching a panic inside rhai.
fn run(engine: &Engine, hook: &Hook, client: Map, metrics: Map) -> Result<Dynamic, Failure> {
    let options = CallFnOptions::new().eval_ast(false).rewind_scope(true);

    // NOTE: no script is known to make rhai 1.27 panic. The guard turns such
    // a rhai bug into a HookError instead of unwinding through the caller.
    let outcome = panic::catch_unwind(AssertUnwindSafe(|| {
        engine.call_fn_with_options::<Dynamic>(
            options,
            &mut Scope::new(),
            &hook.ast,
            ENTRY_POINT,
            (client, metrics),
        )
    }));

    match outcome {
        Ok(result) => result.map_err(Failure::Script),
        Err(payload) => Err(Failure::Panic(diagnostics::panic_message(payload.as_ref()))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reads(source: &str) -> [bool; 2] {
        let engine = HookEngine::new(HookLimits::default());
        let hook = engine
            .compile_source(Path::new("test.rhai"), source)
            .unwrap();
        hook.reads
    }

    #[test]
    fn counts_whole_identifiers_only() {
        let source = "fn points(client, metrics) { metrics.dso + client_metrics + metricsx }";
        assert_eq!(mentions(source, "metrics"), 2);
        assert_eq!(mentions(source, "client"), 1);
    }

    #[test]
    fn signature_only_map_not_read() {
        assert_eq!(
            reads("fn points(client, metrics) { client.equity }"),
            [true, false]
        );
    }

    #[test]
    fn renamed_parameters_are_followed() {
        assert_eq!(reads("fn points(c, m) { m.overdue }"), [false, true]);
    }

    #[test]
    fn map_passed_to_a_helper_is_read() {
        let source = "fn helper(x) { x.dso }\nfn points(client, metrics) { helper(metrics) }";
        assert_eq!(reads(source), [false, true]);
    }
}
