//! Binds a checked policy to a ledger: parses the custom client cells the
//! policy declares into typed values, once, and checks that every currency
//! in use has an exchange rate at the as-of date.

use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::check::{CheckedPolicy, FieldSlot};
use crate::ledger::{
    Client, ClientId, ExchangeRate, Ledger, LedgerError, LedgerErrorKind, LedgerErrors, RowOrigin,
};
use crate::value::{Currency, Type, Value};

/// Typed custom-field values of every client, in the policy's field order.
pub struct BoundFields<'a> {
    width: usize,
    values: Vec<Value<'a>>,
}

impl<'a> BoundFields<'a> {
    pub fn client(&self, client: ClientId) -> &[Value<'a>] {
        let start = client as usize * self.width;
        self.values.get(start..start + self.width).unwrap_or(&[])
    }
}

/// Something worth telling the user that does not stop evaluation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BindWarning {
    /// The fields concerned, as a comma-separated list.
    pub fields: String,
    pub message: String,
}

/// Parses the declared fields of every client and checks document currencies.
pub fn bind<'a>(
    policy: &'a CheckedPolicy,
    ledger: &'a Ledger,
    as_of: NaiveDate,
) -> Result<(BoundFields<'a>, Vec<BindWarning>), LedgerErrors> {
    let mut errors = Vec::new();
    check_rates(ledger, policy.currency, as_of, &mut errors);
    check_rate_bounds(ledger, &mut errors);
    check_own_currency_rates(ledger, policy.currency, &mut errors);
    check_same_currency(ledger, policy.currency, &mut errors);

    let columns: Vec<Option<usize>> = policy
        .fields
        .iter()
        .map(|f| ledger.field_index(&f.name))
        .collect();
    let warnings = absent_column_warnings(&policy.fields, &columns);

    let width = policy.fields.len();
    let mut values = Vec::with_capacity(ledger.clients.len() * width);
    for client in &ledger.clients {
        for (field, column) in policy.fields.iter().zip(&columns) {
            let cell = column
                .and_then(|c| client.fields.get(c))
                .map_or("", |cell| cell.trim());
            match bind_cell(field, cell, ledger) {
                Ok(value) => values.push(value),
                Err(error) => {
                    errors.push(cell_error(ledger, client, field, *column, error));
                    values.push(Value::Missing);
                }
            }
        }
    }
    if errors.is_empty() {
        Ok((BoundFields { width, values }, warnings))
    } else {
        Err(LedgerErrors(errors))
    }
}

fn absent_column_warnings(fields: &[FieldSlot], columns: &[Option<usize>]) -> Vec<BindWarning> {
    let absent: Vec<&FieldSlot> = fields
        .iter()
        .zip(columns)
        .filter(|(_, column)| column.is_none())
        .map(|(field, _)| field)
        .collect();
    let describe = |with_default: bool| -> Option<BindWarning> {
        let names: Vec<String> = absent
            .iter()
            .filter(|field| field.default.is_some() == with_default)
            .map(|field| format!("`{}`", field.name))
            .collect();
        let list = names.join(", ");
        let message = match (with_default, names.len() > 1) {
            (true, false) => format!(
                "the ledger has no client column {list}; every client takes the field's default"
            ),
            (true, true) => format!(
                "the ledger has no client columns {list}; every client takes these fields' defaults"
            ),
            (false, false) => format!(
                "the ledger has no client column {list}; the field is missing for every client"
            ),
            (false, true) => format!(
                "the ledger has no client columns {list}; these fields are missing for every client"
            ),
        };
        (!names.is_empty()).then_some(BindWarning {
            fields: list,
            message,
        })
    };
    [describe(true), describe(false)]
        .into_iter()
        .flatten()
        .collect()
}

/// Why a cell did not parse: message and help.
type CellProblem = (LedgerErrorKind, String, String);

fn bind_cell<'a>(
    field: &'a FieldSlot,
    cell: &'a str,
    ledger: &Ledger,
) -> Result<Value<'a>, CellProblem> {
    if cell.is_empty() {
        return Ok(field
            .default
            .as_ref()
            .map_or(Value::Missing, |d| d.as_value()));
    }
    let cells = &ledger.cells;
    let invalid = |kind: LedgerErrorKind, e: crate::ledger::CellError| (kind, e.message, e.help);
    Ok(match field.ty {
        Type::Money => Value::Money(
            cells
                .parse_decimal(cell)
                .map_err(|e| invalid(LedgerErrorKind::InvalidAmount, e))?,
        ),
        Type::Number => Value::Number(
            cells
                .parse_decimal(cell)
                .map_err(|e| invalid(LedgerErrorKind::InvalidAmount, e))?,
        ),
        Type::Days => Value::Days(
            cells
                .parse_decimal(cell)
                .map_err(|e| invalid(LedgerErrorKind::InvalidAmount, e))?,
        ),
        Type::Percent => Value::Percent(parse_percent(cell, ledger)?),
        Type::Date => Value::Date(
            cells
                .parse_date(cell)
                .map_err(|e| invalid(LedgerErrorKind::InvalidDate, e))?,
        ),
        Type::Boolean => Value::Boolean(
            cells
                .parse_boolean(cell)
                .map_err(|e| invalid(LedgerErrorKind::InvalidBoolean, e))?,
        ),
        Type::Text | Type::Grade => Value::Text(cell),
    })
}

/// Parses a percent cell, which carries its `%` sign so that `15%` and
/// `0.15` cannot be confused.
fn parse_percent(cell: &str, ledger: &Ledger) -> Result<rust_decimal::Decimal, CellProblem> {
    let Some(number) = cell.strip_suffix('%') else {
        return Err((
            LedgerErrorKind::InvalidAmount,
            format!("`{cell}` is not a percent"),
            "write percent cells with a % sign, such as 15%".to_string(),
        ));
    };
    let value = ledger
        .cells
        .parse_decimal(number.trim_end())
        .map_err(|e| (LedgerErrorKind::InvalidAmount, e.message, e.help))?;
    Ok(value / rust_decimal::Decimal::ONE_HUNDRED)
}

fn cell_error(
    ledger: &Ledger,
    client: &Client,
    field: &FieldSlot,
    column: Option<usize>,
    problem: CellProblem,
) -> LedgerError {
    let (kind, message, help) = problem;
    let header = column
        .and_then(|column| ledger.field_columns.get(column))
        .unwrap_or(&field.name);
    LedgerError {
        kind,
        file: ledger.file_path(client.origin.file).to_path_buf(),
        line: Some(client.origin.line),
        column: Some(header.clone()),
        message: format!(
            "client `{}`: {message} (the policy declares `{}` as {})",
            client.id, field.name, field.ty
        ),
        help: Some(format!(
            "{help}; or leave the cell empty when the value is unknown"
        )),
    }
}

/// Checks that every currency of a document, order or promise dated on or
/// before the as-of date has a rate by then, and reports the first row of
/// each currency that has none, before any client is evaluated.
fn check_rates(
    ledger: &Ledger,
    currency: Currency,
    as_of: NaiveDate,
    errors: &mut Vec<LedgerError>,
) {
    let invoices = ledger
        .invoices
        .iter()
        .map(|i| (i.currency, i.date, i.origin, i.id.as_str(), "invoice"));
    let payments = ledger
        .payments
        .iter()
        .map(|p| (p.currency, p.date, p.origin, p.id.as_str(), "payment"));
    let orders = ledger
        .orders
        .iter()
        .map(|o| (o.currency, o.date, o.origin, o.id.as_str(), "order"));
    let promises = ledger
        .promises
        .iter()
        .map(|p| (p.currency, p.made_on, p.origin, "", "promise"));
    let mut reported: Vec<Currency> = Vec::new();
    for (document_currency, date, origin, id, kind) in
        invoices.chain(payments).chain(orders).chain(promises)
    {
        let Some(document_currency) = document_currency else {
            continue;
        };
        let needs_rate = document_currency != currency && date <= as_of;
        if !needs_rate
            || reported.contains(&document_currency)
            || ledger.exchange_rate(document_currency, as_of).is_some()
        {
            continue;
        }
        reported.push(document_currency);
        errors.push(rate_error(
            ledger,
            origin,
            id,
            kind,
            document_currency,
            currency,
            as_of,
        ));
    }
}

/// The largest exchange rate accepted: with amounts of at most 10^15, every
/// converted amount and total stays within a decimal's range.
const MAX_RATE: Decimal = Decimal::from_parts(3_567_587_328, 232, 0, false, 0);

/// Rejects an exchange rate above [`MAX_RATE`], which can only be a typing
/// or export mistake.
fn check_rate_bounds(ledger: &Ledger, errors: &mut Vec<LedgerError>) {
    for rate in ledger.rates.iter().filter(|rate| rate.rate > MAX_RATE) {
        errors.push(LedgerError {
            kind: LedgerErrorKind::InvalidNumber,
            file: ledger.file_path(rate.origin.file).to_path_buf(),
            line: Some(rate.origin.line),
            column: Some("rate".to_string()),
            message: format!("the {} rate {} is larger than {MAX_RATE}, the largest accepted", rate.currency, rate.rate),
            help: Some("check the cell: a rate is the price of one unit of the currency in the policy's currency".to_string()),
        });
    }
}

/// Rejects exchange rates of the policy's own currency, which always
/// converts at 1, so such a rate would be ignored. Each fixed rate gives an
/// error, and the dated rates one error on their first row.
fn check_own_currency_rates(ledger: &Ledger, currency: Currency, errors: &mut Vec<LedgerError>) {
    let own = ledger.rates.iter().filter(|rate| rate.currency == currency);
    // A fixed rate is dated `NaiveDate::MIN`; a dated row has a year of 1000 or more.
    let (fixed, dated): (Vec<&ExchangeRate>, Vec<&ExchangeRate>) =
        own.partition(|rate| rate.date == NaiveDate::MIN);
    for rate in fixed {
        errors.push(LedgerError {
            kind: LedgerErrorKind::Inconsistent,
            file: ledger.file_path(rate.origin.file).to_path_buf(),
            line: Some(rate.origin.line),
            column: None,
            message: format!(
                "rates.fixed.{currency} gives a rate for {currency}, the policy's currency, \
                 which always has rate 1"
            ),
            help: Some(format!(
                "remove the key {currency} from [rates.fixed]: amounts in {currency} are \
                 never converted"
            )),
        });
    }
    let Some(first) = dated.iter().min_by_key(|rate| rate.origin.line) else {
        return;
    };
    let more = match dated.len() - 1 {
        0 => String::new(),
        1 => " and on 1 more row".to_string(),
        count => format!(" and on {count} more rows"),
    };
    errors.push(LedgerError {
        kind: LedgerErrorKind::Inconsistent,
        file: ledger.file_path(first.origin.file).to_path_buf(),
        line: Some(first.origin.line),
        column: Some("currency".to_string()),
        message: format!(
            "a rate for {currency}, the policy's currency, is given on this row{more}, but \
             the policy's currency always has rate 1"
        ),
        help: Some(format!(
            "remove the rows of {currency} from the rates file: amounts in {currency} are \
             never converted"
        )),
    });
}

/// Checks that a payment, credit note or promise naming an invoice is in the
/// invoice's currency once an empty currency cell reads as the policy's:
/// allocation never mixes currencies. The loader checks the pairs whose
/// cells both name a currency; only the policy knows what an empty one means.
fn check_same_currency(ledger: &Ledger, currency: Currency, errors: &mut Vec<LedgerError>) {
    let effective = |c: Option<Currency>| c.unwrap_or(currency);
    let invoice_currency = |id: u32| {
        ledger
            .invoices
            .get(id as usize)
            .map(|i| (effective(i.currency), i.id.as_str()))
    };
    let payments = ledger.payments.iter().filter_map(|p| {
        Some((
            effective(p.currency),
            p.invoice?,
            p.origin,
            "payment",
            p.id.as_str(),
        ))
    });
    let credit_notes = ledger.invoices.iter().filter_map(|c| {
        Some((
            effective(c.currency),
            c.reference?,
            c.origin,
            "credit note",
            c.id.as_str(),
        ))
    });
    let promises = ledger
        .promises
        .iter()
        .filter_map(|p| Some((effective(p.currency), p.invoice?, p.origin, "promise", "")));
    for (own, invoice, origin, kind, id) in payments.chain(credit_notes).chain(promises) {
        let Some((theirs, invoice_id)) = invoice_currency(invoice) else {
            continue;
        };
        if own == theirs {
            continue;
        }
        let what = match id {
            "" => format!("a {kind}"),
            id => format!("{kind} `{id}`"),
        };
        errors.push(LedgerError {
            kind: LedgerErrorKind::Inconsistent,
            file: ledger.file_path(origin.file).to_path_buf(),
            line: Some(origin.line),
            column: Some("currency".to_string()),
            message: format!("{what} is in {own} but names invoice `{invoice_id}`, which is in {theirs}"),
            help: Some(format!(
                "an empty currency cell means {currency}, the policy's currency; write the invoice's currency, or name an invoice in {own}"
            )),
        });
    }
}

fn rate_error(
    ledger: &Ledger,
    origin: RowOrigin,
    id: &str,
    kind: &str,
    found: Currency,
    policy: Currency,
    as_of: NaiveDate,
) -> LedgerError {
    let what = match id {
        "" => format!("a {kind}"),
        id => format!("{kind} `{id}`"),
    };
    LedgerError {
        kind: LedgerErrorKind::InvalidCurrency,
        file: ledger.file_path(origin.file).to_path_buf(),
        line: Some(origin.line),
        column: Some("currency".to_string()),
        message: format!(
            "{what} is in {found}, and the ledger has no {found} rate dated on or before {as_of}"
        ),
        help: Some(format!(
            "add a row such as `{as_of},{found},<rate>` to rates.csv, the rate being the {policy} price of one {found}"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::MAX_RATE;
    use rust_decimal::Decimal;

    #[test]
    fn max_rate_is_ten_to_the_twelfth() {
        assert_eq!(MAX_RATE, Decimal::from(1_000_000_000_000i64));
    }

    #[test]
    fn largest_amount_times_largest_rate_fits() {
        let largest_amount = Decimal::from(1_000_000_000_000_000i64);
        assert!(largest_amount.checked_mul(MAX_RATE).is_some());
    }
}
