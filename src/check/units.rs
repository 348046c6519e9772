//! Which operators apply to which types, and what they produce.
//!
//! Arithmetic follows units: money × percent is money, money ÷ money is a
//! number, date − date is days. Anything else is a unit mismatch, reported
//! with a hint at the likely intent.

use crate::syntax::ast::BinaryOp;
use crate::value::Type;

/// Why two operand types do not fit an operator: a message and a fix.
pub struct Mismatch {
    /// `unit-mismatch` when both sides are quantities or dates, `type-mismatch`
    /// otherwise.
    pub code: &'static str,
    pub message: String,
    pub help: Option<String>,
}

/// The result type of `lhs op rhs` for the arithmetic operators and `of`.
pub fn arithmetic(op: BinaryOp, lhs: Type, rhs: Type) -> Result<Type, Mismatch> {
    use Type::*;
    let result = match (op, lhs, rhs) {
        (BinaryOp::Add | BinaryOp::Subtract, a, b) if a == b && is_quantity(a) => Some(a),
        (BinaryOp::Add | BinaryOp::Subtract, Date, Days) => Some(Date),
        (BinaryOp::Add, Days, Date) => Some(Date),
        (BinaryOp::Subtract, Date, Date) => Some(Days),

        (BinaryOp::Multiply, Number, b) if is_quantity(b) => Some(b),
        (BinaryOp::Multiply, a, Number) if is_quantity(a) => Some(a),
        (BinaryOp::Multiply, Percent, b) if is_quantity(b) => Some(b),
        (BinaryOp::Multiply, a, Percent) if is_quantity(a) => Some(a),

        (BinaryOp::Divide, a, b) if a == b && is_quantity(a) => Some(Number),
        (BinaryOp::Divide, a, Number | Percent) if is_quantity(a) => Some(a),

        (BinaryOp::Of, Percent, b) if is_quantity(b) => Some(b),
        _ => None,
    };
    result.ok_or_else(|| arithmetic_mismatch(op, lhs, rhs))
}

/// Checks that `lhs op rhs` is a meaningful comparison.
pub fn comparison(op: BinaryOp, lhs: Type, rhs: Type) -> Result<(), Mismatch> {
    if lhs != rhs {
        return Err(Mismatch {
            code: mismatch_code(lhs, rhs),
            message: format!("cannot compare {} with {}", article(lhs), article(rhs)),
            help: comparison_help(lhs, rhs),
        });
    }
    let ordered = is_quantity(lhs) || lhs == Type::Date;
    let equality = matches!(op, BinaryOp::Equal | BinaryOp::NotEqual);
    if ordered || equality {
        return Ok(());
    }
    Err(Mismatch {
        code: "type-mismatch",
        message: format!("`{}` does not apply to {}", op.symbol(), plural(lhs)),
        help: Some(format!(
            "{} can only be tested with `=`, `!=` or `in`",
            plural(lhs)
        )),
    })
}

/// `unit-mismatch` for two quantities or dates, `type-mismatch` otherwise.
pub fn mismatch_code(lhs: Type, rhs: Type) -> &'static str {
    let measured = |ty: Type| is_quantity(ty) || ty == Type::Date;
    if measured(lhs) && measured(rhs) {
        "unit-mismatch"
    } else {
        "type-mismatch"
    }
}

/// Number, money, percent and days: types that carry a decimal quantity.
pub fn is_quantity(ty: Type) -> bool {
    matches!(ty, Type::Number | Type::Money | Type::Percent | Type::Days)
}

/// The type's values as a plural noun phrase, as in "yes/no values".
fn plural(ty: Type) -> &'static str {
    match ty {
        Type::Text => "text",
        Type::Boolean => "yes/no values",
        Type::Grade => "grades",
        Type::Date => "dates",
        Type::Money => "amounts",
        Type::Days => "durations",
        Type::Percent => "percents",
        Type::Number => "numbers",
    }
}

/// The type name with its article, as in "a money value".
pub fn article(ty: Type) -> String {
    match ty {
        Type::Money => "money".to_string(),
        Type::Days => "days".to_string(),
        Type::Percent => "a percent".to_string(),
        Type::Grade => "a grade".to_string(),
        Type::Boolean => "a yes/no value".to_string(),
        Type::Text => "text".to_string(),
        other => format!("a {other}"),
    }
}

fn arithmetic_mismatch(op: BinaryOp, lhs: Type, rhs: Type) -> Mismatch {
    if op == BinaryOp::Of {
        return Mismatch {
            code: mismatch_code(lhs, rhs),
            message: format!(
                "`of` takes a percent of an amount, not {} of {}",
                article(lhs),
                article(rhs)
            ),
            help: Some("write a percent on the left, such as `20% of client.equity`".to_string()),
        };
    }
    let verb = match op {
        BinaryOp::Add => "add",
        BinaryOp::Subtract => "subtract",
        BinaryOp::Multiply => "multiply",
        _ => "divide",
    };
    let (first, second) = match op {
        BinaryOp::Subtract => (rhs, lhs),
        _ => (lhs, rhs),
    };
    let preposition = match op {
        BinaryOp::Add => "to",
        BinaryOp::Subtract => "from",
        BinaryOp::Multiply => "by",
        _ => "by",
    };
    Mismatch {
        code: mismatch_code(lhs, rhs),
        message: format!(
            "cannot {verb} {} {preposition} {}",
            article(first),
            article(second)
        ),
        help: arithmetic_help(op, lhs, rhs),
    }
}

fn arithmetic_help(op: BinaryOp, lhs: Type, rhs: Type) -> Option<String> {
    use Type::*;
    let help = match (op, lhs, rhs) {
        (BinaryOp::Add | BinaryOp::Subtract, Percent, Money)
        | (BinaryOp::Add | BinaryOp::Subtract, Money, Percent) => {
            "to add a share of an amount, take the share first: `x + 10% of x`"
        }
        (_, Number, Money) | (_, Money, Number) => {
            "write amounts with their currency, such as `500 EUR`"
        }
        (_, Number, Days) | (_, Days, Number) => {
            "write durations with their unit, such as `5 days`"
        }
        (_, Number, Percent) | (_, Percent, Number) => "write percents with `%`, such as `5%`",
        (BinaryOp::Multiply, Money, Money) => {
            "an amount times an amount has no unit solvent knows; multiply by a number or a percent"
        }
        _ => return None,
    };
    Some(help.to_string())
}

fn comparison_help(lhs: Type, rhs: Type) -> Option<String> {
    use Type::*;
    let help = match (lhs, rhs) {
        (Percent, Number) | (Number, Percent) => {
            "write the percent with `%`, such as `overdue_ratio < 5%`"
        }
        (Money, Number) | (Number, Money) => {
            "write the amount with its currency, such as `overdue > 5000 EUR`"
        }
        (Days, Number) | (Number, Days) => {
            "write the duration with its unit, such as `avg_days_late > 30 days`"
        }
        (Money, Days) | (Days, Money) => {
            "compare like with like: an amount with an amount (`overdue > 5000 EUR`) or days with days (`oldest_overdue_days > 30 days`)"
        }
        (Percent, Money) | (Money, Percent) => {
            "compare a percent with a percent (`overdue_ratio > 10%`); to compare an amount with a share of another, write `exposure > 90% of limit`"
        }
        _ => return None,
    };
    Some(help.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use BinaryOp::*;
    use Type::*;

    #[test]
    fn arithmetic_follows_units() {
        let cases = [
            (Multiply, Money, Percent, Money),
            (Multiply, Percent, Money, Money),
            (Divide, Money, Money, Number),
            (Divide, Money, Number, Money),
            (Subtract, Date, Date, Days),
            (Add, Date, Days, Date),
            (Subtract, Date, Days, Date),
            (Add, Days, Days, Days),
            (Of, Percent, Money, Money),
            (Of, Percent, Days, Days),
        ];
        for (op, lhs, rhs, expected) in cases {
            assert_eq!(
                arithmetic(op, lhs, rhs).ok(),
                Some(expected),
                "{lhs} {op:?} {rhs}"
            );
        }
    }

    #[test]
    fn arithmetic_rejects_unit_mixes() {
        let cases = [
            (Add, Percent, Money),
            (Add, Money, Days),
            (Multiply, Money, Money),
            (Subtract, Days, Date),
            (Of, Money, Money),
            (Divide, Number, Money),
            (Add, Text, Text),
        ];
        for (op, lhs, rhs) in cases {
            assert!(arithmetic(op, lhs, rhs).is_err(), "{lhs} {op:?} {rhs}");
        }
    }

    #[test]
    fn comparison_needs_same_type() {
        assert!(comparison(Greater, Money, Money).is_ok());
        assert!(comparison(Greater, Money, Days).is_err());
        assert!(comparison(Less, Percent, Number).is_err());
        assert!(comparison(Equal, Text, Text).is_ok());
        assert!(comparison(Less, Text, Text).is_err());
        assert!(comparison(Equal, Grade, Grade).is_ok());
        assert!(comparison(GreaterOrEqual, Grade, Grade).is_err());
    }
}
