//! Rows of the optional files: instalments, orders, holds, promises,
//! exchange rates and reference rates, and the fixed rates of the manifest.

use rust_decimal::Decimal;

use super::{
    DatedAmount, HoldData, HoldRow, InstalmentData, InstalmentRow, OrderRow, PromiseData,
    PromiseRow, Reader,
};
use crate::ledger::cells;
use crate::ledger::error::{ErrorSink, LedgerError, LedgerErrorKind};
use crate::ledger::format::CellFormat;
use crate::ledger::model::{ExchangeRate, ReferenceRate, RowOrigin};
use crate::ledger::table::{Column, Row};

pub(super) struct InstalmentColumns {
    invoice: Column,
    due_date: Column,
    amount: Column,
}

pub(super) struct OrderColumns {
    id: Column,
    client: Column,
    date: Column,
    amount: Column,
    currency: Option<Column>,
}

pub(super) struct HoldColumns {
    client: Column,
    invoice: Option<Column>,
    reason: Column,
    from: Option<Column>,
    until: Column,
}

pub(super) struct PromiseColumns {
    client: Column,
    invoice: Option<Column>,
    amount: Column,
    currency: Option<Column>,
    made_on: Column,
    promised_date: Column,
    grace_days: Option<Column>,
}

pub(super) struct RateColumns {
    date: Column,
    currency: Column,
    rate: Column,
}

pub(super) struct ReferenceRateColumns {
    date: Column,
    rate: Column,
}

const NEGATIVE_INSTALMENT_HELP: &str = "an instalment is a positive part of its invoice's amount";

const NEGATIVE_ORDER_HELP: &str = "an order's amount is positive: the value of the goods ordered";

const NEGATIVE_PROMISE_HELP: &str = "a promise is an amount the client will pay: write an \
     amount above zero, or remove the row";

const RATE_HELP: &str = "write the rate as a number greater than zero: how many units of the \
     policy's currency one unit of the row's currency is worth, such as 0.92";

impl Reader<'_> {
    pub(super) fn instalments(&mut self, sink: &mut ErrorSink) {
        let map = &self.manifest.instalments;
        let cells = self.manifest.cells();
        let rows = self.optional_rows(
            &map.file,
            sink,
            |find| {
                let invoice = find.need(&map.invoice, "the id of the split invoice");
                let due_date = find.need(&map.due_date, "the instalment's due date");
                let amount = find.need(&map.amount, "the instalment's amount");
                Some(InstalmentColumns {
                    invoice: invoice?,
                    due_date: due_date?,
                    amount: amount?,
                })
            },
            |row, columns, sink| instalment(row, columns, cells, sink),
        );
        self.rows.instalments.extend(rows);
    }

    pub(super) fn orders(&mut self, sink: &mut ErrorSink) {
        let map = &self.manifest.orders;
        let cells = self.manifest.cells();
        let rows = self.optional_rows(
            &map.file,
            sink,
            |find| {
                let id = find.need(&map.id, "the order's id");
                let client = find.need(&map.client, "the id of the ordering client");
                let date = find.need(&map.date, "the date of the order");
                let amount = find.need(&map.amount, "the order's amount");
                let currency = find.want(&map.currency, "the order's currency");
                Some(OrderColumns {
                    id: id?,
                    client: client?,
                    date: date?,
                    amount: amount?,
                    currency,
                })
            },
            |row, columns, sink| order(row, columns, cells, sink),
        );
        self.rows.orders.extend(rows);
    }

    pub(super) fn holds(&mut self, sink: &mut ErrorSink) {
        let map = &self.manifest.holds;
        let cells = self.manifest.cells();
        let rows = self.optional_rows(
            &map.file,
            sink,
            |find| {
                let client = find.need(&map.client, "the id of the client on hold");
                let invoice = find.want(&map.invoice, "the invoice on hold");
                let reason = find.need(&map.reason, "the reason for the hold");
                let from = find.want(&map.from, "the first day of the hold");
                let until = find.need(&map.until, "the last day of the hold");
                Some(HoldColumns {
                    client: client?,
                    invoice,
                    reason: reason?,
                    from,
                    until: until?,
                })
            },
            |row, columns, sink| hold(row, columns, cells, sink),
        );
        self.rows.holds.extend(rows);
    }

    pub(super) fn promises(&mut self, sink: &mut ErrorSink) {
        let map = &self.manifest.promises;
        let cells = self.manifest.cells();
        let rows = self.optional_rows(
            &map.file,
            sink,
            |find| {
                let client = find.need(&map.client, "the id of the promising client");
                let invoice = find.want(&map.invoice, "the invoice the promise covers");
                let amount = find.need(&map.amount, "the promised amount");
                let currency = find.want(&map.currency, "the promise's currency");
                let made_on = find.need(&map.made_on, "the day the promise was made");
                let promised = find.need(&map.promised_date, "the day the client will pay by");
                let grace_days = find.want(&map.grace_days, "the days of grace");
                Some(PromiseColumns {
                    client: client?,
                    invoice,
                    amount: amount?,
                    currency,
                    made_on: made_on?,
                    promised_date: promised?,
                    grace_days,
                })
            },
            |row, columns, sink| promise(row, columns, cells, sink),
        );
        self.rows.promises.extend(rows);
    }

    pub(super) fn rates(&mut self, sink: &mut ErrorSink) {
        let map = &self.manifest.rates;
        let cells = self.manifest.cells();
        let rows = self.optional_rows(
            &map.file,
            sink,
            |find| {
                let date = find.need(&map.date, "the date the rate takes effect");
                let currency = find.need(&map.currency, "the currency the rate converts");
                let rate = find.need(&map.rate, "the exchange rate");
                Some(RateColumns {
                    date: date?,
                    currency: currency?,
                    rate: rate?,
                })
            },
            |row, columns, sink| Some(exchange_rate(row, columns, cells, sink)),
        );
        self.rows.rates.extend(rows.into_iter().flatten());
    }

    /// Adds the rates of `[rates.fixed]`, valid from the first date chrono
    /// represents, with the manifest line as their origin.
    pub(super) fn fixed_rates(&mut self) {
        let Some(manifest) = self.manifest.path() else {
            return;
        };
        let file = self.file_id(manifest);
        let fixed = self.manifest.fixed_rates.iter().map(|fixed| ExchangeRate {
            date: chrono::NaiveDate::MIN,
            currency: fixed.currency,
            rate: fixed.rate,
            origin: RowOrigin {
                file,
                line: fixed.line,
            },
        });
        self.rows.rates.extend(fixed);
    }

    pub(super) fn reference_rates(&mut self, sink: &mut ErrorSink) {
        let map = &self.manifest.reference_rates;
        let cells = self.manifest.cells();
        let rows = self.optional_rows(
            &map.file,
            sink,
            |find| {
                let date = find.need(&map.date, "the date the rate takes effect");
                let rate = find.need(&map.rate, "the reference rate");
                Some(ReferenceRateColumns {
                    date: date?,
                    rate: rate?,
                })
            },
            |row, columns, sink| Some(reference_rate(row, columns, cells, sink)),
        );
        self.rows.reference_rates.extend(rows.into_iter().flatten());
    }
}

fn instalment(
    row: &Row,
    columns: &InstalmentColumns,
    cells: &CellFormat,
    sink: &mut ErrorSink,
) -> Option<InstalmentRow> {
    let invoice = sink.ok(row.required(&columns.invoice));
    let due_date = sink.ok(cells::date(row, &columns.due_date, cells));
    let amount = sink.ok(cells::amount(
        row,
        &columns.amount,
        cells,
        NEGATIVE_INSTALMENT_HELP,
    ));
    let data = match (due_date, amount) {
        (Some(due_date), Some(amount)) => Some(InstalmentData { due_date, amount }),
        _ => None,
    };
    Some(InstalmentRow {
        invoice: invoice?.to_string(),
        origin: row.origin,
        data,
    })
}

fn order(
    row: &Row,
    columns: &OrderColumns,
    cells: &CellFormat,
    sink: &mut ErrorSink,
) -> Option<OrderRow> {
    let id = sink.ok(row.required(&columns.id));
    let client = sink.ok(row.required(&columns.client));
    let data = DatedAmount::read(
        row,
        [&columns.date, &columns.amount],
        columns.currency.as_ref(),
        cells,
        NEGATIVE_ORDER_HELP,
        sink,
    );
    Some(OrderRow {
        id: id?.to_string(),
        client: client?.to_string(),
        origin: row.origin,
        data,
    })
}

fn hold(
    row: &Row,
    columns: &HoldColumns,
    cells: &CellFormat,
    sink: &mut ErrorSink,
) -> Option<HoldRow> {
    let client = sink.ok(row.required(&columns.client));
    let reason = sink.ok(row.required(&columns.reason));
    let from = sink.ok(cells::optional_date(row, columns.from.as_ref(), cells));
    let until = sink.ok(cells::date(row, &columns.until, cells));
    if let (Some(Some(from)), Some(until), Some(from_column)) = (from, until, &columns.from)
        && until < from
    {
        sink.push(hold_ends_before_start(row, columns, from_column));
    }
    let data = match (reason, from, until) {
        (Some(reason), Some(from), Some(until)) => Some(HoldData {
            reason: reason.to_string(),
            from,
            until,
        }),
        _ => None,
    };
    Some(HoldRow {
        client: client?.to_string(),
        invoice: row.optional(columns.invoice.as_ref()).map(str::to_string),
        origin: row.origin,
        data,
    })
}

fn promise(
    row: &Row,
    columns: &PromiseColumns,
    cells: &CellFormat,
    sink: &mut ErrorSink,
) -> Option<PromiseRow> {
    let client = sink.ok(row.required(&columns.client));
    let amount = sink.ok(promised_amount(row, &columns.amount, cells));
    let currency = sink.ok(cells::currency(row, columns.currency.as_ref()));
    let made_on = sink.ok(cells::date(row, &columns.made_on, cells));
    let due = sink.ok(cells::date(row, &columns.promised_date, cells));
    let grace_days = sink.ok(cells::whole_days(row, columns.grace_days.as_ref()));
    if let (Some(made_on), Some(due)) = (made_on, due)
        && due < made_on
    {
        sink.push(promised_before_made(row, columns));
    }
    let data = match (amount, currency, made_on, due, grace_days) {
        (Some(amount), Some(currency), Some(made_on), Some(due), Some(grace_days)) => {
            Some(PromiseData {
                amount,
                currency,
                made_on,
                due,
                grace_days,
            })
        }
        _ => None,
    };
    Some(PromiseRow {
        client: client?.to_string(),
        invoice: row.optional(columns.invoice.as_ref()).map(str::to_string),
        origin: row.origin,
        data,
    })
}

fn hold_ends_before_start(row: &Row, columns: &HoldColumns, from: &Column) -> LedgerError {
    let message = format!(
        "the hold ends on `{}`, before it starts on `{}`",
        row.text(&columns.until),
        row.text(from)
    );
    let help = format!(
        "`{}` is the last day of the hold and must be on or after `{}`; check both dates, \
         and format.date_format if day and month may be swapped",
        columns.until.name, from.name
    );
    row.error(LedgerErrorKind::Inconsistent, &columns.until, message)
        .with_help(help)
}

fn promised_before_made(row: &Row, columns: &PromiseColumns) -> LedgerError {
    let message = format!(
        "the promised date `{}` is before the day the promise was made, `{}`",
        row.text(&columns.promised_date),
        row.text(&columns.made_on)
    );
    let help = "a client promises to pay on or after the day of the promise; check both \
                dates, and format.date_format if day and month may be swapped";
    row.error(
        LedgerErrorKind::Inconsistent,
        &columns.promised_date,
        message,
    )
    .with_help(help)
}

/// Reads a promised amount, which must be above zero because a promise of
/// nothing is no promise.
fn promised_amount(row: &Row, column: &Column, cells: &CellFormat) -> Result<Decimal, LedgerError> {
    let amount = cells::amount(row, column, cells, NEGATIVE_PROMISE_HELP)?;
    if amount.is_zero() {
        let message = format!("`{}` is not above zero", row.text(column));
        return Err(row
            .error(LedgerErrorKind::InvalidAmount, column, message)
            .with_help(NEGATIVE_PROMISE_HELP));
    }
    Ok(amount)
}

/// The help for an invalid currency code in the rates file, where the cell
/// is required.
const RATE_CURRENCY_HELP: &str = "write the three-letter ISO 4217 code, in capitals, of the \
     currency that the rate converts into the policy's currency, such as USD; the cell may not \
     be empty, since the policy's own currency needs no rate";

fn exchange_rate(
    row: &Row,
    columns: &RateColumns,
    cells: &CellFormat,
    sink: &mut ErrorSink,
) -> Option<ExchangeRate> {
    let date = sink.ok(cells::date(row, &columns.date, cells));
    let currency = sink.ok(cells::required_currency(
        row,
        &columns.currency,
        RATE_CURRENCY_HELP,
    ));
    let rate = sink.ok(cells::positive_number(row, &columns.rate, cells, RATE_HELP));
    Some(ExchangeRate {
        date: date?,
        currency: currency?,
        rate: rate?,
        origin: row.origin,
    })
}

fn reference_rate(
    row: &Row,
    columns: &ReferenceRateColumns,
    cells: &CellFormat,
    sink: &mut ErrorSink,
) -> Option<ReferenceRate> {
    let date = sink.ok(cells::date(row, &columns.date, cells));
    let rate = sink.ok(cells::percent(row, &columns.rate, cells));
    Some(ReferenceRate {
        date: date?,
        rate: rate?,
        origin: row.origin,
    })
}
