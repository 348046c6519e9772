//! Loading the optional ledger files: credit notes, instalments, orders,
//! holds, promises, exchange and reference rates, and due dates computed
//! from payment terms. Each expected value below was worked out by hand
//! from the fixture files.

#[path = "support/ledger.rs"]
mod support;

use std::path::Path;

use solvent::ledger::{DocumentKind, Ledger, Manifest};
use solvent::terms::PaymentTerms;
use solvent::value::Currency;
use support::{assert_invariants, date, dec, file_name, fixture};

fn load(path: &Path) -> Ledger {
    match Ledger::load(path) {
        Ok(ledger) => {
            assert_invariants(&ledger);
            ledger
        }
        Err(errors) => panic!("{} should load: {:#?}", path.display(), errors.0),
    }
}

fn currency(code: &str) -> Option<Currency> {
    Some(Currency::parse(code).expect("a test currency"))
}

fn ids<'a>(items: impl Iterator<Item = &'a str>) -> Vec<&'a str> {
    items.collect()
}

#[test]
fn full_folder_reads_every_file() {
    let ledger = load(&fixture("full"));
    let files: Vec<&str> = ledger.files.iter().map(|f| file_name(f)).collect();
    assert_eq!(
        files,
        [
            "clients.csv",
            "invoices.csv",
            "credit_notes.csv",
            "instalments.csv",
            "payments.csv",
            "orders.csv",
            "holds.csv",
            "promises.csv",
            "rates.csv",
            "reference_rates.csv",
        ]
    );
}

#[test]
fn full_credit_notes_join_the_invoices() {
    let ledger = load(&fixture("full"));
    let order = ids(ledger.invoices.iter().map(|i| i.id.as_str()));
    assert_eq!(order, ["CN1", "F2", "F1", "CN2", "F3"]);

    let cn1 = &ledger.invoices[0];
    assert_eq!(cn1.kind, DocumentKind::CreditNote);
    assert_eq!(cn1.due_date, date("2027-01-20"));
    assert_eq!(cn1.amount, dec("20.00"));
    assert_eq!(cn1.currency, currency("USD"));
    assert_eq!(cn1.reference, Some(1));
    assert!(!cn1.disputed);
    assert_eq!(
        file_name(ledger.file_path(cn1.origin.file)),
        "credit_notes.csv"
    );
    assert_eq!(cn1.origin.line, 2);

    let cn2 = &ledger.invoices[3];
    assert_eq!((cn2.client, cn2.reference, cn2.currency), (1, None, None));
    assert_eq!(cn2.due_date, date("2027-02-15"));
}

#[test]
fn full_instalments_set_the_due_date() {
    let ledger = load(&fixture("full"));
    let f1 = &ledger.invoices[2];
    assert_eq!(f1.id, "F1");
    assert_eq!(f1.due_date, date("2027-04-05"));
    assert_eq!(f1.instalments, 0..3);
    let f3 = &ledger.invoices[4];
    assert_eq!(f3.due_date, date("2027-04-02"));
    assert_eq!(f3.instalments, 3..5);
    assert_eq!(ledger.invoices[1].instalments, 0..0);

    let schedule: Vec<_> = ledger
        .instalments
        .iter()
        .map(|i| (i.invoice, i.number, i.due_date, i.amount, i.origin.line))
        .collect();
    assert_eq!(
        schedule,
        [
            (2, 1, date("2027-02-04"), dec("100.00"), 3),
            (2, 2, date("2027-03-05"), dec("100.00"), 5),
            (2, 3, date("2027-04-05"), dec("100.00"), 2),
            (4, 1, date("2027-03-03"), dec("400.00"), 4),
            (4, 2, date("2027-04-02"), dec("600.00"), 6),
        ]
    );
}

#[test]
fn full_payments_point_at_sorted_invoices() {
    let ledger = load(&fixture("full"));
    let payments: Vec<_> = ledger
        .payments
        .iter()
        .map(|p| (p.id.as_str(), p.client, p.invoice))
        .collect();
    assert_eq!(payments, [("P1", 0, Some(2)), ("P2", 1, Some(4))]);
}

#[test]
fn full_orders_sorted_by_client_date_id() {
    let ledger = load(&fixture("full"));
    let orders: Vec<_> = ledger
        .orders
        .iter()
        .map(|o| (o.id.as_str(), o.client, o.date, o.amount, o.currency))
        .collect();
    assert_eq!(
        orders,
        [
            ("O1", 0, date("2027-03-01"), dec("250.00"), None),
            ("O2", 0, date("2027-03-01"), dec("500.00"), currency("EUR")),
            ("O3", 2, date("2027-02-20"), dec("75.50"), currency("USD")),
        ]
    );
    let ranges: Vec<_> = ledger.clients.iter().map(|c| c.orders.clone()).collect();
    assert_eq!(ranges, [0..2, 2..2, 2..3]);
}

#[test]
fn full_holds_sorted_by_client_and_end() {
    let ledger = load(&fixture("full"));
    let holds: Vec<_> = ledger
        .holds
        .iter()
        .map(|h| {
            (
                h.client,
                h.invoice,
                h.reason.as_str(),
                h.from,
                h.until,
                h.origin.line,
            )
        })
        .collect();
    assert_eq!(
        holds,
        [
            (
                0,
                None,
                "can't pay before month end",
                None,
                date("2027-02-28"),
                3
            ),
            (
                1,
                Some(4),
                "disputed delivery",
                Some(date("2027-03-01")),
                date("2027-03-31"),
                2
            ),
            (
                1,
                None,
                "insolvency proceedings",
                Some(date("2027-02-01")),
                date("2027-12-31"),
                4
            ),
        ]
    );
    let ranges: Vec<_> = ledger.clients.iter().map(|c| c.holds.clone()).collect();
    assert_eq!(ranges, [0..1, 1..3, 3..3]);
}

#[test]
fn full_promises_sorted_by_client_and_date() {
    let ledger = load(&fixture("full"));
    let promises: Vec<_> = ledger
        .promises
        .iter()
        .map(|p| {
            (
                p.client,
                p.invoice,
                p.amount,
                p.currency,
                p.made_on,
                p.due,
                p.grace_days,
            )
        })
        .collect();
    assert_eq!(
        promises,
        [
            (
                0,
                None,
                dec("50.00"),
                None,
                date("2027-02-01"),
                date("2027-02-15"),
                7
            ),
            (
                0,
                Some(2),
                dec("100.00"),
                currency("EUR"),
                date("2027-02-10"),
                date("2027-03-05"),
                3
            ),
            (
                1,
                None,
                dec("250.00"),
                None,
                date("2027-03-02"),
                date("2027-03-02"),
                0
            ),
        ]
    );
    let ranges: Vec<_> = ledger.clients.iter().map(|c| c.promises.clone()).collect();
    assert_eq!(ranges, [0..2, 2..3, 3..3]);
}

#[test]
fn full_rates_sorted_by_currency_and_date() {
    let ledger = load(&fixture("full"));
    let rates: Vec<_> = ledger
        .rates
        .iter()
        .map(|r| (r.currency, r.date, r.rate, r.origin.line))
        .collect();
    let code = |c| currency(c).unwrap();
    assert_eq!(
        rates,
        [
            (code("GBP"), date("2027-01-01"), dec("1.17"), 4),
            (code("USD"), date("2027-01-01"), dec("0.92"), 3),
            (code("USD"), date("2027-02-01"), dec("0.95"), 2),
        ]
    );
}

#[test]
fn exchange_rate_is_the_latest_on_or_before() {
    let ledger = load(&fixture("full"));
    let usd = currency("USD").unwrap();
    let rate = |day: &str| ledger.exchange_rate(usd, date(day)).map(|r| r.rate);
    assert_eq!(rate("2026-12-31"), None);
    assert_eq!(rate("2027-01-01"), Some(dec("0.92")));
    assert_eq!(rate("2027-01-31"), Some(dec("0.92")));
    assert_eq!(rate("2027-02-01"), Some(dec("0.95")));
    assert_eq!(rate("2030-01-01"), Some(dec("0.95")));
    let chf = currency("CHF").unwrap();
    assert!(ledger.exchange_rate(chf, date("2027-02-01")).is_none());
}

#[test]
fn full_reference_rates_are_fractions() {
    let ledger = load(&fixture("full"));
    let rates: Vec<_> = ledger
        .reference_rates
        .iter()
        .map(|r| (r.date, r.rate))
        .collect();
    assert_eq!(
        rates,
        [
            (date("2027-01-01"), dec("0.0450")),
            (date("2027-07-01"), dec("0.0425")),
        ]
    );
}

#[test]
fn terms_give_due_dates() {
    let ledger = load(&fixture("terms"));
    let by_id = |id: &str| {
        let invoice = ledger.invoices.iter().find(|i| i.id == id).unwrap();
        (invoice.due_date, invoice.terms)
    };
    assert_eq!(
        by_id("F1"),
        (date("2027-02-04"), Some(PaymentTerms::Net(30)))
    );
    assert_eq!(
        by_id("F2"),
        (date("2028-02-29"), Some(PaymentTerms::NetMonths(2)))
    );
    assert_eq!(
        by_id("F3"),
        (date("2027-02-09"), Some(PaymentTerms::Net(30)))
    );
    assert_eq!(
        by_id("F4"),
        (
            date("2027-03-17"),
            Some(PaymentTerms::EndOfMonthThenDays(45))
        )
    );
    assert_eq!(
        by_id("F5"),
        (date("2027-01-17"), Some(PaymentTerms::Prepayment))
    );
    assert_eq!(
        by_id("F6"),
        (date("2027-02-16"), Some(PaymentTerms::Net(30)))
    );
}

/// Writes a native ledger of one client, K1, into a fresh folder under
/// the test target folder.
fn write_ledger(name: &str, files: &[(&str, &str)]) -> std::path::PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("ledger-files")
        .join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("clients.csv"), "id,name\nK1,Kappa\n").unwrap();
    std::fs::write(dir.join("payments.csv"), "id,client,date,amount\n").unwrap();
    for (file, text) in files {
        std::fs::write(dir.join(file), text).unwrap();
    }
    dir
}

#[test]
fn split_invoice_needs_no_due_date() {
    let dir = write_ledger(
        "split-without-due-date",
        &[
            (
                "invoices.csv",
                "id,client,date,due_date,terms,amount\nI1,K1,2027-01-10,,,3000\n",
            ),
            (
                "instalments.csv",
                "invoice,due_date,amount\nI1,2027-02-28,1000\nI1,2027-03-31,2000\n",
            ),
        ],
    );
    let ledger = load(&dir);
    let invoice = &ledger.invoices[0];
    assert_eq!(invoice.due_date, date("2027-03-31"));
    assert_eq!(invoice.terms, None);
    assert_eq!(invoice.instalments, 0..2);
}

#[test]
fn split_invoice_due_date_may_repeat_last_instalment() {
    let dir = write_ledger(
        "split-with-due-date",
        &[
            (
                "invoices.csv",
                "id,client,date,due_date,terms,amount\n\
                 I1,K1,2027-01-10,2027-03-31,,3000\n\
                 I2,K1,2027-01-10,,60 days,500\n",
            ),
            (
                "instalments.csv",
                "invoice,due_date,amount\n\
                 I1,2027-03-31,2000\n\
                 I1,2027-02-28,1000\n\
                 I2,2027-02-09,250\n\
                 I2,2027-03-11,250\n",
            ),
        ],
    );
    let ledger = load(&dir);
    let due = |id: &str| {
        ledger
            .invoices
            .iter()
            .find(|i| i.id == id)
            .unwrap()
            .due_date
    };
    assert_eq!(due("I1"), date("2027-03-31"));
    // 10 January + 60 days: 21 days to 31 January, 28 in February, 11 March.
    assert_eq!(due("I2"), date("2027-03-11"));
}

#[test]
fn mapped_reads_windows_1252_names() {
    let ledger = load(&fixture("mapped/ledger.toml"));
    let names: Vec<_> = ledger
        .clients
        .iter()
        .map(|c| (c.id.as_str(), c.name.as_deref()))
        .collect();
    assert_eq!(
        names,
        [
            ("T1", Some("Société Générale")),
            ("T2", Some("Müller & Fils"))
        ]
    );
    let lines: Vec<u32> = ledger.clients.iter().map(|c| c.origin.line).collect();
    assert_eq!(lines, [3, 2]);
    assert_eq!(ledger.holds[0].reason, "litige qualité");
}

#[test]
fn mapped_lists_the_manifest_last() {
    let ledger = load(&fixture("mapped/ledger.toml"));
    let files: Vec<&str> = ledger.files.iter().map(|f| file_name(f)).collect();
    assert_eq!(
        files,
        [
            "tiers.csv",
            "factures.csv",
            "avoirs.csv",
            "echeances.csv",
            "reglements.csv",
            "commandes.csv",
            "blocages.csv",
            "promesses.csv",
            "cours.csv",
            "taux.csv",
            "ledger.toml",
        ]
    );
}

#[test]
fn mapped_invoices_from_terms_codes() {
    let ledger = load(&fixture("mapped/ledger.toml"));
    let invoices: Vec<_> = ledger
        .invoices
        .iter()
        .map(|i| {
            (
                i.id.as_str(),
                i.client,
                i.kind,
                i.due_date,
                i.amount,
                i.terms,
            )
        })
        .collect();
    let invoice = DocumentKind::Invoice;
    let credit = DocumentKind::CreditNote;
    let net30 = Some(PaymentTerms::Net(30));
    assert_eq!(
        invoices,
        [
            ("FA1", 0, invoice, date("2027-02-04"), dec("1200.00"), net30),
            ("AV1", 0, credit, date("2027-02-19"), dec("150.00"), net30),
            (
                "FA2",
                0,
                invoice,
                date("2027-03-31"),
                dec("600.00"),
                Some(PaymentTerms::DaysThenEndOfMonth(45))
            ),
            ("AV2", 1, credit, date("2027-01-15"), dec("100.00"), None),
            (
                "FA3",
                1,
                invoice,
                date("2027-03-11"),
                dec("2000.00"),
                Some(PaymentTerms::Net(60))
            ),
        ]
    );
    assert_eq!(ledger.invoices[3].reference, Some(4));
    assert_eq!(ledger.invoices[4].currency, currency("CHF"));
    assert_eq!(ledger.invoices[4].instalments, 0..2);
}

#[test]
fn mapped_optional_files_follow_the_mappings() {
    let ledger = load(&fixture("mapped/ledger.toml"));
    let instalments: Vec<_> = ledger
        .instalments
        .iter()
        .map(|i| (i.number, i.due_date, i.amount))
        .collect();
    assert_eq!(
        instalments,
        [
            (1, date("2027-02-09"), dec("1000.00")),
            (2, date("2027-03-11"), dec("1000.00")),
        ]
    );
    assert_eq!(ledger.payments[0].invoice, Some(0));
    assert_eq!(ledger.payments[0].amount, dec("1200.00"));
    assert_eq!(ledger.orders[0].amount, dec("3500.00"));
    assert_eq!(ledger.orders[0].client, 1);

    let hold = &ledger.holds[0];
    assert_eq!((hold.client, hold.invoice, hold.from), (0, Some(2), None));
    assert_eq!(hold.until, date("2027-03-31"));

    let promise = &ledger.promises[0];
    assert_eq!((promise.client, promise.invoice), (1, None));
    assert_eq!(
        (promise.made_on, promise.due),
        (date("2027-03-01"), date("2027-03-15"))
    );
    assert_eq!((promise.amount, promise.grace_days), (dec("500.00"), 0));
}

#[test]
fn mapped_fixed_rate_applies_at_every_date() {
    let ledger = load(&fixture("mapped/ledger.toml"));
    let chf = currency("CHF").unwrap();
    let rate = ledger.exchange_rate(chf, date("1999-01-01")).unwrap();
    assert_eq!(rate.rate, dec("1.05"));
    assert_eq!(rate.date, chrono::NaiveDate::MIN);
    assert_eq!(file_name(ledger.file_path(rate.origin.file)), "ledger.toml");
    assert_eq!(rate.origin.line, 83);
    let usd = currency("USD").unwrap();
    assert_eq!(
        ledger
            .exchange_rate(usd, date("2027-06-30"))
            .map(|r| r.rate),
        Some(dec("0.92"))
    );
}

#[test]
fn mapped_reference_rates_take_decimal_commas() {
    let ledger = load(&fixture("mapped/ledger.toml"));
    let rates: Vec<_> = ledger
        .reference_rates
        .iter()
        .map(|r| (r.date, r.rate))
        .collect();
    assert_eq!(
        rates,
        [
            (date("2026-07-01"), dec("-0.0050")),
            (date("2027-01-01"), dec("0.0450")),
        ]
    );
}

/// Extracts the TOML blocks of `docs/ledger.md`, in order.
fn documented_manifests() -> Vec<String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/ledger.md");
    let text = std::fs::read_to_string(path).unwrap();
    let mut blocks = Vec::new();
    let mut rest = text.as_str();
    while let Some(start) = rest.find("```toml\n") {
        let block = &rest[start + "```toml\n".len()..];
        let end = block.find("```").unwrap();
        blocks.push(block[..end].to_string());
        rest = &block[end..];
    }
    blocks
}

#[test]
fn documented_manifests_parse() {
    let blocks = documented_manifests();
    assert_eq!(blocks.len(), 4);
    for block in blocks {
        let parsed = Manifest::parse(&block, Path::new("export/ledger.toml"));
        assert!(parsed.is_ok(), "{block}\n{:#?}", parsed.err());
    }
}
