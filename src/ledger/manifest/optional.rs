//! The sections of the optional files: credit notes, instalments, orders,
//! holds, promises, exchange rates and reference rates. Each file is read
//! when it exists, or always when the manifest names it.

use std::path::PathBuf;

use rust_decimal::Decimal;
use toml::Spanned;

use super::raw::{
    Key, RawCreditNotes, RawHolds, RawInstalments, RawOrders, RawPromises, RawRates,
    RawReferenceRates,
};
use super::{Mapping, Resolver, line_of};
use crate::ledger::format::CellFormat;
use crate::value::Currency;

/// A file the ledger reads when it exists, or always when the manifest names it.
#[derive(Clone, Debug)]
pub(in crate::ledger) struct OptionalFile {
    pub path: PathBuf,
    /// Whether the manifest names the file; a missing file is then an error.
    pub explicit: bool,
}

impl OptionalFile {
    /// Returns whether the loader reads the file: always when the manifest
    /// names it, otherwise only when it exists.
    pub fn is_read(&self) -> bool {
        self.explicit || self.path.exists()
    }
}

#[derive(Clone, Debug)]
pub(in crate::ledger) struct CreditNoteColumns {
    pub file: OptionalFile,
    pub id: Mapping,
    pub client: Mapping,
    pub date: Mapping,
    pub amount: Mapping,
    pub currency: Mapping,
    pub reference: Mapping,
}

#[derive(Clone, Debug)]
pub(in crate::ledger) struct InstalmentColumns {
    pub file: OptionalFile,
    pub invoice: Mapping,
    pub due_date: Mapping,
    pub amount: Mapping,
}

#[derive(Clone, Debug)]
pub(in crate::ledger) struct OrderColumns {
    pub file: OptionalFile,
    pub id: Mapping,
    pub client: Mapping,
    pub date: Mapping,
    pub amount: Mapping,
    pub currency: Mapping,
}

#[derive(Clone, Debug)]
pub(in crate::ledger) struct HoldColumns {
    pub file: OptionalFile,
    pub client: Mapping,
    pub invoice: Mapping,
    pub reason: Mapping,
    pub from: Mapping,
    pub until: Mapping,
}

#[derive(Clone, Debug)]
pub(in crate::ledger) struct PromiseColumns {
    pub file: OptionalFile,
    pub client: Mapping,
    pub invoice: Mapping,
    pub amount: Mapping,
    pub currency: Mapping,
    pub made_on: Mapping,
    pub promised_date: Mapping,
    pub grace_days: Mapping,
}

#[derive(Clone, Debug)]
pub(in crate::ledger) struct RateColumns {
    pub file: OptionalFile,
    pub date: Mapping,
    pub currency: Mapping,
    pub rate: Mapping,
}

/// An exchange rate valid at every date, from `[rates.fixed]`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(in crate::ledger) struct FixedRate {
    pub currency: Currency,
    pub rate: Decimal,
    /// The manifest line of the key.
    pub line: u32,
}

#[derive(Clone, Debug)]
pub(in crate::ledger) struct ReferenceRateColumns {
    pub file: OptionalFile,
    pub date: Mapping,
    pub rate: Mapping,
}

impl Resolver<'_> {
    fn optional_file(&mut self, key: &str, raw: Key, default: &str) -> OptionalFile {
        let explicit = raw.is_some();
        OptionalFile {
            path: self.file(key, raw, default),
            explicit,
        }
    }

    pub(super) fn credit_notes(&mut self, raw: RawCreditNotes) -> CreditNoteColumns {
        CreditNoteColumns {
            file: self.optional_file("credit_notes.file", raw.file, "credit_notes.csv"),
            id: self.mapping("credit_notes.id", raw.id, "id"),
            client: self.mapping("credit_notes.client", raw.client, "client"),
            date: self.mapping("credit_notes.date", raw.date, "date"),
            amount: self.mapping("credit_notes.amount", raw.amount, "amount"),
            currency: self.mapping("credit_notes.currency", raw.currency, "currency"),
            reference: self.mapping("credit_notes.reference", raw.reference, "reference"),
        }
    }

    pub(super) fn instalments(&mut self, raw: RawInstalments) -> InstalmentColumns {
        InstalmentColumns {
            file: self.optional_file("instalments.file", raw.file, "instalments.csv"),
            invoice: self.mapping("instalments.invoice", raw.invoice, "invoice"),
            due_date: self.mapping("instalments.due_date", raw.due_date, "due_date"),
            amount: self.mapping("instalments.amount", raw.amount, "amount"),
        }
    }

    pub(super) fn orders(&mut self, raw: RawOrders) -> OrderColumns {
        OrderColumns {
            file: self.optional_file("orders.file", raw.file, "orders.csv"),
            id: self.mapping("orders.id", raw.id, "id"),
            client: self.mapping("orders.client", raw.client, "client"),
            date: self.mapping("orders.date", raw.date, "date"),
            amount: self.mapping("orders.amount", raw.amount, "amount"),
            currency: self.mapping("orders.currency", raw.currency, "currency"),
        }
    }

    pub(super) fn holds(&mut self, raw: RawHolds) -> HoldColumns {
        HoldColumns {
            file: self.optional_file("holds.file", raw.file, "holds.csv"),
            client: self.mapping("holds.client", raw.client, "client"),
            invoice: self.mapping("holds.invoice", raw.invoice, "invoice"),
            reason: self.mapping("holds.reason", raw.reason, "reason"),
            from: self.mapping("holds.from", raw.from, "from"),
            until: self.mapping("holds.until", raw.until, "until"),
        }
    }

    pub(super) fn promises(&mut self, raw: RawPromises) -> PromiseColumns {
        PromiseColumns {
            file: self.optional_file("promises.file", raw.file, "promises.csv"),
            client: self.mapping("promises.client", raw.client, "client"),
            invoice: self.mapping("promises.invoice", raw.invoice, "invoice"),
            amount: self.mapping("promises.amount", raw.amount, "amount"),
            currency: self.mapping("promises.currency", raw.currency, "currency"),
            made_on: self.mapping("promises.made_on", raw.made_on, "made_on"),
            promised_date: self.mapping(
                "promises.promised_date",
                raw.promised_date,
                "promised_date",
            ),
            grace_days: self.mapping("promises.grace_days", raw.grace_days, "grace_days"),
        }
    }

    pub(super) fn reference_rates(&mut self, raw: RawReferenceRates) -> ReferenceRateColumns {
        ReferenceRateColumns {
            file: self.optional_file("reference_rates.file", raw.file, "reference_rates.csv"),
            date: self.mapping("reference_rates.date", raw.date, "date"),
            rate: self.mapping("reference_rates.rate", raw.rate, "rate"),
        }
    }

    pub(super) fn rates(&mut self, raw: RawRates) -> (RateColumns, Vec<FixedRate>) {
        let columns = RateColumns {
            file: self.optional_file("rates.file", raw.file, "rates.csv"),
            date: self.mapping("rates.date", raw.date, "date"),
            currency: self.mapping("rates.currency", raw.currency, "currency"),
            rate: self.mapping("rates.rate", raw.rate, "rate"),
        };
        let fixed = raw.fixed.unwrap_or_default().into_iter();
        let fixed = fixed.filter_map(|(currency, rate)| self.fixed_rate(currency, rate));
        (columns, fixed.collect())
    }

    /// Reads one `CUR = "rate"` entry of `[rates.fixed]`.
    fn fixed_rate(
        &mut self,
        currency: Spanned<String>,
        rate: Spanned<toml::Value>,
    ) -> Option<FixedRate> {
        let code = currency.get_ref();
        let Some(parsed) = Currency::parse(code) else {
            self.error(
                Some(currency.span()),
                format!("rates.fixed key `{code}` is not a currency code"),
                "name the currency with its three-letter ISO 4217 code in capitals, such as USD",
            );
            return None;
        };
        let span = rate.span();
        let Some(text) = rate.get_ref().as_str() else {
            self.error(
                Some(span),
                format!("rates.fixed.{code} is not a string"),
                format!(
                    "write the rate in quotes, such as {code} = \"0.92\", so that it is read \
                     as an exact decimal"
                ),
            );
            return None;
        };
        let value = CellFormat::default().parse_decimal(text).ok();
        let Some(value) = value.filter(|value| *value > Decimal::ZERO) else {
            self.error(
                Some(span.clone()),
                format!("rates.fixed.{code} `{text}` is not a positive decimal number"),
                format!(
                    "write how many units of the policy's currency one {code} is worth, \
                     with `.` as the decimal point, such as \"0.92\""
                ),
            );
            return None;
        };
        Some(FixedRate {
            currency: parsed,
            rate: value,
            line: line_of(self.text, span.start),
        })
    }
}
