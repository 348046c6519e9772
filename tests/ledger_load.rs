//! Loading ledgers: the native folder, manifests, one fixture per error, and
//! the IBM accounts-receivable sample checked against an independent count.
//!
//! Each folder under `tests/fixtures/ledger/errors/` is one broken ledger: a
//! native folder, or a `ledger.toml` when it has one. Its `expected` file
//! lists the errors as `Kind file:line column` (`-` for no column, no `:line`
//! for an error about a whole file); the rendered messages are snapshots under
//! `tests/snapshots/`.

#[path = "support/ledger.rs"]
mod support;

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

use rust_decimal::Decimal;
use solvent::ledger::{
    DocumentKind, Ledger, LedgerError, LedgerErrorKind, LedgerErrors, MAX_ERRORS,
};
use support::{assert_invariants, date, dec, file_name, fixture};

fn load(path: &Path) -> Ledger {
    match Ledger::load(path) {
        Ok(ledger) => {
            assert_invariants(&ledger);
            ledger
        }
        Err(errors) => panic!("{} should load:\n{}", path.display(), render(&errors)),
    }
}

#[test]
fn a_native_folder_loads_sorted_and_linked() {
    let ledger = load(&fixture("valid"));

    let files: Vec<&str> = ledger.files.iter().map(|f| file_name(f)).collect();
    assert_eq!(files, ["clients.csv", "invoices.csv", "payments.csv"]);
    assert_eq!(ledger.field_names, ["country", "equity"]);

    let clients: Vec<_> = ledger
        .clients
        .iter()
        .map(|c| {
            (
                c.id.as_str(),
                c.name.as_deref(),
                c.fields.clone(),
                c.origin.line,
                c.invoices.clone(),
                c.payments.clone(),
            )
        })
        .collect();
    let fields = |a: &str, b: &str| vec![a.to_string(), b.to_string()];
    assert_eq!(
        clients,
        [
            ("C1", Some("Müller GmbH"), fields("DE", ""), 3, 0..3, 0..2),
            (
                "C2",
                Some("Dupont, SA"),
                fields("FR", "150000"),
                2,
                3..5,
                2..3
            ),
            ("C3", None, fields("FR", "80000"), 5, 5..5, 3..3),
        ]
    );

    let invoices: Vec<_> = ledger
        .invoices
        .iter()
        .map(|i| (i.id.as_str(), i.client, i.origin.line, i.reference))
        .collect();
    assert_eq!(
        invoices,
        [
            ("CN-1", 0, 4, Some(2)),
            ("F-2", 0, 5, None),
            ("F-1", 0, 3, None),
            ("F-3", 1, 2, None),
            ("F-4", 1, 6, None)
        ]
    );
    let credit_note = &ledger.invoices[0];
    assert_eq!(credit_note.kind, DocumentKind::CreditNote);
    assert_eq!(
        (credit_note.date, credit_note.due_date),
        (date("2027-01-20"), date("2027-01-20"))
    );
    assert_eq!(
        (
            credit_note.amount,
            credit_note.currency,
            credit_note.disputed
        ),
        (dec("100"), None, false)
    );
    let f1 = &ledger.invoices[2];
    assert_eq!(
        (f1.amount, f1.disputed, f1.kind),
        (dec("250.50"), true, DocumentKind::Invoice)
    );
    assert_eq!(ledger.invoices[1].amount, Decimal::ZERO);
    assert_eq!(
        ledger.invoices[1]
            .currency
            .map(|c| c.to_string())
            .as_deref(),
        Some("USD")
    );

    let payments: Vec<_> = ledger
        .payments
        .iter()
        .map(|p| {
            (
                p.id.as_str(),
                p.client,
                p.date,
                p.amount,
                p.invoice,
                p.origin.line,
            )
        })
        .collect();
    assert_eq!(
        payments,
        [
            ("P-1", 0, date("2027-02-01"), dec("50"), None, 4),
            ("P-2", 0, date("2027-02-01"), dec("150.50"), Some(2), 2),
            ("P-3", 1, date("2027-01-15"), dec("1000"), Some(3), 5),
        ]
    );
    assert_eq!(
        ledger.payments[2]
            .currency
            .map(|c| c.to_string())
            .as_deref(),
        Some("EUR")
    );
    assert_eq!(
        ledger.file_path(ledger.invoices[0].origin.file),
        fixture("valid/invoices.csv")
    );
}

#[test]
fn optional_columns_may_be_absent_and_payments_empty() {
    let ledger = load(&fixture("minimal"));
    assert!(ledger.field_names.is_empty());
    assert_eq!(ledger.clients[0].name, None);
    let invoice = &ledger.invoices[0];
    assert_eq!(
        (invoice.currency, invoice.disputed, invoice.kind),
        (None, false, DocumentKind::Invoice)
    );
    assert!(ledger.payments.is_empty());
    assert_eq!(ledger.clients[0].payments, 0..0);
}

#[test]
fn a_manifest_with_decimal_commas_semicolons_and_oui_non() {
    let ledger = load(&fixture("decimal-comma/ledger.toml"));
    assert_eq!(ledger.cells.decimal_separator, ',');
    assert_eq!(ledger.field_names, ["capitaux_propres", "siren"]);
    let dupont = &ledger.clients[0];
    assert_eq!(
        (dupont.id.as_str(), dupont.name.as_deref()),
        ("T001", Some("Dupont SA"))
    );
    assert_eq!(dupont.fields, ["1 250 000,50", "987654321"]);
    assert_eq!(
        ledger.cells.parse_decimal(&dupont.fields[0]),
        Ok(dec("1250000.50"))
    );

    let invoices: Vec<_> = ledger
        .invoices
        .iter()
        .map(|i| {
            (
                i.id.as_str(),
                i.date,
                i.due_date,
                i.amount,
                i.disputed,
                i.kind,
                i.reference,
            )
        })
        .collect();
    assert_eq!(
        invoices,
        [
            (
                "AV-0001",
                date("2027-01-20"),
                date("2027-01-20"),
                dec("1000.00"),
                false,
                DocumentKind::CreditNote,
                Some(1)
            ),
            (
                "FA-0001",
                date("2027-01-05"),
                date("2027-02-04"),
                dec("12345.67"),
                false,
                DocumentKind::Invoice,
                None
            ),
            (
                "FA-0002",
                date("2027-01-10"),
                date("2027-02-09"),
                dec("980.00"),
                true,
                DocumentKind::Invoice,
                None
            ),
        ]
    );
    let payments: Vec<_> = ledger
        .payments
        .iter()
        .map(|p| (p.id.as_str(), p.amount, p.invoice))
        .collect();
    assert_eq!(
        payments,
        [
            ("RG-01", dec("11345.67"), Some(1)),
            ("RG-02", dec("500"), None)
        ]
    );
}

#[test]
fn a_folder_and_a_manifest_of_defaults_load_the_same_ledger() {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("ledger-defaults");
    std::fs::create_dir_all(&dir).unwrap();
    for file in ["clients.csv", "invoices.csv", "payments.csv"] {
        std::fs::copy(fixture("valid").join(file), dir.join(file)).unwrap();
    }
    let manifest = dir.join("ledger.toml");
    std::fs::write(
        &manifest,
        "[format]\ndate_format = \"%Y-%m-%d\"\n\n[invoices]\nfile = \"invoices.csv\"\n",
    )
    .unwrap();
    let from_manifest = load(&manifest);
    let from_folder = load(&dir);
    let model = |l: &Ledger| {
        format!(
            "{:?}",
            (
                &l.files,
                &l.field_names,
                &l.clients,
                &l.invoices,
                &l.payments
            )
        )
    };
    assert_eq!(model(&from_manifest), model(&from_folder));
}

/// The IBM sample, counted a second time with plain string splitting.
struct IndependentCount {
    invoices_per_client: BTreeMap<String, usize>,
    invoices: usize,
    disputed: usize,
    total: Decimal,
}

fn count_ibm_csv(path: &Path) -> IndependentCount {
    let text = std::fs::read_to_string(path).expect("the IBM sample is in ../shared/data");
    let mut count = IndependentCount {
        invoices_per_client: BTreeMap::new(),
        invoices: 0,
        disputed: 0,
        total: Decimal::ZERO,
    };
    for line in text.lines().skip(1).filter(|line| !line.trim().is_empty()) {
        let cells: Vec<&str> = line.trim_end_matches('\r').split(',').collect();
        assert_eq!(cells.len(), 12, "{line}");
        *count
            .invoices_per_client
            .entry(cells[1].to_string())
            .or_default() += 1;
        count.invoices += 1;
        count.disputed += usize::from(cells[7] == "Yes");
        count.total += dec(cells[6]);
    }
    count
}

#[test]
fn the_ibm_manifest_loads_every_invoice_and_payment() {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/ibm-ar/ledger.toml");
    let ledger = load(&manifest);
    let expected = count_ibm_csv(&ledger.files[0]);

    assert_eq!(ledger.files.len(), 1);
    assert_eq!(
        (
            ledger.clients.len(),
            ledger.invoices.len(),
            ledger.payments.len()
        ),
        (100, 2466, 2466)
    );
    assert_eq!(expected.invoices, 2466);
    assert_eq!(
        ledger
            .invoices
            .iter()
            .filter(|invoice| invoice.disputed)
            .count(),
        561
    );
    assert_eq!(expected.disputed, 561);

    let per_client: BTreeMap<String, usize> = ledger
        .clients
        .iter()
        .map(|c| (c.id.clone(), ledger.client_invoices(c).len()))
        .collect();
    assert_eq!(per_client, expected.invoices_per_client);

    let invoiced: Decimal = ledger.invoices.iter().map(|invoice| invoice.amount).sum();
    let paid: Decimal = ledger.payments.iter().map(|payment| payment.amount).sum();
    assert_eq!(invoiced, expected.total);
    assert_eq!(paid, expected.total);

    assert_eq!(ledger.field_names, ["country", "paperless_since"]);
    for payment in &ledger.payments {
        let invoice =
            &ledger.invoices[payment.invoice.expect("every payment settles its invoice") as usize];
        assert_eq!(
            (&invoice.id, invoice.amount, invoice.origin),
            (&payment.id, payment.amount, payment.origin)
        );
        assert!(payment.date >= invoice.date);
    }
    let first = ledger
        .invoices
        .iter()
        .find(|invoice| invoice.id == "0000611365")
        .expect("leading zeros kept");
    assert_eq!(
        (first.date, first.due_date, first.amount),
        (date("2013-01-02"), date("2013-02-01"), dec("55.94"))
    );
}

/// `Kind file:line column`, as in the fixtures' `expected` files.
fn summary(error: &LedgerError) -> String {
    let line = error.line.map_or("-".to_string(), |line| line.to_string());
    let place = match error.line {
        Some(_) => format!("{}:{line}", file_name(&error.file)),
        None => file_name(&error.file).to_string(),
    };
    format!(
        "{:?} {place} {}",
        error.kind,
        error.column.as_deref().unwrap_or("-")
    )
}

fn render(errors: &LedgerErrors) -> String {
    let mut text = String::new();
    for error in &errors.0 {
        writeln!(text, "{}\n  {}", summary(error), error.message).unwrap();
        if let Some(help) = &error.help {
            writeln!(text, "  help: {help}").unwrap();
        }
    }
    text
}

#[test]
fn each_broken_fixture_reports_its_errors() {
    insta::glob!("fixtures/ledger/errors/*", |case| {
        let manifest = case.join("ledger.toml");
        let path = if manifest.exists() {
            manifest
        } else {
            case.to_path_buf()
        };
        let errors = match Ledger::load(&path) {
            Ok(_) => panic!("{} should not load", case.display()),
            Err(errors) => errors,
        };
        let expected =
            std::fs::read_to_string(case.join("expected")).expect("each case has an expected file");
        let found: Vec<String> = errors.0.iter().map(summary).collect();
        assert_eq!(
            found,
            expected.lines().collect::<Vec<_>>(),
            "{}",
            case.display()
        );
        for error in &errors.0 {
            assert!(error.help.is_some(), "every error says what to do: {error}");
        }
        insta::assert_snapshot!(render(&errors));
    });
}

#[test]
fn errors_quote_the_value_and_name_the_first_occurrence() {
    let errors = Ledger::load(&fixture("errors/duplicate-invoice")).unwrap_err();
    assert_eq!(
        errors.0[0].message,
        "invoice id `F2` is already used on line 3"
    );

    let errors = Ledger::load(&fixture("errors/invalid-amount")).unwrap_err();
    assert_eq!(errors.0[0].message, "`90,00` is not a decimal number");
    assert!(
        errors.0[0]
            .help
            .as_deref()
            .unwrap()
            .contains("format.decimal_separator")
    );

    let errors = Ledger::load(&fixture("errors/missing-column-terms")).unwrap_err();
    assert!(
        errors.0[0]
            .help
            .as_deref()
            .unwrap()
            .ends_with("the file may give payment terms in a `terms` column")
    );

    let errors = Ledger::load(&fixture("errors/negative-invoice-amount")).unwrap_err();
    assert!(errors.0[0].help.as_deref().unwrap().contains("credit_note"));
}

#[test]
fn duplicate_ids_name_each_document_kind() {
    let errors = Ledger::load(&fixture("errors/credit-note-duplicate-in-file")).unwrap_err();
    let messages: Vec<&str> = errors.0.iter().map(|e| e.message.as_str()).collect();
    assert_eq!(
        messages,
        [
            "credit note id `F1` is already used by an invoice on line 2",
            "credit note id `CN1` is already used on line 2",
            "credit note id `CN9` in credit_notes.csv is already used by a credit note on \
             line 3 of invoices.csv",
        ]
    );
}

#[test]
fn rate_currency_help_requires_a_code() {
    let errors = Ledger::load(&fixture("errors/rate-invalid-currency")).unwrap_err();
    let help = errors.0[0].help.as_deref().unwrap();
    assert!(!help.contains("leave the cell empty"), "{help}");
    assert!(help.contains("did you mean `USD`?"), "{help}");
}

#[test]
fn semicolon_header_gives_one_error_per_file() {
    let errors = Ledger::load(&fixture("errors/delimiter-semicolon")).unwrap_err();
    assert_eq!(errors.0.len(), 2);
    let help = errors.0[0].help.as_deref().unwrap();
    assert!(help.contains("delimiter = \";\""), "{help}");
}

#[test]
fn collects_at_most_a_hundred_errors() {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("ledger-many-errors");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("clients.csv"), "id\nC1\n").unwrap();
    let mut invoices = "id,client,date,due_date,amount\n".to_string();
    for n in 0..250 {
        writeln!(invoices, "F{n},C1,2027-01-05,2027-02-04,{n}.5.0").unwrap();
    }
    std::fs::write(dir.join("invoices.csv"), invoices).unwrap();
    std::fs::write(dir.join("payments.csv"), "id,client,date,amount\n").unwrap();

    let errors = Ledger::load(&dir).unwrap_err();
    assert_eq!(errors.0.len(), MAX_ERRORS);
    assert!(
        errors
            .0
            .iter()
            .all(|error| error.kind == LedgerErrorKind::InvalidAmount)
    );
    assert_eq!(errors.0.last().and_then(|error| error.line), Some(101));
}

#[test]
fn a_path_that_is_no_ledger_is_refused() {
    let errors = Ledger::load(&fixture("does-not-exist")).unwrap_err();
    assert_eq!(errors.0[0].kind, LedgerErrorKind::Io);
    let errors = Ledger::load(&fixture("valid/clients.csv")).unwrap_err();
    assert_eq!(errors.0[0].kind, LedgerErrorKind::Manifest);
    let errors = Ledger::load(&fixture("does-not-exist.toml")).unwrap_err();
    assert_eq!(errors.0[0].kind, LedgerErrorKind::Io);
}
