//! The manifest's keys as TOML gives them, before they are checked. Every
//! key is optional, and an unknown key is an error.

use std::collections::BTreeMap;

use serde::Deserialize;
use toml::Spanned;

/// A manifest key: absent, or a string with its place in the text.
pub(super) type Key = Option<Spanned<String>>;

/// A table of string keys and values, such as `[clients.fields]`.
pub(super) type KeyTable = Option<BTreeMap<Spanned<String>, Spanned<String>>>;

#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub(super) struct RawManifest {
    pub format: RawFormat,
    pub clients: RawClients,
    pub invoices: RawInvoices,
    pub credit_notes: RawCreditNotes,
    pub instalments: RawInstalments,
    pub payments: RawPayments,
    pub orders: RawOrders,
    pub holds: RawHolds,
    pub promises: RawPromises,
    pub rates: RawRates,
    pub reference_rates: RawReferenceRates,
    pub allocation: RawAllocation,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub(super) struct RawAllocation {
    pub on_account: Key,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub(super) struct RawFormat {
    pub delimiter: Key,
    pub encoding: Key,
    pub date_format: Key,
    pub decimal_separator: Key,
    pub thousands_separator: Key,
    pub true_values: Option<Spanned<Vec<String>>>,
    pub false_values: Option<Spanned<Vec<String>>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub(super) struct RawClients {
    pub file: Key,
    pub from: Key,
    pub id: Key,
    pub name: Key,
    pub fields: KeyTable,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub(super) struct RawInvoices {
    pub file: Key,
    pub id: Key,
    pub client: Key,
    pub date: Key,
    pub due_date: Key,
    pub terms: Key,
    pub amount: Key,
    pub currency: Key,
    pub disputed: Key,
    pub kind: Key,
    pub reference: Key,
    pub negative_amounts: Key,
    pub end_of_month_method: Key,
    pub terms_codes: KeyTable,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub(super) struct RawCreditNotes {
    pub file: Key,
    pub id: Key,
    pub client: Key,
    pub date: Key,
    pub amount: Key,
    pub currency: Key,
    pub reference: Key,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub(super) struct RawInstalments {
    pub file: Key,
    pub invoice: Key,
    pub due_date: Key,
    pub amount: Key,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub(super) struct RawPayments {
    pub file: Key,
    pub from: Key,
    pub settled_date: Key,
    pub id: Key,
    pub client: Key,
    pub date: Key,
    pub amount: Key,
    pub currency: Key,
    pub invoice: Key,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub(super) struct RawOrders {
    pub file: Key,
    pub id: Key,
    pub client: Key,
    pub date: Key,
    pub amount: Key,
    pub currency: Key,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub(super) struct RawHolds {
    pub file: Key,
    pub client: Key,
    pub invoice: Key,
    pub reason: Key,
    pub from: Key,
    pub until: Key,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub(super) struct RawPromises {
    pub file: Key,
    pub client: Key,
    pub invoice: Key,
    pub amount: Key,
    pub currency: Key,
    pub made_on: Key,
    pub promised_date: Key,
    pub grace_days: Key,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub(super) struct RawRates {
    pub file: Key,
    pub date: Key,
    pub currency: Key,
    pub rate: Key,
    /// Currency code to rate. Values are any TOML value so that a number
    /// written without quotes gets its own error rather than serde's.
    pub fixed: Option<BTreeMap<Spanned<String>, Spanned<toml::Value>>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub(super) struct RawReferenceRates {
    pub file: Key,
    pub date: Key,
    pub rate: Key,
}
