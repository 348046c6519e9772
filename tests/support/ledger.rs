//! Helpers shared by the ledger tests: fixture paths, parsing of test
//! values, and a check of every order and range the `Ledger` documents.

// Each test crate that includes this file uses a different part of it.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::str::FromStr;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use solvent::ledger::{DocumentKind, Invoice, Ledger};

pub fn fixture(case: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/ledger")
        .join(case)
}

pub fn date(text: &str) -> NaiveDate {
    NaiveDate::from_str(text).expect("a test date")
}

pub fn dec(text: &str) -> Decimal {
    Decimal::from_str(text).expect("a test decimal")
}

pub fn file_name(path: &Path) -> &str {
    path.file_name()
        .and_then(|name| name.to_str())
        .unwrap_or("")
}

/// Checks the order and ranges that the `Ledger` documentation promises.
pub fn assert_invariants(ledger: &Ledger) {
    assert!(
        ledger
            .clients
            .windows(2)
            .all(|pair| pair[0].id < pair[1].id),
        "clients sorted by id"
    );
    assert_client_ranges(ledger);
    for (index, client) in ledger.clients.iter().enumerate() {
        let index = index as u32;
        assert_eq!(ledger.client_by_id(&client.id), Some(index));
        assert_eq!(client.fields.len(), ledger.field_names.len());
        assert_client_rows_sorted(ledger, index);
    }
    assert_documents(ledger);
    assert_instalments(ledger);
    assert!(
        ledger
            .rates
            .windows(2)
            .all(|pair| (pair[0].currency, pair[0].date) < (pair[1].currency, pair[1].date)),
        "rates sorted by (currency, date), one per pair"
    );
    assert!(
        ledger
            .reference_rates
            .windows(2)
            .all(|pair| pair[0].date < pair[1].date),
        "reference rates sorted by date, one per date"
    );
}

/// Checks that the clients' ranges follow each other, in client order, and
/// cover every row.
fn assert_client_ranges(ledger: &Ledger) {
    let mut next = [0u32; 5];
    for client in &ledger.clients {
        let ranges = [
            &client.invoices,
            &client.payments,
            &client.orders,
            &client.holds,
            &client.promises,
        ];
        for (kind, range) in ranges.into_iter().enumerate() {
            assert_eq!(
                range.start, next[kind],
                "rows of kind {kind} grouped in client order"
            );
            next[kind] = range.end;
        }
    }
    let lengths = [
        ledger.invoices.len(),
        ledger.payments.len(),
        ledger.orders.len(),
        ledger.holds.len(),
        ledger.promises.len(),
    ];
    for (kind, length) in lengths.into_iter().enumerate() {
        assert_eq!(next[kind] as usize, length, "rows of kind {kind} all owned");
    }
}

fn assert_client_rows_sorted(ledger: &Ledger, index: u32) {
    let client = &ledger.clients[index as usize];
    let invoices = ledger.client_invoices(client);
    assert!(invoices.iter().all(|invoice| invoice.client == index));
    let key = |i: &Invoice| (i.due_date, i.date, i.id.clone());
    assert!(
        invoices
            .windows(2)
            .all(|pair| key(&pair[0]) < key(&pair[1]))
    );

    let payments = ledger.client_payments(client);
    assert!(payments.iter().all(|payment| payment.client == index));
    assert!(
        payments
            .windows(2)
            .all(|pair| (pair[0].date, &pair[0].id) < (pair[1].date, &pair[1].id))
    );

    let orders = ledger.client_orders(client);
    assert!(orders.iter().all(|order| order.client == index));
    assert!(
        orders
            .windows(2)
            .all(|pair| (pair[0].date, &pair[0].id) < (pair[1].date, &pair[1].id))
    );

    let holds = ledger.client_holds(client);
    assert!(holds.iter().all(|hold| hold.client == index));
    assert!(holds.windows(2).all(|pair| {
        (pair[0].until, pair[0].origin.line) < (pair[1].until, pair[1].origin.line)
    }));
    for hold in holds {
        assert!(hold.from.is_none_or(|from| from <= hold.until));
        assert_owned_invoice(ledger, hold.invoice, index);
    }

    let promises = ledger.client_promises(client);
    assert!(promises.iter().all(|promise| promise.client == index));
    assert!(
        promises.windows(2).all(|pair| {
            (pair[0].due, pair[0].origin.line) < (pair[1].due, pair[1].origin.line)
        })
    );
    for promise in promises {
        assert!(promise.amount > Decimal::ZERO);
        assert!(promise.due >= promise.made_on);
        assert_owned_invoice(ledger, promise.invoice, index);
    }
}

/// Checks that a hold's or promise's invoice is a plain invoice of its own
/// client.
fn assert_owned_invoice(ledger: &Ledger, invoice: Option<u32>, client: u32) {
    if let Some(invoice) = invoice {
        let target = &ledger.invoices[invoice as usize];
        assert_eq!(
            (target.client, target.kind),
            (client, DocumentKind::Invoice)
        );
    }
}

fn assert_documents(ledger: &Ledger) {
    for invoice in &ledger.invoices {
        assert!(invoice.amount >= Decimal::ZERO);
        assert!(invoice.due_date >= invoice.date);
        if let Some(reference) = invoice.reference {
            let target = &ledger.invoices[reference as usize];
            assert_eq!(
                (invoice.kind, target.client, target.kind),
                (
                    DocumentKind::CreditNote,
                    invoice.client,
                    DocumentKind::Invoice
                )
            );
        }
    }
    for payment in &ledger.payments {
        if let Some(invoice) = payment.invoice {
            assert_eq!(ledger.invoices[invoice as usize].client, payment.client);
        }
    }
}

/// Checks that instalments are grouped by invoice in invoice order, numbered
/// from 1 by due date, add up to their invoice, and that the last one gives
/// its due date.
fn assert_instalments(ledger: &Ledger) {
    let mut next = 0u32;
    for (index, invoice) in ledger.invoices.iter().enumerate() {
        let instalments = ledger.invoice_instalments(invoice);
        if instalments.is_empty() {
            continue;
        }
        assert_eq!(
            invoice.instalments.start, next,
            "instalments in invoice order"
        );
        next = invoice.instalments.end;
        assert!(instalments.iter().all(|i| i.invoice == index as u32));
        let numbers: Vec<u16> = instalments.iter().map(|i| i.number).collect();
        let expected: Vec<u16> = (1..=instalments.len() as u16).collect();
        assert_eq!(numbers, expected);
        assert!(
            instalments
                .windows(2)
                .all(|pair| pair[0].due_date <= pair[1].due_date)
        );
        let total: Decimal = instalments.iter().map(|i| i.amount).sum();
        assert_eq!(total, invoice.amount);
        assert_eq!(
            instalments.last().map(|i| i.due_date),
            Some(invoice.due_date)
        );
    }
    assert_eq!(next as usize, ledger.instalments.len());
}
