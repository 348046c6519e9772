//! Documents in several currencies: allocation within each currency and
//! conversion into the policy's currency at the as-of rate.

use rust_decimal::Decimal;
use solvent::eval::EvalError;
use solvent::metrics::{self, Conversion, MetricsError, MetricsRequest};

use super::builder::{LedgerBuilder, client_id, currency, date, money};
use super::{eur_metrics_at, eur_request, open_item};

/// Rates into EUR: USD at 0.90 from January, 0.92 from March; GBP at 1.15.
fn eur_with_rates() -> LedgerBuilder {
    let mut builder = LedgerBuilder::new();
    builder
        .rate("USD", "2024-01-01", "0.90")
        .rate("USD", "2024-03-01", "0.92")
        .rate("GBP", "2024-01-01", "1.15");
    builder
}

#[test]
fn rates_from_ledger_take_latest_by_as_of() {
    let ledger = eur_with_rates().build();

    let february = Conversion::from_ledger(&ledger, currency("EUR"), date("2024-02-29"));
    let march = Conversion::from_ledger(&ledger, currency("EUR"), date("2024-03-01"));

    assert_eq!(february.currency, Some(currency("EUR")));
    assert_eq!(
        february.rates,
        [
            (currency("GBP"), money("1.15")),
            (currency("USD"), money("0.90"))
        ]
    );
    assert_eq!(
        march.rates,
        [
            (currency("GBP"), money("1.15")),
            (currency("USD"), money("0.92"))
        ]
    );
}

#[test]
fn rates_from_ledger_skip_later_rates() {
    let ledger = eur_with_rates().build();

    let conversion = Conversion::from_ledger(&ledger, currency("EUR"), date("2023-12-31"));

    assert_eq!(conversion.rates, []);
}

#[test]
fn to_policy_multiplies_by_rate() {
    let conversion = Conversion {
        currency: Some(currency("EUR")),
        rates: vec![(currency("USD"), money("0.92"))],
    };

    let usd = conversion.to_policy(money("500"), Some(currency("USD")));
    let eur = conversion.to_policy(money("500"), Some(currency("EUR")));
    let unnamed = conversion.to_policy(money("500"), None);
    let chf = conversion.to_policy(money("500"), Some(currency("CHF")));

    assert_eq!(usd, Ok(money("460")));
    assert_eq!(eur, Ok(money("500")));
    assert_eq!(unnamed, Ok(money("500")));
    assert_eq!(
        chf,
        Err(MetricsError::MissingRate {
            currency: currency("CHF")
        })
    );
}

#[test]
fn no_policy_currency_converts_at_one() {
    let conversion = Conversion::default();

    let usd = conversion.to_policy(money("500"), Some(currency("USD")));

    assert_eq!(usd, Ok(money("500")));
    assert_eq!(conversion.document_currency(Some(currency("USD"))), None);
}

#[test]
fn open_items_convert_at_as_of_rate() {
    // F2 was issued at 0.90 but converts at the as-of rate of 0.92.
    let ledger = eur_with_rates()
        .invoice("C1", "F1", "2024-01-15", "2024-02-14", "1000")
        .invoice("C1", "F2", "2024-01-20", "2024-02-20", "500")
        .currency("F2", "USD")
        .invoice("C1", "F3", "2024-03-01", "2024-03-31", "200")
        .currency("F3", "GBP")
        .build();

    let metrics = eur_metrics_at(&ledger, "C1", "2024-03-15").unwrap();
    let f2 = open_item(&ledger, &metrics, "F2").unwrap();

    // 1000 + 500 × 0.92 + 200 × 1.15 = 1000 + 460 + 230.
    assert_eq!(metrics.receivables, money("1690"));
    assert_eq!(metrics.overdue, money("1460"));
    assert_eq!(metrics.aging.current, money("230"));
    assert_eq!(f2.currency, Some(currency("USD")));
    assert_eq!(f2.open_in_currency, money("500"));
    assert_eq!(f2.open, money("460"));
}

#[test]
fn document_without_currency_reports_policy_currency() {
    let ledger = eur_with_rates()
        .invoice("C1", "F1", "2024-01-15", "2024-02-14", "1000")
        .build();

    let metrics = eur_metrics_at(&ledger, "C1", "2024-03-15").unwrap();
    let f1 = open_item(&ledger, &metrics, "F1").unwrap();

    assert_eq!(f1.currency, Some(currency("EUR")));
    assert_eq!(f1.open_in_currency, money("1000"));
    assert_eq!(f1.open, money("1000"));
}

#[test]
fn pool_settles_its_own_currency_only() {
    // P1 is in USD: it settles G1, and its rest stays in the USD pool
    // instead of settling F1, in EUR.
    let ledger = eur_with_rates()
        .invoice("C1", "F1", "2024-01-01", "2024-01-31", "100")
        .invoice("C1", "G1", "2024-01-02", "2024-01-31", "100")
        .currency("G1", "USD")
        .payment("C1", "P1", "2024-02-05", "150", None)
        .currency("P1", "USD")
        .build();

    let metrics = eur_metrics_at(&ledger, "C1", "2024-02-10").unwrap();

    assert_eq!(open_item(&ledger, &metrics, "G1"), None);
    assert_eq!(
        open_item(&ledger, &metrics, "F1").unwrap().open,
        money("100")
    );
    // 50 USD left at 0.90.
    assert_eq!(metrics.credit_balance, money("45"));
}

#[test]
fn credit_balance_sums_converted_pools() {
    let ledger = eur_with_rates()
        .client("C1")
        .payment("C1", "P1", "2024-02-05", "100", None)
        .currency("P1", "USD")
        .payment("C1", "P2", "2024-02-05", "10", None)
        .currency("P2", "GBP")
        .payment("C1", "P3", "2024-02-05", "7", None)
        .build();
    let request = eur_request(&ledger, "2024-02-10");
    let client = client_id(&ledger, "C1");

    let allocation =
        metrics::allocate(&ledger, client, request.as_of, &request.conversion).unwrap();
    let usd = (allocation.credit_balances())
        .find(|&(code, _, _)| code == Some(currency("USD")))
        .unwrap();

    // 100 × 0.90 + 10 × 1.15 + 7.
    assert_eq!(allocation.credit_balance(), money("108.5"));
    assert_eq!(allocation.credit_balances().count(), 3);
    assert_eq!(usd, (Some(currency("USD")), money("100"), money("0.90")));
}

#[test]
fn named_payment_in_other_currency_goes_on_account() {
    // P1 names G1, in USD, but is in EUR: it settles F1 from the EUR pool.
    let ledger = eur_with_rates()
        .invoice("C1", "F1", "2024-01-01", "2024-01-31", "100")
        .invoice("C1", "G1", "2024-01-01", "2024-01-31", "100")
        .currency("G1", "USD")
        .payment("C1", "P1", "2024-01-20", "100", Some("G1"))
        .build();

    let metrics = eur_metrics_at(&ledger, "C1", "2024-02-10").unwrap();

    assert_eq!(open_item(&ledger, &metrics, "F1"), None);
    assert_eq!(
        open_item(&ledger, &metrics, "G1").unwrap().open_in_currency,
        money("100")
    );
}

#[test]
fn missing_rate_is_an_error() {
    let ledger = eur_with_rates()
        .invoice("C1", "F1", "2024-01-01", "2024-01-31", "100")
        .invoice("C1", "F2", "2024-01-05", "2024-02-04", "100")
        .currency("F2", "CHF")
        .build();

    let result = eur_metrics_at(&ledger, "C1", "2024-02-10");

    assert_eq!(
        result,
        Err(MetricsError::MissingRate {
            currency: currency("CHF")
        })
    );
}

#[test]
fn missing_rate_of_a_payment_is_an_error() {
    let ledger = eur_with_rates()
        .invoice("C1", "F1", "2024-01-01", "2024-01-31", "100")
        .payment("C1", "P1", "2024-01-20", "100", None)
        .currency("P1", "CHF")
        .build();

    let result = eur_metrics_at(&ledger, "C1", "2024-02-10");

    assert_eq!(
        result,
        Err(MetricsError::MissingRate {
            currency: currency("CHF")
        })
    );
}

#[test]
fn missing_rate_after_as_of_is_no_error() {
    let ledger = eur_with_rates()
        .invoice("C1", "F1", "2024-01-01", "2024-01-31", "100")
        .invoice("C1", "F2", "2024-03-01", "2024-03-31", "100")
        .currency("F2", "CHF")
        .build();

    let metrics = eur_metrics_at(&ledger, "C1", "2024-02-10").unwrap();

    assert_eq!(metrics.receivables, money("100"));
}

#[test]
fn missing_rate_clears_reused_metrics() {
    let ledger = eur_with_rates()
        .invoice("C1", "F1", "2024-01-01", "2024-01-31", "100")
        .invoice("C2", "G1", "2024-01-01", "2024-01-31", "100")
        .currency("G1", "CHF")
        .build();
    let request = eur_request(&ledger, "2024-02-10");
    let mut reused = metrics::compute(&ledger, client_id(&ledger, "C1"), &request).unwrap();
    let mut allocation = metrics::Allocation::new();

    let result = metrics::compute_into(
        &mut reused,
        &mut allocation,
        &ledger,
        client_id(&ledger, "C2"),
        &request,
    );

    assert!(result.is_err());
    assert_eq!(reused.receivables, Decimal::ZERO);
    assert_eq!(reused.open_items, []);
    assert_eq!(allocation.items(), []);
}

#[test]
fn eval_error_names_client_and_currency() {
    let error = MetricsError::MissingRate {
        currency: currency("CHF"),
    };

    let wrapped = EvalError::from_metrics("C042", error);

    assert_eq!(
        wrapped,
        EvalError::MissingRate {
            client: "C042".to_string(),
            currency: currency("CHF")
        }
    );
    assert_eq!(
        wrapped.to_string(),
        "client `C042`: missing exchange rate for CHF at the as-of date; \
         add a CHF rate dated on or before it to the ledger's rates"
    );
}

#[test]
fn lateness_weighs_converted_amounts() {
    // F1 is 10 days late and weighs 100; G1 is on time and weighs
    // 1000 USD × 0.5 = 500: 100 × 10 ÷ 600.
    let ledger = LedgerBuilder::new()
        .rate("USD", "2024-01-01", "0.5")
        .invoice("C1", "F1", "2024-01-01", "2024-01-31", "100")
        .payment("C1", "P1", "2024-02-10", "100", Some("F1"))
        .invoice("C1", "G1", "2024-01-01", "2024-01-31", "1000")
        .currency("G1", "USD")
        .payment("C1", "Q1", "2024-01-31", "1000", Some("G1"))
        .currency("Q1", "USD")
        .build();

    let lateness = eur_metrics_at(&ledger, "C1", "2024-03-31")
        .unwrap()
        .lateness[0];

    assert_eq!(
        lateness.avg_days_late,
        Some(money("1.6666666666666666666666666667"))
    );
    assert_eq!(lateness.late_ratio, Some(money("0.5")));
}

#[test]
fn dso_counts_converted_sales() {
    // Sales in March: 2000 USD × 0.5 + 1000 = 2000. Receivables: 1000 from
    // G1 and 500 left on F1: 1500 ÷ 2000 of March's 31 days.
    let ledger = LedgerBuilder::new()
        .rate("USD", "2024-01-01", "0.5")
        .invoice("C1", "G1", "2024-03-01", "2024-04-30", "2000")
        .currency("G1", "USD")
        .invoice("C1", "F1", "2024-03-10", "2024-04-09", "1000")
        .payment("C1", "P1", "2024-03-20", "500", Some("F1"))
        .build();

    let metrics = eur_metrics_at(&ledger, "C1", "2024-03-31").unwrap();

    assert_eq!(metrics.receivables, money("1500"));
    assert_eq!(metrics.dso, Some(money("23.25")));
}

#[test]
fn portfolio_missing_rate_is_an_error() {
    let ledger = eur_with_rates()
        .invoice("C1", "F1", "2024-01-01", "2024-01-31", "100")
        .currency("F1", "CHF")
        .build();
    let request = eur_request(&ledger, "2024-02-10");

    let totals = metrics::portfolio(&ledger, &request);

    assert_eq!(
        totals,
        Err(MetricsError::MissingRate {
            currency: currency("CHF")
        })
    );
}

#[test]
fn default_request_ignores_currencies() {
    // Without a policy currency every document counts at its face value,
    // and one pool serves all of them.
    let ledger = LedgerBuilder::new()
        .invoice("C1", "G1", "2024-01-01", "2024-01-31", "100")
        .currency("G1", "USD")
        .payment("C1", "P1", "2024-01-20", "60", None)
        .build();
    let request = MetricsRequest::new(date("2024-02-10"));

    let metrics = metrics::compute(&ledger, client_id(&ledger, "C1"), &request).unwrap();
    let g1 = open_item(&ledger, &metrics, "G1").unwrap();

    assert_eq!(g1.open, money("40"));
    assert_eq!(g1.currency, None);
}
