//! A deterministic synthetic ledger in the native folder format, shaped like
//! an ERP export, for the benchmarks and `examples/generate_ledger.rs`.
//!
//! The same shape and seed always give the same files, byte for byte.
//! Randomness comes from SplitMix64, so no dependency decides the output.

use std::fs::File;
use std::io::{self, BufWriter};
use std::path::Path;

use chrono::{Datelike, Days, NaiveDate};
use rust_decimal::Decimal;

/// The size and randomness of a generated ledger.
#[derive(Clone, Copy, Debug)]
pub struct Shape {
    pub clients: u32,
    pub invoices_per_client: u32,
    pub seed: u64,
    /// The last date of any document or payment; invoices are dated in the
    /// [`HISTORY_DAYS`] before it.
    pub as_of: NaiveDate,
}

/// Days of invoice history before the as-of date.
pub const HISTORY_DAYS: u64 = 730;

/// The rows written to each file.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    pub clients: u64,
    pub invoices: u64,
    pub credit_notes: u64,
    pub payments: u64,
    pub rates: u64,
}

/// The SplitMix64 generator: a 64-bit state advanced by the golden-ratio
/// constant, and mixed into each output by multiply and xor-shift rounds.
pub struct SplitMix64(u64);

impl SplitMix64 {
    pub fn new(seed: u64) -> Self {
        SplitMix64(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Returns a number in `0..bound` (0 when `bound` is 0) by multiply and
    /// shift. No draw is rejected, so the bias is below `bound` ÷ 2^64.
    pub fn below(&mut self, bound: u64) -> u64 {
        ((u128::from(self.next_u64()) * u128::from(bound)) >> 64) as u64
    }

    /// Returns a number in `low..=high`.
    pub fn between(&mut self, low: i64, high: i64) -> i64 {
        let span = high.abs_diff(low) + 1;
        low + self.below(span) as i64
    }

    /// Returns true `per_mille` times in a thousand.
    pub fn chance(&mut self, per_mille: u64) -> bool {
        self.below(1000) < per_mille
    }
}

/// A client's payment habit, which sets the delay of its payments.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Payer {
    Prompt,
    Slow,
    Late,
    Defaulting,
}

impl Payer {
    fn draw(rng: &mut SplitMix64) -> Payer {
        match rng.below(100) {
            0..50 => Payer::Prompt,
            50..80 => Payer::Slow,
            80..95 => Payer::Late,
            _ => Payer::Defaulting,
        }
    }

    /// Days from due date to payment, negative when paid early.
    fn delay(self, rng: &mut SplitMix64) -> i64 {
        match self {
            Payer::Prompt => rng.between(-5, 3),
            Payer::Slow => rng.between(0, 30),
            Payer::Late => rng.between(20, 90),
            Payer::Defaulting => rng.between(45, 150),
        }
    }

    /// Invoices in a thousand that the client never pays.
    fn unpaid_per_mille(self) -> u64 {
        match self {
            Payer::Defaulting => 300,
            Payer::Late => 30,
            _ => 0,
        }
    }
}

/// Currencies besides the euro, with their country and a rough rate in
/// ten-thousandths of a euro.
const FOREIGN: [(&str, &str, i64); 3] = [
    ("USD", "US", 9200),
    ("GBP", "GB", 11_700),
    ("CHF", "CH", 10_500),
];

const EURO_COUNTRIES: [&str; 5] = ["FR", "DE", "BE", "ES", "IT"];
const TRADES: [&str; 8] = [
    "Atelier",
    "Boulangerie",
    "Société",
    "Transports",
    "Müller",
    "Groupe",
    "Imprimerie",
    "Bâtiment",
];
const LEGAL_FORMS: [&str; 6] = ["SARL", "SAS", "GmbH", ", SA", "Ltd", "& Fils"];

/// The ECB main refinancing rate from July 2022 to June 2025, the rates of
/// `examples/sample/reference_rates.csv`, for policies that charge interest
/// at a reference rate.
const REFERENCE_RATES: [(&str, &str); 18] = [
    ("2022-07-27", "0.50%"),
    ("2022-09-14", "1.25%"),
    ("2022-11-02", "2.00%"),
    ("2022-12-21", "2.50%"),
    ("2023-02-08", "3.00%"),
    ("2023-03-22", "3.50%"),
    ("2023-05-10", "3.75%"),
    ("2023-06-21", "4.00%"),
    ("2023-08-02", "4.25%"),
    ("2023-09-20", "4.50%"),
    ("2024-06-12", "4.25%"),
    ("2024-09-18", "3.65%"),
    ("2024-10-23", "3.40%"),
    ("2024-12-18", "3.15%"),
    ("2025-02-05", "2.90%"),
    ("2025-03-12", "2.65%"),
    ("2025-04-23", "2.40%"),
    ("2025-06-11", "2.15%"),
];

/// One client's row and the facts its documents depend on.
struct ClientRow {
    id: String,
    name: String,
    country: &'static str,
    /// `None` for the euro.
    currency: Option<&'static str>,
    payer: Payer,
    terms_days: u64,
    /// Multiplies every invoice amount: large clients buy more.
    size: i64,
    balance_sheet: Option<BalanceSheet>,
}

/// Whole euros of a published balance sheet.
struct BalanceSheet {
    equity: Decimal,
    current_assets: Decimal,
    current_liabilities: Decimal,
    total_assets: Decimal,
    retained_earnings: Decimal,
    ebit: Decimal,
    total_liabilities: Decimal,
}

/// An invoice or credit note before ids are given out in date order.
struct Document {
    client: u32,
    date: NaiveDate,
    due: NaiveDate,
    amount: Decimal,
    currency: Option<&'static str>,
    disputed: bool,
    /// For a credit note: `Some` of the credited document's index, or of
    /// `None` when it applies to the balance. `None` for an invoice.
    credits: Option<Option<usize>>,
}

/// A payment before ids are given out in date order.
struct PaymentRow {
    client: u32,
    date: NaiveDate,
    amount: Decimal,
    currency: Option<&'static str>,
    /// The index of the document it pays; `None` for a payment on account.
    invoice: Option<usize>,
}

/// Writes `clients.csv`, `invoices.csv`, `payments.csv`, `rates.csv` and
/// `reference_rates.csv` into `out`, which must exist.
pub fn write_ledger(shape: &Shape, out: &Path) -> io::Result<Counts> {
    let clients: Vec<ClientRow> = (0..shape.clients)
        .map(|index| draw_client(shape.seed, index))
        .collect();
    let mut documents = Vec::new();
    let mut payments = Vec::new();
    for (index, client) in (0u32..).zip(&clients) {
        let mut rng = SplitMix64::new(stream_seed(shape.seed, 1, index));
        let mut book = Book {
            documents: &mut documents,
            payments: &mut payments,
        };
        draw_documents(&mut rng, shape, index, client, &mut book)?;
    }

    let mut counts = Counts {
        clients: write_clients(&out.join("clients.csv"), &clients)?,
        ..Counts::default()
    };
    let document_ids = document_ids(&documents);
    (counts.invoices, counts.credit_notes) = write_documents(
        &out.join("invoices.csv"),
        &clients,
        &documents,
        &document_ids,
    )?;
    counts.payments = write_payments(
        &out.join("payments.csv"),
        &clients,
        &payments,
        &document_ids,
    )?;
    counts.rates = write_rates(&out.join("rates.csv"), shape)?;
    write_reference_rates(&out.join("reference_rates.csv"))?;
    Ok(counts)
}

/// Gives every client and every stream its own seed, so one client's rows
/// do not depend on how many numbers the clients before it drew.
fn stream_seed(seed: u64, stream: u64, index: u32) -> u64 {
    let mut mixer = SplitMix64::new(seed ^ stream.wrapping_mul(0xD1B5_4A32_D192_ED03));
    mixer.next_u64() ^ u64::from(index).wrapping_mul(0x9E37_79B9_7F4A_7C15)
}

fn draw_client(seed: u64, index: u32) -> ClientRow {
    let mut rng = SplitMix64::new(stream_seed(seed, 0, index));
    let number = index + 1;
    let (country, currency) = match rng.below(100) {
        0..85 => (pick(&mut rng, &EURO_COUNTRIES), None),
        85..92 => (FOREIGN[0].1, Some(FOREIGN[0].0)),
        92..97 => (FOREIGN[1].1, Some(FOREIGN[1].0)),
        _ => (FOREIGN[2].1, Some(FOREIGN[2].0)),
    };
    let name = format!(
        "{} {number} {}",
        pick(&mut rng, &TRADES),
        pick(&mut rng, &LEGAL_FORMS)
    );
    ClientRow {
        id: format!("C{number:06}"),
        name: name.replace(" ,", ","),
        country,
        currency,
        payer: Payer::draw(&mut rng),
        terms_days: [30, 45, 60][rng.below(3) as usize],
        size: rng.between(1, 10),
        balance_sheet: rng.chance(400).then(|| draw_balance_sheet(&mut rng)),
    }
}

fn pick(rng: &mut SplitMix64, items: &[&'static str]) -> &'static str {
    items[rng.below(items.len() as u64) as usize]
}

/// Draws a balance sheet whose parts add up: equity is total assets less
/// total liabilities, and the ratios span Altman's three zones.
fn draw_balance_sheet(rng: &mut SplitMix64) -> BalanceSheet {
    let total_assets = rng.between(200_000, 5_000_000);
    let total_liabilities = total_assets * rng.between(40, 95) / 100;
    let equity = total_assets - total_liabilities;
    let current_assets = total_assets * rng.between(30, 70) / 100;
    let current_liabilities = total_liabilities * rng.between(20, 80) / 100;
    let retained_earnings = equity * rng.between(-10, 40) / 100;
    let ebit = total_assets * rng.between(-5, 15) / 100;
    BalanceSheet {
        equity: Decimal::from(equity),
        current_assets: Decimal::from(current_assets),
        current_liabilities: Decimal::from(current_liabilities),
        total_assets: Decimal::from(total_assets),
        retained_earnings: Decimal::from(retained_earnings),
        ebit: Decimal::from(ebit),
        total_liabilities: Decimal::from(total_liabilities),
    }
}

/// The rows one client adds to the invoices and payments files.
struct Book<'a> {
    documents: &'a mut Vec<Document>,
    payments: &'a mut Vec<PaymentRow>,
}

/// Draws a client's invoices, sorted by date, with their credit notes and
/// payments, and now and then a credit note on the client's balance.
fn draw_documents(
    rng: &mut SplitMix64,
    shape: &Shape,
    index: u32,
    client: &ClientRow,
    book: &mut Book<'_>,
) -> io::Result<()> {
    let mut dates = Vec::with_capacity(shape.invoices_per_client as usize);
    for _ in 0..shape.invoices_per_client {
        dates.push(shift(shape.as_of, -(rng.below(HISTORY_DAYS) as i64))?);
    }
    dates.sort_unstable();

    for date in dates {
        let invoice = Document {
            client: index,
            date,
            due: shift(date, client.terms_days as i64)?,
            amount: draw_amount(rng, client.size),
            currency: client.currency,
            disputed: rng.chance(20),
            credits: None,
        };
        settle(rng, shape.as_of, client, invoice, book)?;
    }
    if rng.chance(100) {
        let date = shift(shape.as_of, -(rng.below(HISTORY_DAYS) as i64))?;
        book.documents.push(Document {
            client: index,
            date,
            due: date,
            amount: Decimal::new(rng.between(5_000, 50_000), 2),
            currency: client.currency,
            disputed: false,
            credits: Some(None),
        });
    }
    Ok(())
}

/// Draws an invoice amount: 50.00 to 2,000.00, times 1 (60% of invoices),
/// 5 (30%) or 20 (10%), times the client's size.
fn draw_amount(rng: &mut SplitMix64, size: i64) -> Decimal {
    let scale = match rng.below(10) {
        0..6 => 1,
        6..9 => 5,
        _ => 20,
    };
    Decimal::new(rng.between(5_000, 200_000) * scale * size, 2)
}

/// Records an invoice and what settles it by the as-of date: now and then a
/// credit note, then a payment naming it, two partial payments naming it,
/// or a payment on account. Disputed invoices, invoices of defaulting clients and
/// payments due after the as-of date stay open.
fn settle(
    rng: &mut SplitMix64,
    as_of: NaiveDate,
    client: &ClientRow,
    invoice: Document,
    book: &mut Book<'_>,
) -> io::Result<()> {
    let index = book.documents.len();
    let (client_id, date, due) = (invoice.client, invoice.date, invoice.due);
    let (amount, currency) = (invoice.amount, invoice.currency);
    let open = invoice.disputed || rng.chance(client.payer.unpaid_per_mille());
    book.documents.push(invoice);

    let mut due_amount = amount;
    let credit_date = shift(date, rng.between(3, 20))?;
    if rng.chance(30) && credit_date <= as_of {
        let credit = amount * Decimal::new(rng.between(10, 50), 2);
        let credit = credit.round_dp(2);
        due_amount -= credit;
        book.documents.push(Document {
            client: client_id,
            date: credit_date,
            due: credit_date,
            amount: credit,
            currency,
            disputed: false,
            credits: Some(Some(index)),
        });
    }
    let paid_on = shift(due, client.payer.delay(rng))?.max(date);
    if open || paid_on > as_of {
        return Ok(());
    }

    let payment = |date, amount, invoice| PaymentRow {
        client: client_id,
        date,
        amount,
        currency,
        invoice,
    };
    let rows = match rng.below(100) {
        0..85 => vec![payment(paid_on, due_amount, Some(index))],
        85..93 => {
            let first = (due_amount * Decimal::new(rng.between(30, 70), 2)).round_dp(2);
            let first_date = shift(paid_on, -rng.between(5, 25))?.max(date);
            vec![
                payment(first_date, first, Some(index)),
                payment(paid_on, due_amount - first, Some(index)),
            ]
        }
        _ => vec![payment(paid_on, due_amount, None)],
    };
    book.payments.extend(rows);
    Ok(())
}

/// Moves `date` by `days`. Fails when the result is outside chrono's
/// calendar, which only an as-of date near its ends can cause.
fn shift(date: NaiveDate, days: i64) -> io::Result<NaiveDate> {
    let moved = if days >= 0 {
        date.checked_add_days(Days::new(days.unsigned_abs()))
    } else {
        date.checked_sub_days(Days::new(days.unsigned_abs()))
    };
    moved.ok_or_else(|| {
        io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("{date} moved by {days} days is outside the calendar; pick another as-of date"),
        )
    })
}

/// Numbers the documents in date order, as an ERP numbers its invoices:
/// `INV-` for invoices and `CN-` for credit notes, on one sequence.
fn document_ids(documents: &[Document]) -> Vec<String> {
    let order = date_order(documents.len(), |index| {
        (documents[index].date, documents[index].client)
    });
    let mut ids = vec![String::new(); documents.len()];
    for (rank, &index) in order.iter().enumerate() {
        let prefix = match documents[index].credits {
            Some(_) => "CN",
            None => "INV",
        };
        ids[index] = format!("{prefix}-{:07}", rank + 1);
    }
    ids
}

/// Returns the indices `0..len` sorted by `key`, then by index.
fn date_order<K: Ord>(len: usize, key: impl Fn(usize) -> K) -> Vec<usize> {
    let mut order: Vec<usize> = (0..len).collect();
    order.sort_by_key(|&index| (key(index), index));
    order
}

fn csv_writer(path: &Path) -> io::Result<csv::Writer<BufWriter<File>>> {
    let file = BufWriter::with_capacity(1 << 20, File::create(path)?);
    Ok(csv::Writer::from_writer(file))
}

fn write_clients(path: &Path, clients: &[ClientRow]) -> io::Result<u64> {
    let mut writer = csv_writer(path)?;
    writer.write_record([
        "id",
        "name",
        "country",
        "equity",
        "current_assets",
        "current_liabilities",
        "total_assets",
        "retained_earnings",
        "ebit",
        "total_liabilities",
    ])?;
    for client in clients {
        let mut record = vec![client.id.clone(), client.name.clone()];
        record.push(client.country.to_string());
        match &client.balance_sheet {
            Some(sheet) => record.extend(
                [
                    sheet.equity,
                    sheet.current_assets,
                    sheet.current_liabilities,
                    sheet.total_assets,
                    sheet.retained_earnings,
                    sheet.ebit,
                    sheet.total_liabilities,
                ]
                .map(|amount| amount.to_string()),
            ),
            None => record.extend(std::iter::repeat_n(String::new(), 7)),
        }
        writer.write_record(&record)?;
    }
    writer.flush()?;
    Ok(clients.len() as u64)
}

/// Writes the documents in date order and returns the numbers of invoices
/// and of credit notes.
fn write_documents(
    path: &Path,
    clients: &[ClientRow],
    documents: &[Document],
    ids: &[String],
) -> io::Result<(u64, u64)> {
    let mut writer = csv_writer(path)?;
    writer.write_record([
        "id",
        "client",
        "date",
        "due_date",
        "amount",
        "currency",
        "disputed",
        "kind",
        "reference",
    ])?;
    let order = date_order(documents.len(), |index| {
        (documents[index].date, documents[index].client)
    });
    let mut credit_notes = 0;
    for index in order {
        let document = &documents[index];
        let (kind, reference) = match document.credits {
            Some(credited) => ("credit_note", credited.map(|target| ids[target].as_str())),
            None => ("invoice", None),
        };
        credit_notes += u64::from(document.credits.is_some());
        writer.write_record([
            ids[index].as_str(),
            clients[document.client as usize].id.as_str(),
            &document.date.to_string(),
            &document.due.to_string(),
            &document.amount.to_string(),
            document.currency.unwrap_or("EUR"),
            if document.disputed { "true" } else { "false" },
            kind,
            reference.unwrap_or(""),
        ])?;
    }
    writer.flush()?;
    Ok((documents.len() as u64 - credit_notes, credit_notes))
}

fn write_payments(
    path: &Path,
    clients: &[ClientRow],
    payments: &[PaymentRow],
    document_ids: &[String],
) -> io::Result<u64> {
    let mut writer = csv_writer(path)?;
    writer.write_record(["id", "client", "date", "amount", "currency", "invoice"])?;
    let order = date_order(payments.len(), |index| {
        (payments[index].date, payments[index].client)
    });
    for (rank, index) in order.into_iter().enumerate() {
        let payment = &payments[index];
        let invoice = payment.invoice.map(|target| document_ids[target].as_str());
        writer.write_record([
            format!("PAY-{:07}", rank + 1).as_str(),
            clients[payment.client as usize].id.as_str(),
            &payment.date.to_string(),
            &payment.amount.to_string(),
            payment.currency.unwrap_or("EUR"),
            invoice.unwrap_or(""),
        ])?;
    }
    writer.flush()?;
    Ok(payments.len() as u64)
}

/// Writes a rate for each foreign currency on the first day of every month
/// of the history, drifting up to 2% around its base rate.
fn write_rates(path: &Path, shape: &Shape) -> io::Result<u64> {
    let mut rng = SplitMix64::new(stream_seed(shape.seed, 2, 0));
    let mut writer = csv_writer(path)?;
    writer.write_record(["date", "currency", "rate"])?;
    let start = shift(shape.as_of, -(HISTORY_DAYS as i64))?;
    let mut month = start.with_day(1).unwrap_or(start);
    let mut rows = 0;
    while month <= shape.as_of {
        for (currency, _, base) in FOREIGN {
            let rate = Decimal::new(base + rng.between(-base / 50, base / 50), 4);
            writer.write_record([month.to_string().as_str(), currency, &rate.to_string()])?;
            rows += 1;
        }
        let Some(next) = month.checked_add_months(chrono::Months::new(1)) else {
            break;
        };
        month = next;
    }
    writer.flush()?;
    Ok(rows)
}

fn write_reference_rates(path: &Path) -> io::Result<()> {
    let mut writer = csv_writer(path)?;
    writer.write_record(["date", "rate"])?;
    for (date, rate) in REFERENCE_RATES {
        writer.write_record([date, rate])?;
    }
    writer.flush()
}
