//! Typed values shared by the checker, the evaluator, the ledger and the hooks.
//!
//! Every quantity is a [`Decimal`]. A value's unit travels with it, so money is
//! never compared with days and a percent is never added to money.

use std::fmt;

use chrono::NaiveDate;
use rust_decimal::Decimal;

/// An ISO 4217 currency code such as `EUR`, stored inline so it is `Copy`.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Currency([u8; 3]);

impl Currency {
    /// Parses three ASCII uppercase letters; anything else is `None`.
    pub fn parse(code: &str) -> Option<Currency> {
        let bytes: [u8; 3] = code.as_bytes().try_into().ok()?;
        bytes
            .iter()
            .all(u8::is_ascii_uppercase)
            .then_some(Currency(bytes))
    }

    pub fn as_str(&self) -> &str {
        // INVARIANT: `parse` admits only ASCII uppercase letters.
        std::str::from_utf8(&self.0).unwrap_or("???")
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Currency({})", self.as_str())
    }
}

/// The static type of an expression, a field or a metric.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Type {
    /// A plain number without unit, such as points or a ratio of two amounts.
    Number,
    /// An amount in the policy's currency.
    Money,
    /// A share, stored as a fraction: `15%` is `0.15`.
    Percent,
    /// A duration in days; may be fractional, as an average delay is.
    Days,
    Date,
    Text,
    Boolean,
    /// One of the grades the policy declares.
    Grade,
}

impl Type {
    /// The word a policy author uses for this type, as written in `fields`.
    pub fn name(self) -> &'static str {
        match self {
            Type::Number => "number",
            Type::Money => "money",
            Type::Percent => "percent",
            Type::Days => "days",
            Type::Date => "date",
            Type::Text => "text",
            Type::Boolean => "boolean",
            Type::Grade => "grade",
        }
    }

    /// Parses a type name as written in a `fields` declaration.
    pub fn from_name(name: &str) -> Option<Type> {
        Some(match name {
            "number" => Type::Number,
            "money" => Type::Money,
            "percent" => Type::Percent,
            "days" => Type::Days,
            "date" => Type::Date,
            "text" => Type::Text,
            "boolean" => Type::Boolean,
            _ => return None,
        })
    }
}

impl fmt::Display for Type {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Index of a grade in the order the policy's `grades` section declares them.
pub type GradeId = u16;

/// A runtime value. `'a` borrows text from the policy or the ledger, so a
/// value is `Copy` and evaluation allocates nothing.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Value<'a> {
    /// No value: an empty client field, or a metric with no data behind it
    /// (no settled invoice yet, so no average delay).
    Missing,
    Number(Decimal),
    Money(Decimal),
    /// A fraction: `15%` is `Percent(0.15)`.
    Percent(Decimal),
    Days(Decimal),
    Date(NaiveDate),
    Text(&'a str),
    Boolean(bool),
    Grade(GradeId),
}

impl Value<'_> {
    pub fn is_missing(&self) -> bool {
        matches!(self, Value::Missing)
    }

    /// The decimal inside a number, money, percent or days value.
    pub fn as_decimal(&self) -> Option<Decimal> {
        match *self {
            Value::Number(d) | Value::Money(d) | Value::Percent(d) | Value::Days(d) => Some(d),
            _ => None,
        }
    }

    /// The type of a present value; `None` for [`Value::Missing`].
    pub fn type_of(&self) -> Option<Type> {
        Some(match self {
            Value::Missing => return None,
            Value::Number(_) => Type::Number,
            Value::Money(_) => Type::Money,
            Value::Percent(_) => Type::Percent,
            Value::Days(_) => Type::Days,
            Value::Date(_) => Type::Date,
            Value::Text(_) => Type::Text,
            Value::Boolean(_) => Type::Boolean,
            Value::Grade(_) => Type::Grade,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn currency_accepts_three_uppercase_letters() {
        assert_eq!(
            Currency::parse("EUR").map(|c| c.to_string()),
            Some("EUR".into())
        );
        assert_eq!(Currency::parse("eur"), None);
        assert_eq!(Currency::parse("EURO"), None);
        assert_eq!(Currency::parse("E1R"), None);
    }

    #[test]
    fn type_names_round_trip() {
        for ty in [
            Type::Number,
            Type::Money,
            Type::Percent,
            Type::Days,
            Type::Date,
            Type::Text,
            Type::Boolean,
        ] {
            assert_eq!(Type::from_name(ty.name()), Some(ty));
        }
        assert_eq!(Type::from_name("grade"), None);
    }
}
