//! Timing of metrics over a generated ledger of one million invoices.
//!
//! Run with `cargo test --release --test metrics -- --ignored --nocapture speed`.

use std::thread;
use std::time::Instant;

use chrono::{Days, NaiveDate};
use rust_decimal::Decimal;
use solvent::ledger::{CellFormat, Client, DocumentKind, Invoice, Ledger, Payment, RowOrigin};
use solvent::metrics::{self, Allocation, ClientMetrics, MetricsRequest, PortfolioMetrics};

const CLIENTS: u32 = 100_000;
const INVOICES_PER_CLIENT: u32 = 10;
const ORIGIN: RowOrigin = RowOrigin { file: 0, line: 0 };

/// Ten invoices per client, one a month through 2024, each paid in full by a
/// payment that names it, except the last two: one is open and one is paid
/// half by a payment on account.
fn generated_ledger() -> Ledger {
    let start = NaiveDate::from_ymd_opt(2024, 1, 5).unwrap();
    let mut ledger = Ledger {
        files: Vec::new(),
        cells: CellFormat::default(),
        field_names: Vec::new(),
        clients: Vec::new(),
        invoices: Vec::new(),
        payments: Vec::new(),
    };

    for client in 0..CLIENTS {
        let (invoice_start, payment_start) =
            (ledger.invoices.len() as u32, ledger.payments.len() as u32);
        for month in 0..INVOICES_PER_CLIENT {
            let date = start
                .checked_add_months(chrono::Months::new(month))
                .unwrap();
            let amount = Decimal::new(
                10_000 + i64::from(client % 977) * 13 + i64::from(month) * 7,
                2,
            );
            let id = ledger.invoices.len() as u32;
            ledger.invoices.push(invoice(client, id, date, amount));
            let paid = date + Days::new(25 + u64::from((client + month) % 20));
            if month < INVOICES_PER_CLIENT - 2 {
                ledger
                    .payments
                    .push(payment(client, id, paid, amount, Some(id)));
            } else if month == INVOICES_PER_CLIENT - 2 {
                ledger
                    .payments
                    .push(payment(client, id, paid, amount / Decimal::TWO, None));
            }
        }
        ledger.clients.push(Client {
            id: format!("C{client:07}"),
            name: None,
            fields: Vec::new(),
            origin: ORIGIN,
            invoices: invoice_start..ledger.invoices.len() as u32,
            payments: payment_start..ledger.payments.len() as u32,
        });
    }
    ledger
}

fn invoice(client: u32, id: u32, date: NaiveDate, amount: Decimal) -> Invoice {
    Invoice {
        id: format!("F{id:08}"),
        client,
        date,
        due_date: date + Days::new(30),
        amount,
        currency: None,
        disputed: false,
        kind: DocumentKind::Invoice,
        reference: None,
        origin: ORIGIN,
    }
}

fn payment(
    client: u32,
    id: u32,
    date: NaiveDate,
    amount: Decimal,
    invoice: Option<u32>,
) -> Payment {
    Payment {
        id: format!("P{id:08}"),
        client,
        date,
        amount,
        currency: None,
        invoice,
        origin: ORIGIN,
    }
}

fn totals_of(
    ledger: &Ledger,
    clients: std::ops::Range<u32>,
    request: &MetricsRequest,
) -> PortfolioMetrics {
    let mut totals = PortfolioMetrics::default();
    let mut client_metrics = ClientMetrics::default();
    let mut allocation = Allocation::new();
    for client in clients {
        metrics::compute_into(
            &mut client_metrics,
            &mut allocation,
            ledger,
            client,
            request,
        );
        totals.add(&client_metrics);
    }
    totals
}

#[test]
#[ignore = "measures speed: run in release mode with --ignored"]
fn speed_one_million_invoices() {
    let ledger = generated_ledger();
    let mut request = MetricsRequest::new(NaiveDate::from_ymd_opt(2024, 12, 31).unwrap());
    request.lateness_window(90);

    let started = Instant::now();
    let sequential = totals_of(&ledger, 0..CLIENTS, &request);
    let sequential_time = started.elapsed();

    let started = Instant::now();
    let half = CLIENTS / 2;
    let mut parallel = thread::scope(|scope| {
        let second = scope.spawn(|| totals_of(&ledger, half..CLIENTS, &request));
        let mut first = totals_of(&ledger, 0..half, &request);
        first.merge(&second.join().unwrap());
        first
    });
    let parallel_time = started.elapsed();

    let started = Instant::now();
    parallel.dso = metrics::count_back_portfolio(&ledger, request.as_of, parallel.receivables);
    let dso_time = started.elapsed();

    eprintln!(
        "{} invoices, {} payments: clients on one thread {sequential_time:?}, \
         on two threads {parallel_time:?}, portfolio DSO {dso_time:?}",
        ledger.invoices.len(),
        ledger.payments.len(),
    );
    assert_eq!(parallel.receivables, sequential.receivables);
    assert_eq!(parallel.open_invoices, 2 * CLIENTS);
}
