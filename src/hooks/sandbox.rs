//! The rhai engines hooks run in: the packages a scoring script may use, the
//! language options and the limits.

use std::cell::Cell;

use rhai::debugger::{DebuggerCommand, DebuggerEvent};
use rhai::packages::{
    ArithmeticPackage, BasicArrayPackage, BasicIteratorPackage, BasicMapPackage, BasicMathPackage,
    BasicStringPackage, LogicPackage, MoreStringPackage, Package,
};
use rhai::{Engine, EvalAltResult, Module, Position, Shared};
use rust_decimal::Decimal;

use super::HookLimits;

/// Builds the packages a scoring script needs. `LanguageCorePackage` is left
/// out on purpose because it holds `sleep`, which blocks the thread without
/// counting operations, and `exit`. The iterator package makes ranges such
/// as `0..n` usable in `for` loops.
pub(super) fn packages() -> Vec<Shared<Module>> {
    vec![
        ArithmeticPackage::new().as_shared_module(),
        LogicPackage::new().as_shared_module(),
        BasicStringPackage::new().as_shared_module(),
        MoreStringPackage::new().as_shared_module(),
        BasicArrayPackage::new().as_shared_module(),
        BasicMapPackage::new().as_shared_module(),
        BasicMathPackage::new().as_shared_module(),
        BasicIteratorPackage::new().as_shared_module(),
    ]
}

/// Raises to 1 the zero bounds that rhai reads as "no limit". Zero call
/// levels is a real bound: `points` may call no function.
pub(super) fn positive(limits: HookLimits) -> HookLimits {
    HookLimits {
        max_operations: limits.max_operations.max(1),
        max_call_levels: limits.max_call_levels,
        max_expression_depth: limits.max_expression_depth.max(1),
        max_string_size: limits.max_string_size.max(1),
        max_array_size: limits.max_array_size.max(1),
        max_map_size: limits.max_map_size.max(1),
    }
}

/// Builds the sandbox: a raw engine (no module resolver, no print or debug
/// output) with only `packages`, `eval` disabled and `limits` applied.
pub(super) fn engine(packages: &[Shared<Module>], limits: &HookLimits) -> Engine {
    let mut engine = Engine::new_raw();

    for package in packages {
        engine.register_global_module(package.clone());
    }

    engine.disable_symbol("eval");
    engine.on_print(|_| {});
    engine.on_debug(|_, _, _| {});
    engine.set_strict_variables(true);
    engine.set_fail_on_invalid_map_property(true);

    // Integer literals are `i64`, and rhai divides two of them as integers:
    // `50 / 100` would be 0. Scoring means exact decimals, so `/` on two
    // integers gives a decimal. Overriding a built-in operator needs the fast
    // operator path turned off.
    engine.set_fast_operators(false);
    engine.register_fn("/", divide_integers);

    engine.set_max_operations(limits.max_operations);
    engine.set_max_call_levels(limits.max_call_levels);
    engine.set_max_expr_depths(limits.max_expression_depth, limits.max_expression_depth);
    engine.set_max_string_size(limits.max_string_size);
    engine.set_max_array_size(limits.max_array_size);
    engine.set_max_map_size(limits.max_map_size);

    engine
}

/// Divides two integers exactly, as decimals.
fn divide_integers(dividend: i64, divisor: i64) -> Result<Decimal, Box<EvalAltResult>> {
    if divisor == 0 {
        return Err("division by zero".into());
    }
    Decimal::from(dividend)
        .checked_div(Decimal::from(divisor))
        .ok_or_else(|| "division overflow".into())
}

thread_local! {
    /// The position of the last step the tracing engine took on this thread.
    static TRACED_POSITION: Cell<Position> = const { Cell::new(Position::NONE) };
}

/// Builds the sandbox with a debugger that steps through every statement and
/// expression and stores its position in a thread-local cell. The extra
/// callback per step makes it slower, so it only reruns failed calls.
pub(super) fn tracing_engine(packages: &[Shared<Module>], limits: &HookLimits) -> Engine {
    let mut engine = engine(packages, limits);

    #[allow(
        deprecated,
        reason = "rhai 1.27 marks the debugger API as volatile with #[deprecated]"
    )]
    engine.register_debugger(
        |_, debugger| debugger,
        |_, event, _, _, position| {
            // A function that exits with an error reports the end of its
            // body, which is not where the error arose.
            let is_step = matches!(event, DebuggerEvent::Start | DebuggerEvent::Step);
            if is_step && !position.is_none() {
                TRACED_POSITION.with(|cell| cell.set(position));
            }
            Ok(DebuggerCommand::StepInto)
        },
    );

    engine
}

pub(super) fn clear_traced_position() {
    TRACED_POSITION.with(|cell| cell.set(Position::NONE));
}

/// Returns the position of the last step traced on this thread.
pub(super) fn traced_position() -> Position {
    TRACED_POSITION.with(Cell::get)
}
