//! The scoring-hook sandbox: the Altman Z″ hook on real balance sheets, and
//! how hooks that misbehave fail.

use std::path::{Path, PathBuf};
use std::str::FromStr;

use chrono::NaiveDate;
use rust_decimal::{Decimal, RoundingStrategy};
use solvent::hooks::{Hook, HookEngine, HookError, HookInput, HookLimits};
use solvent::value::Value;

const BANKRUPTCY_CSV: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../shared/data/us-bankruptcy-excerpt/american_bankruptcy_excerpt.csv"
);

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/hooks")
        .join(name)
}

fn altman_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("policies/hooks/altman.rhai")
}

fn engine() -> HookEngine {
    HookEngine::new(HookLimits::default())
}

fn decimal(text: &str) -> Decimal {
    Decimal::from_str(text).unwrap()
}

/// Compiles a fixture and calls it with `amount` as the only client field.
fn call_fixture(name: &str, amount: &str) -> Result<Option<Decimal>, HookError> {
    let engine = engine();
    let hook = engine.compile(&fixture(name))?;
    let input = HookInput {
        client: vec![("amount", Value::Money(decimal(amount)))],
        metrics: Vec::new(),
    };

    engine.call(&hook, &input)
}

fn compile_error(name: &str) -> HookError {
    match engine().compile(&fixture(name)) {
        Ok(_) => panic!("{name} compiled, but a compile error was expected"),
        Err(err) => err,
    }
}

fn call_error(name: &str) -> HookError {
    match call_fixture(name, "100") {
        Ok(points) => panic!("{name} returned {points:?}, but an error was expected"),
        Err(err) => err,
    }
}

// ---------------------------------------------------------------------------
// Altman Z″

/// The six balance sheet figures the Altman hook reads.
#[derive(Clone, Copy)]
struct BalanceSheet {
    current_assets: Decimal,
    current_liabilities: Decimal,
    total_assets: Decimal,
    retained_earnings: Decimal,
    ebit: Decimal,
    total_liabilities: Decimal,
}

impl BalanceSheet {
    /// Builds a sheet whose Z″ is 1.05 × equity ÷ liabilities, because working
    /// capital, retained earnings and EBIT are zero.
    fn with_equity(equity: &str, liabilities: &str) -> Self {
        let liabilities = decimal(liabilities);
        BalanceSheet {
            current_assets: decimal("40"),
            current_liabilities: decimal("40"),
            total_assets: decimal(equity) + liabilities,
            retained_earnings: Decimal::ZERO,
            ebit: Decimal::ZERO,
            total_liabilities: liabilities,
        }
    }

    fn fields(&self) -> Vec<(&'static str, Value<'static>)> {
        vec![
            ("current_assets", Value::Money(self.current_assets)),
            (
                "current_liabilities",
                Value::Money(self.current_liabilities),
            ),
            ("total_assets", Value::Money(self.total_assets)),
            ("retained_earnings", Value::Money(self.retained_earnings)),
            ("ebit", Value::Money(self.ebit)),
            ("total_liabilities", Value::Money(self.total_liabilities)),
        ]
    }

    /// Computes Z″ ratio by ratio, then maps it to points by the zones.
    fn expected_points(&self) -> Option<Decimal> {
        let ta = self.total_assets;
        let tl = self.total_liabilities;
        if ta <= Decimal::ZERO || tl <= Decimal::ZERO {
            return None;
        }

        let x1 = (self.current_assets - self.current_liabilities) / ta;
        let x2 = self.retained_earnings / ta;
        let x3 = self.ebit / ta;
        let x4 = (ta - tl) / tl;
        let z = x1 * decimal("6.56")
            + x2 * decimal("3.26")
            + x3 * decimal("6.72")
            + x4 * decimal("1.05");

        Some(zone_points(z))
    }
}

/// Maps Z″ to points: 0 above 2.6, 100 below 1.1, linear in between,
/// rounded half up to cents.
fn zone_points(z: Decimal) -> Decimal {
    if z > decimal("2.6") {
        Decimal::ZERO
    } else if z < decimal("1.1") {
        Decimal::ONE_HUNDRED
    } else {
        let share = (decimal("2.6") - z) / decimal("1.5");
        (share * Decimal::ONE_HUNDRED)
            .round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
    }
}

fn altman(engine: &HookEngine) -> Hook {
    engine.compile(&altman_path()).unwrap()
}

fn altman_points(sheet: &BalanceSheet) -> Option<Decimal> {
    let engine = engine();
    let input = HookInput {
        client: sheet.fields(),
        metrics: Vec::new(),
    };

    engine.call(&altman(&engine), &input).unwrap()
}

/// Reads the bankruptcy excerpt as (company, year, balance sheet) rows.
fn bankruptcy_rows() -> Vec<(String, String, BalanceSheet)> {
    let text = std::fs::read_to_string(BANKRUPTCY_CSV).unwrap();
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let headers = reader.headers().unwrap().clone();
    let column = |name: &str| headers.iter().position(|header| header == name).unwrap();
    let (company, year) = (column("company_name"), column("year"));
    let columns = ["X1", "X14", "X10", "X15", "X12", "X17"].map(column);

    reader
        .records()
        .map(|record| {
            let record = record.unwrap();
            let [ca, cl, ta, re, ebit, tl] = columns.map(|index| decimal(&record[index]));
            let sheet = BalanceSheet {
                current_assets: ca,
                current_liabilities: cl,
                total_assets: ta,
                retained_earnings: re,
                ebit,
                total_liabilities: tl,
            };
            (record[company].to_string(), record[year].to_string(), sheet)
        })
        .collect()
}

#[test]
fn altman_matches_every_bankruptcy_row() {
    let engine = engine();
    let hook = altman(&engine);
    let rows = bankruptcy_rows();

    assert_eq!(rows.len(), 130);
    for (company, year, sheet) in &rows {
        let input = HookInput {
            client: sheet.fields(),
            metrics: Vec::new(),
        };

        let points = engine.call(&hook, &input).unwrap();

        assert_eq!(points, sheet.expected_points(), "{company} {year}");
    }
}

#[test]
fn altman_rows_cover_every_zone() {
    let points: Vec<Decimal> = bankruptcy_rows()
        .iter()
        .filter_map(|(_, _, sheet)| sheet.expected_points())
        .collect();

    assert!(points.contains(&Decimal::ZERO), "no row in the safe zone");
    assert!(
        points.contains(&Decimal::ONE_HUNDRED),
        "no row in the distress zone"
    );
    assert!(
        points
            .iter()
            .any(|p| *p > Decimal::ZERO && *p < Decimal::ONE_HUNDRED),
        "no row in the grey zone"
    );
}

#[test]
fn altman_safe_zone_boundary() {
    // Z″ = 1.05 × 260 / 105 = 2.6, the top of the grey zone.
    assert_eq!(
        altman_points(&BalanceSheet::with_equity("260", "105")),
        Some(Decimal::ZERO)
    );
    // Z″ = 2.6001, just inside the safe zone.
    assert_eq!(
        altman_points(&BalanceSheet::with_equity("260.01", "105")),
        Some(Decimal::ZERO)
    );
}

#[test]
fn altman_distress_zone_boundary() {
    // Z″ = 1.05 × 110 / 105 = 1.1, the bottom of the grey zone.
    assert_eq!(
        altman_points(&BalanceSheet::with_equity("110", "105")),
        Some(Decimal::ONE_HUNDRED)
    );
    // Z″ = 1.0999, just inside the distress zone.
    assert_eq!(
        altman_points(&BalanceSheet::with_equity("109.99", "105")),
        Some(Decimal::ONE_HUNDRED)
    );
}

#[test]
fn altman_grey_zone_is_linear() {
    // Z″ = 1.85, halfway between 2.6 and 1.1.
    assert_eq!(
        altman_points(&BalanceSheet::with_equity("185", "105")),
        Some(decimal("50"))
    );
    // Z″ = 2.59: 100 × 0.01 / 1.5 = 0.666…, rounded to 0.67.
    assert_eq!(
        altman_points(&BalanceSheet::with_equity("259", "105")),
        Some(decimal("0.67"))
    );
}

#[test]
fn altman_missing_input_is_none() {
    let engine = engine();
    let hook = altman(&engine);
    let complete = BalanceSheet::with_equity("185", "105").fields();

    for index in 0..complete.len() {
        let mut client = complete.clone();
        client[index].1 = Value::Missing;
        let input = HookInput {
            client,
            metrics: Vec::new(),
        };

        let points = engine.call(&hook, &input).unwrap();

        assert_eq!(points, None, "{} missing", complete[index].0);
    }
}

#[test]
fn altman_non_positive_totals_are_none() {
    let mut no_assets = BalanceSheet::with_equity("185", "105");
    no_assets.total_assets = Decimal::ZERO;
    let mut no_liabilities = BalanceSheet::with_equity("185", "105");
    no_liabilities.total_liabilities = Decimal::ZERO;
    let mut negative_assets = BalanceSheet::with_equity("185", "105");
    negative_assets.total_assets = decimal("-10");

    assert_eq!(altman_points(&no_assets), None);
    assert_eq!(altman_points(&no_liabilities), None);
    assert_eq!(altman_points(&negative_assets), None);
}

#[test]
fn altman_undeclared_field_fails() {
    let engine = engine();
    let mut client = BalanceSheet::with_equity("185", "105").fields();
    client.retain(|(name, _)| *name != "ebit");
    let input = HookInput {
        client,
        metrics: Vec::new(),
    };

    let source = std::fs::read_to_string(altman_path()).unwrap();
    let ebit_line = source
        .lines()
        .position(|line| line.contains("client.ebit"))
        .unwrap()
        + 1;

    let err = engine.call(&altman(&engine), &input).unwrap_err();

    assert_eq!(err.message, "property `ebit` not found");
    assert_eq!(err.line, Some(ebit_line));
}

// ---------------------------------------------------------------------------
// Values in and out

#[test]
fn decimals_stay_exact() {
    assert_eq!(
        call_fixture("decimal_sum.rhai", "0").unwrap(),
        Some(decimal("0.3"))
    );
}

#[test]
fn money_arrives_exactly() {
    let points = call_fixture("echo_amount.rhai", "12345.67")
        .unwrap()
        .unwrap();

    assert_eq!(points, decimal("12345.67"));
    assert_eq!(points.scale(), 2);
}

#[test]
fn integer_result_is_points() {
    assert_eq!(
        call_fixture("returns_integer.rhai", "0").unwrap(),
        Some(decimal("40"))
    );
}

#[test]
fn integer_division_is_exact() {
    // 50 / 100 * 80 + 10 / 4 = 40 + 2.5
    assert_eq!(
        call_fixture("integer_division.rhai", "0").unwrap(),
        Some(decimal("42.5"))
    );
}

#[test]
fn integer_division_by_zero_fails() {
    let error = call_fixture("integer_division_by_zero.rhai", "0").unwrap_err();
    assert!(error.message.contains("division by zero"), "{error}");
    assert_eq!(error.line, Some(3));
}

#[test]
fn unit_result_is_none() {
    assert_eq!(call_fixture("returns_unit.rhai", "0").unwrap(), None);
}

#[test]
fn inputs_arrive_as_documented() {
    let engine = engine();
    let hook = engine.compile(&fixture("input_types.rhai")).unwrap();
    let input = HookInput {
        client: vec![
            ("equity", Value::Money(decimal("250000.50"))),
            (
                "opened",
                Value::Date(NaiveDate::from_ymd_opt(2027, 1, 31).unwrap()),
            ),
            ("sector", Value::Text("retail")),
            ("exporter", Value::Boolean(true)),
            ("grade", Value::Grade(2)),
            ("rating", Value::Missing),
        ],
        metrics: vec![
            ("overdue_ratio", Value::Percent(decimal("0.15"))),
            ("avg_days_late", Value::Days(decimal("12.5"))),
            ("exposure", Value::Number(decimal("18250"))),
        ],
    };

    assert_eq!(engine.call(&hook, &input), Ok(Some(Decimal::ONE)));
}

#[test]
fn string_result_fails() {
    let err = call_error("returns_string.rhai");

    assert_eq!(
        err.message,
        "`fn points` returned a string, but a number or `()` is expected"
    );
    assert!(err.help.is_some());
}

// ---------------------------------------------------------------------------
// Loading

#[test]
fn missing_file_fails_with_help() {
    let path = fixture("does_not_exist.rhai");

    let err = engine().compile(&path).err().unwrap();

    assert_eq!(err.path, path);
    assert_eq!(err.message, "hook file not found");
    assert!(err.help.unwrap().contains("fn points(client, metrics)"));
}

#[test]
fn syntax_error_has_line_and_column() {
    let err = compile_error("syntax_error.rhai");

    assert_eq!(err.path, fixture("syntax_error.rhai"));
    assert_eq!(err.line, Some(3));
    assert_eq!(err.column, Some(12));
    assert_eq!(err.message, "unexpected '*'");
}

#[test]
fn missing_points_fails_with_signature() {
    let err = compile_error("no_points.rhai");

    assert_eq!(err.message, "no `fn points(client, metrics)` defined");
    assert!(
        err.help
            .unwrap()
            .contains("fn points(client, metrics) { ... }")
    );
}

#[test]
fn one_parameter_fails_with_signature() {
    let err = compile_error("one_parameter.rhai");

    assert_eq!(
        err.message,
        "`fn points` takes 1 parameter, but 2 are expected"
    );
    assert!(
        err.help
            .unwrap()
            .contains("fn points(client, metrics) { ... }")
    );
}

#[test]
fn top_level_statement_fails() {
    let err = compile_error("top_level_constant.rhai");

    assert_eq!(err.line, Some(1));
    assert_eq!(err.message, "statement outside a function");
}

#[test]
fn import_fails_at_compile_time() {
    let err = compile_error("import.rhai");

    assert_eq!(err.line, Some(1));
    assert_eq!(err.column, Some(1));
    assert_eq!(err.message, "'import' is a reserved keyword");
}

#[test]
fn eval_fails_at_compile_time() {
    let err = compile_error("eval.rhai");

    assert_eq!(err.line, Some(2));
    assert_eq!(err.column, Some(5));
    assert!(err.help.unwrap().contains("`eval` is disabled"));
}

#[test]
fn compile_source_names_the_given_path() {
    let path = Path::new("policies/hooks/old.rhai");

    let err = engine()
        .compile_source(path, "fn points(client, metrics) {")
        .err()
        .unwrap();

    assert_eq!(err.path, path);
    assert_eq!(err.line, Some(1));
}

// ---------------------------------------------------------------------------
// Runtime errors

#[test]
fn infinite_loop_exceeds_operations() {
    let err = call_error("infinite_loop.rhai");

    assert_eq!(err.path, fixture("infinite_loop.rhai"));
    assert_eq!(err.line, Some(5));
    assert_eq!(
        err.message,
        "the hook exceeded the limit of 100000 operations"
    );
    assert!(err.help.as_deref().unwrap().contains("loops forever"));
    assert!(
        err.to_string()
            .starts_with(&format!("{}:5:", fixture("infinite_loop.rhai").display()))
    );
}

#[test]
fn loop_in_helper_reports_helper_line() {
    let err = call_error("loop_in_helper.rhai");

    assert_eq!(err.line, Some(6));
    assert_eq!(
        err.message,
        "the hook exceeded the limit of 100000 operations"
    );
}

#[test]
fn deep_recursion_fails() {
    let err = call_error("deep_recursion.rhai");

    assert_eq!(err.line, Some(3));
    assert_eq!(err.message, "function calls exceeded the depth limit of 32");
}

#[test]
fn string_doubling_exceeds_size() {
    let err = call_error("string_doubling.rhai");

    assert_eq!(err.line, Some(5));
    assert_eq!(err.message, "a string grew past the limit of 10000 bytes");
}

#[test]
fn throw_reports_its_line() {
    let err = call_error("throws.rhai");

    assert_eq!(err.line, Some(3));
    assert_eq!(err.column, Some(9));
    assert_eq!(
        err.message,
        "the hook threw an error: balance sheet not audited"
    );
}

#[test]
fn division_by_zero_fails() {
    let err = call_error("division_by_zero.rhai");

    assert_eq!(err.line, Some(3));
    assert_eq!(err.message, "division by zero: 100 / 0");
}

#[test]
fn misspelled_field_fails() {
    let err = call_error("misspelled_field.rhai");

    assert_eq!(err.line, Some(2));
    assert_eq!(err.message, "property `amout` not found");
}

#[test]
fn unavailable_functions_are_not_found() {
    let engine = engine();
    let path = Path::new("unavailable.rhai");

    for call in ["sleep(1)", "exit()", "timestamp()", "parse_json(\"{}\")"] {
        let source = format!("fn points(client, metrics) {{ {call} }}");
        let hook = engine.compile_source(path, &source).unwrap();

        let err = engine.call(&hook, &HookInput::default()).unwrap_err();

        assert!(
            err.message.starts_with("function not found"),
            "{call}: {err}"
        );
    }
}

#[test]
fn print_and_debug_are_discarded() {
    let engine = engine();
    let source =
        "fn points(client, metrics) {\n    print(\"checked\");\n    debug(client);\n    1\n}";
    let hook = engine
        .compile_source(Path::new("print.rhai"), source)
        .unwrap();

    assert_eq!(
        engine.call(&hook, &HookInput::default()),
        Ok(Some(Decimal::ONE))
    );
}

#[test]
fn eval_through_function_pointer_fails() {
    let engine = engine();
    let source = "fn points(client, metrics) {\n    Fn(\"eval\").call(\"1\")\n}";
    let hook = engine
        .compile_source(Path::new("eval.rhai"), source)
        .unwrap();

    let err = engine.call(&hook, &HookInput::default()).unwrap_err();

    assert_eq!(err.line, Some(2));
    assert_eq!(err.message, "`eval` is disabled in hooks");
}

// ---------------------------------------------------------------------------
// Engine

#[test]
fn engine_is_send_and_sync() {
    fn assert_send_sync<T: Send + Sync>() {}

    assert_send_sync::<HookEngine>();
    assert_send_sync::<Hook>();
}

#[test]
fn engine_runs_hooks_from_several_threads() {
    let engine = engine();
    let hook = altman(&engine);
    let sheet = BalanceSheet::with_equity("185", "105");

    std::thread::scope(|scope| {
        let workers: Vec<_> = (0..4)
            .map(|_| {
                scope.spawn(|| {
                    let input = HookInput {
                        client: sheet.fields(),
                        metrics: Vec::new(),
                    };
                    engine.call(&hook, &input)
                })
            })
            .collect();

        for worker in workers {
            assert_eq!(worker.join().unwrap(), Ok(Some(decimal("50"))));
        }
    });
}

#[test]
fn zero_limits_that_mean_unlimited_become_one() {
    let limits = HookLimits {
        max_operations: 0,
        max_call_levels: 0,
        max_expression_depth: 0,
        max_string_size: 0,
        max_array_size: 0,
        max_map_size: 0,
    };

    let applied = HookEngine::new(limits).limits();

    assert_eq!(applied.max_operations, 1);
    assert_eq!(applied.max_call_levels, 0);
    assert_eq!(applied.max_expression_depth, 1);
    assert_eq!(applied.max_string_size, 1);
    assert_eq!(applied.max_array_size, 1);
    assert_eq!(applied.max_map_size, 1);
}

#[test]
fn call_levels_count_calls_below_points() {
    let two_levels = HookEngine::new(HookLimits {
        max_call_levels: 2,
        ..HookLimits::default()
    });
    let one_level = HookEngine::new(HookLimits {
        max_call_levels: 1,
        ..HookLimits::default()
    });
    let path = fixture("call_helper.rhai");

    let within = two_levels.call(&two_levels.compile(&path).unwrap(), &HookInput::default());
    let beyond = one_level.call(&one_level.compile(&path).unwrap(), &HookInput::default());

    assert_eq!(within, Ok(Some(decimal("7"))));
    assert_eq!(
        beyond.unwrap_err().message,
        "function calls exceeded the depth limit of 1"
    );
}

#[test]
fn deep_recursion_fits_default_thread_stack() {
    let engine = engine();
    let hook = engine
        .compile(&fixture("deep_nested_recursion.rhai"))
        .unwrap();
    let worker = std::thread::Builder::new().stack_size(2 * 1024 * 1024);

    let result = worker
        .spawn(move || engine.call(&hook, &HookInput::default()))
        .unwrap()
        .join()
        .unwrap();

    assert_eq!(
        result.unwrap_err().message,
        "function calls exceeded the depth limit of 32"
    );
}

#[test]
fn oversized_input_fails() {
    let engine = HookEngine::new(HookLimits {
        max_map_size: 1,
        ..HookLimits::default()
    });
    let hook = engine.compile(&fixture("echo_amount.rhai")).unwrap();
    let input = HookInput {
        client: vec![("a", Value::Missing), ("amount", Value::Missing)],
        metrics: Vec::new(),
    };

    let err = engine.call(&hook, &input).unwrap_err();

    assert_eq!(
        err.message,
        "the `client` map contains 2 entries, more than the hook limit of 1"
    );
}

#[test]
fn unnamed_oversized_map_not_passed() {
    // returns_integer.rhai names neither map, so neither is built.
    let engine = HookEngine::new(HookLimits {
        max_map_size: 1,
        ..HookLimits::default()
    });
    let hook = engine.compile(&fixture("returns_integer.rhai")).unwrap();
    let input = HookInput {
        client: vec![("a", Value::Missing), ("b", Value::Missing)],
        metrics: Vec::new(),
    };

    let points = engine.call(&hook, &input).unwrap();

    assert!(points.is_some());
}

#[test]
fn renamed_parameters_receive_both_maps() {
    // `c` and `m` name the maps; the script reads a field and a metric.
    let engine = engine();
    let hook = engine
        .compile_source(
            Path::new("renamed.rhai"),
            "fn points(c, m) { c.amount + m.overdue }",
        )
        .unwrap();
    let input = HookInput {
        client: vec![("amount", Value::Money(decimal("100.25")))],
        metrics: vec![("overdue", Value::Money(decimal("50.50")))],
    };

    let points = engine.call(&hook, &input).unwrap();

    assert_eq!(points, Some(decimal("150.75")));
}
