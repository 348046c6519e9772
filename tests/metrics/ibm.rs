//! Metrics on the IBM accounts-receivable sample, checked against sums
//! taken straight from its rows.
//!
//! Every invoice in the sample is paid once, in full, on its `SettledDate`,
//! so the ledger gets one payment per invoice that names it. The expected
//! lateness comes from the file's own `DaysLate` column.

use std::collections::BTreeMap;

use chrono::{Days, NaiveDate};
use rust_decimal::Decimal;
use solvent::ledger::Ledger;
use solvent::metrics::{self, Conversion, MetricsRequest};

use super::builder::{LedgerBuilder, client_id, date};

const SAMPLE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../shared/data/ibm-ar-late-payments/WA_Fn-UseC_-Accounts-Receivable.csv"
);

struct Row {
    customer: String,
    invoice: String,
    date: NaiveDate,
    due_date: NaiveDate,
    amount: Decimal,
    settled: NaiveDate,
    days_late: u32,
}

fn read_rows() -> Vec<Row> {
    let us_date = |text: &str| NaiveDate::parse_from_str(text, "%m/%d/%Y").unwrap();
    let mut reader = csv::Reader::from_path(SAMPLE).unwrap();
    let headers = reader.headers().unwrap().clone();
    let column = |name: &str| headers.iter().position(|header| header == name).unwrap();
    let (customer, invoice, date, due) = (
        column("customerID"),
        column("invoiceNumber"),
        column("InvoiceDate"),
        column("DueDate"),
    );
    let (amount, settled, days_late) = (
        column("InvoiceAmount"),
        column("SettledDate"),
        column("DaysLate"),
    );

    let records = reader.records().map(Result::unwrap);
    records
        .map(|record| Row {
            customer: record[customer].to_string(),
            invoice: record[invoice].to_string(),
            date: us_date(&record[date]),
            due_date: us_date(&record[due]),
            amount: record[amount].parse().unwrap(),
            settled: us_date(&record[settled]),
            days_late: record[days_late].parse().unwrap(),
        })
        .collect()
}

fn build_ledger(rows: &[Row]) -> Ledger {
    let mut builder = LedgerBuilder::new();
    for row in rows {
        let (date, due, settled) = (
            row.date.to_string(),
            row.due_date.to_string(),
            row.settled.to_string(),
        );
        let amount = row.amount.to_string();
        builder.invoice(&row.customer, &row.invoice, &date, &due, &amount);
        let payment = format!("P{}", row.invoice);
        builder.payment(
            &row.customer,
            &payment,
            &settled,
            &amount,
            Some(&row.invoice),
        );
    }
    builder.build()
}

/// Expected figures of one customer at an as-of date.
#[derive(Default)]
struct Expected {
    receivables: Decimal,
    overdue: Decimal,
    open_invoices: u32,
    settled_invoices: u32,
    late_invoices: u32,
    settled_amount: Decimal,
    weighted_days_late: Decimal,
}

fn expected_by_customer(rows: &[Row], as_of: NaiveDate) -> BTreeMap<&str, Expected> {
    let window_start = as_of - Days::new(365);
    let mut expected: BTreeMap<&str, Expected> = BTreeMap::new();
    for row in rows {
        let customer = expected.entry(row.customer.as_str()).or_default();
        if row.date <= as_of && as_of < row.settled {
            customer.receivables += row.amount;
            customer.open_invoices += 1;
            if row.due_date < as_of {
                customer.overdue += row.amount;
            }
        }
        if window_start < row.settled && row.settled <= as_of {
            customer.settled_invoices += 1;
            customer.late_invoices += u32::from(row.days_late > 0);
            customer.settled_amount += row.amount;
            customer.weighted_days_late += row.amount * Decimal::from(row.days_late);
        }
    }
    expected
}

fn check_as_of(rows: &[Row], ledger: &Ledger, as_of: &str) {
    let request = MetricsRequest::new(date(as_of));
    for (customer, expected) in expected_by_customer(rows, date(as_of)) {
        let metrics = metrics::compute(ledger, client_id(ledger, customer), &request).unwrap();
        let lateness = metrics.lateness[0];
        let average = expected
            .weighted_days_late
            .checked_div(expected.settled_amount);
        let ratio = Decimal::from(expected.late_invoices)
            .checked_div(Decimal::from(expected.settled_invoices));

        assert_eq!(
            metrics.receivables, expected.receivables,
            "receivables of {customer} at {as_of}"
        );
        assert_eq!(
            metrics.overdue, expected.overdue,
            "overdue of {customer} at {as_of}"
        );
        assert_eq!(
            metrics.open_invoices, expected.open_invoices,
            "open invoices of {customer} at {as_of}"
        );
        assert_eq!(
            metrics.credit_balance,
            Decimal::ZERO,
            "credit balance of {customer} at {as_of}"
        );
        assert_eq!(
            lateness.settled_invoices, expected.settled_invoices,
            "settled of {customer} at {as_of}"
        );
        assert_eq!(
            lateness.avg_days_late, average,
            "avg_days_late of {customer} at {as_of}"
        );
        assert_eq!(
            lateness.late_ratio, ratio,
            "late_ratio of {customer} at {as_of}"
        );
    }
}

#[test]
fn ibm_sample_matches_row_sums() {
    let rows = read_rows();
    let ledger = build_ledger(&rows);

    assert_eq!(rows.len(), 2466);
    assert_eq!(ledger.clients.len(), 100);
    let mid_2013 = expected_by_customer(&rows, date("2013-06-15"));
    assert!(
        mid_2013
            .values()
            .any(|customer| customer.overdue > Decimal::ZERO)
    );
    assert!(mid_2013.values().any(|customer| customer.late_invoices > 0));
    for as_of in [
        "2012-03-31",
        "2012-12-31",
        "2013-06-15",
        "2013-12-31",
        "2014-01-09",
    ] {
        check_as_of(&rows, &ledger, as_of);
    }
}

#[test]
fn ibm_sample_settled_by_last_date() {
    let ledger = build_ledger(&read_rows());

    let request = MetricsRequest::new(date("2014-01-09"));
    let totals = metrics::portfolio(&ledger, &request).unwrap();

    assert_eq!(totals.receivables, Decimal::ZERO);
    assert_eq!(totals.dso, Some(Decimal::ZERO));
}

#[test]
fn ibm_cei_beginning_matches_allocation() {
    let ledger = build_ledger(&read_rows());
    let conversion = Conversion::default();
    let periods = [
        ("2013-06-15", 3, "2013-03-31"),
        ("2013-06-15", 1, "2013-05-31"),
        ("2013-06-15", 12, "2012-06-30"),
        ("2014-01-09", 3, "2013-10-31"),
    ];

    for (as_of, months, beginning) in periods {
        let mut request = MetricsRequest::new(date(as_of));
        request.cei_periods = vec![1, months];
        let mut total = Decimal::ZERO;
        for client in 0..ledger.clients.len() as u32 {
            let metrics = metrics::compute(&ledger, client, &request).unwrap();
            let allocation =
                metrics::allocate(&ledger, client, date(beginning), &conversion).unwrap();
            total += allocation.receivables();

            assert_eq!(
                metrics.cei_periods[1].beginning_receivables,
                allocation.receivables(),
                "receivables of client {client} on {beginning}"
            );
        }
        assert!(total > Decimal::ZERO, "receivables on {beginning}");
    }
}
