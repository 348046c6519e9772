//! Turns rhai's errors into [`HookError`]s that name the hook file, the line
//! and column, what failed and what to do about it.

use std::any::Any;
use std::io;
use std::path::Path;

use rhai::{AST, EvalAltResult, LexError, ParseError, ParseErrorType, Position};

use super::{ENTRY_POINT, HookError, HookLimits};

const SIGNATURE_HELP: &str = "define `fn points(client, metrics) { ... }`; it returns the \
    factor's points, or `()` when the client cannot be scored";

pub(super) fn read_error(path: &Path, err: &io::Error) -> HookError {
    let (message, help) = match err.kind() {
        io::ErrorKind::NotFound => (
            "hook file not found".to_string(),
            "check the path of the hook; the file is a rhai script that defines \
             `fn points(client, metrics)`",
        ),
        io::ErrorKind::InvalidData => (
            "hook file is not valid UTF-8".to_string(),
            "save the hook file as UTF-8",
        ),
        _ => (
            format!("failed to read the hook file: {err}"),
            "check that the file exists and that its permissions let solvent read it",
        ),
    };

    HookError::at(path, Position::NONE, message, Some(help.to_string()))
}

pub(super) fn parse_error(path: &Path, err: &ParseError) -> HookError {
    let kind = err.err_type();
    let help = parse_help(kind);

    HookError::at(
        path,
        err.position(),
        lowercase_first(&kind.to_string()),
        help,
    )
}

fn parse_help(kind: &ParseErrorType) -> Option<String> {
    match kind {
        ParseErrorType::Reserved(word) if word == "import" || word == "export" => Some(
            "a hook is a single file: modules, `import` and `export` are not available".to_string(),
        ),
        ParseErrorType::Reserved(word) if word == "eval" => Some(eval_help()),
        ParseErrorType::BadInput(LexError::ImproperSymbol(word, _)) if word == "eval" => {
            Some(eval_help())
        }
        ParseErrorType::VariableUndefined(name) => Some(format!(
            "declare `{name}` with `let` before using it; a client field is read as \
             `client.{name}` and a metric as `metrics.{name}`"
        )),
        ParseErrorType::ExprTooDeep => Some(
            "split the expression into several `let` statements, or raise \
             `HookLimits::max_expression_depth`"
                .to_string(),
        ),
        _ => None,
    }
}

fn eval_help() -> String {
    "`eval` is disabled in hooks; write the expression in the script itself".to_string()
}

/// Checks that a compiled hook defines `points` with two parameters and has no
/// statement outside a function, since such a statement would never run.
pub(super) fn check_shape(path: &Path, ast: &AST) -> Result<(), HookError> {
    if let Some(statement) = ast.statements().first() {
        return Err(HookError::at(
            path,
            statement.position(),
            "statement outside a function".to_string(),
            Some(
                "a hook runs only its functions; move the statement into `fn points`, \
                 or turn a constant into a function such as `fn safe_zone() { 2.6 }`"
                    .to_string(),
            ),
        ));
    }

    let arities: Vec<usize> = ast
        .iter_functions()
        .filter(|function| function.name == ENTRY_POINT)
        .map(|function| function.params.len())
        .collect();

    if arities.contains(&2) {
        return Ok(());
    }

    let message = match arities.first() {
        None => "no `fn points(client, metrics)` defined".to_string(),
        Some(1) => "`fn points` takes 1 parameter, but 2 are expected".to_string(),
        Some(count) => format!("`fn points` takes {count} parameters, but 2 are expected"),
    };

    Err(HookError::at(
        path,
        Position::NONE,
        message,
        Some(SIGNATURE_HELP.to_string()),
    ))
}

/// Unwraps the errors rhai wraps around an error raised inside a function, so
/// the result carries the position where it was raised.
pub(super) fn innermost(err: EvalAltResult) -> EvalAltResult {
    match err {
        EvalAltResult::ErrorInFunctionCall(_, _, inner, _)
        | EvalAltResult::ErrorInModule(_, inner, _) => innermost(*inner),
        other => other,
    }
}

/// Describes an error raised while `points` ran. `error` carries no position
/// any more, so its text is free of rhai's "(line 1, position 2)" suffix.
pub(super) fn runtime_error(
    path: &Path,
    error: &EvalAltResult,
    position: Position,
    limits: &HookLimits,
) -> HookError {
    let (message, help) = match error {
        EvalAltResult::ErrorTooManyOperations(_) => too_many_operations(limits),
        EvalAltResult::ErrorStackOverflow(_) => stack_overflow(limits),
        EvalAltResult::ErrorDataTooLarge(what, _) => data_too_large(what, limits),
        EvalAltResult::ErrorArithmetic(text, _) => arithmetic(text),
        EvalAltResult::ErrorPropertyNotFound(name, _) => property_not_found(name),
        EvalAltResult::ErrorFunctionNotFound(signature, _) => function_not_found(signature),
        EvalAltResult::ErrorRuntime(value, _) => {
            (format!("the hook threw an error: {value}"), None)
        }
        EvalAltResult::ErrorParsing(ParseErrorType::Reserved(word), _) if word == "eval" => {
            ("`eval` is disabled in hooks".to_string(), Some(eval_help()))
        }
        other => (lowercase_first(&other.to_string()), None),
    };

    HookError::at(path, position, message, help)
}

fn too_many_operations(limits: &HookLimits) -> (String, Option<String>) {
    (
        format!(
            "the hook exceeded the limit of {} operations",
            limits.max_operations
        ),
        Some(
            "the hook probably loops forever: check that every loop ends; raise \
             `HookLimits::max_operations` only if the hook needs the work"
                .to_string(),
        ),
    )
}

fn stack_overflow(limits: &HookLimits) -> (String, Option<String>) {
    (
        format!(
            "function calls exceeded the depth limit of {}",
            limits.max_call_levels
        ),
        Some(
            "a function probably calls itself without end: check the condition that \
             stops the recursion"
                .to_string(),
        ),
    )
}

/// rhai names the value that grew too large: "Length of string", "Size of
/// array/BLOB" or "Size of object map".
fn data_too_large(what: &str, limits: &HookLimits) -> (String, Option<String>) {
    let (value, size, unit, field) = if what.contains("string") {
        (
            "a string",
            limits.max_string_size,
            "bytes",
            "max_string_size",
        )
    } else if what.contains("array") {
        ("an array", limits.max_array_size, "items", "max_array_size")
    } else {
        ("a map", limits.max_map_size, "entries", "max_map_size")
    };

    (
        format!("{value} grew past the limit of {size} {unit}"),
        Some(format!(
            "the hook probably grows a value in a loop: check the loop, or raise \
             `HookLimits::{field}`"
        )),
    )
}

fn arithmetic(text: &str) -> (String, Option<String>) {
    let help = if text.starts_with("Division by zero") {
        Some(
            "test the divisor first, for example `if total_assets == 0 { return (); }`".to_string(),
        )
    } else if text.contains("overflow") {
        Some(
            "the result is outside the range of its type: about ±9.2e18 for an integer, \
             ±7.9e28 for a decimal"
                .to_string(),
        )
    } else {
        None
    };

    (lowercase_first(text), help)
}

fn property_not_found(name: &str) -> (String, Option<String>) {
    (
        format!("property `{name}` not found"),
        Some(format!(
            "`client` contains `id`, `name` and the fields the policy declares, and \
             `metrics` the metrics solvent computes; check the spelling, or test with \
             `\"{name}\" in client` first"
        )),
    )
}

/// rhai writes a signature as `name (type, type)`, with `()` for the unit
/// type, as in `+ ((), i64)`.
fn function_not_found(signature: &str) -> (String, Option<String>) {
    let parameters = signature
        .split_once(" (")
        .map_or("", |(_, rest)| rest.strip_suffix(')').unwrap_or(rest));
    let help = if parameters.split(", ").any(|parameter| parameter == "()") {
        "a field or metric with no value arrives as `()`; test it with `x == ()` \
         before computing with it"
    } else {
        "hooks have rhai's arithmetic, logic, string, array, map and decimal math \
         functions only, with no file, network, clock or module access"
    };

    (
        format!("function not found: {signature}"),
        Some(help.to_string()),
    )
}

/// Extracts the message of a panic payload.
pub(super) fn panic_message(payload: &(dyn Any + Send)) -> String {
    if let Some(text) = payload.downcast_ref::<&str>() {
        (*text).to_string()
    } else if let Some(text) = payload.downcast_ref::<String>() {
        text.clone()
    } else {
        "no message".to_string()
    }
}

pub(super) fn panic_error(path: &Path, message: &str) -> HookError {
    HookError::at(
        path,
        Position::NONE,
        format!("the rhai engine panicked while running the hook: {message}"),
        Some("this is a bug in rhai or solvent, not in the hook; please report it".to_string()),
    )
}

/// Lowercases the first letter of a rhai message, the style of solvent's
/// other messages.
fn lowercase_first(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unit_operand_help_points_at_missing_values() {
        let (_, help) = function_not_found("+ ((), i64)");

        assert!(help.unwrap().contains("arrives as `()`"));
    }

    #[test]
    fn unknown_function_help_lists_the_sandbox() {
        let (_, help) = function_not_found("timestamp ()");

        assert!(
            help.unwrap()
                .contains("no file, network, clock or module access")
        );
    }

    #[test]
    fn data_too_large_names_the_limit() {
        let limits = HookLimits::default();

        let (message, _) = data_too_large("Size of object map", &limits);

        assert_eq!(message, "a map grew past the limit of 1000 entries");
    }

    #[test]
    fn innermost_unwraps_function_calls() {
        let raised = EvalAltResult::ErrorRuntime("stop".into(), Position::new(3, 9));
        let wrapped = EvalAltResult::ErrorInFunctionCall(
            "helper".to_string(),
            String::new(),
            Box::new(raised),
            Position::new(7, 5),
        );

        assert_eq!(innermost(wrapped).position(), Position::new(3, 9));
    }

    #[test]
    fn lowercase_first_keeps_the_rest() {
        assert_eq!(
            lowercase_first("Division by zero: 1 / 0"),
            "division by zero: 1 / 0"
        );
        assert_eq!(lowercase_first(""), "");
    }
}
