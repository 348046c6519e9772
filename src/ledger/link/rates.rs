//! Exchange and reference rates: one rate per currency and date, and a
//! currency either fixed in the manifest or dated in the rates file.

use crate::ledger::IdMap;

use chrono::NaiveDate;

use super::Linker;
use crate::ledger::error::{ErrorSink, LedgerErrorKind};
use crate::ledger::model::RowOrigin;
use crate::value::Currency;

impl Linker<'_> {
    /// Reports a rate whose currency and date an earlier row has, and dated
    /// rates of a currency that `[rates.fixed]` also gives.
    pub(super) fn duplicate_rates(&self, sink: &mut ErrorSink) {
        let fixed: IdMap<Currency, u32> = (self.manifest.fixed_rates.iter())
            .map(|fixed| (fixed.currency, fixed.line))
            .collect();
        let column = &self.manifest.rates.date.name;
        let mut seen: IdMap<(Currency, NaiveDate), RowOrigin> = IdMap::default();
        let mut reported_fixed: Vec<Currency> = Vec::new();
        let dated = self
            .rows
            .rates
            .iter()
            .filter(|rate| rate.date != NaiveDate::MIN);
        for rate in dated {
            if let Some(&line) = fixed.get(&rate.currency)
                && !reported_fixed.contains(&rate.currency)
            {
                reported_fixed.push(rate.currency);
                sink.push(self.fixed_and_dated(rate.currency, line, rate.origin));
            }
            let Some(earlier) = seen.get(&(rate.currency, rate.date)) else {
                seen.insert((rate.currency, rate.date), rate.origin);
                continue;
            };
            let message = format!(
                "the rate of {} on `{}` is already given on line {}",
                rate.currency,
                self.manifest.cells().write_date(rate.date),
                earlier.line
            );
            let help = "give one rate per currency and date: remove the repeated row, or \
                        correct its date or currency";
            let error = self.error(LedgerErrorKind::DuplicateId, rate.origin, column, message);
            sink.push(error.with_help(help));
        }
    }

    fn fixed_and_dated(
        &self,
        currency: Currency,
        line: u32,
        origin: RowOrigin,
    ) -> crate::ledger::LedgerError {
        let message = format!(
            "{currency} has dated rates here and a fixed rate in ledger.toml (line {line})"
        );
        let help = format!(
            "a fixed rate applies at every date, so it cannot be mixed with dated rates: remove \
             {currency} from [rates.fixed], or remove the dated rates of {currency}"
        );
        let column = &self.manifest.rates.currency.name;
        self.error(LedgerErrorKind::Inconsistent, origin, column, message)
            .with_help(help)
    }

    /// Reports a reference rate whose date an earlier row has.
    pub(super) fn duplicate_reference_rates(&self, sink: &mut ErrorSink) {
        let column = &self.manifest.reference_rates.date.name;
        let mut seen: IdMap<NaiveDate, RowOrigin> = IdMap::default();
        for rate in &self.rows.reference_rates {
            let Some(earlier) = seen.get(&rate.date) else {
                seen.insert(rate.date, rate.origin);
                continue;
            };
            let message = format!(
                "a reference rate on `{}` is already given on line {}",
                self.manifest.cells().write_date(rate.date),
                earlier.line
            );
            let help = "give one reference rate per date: remove the repeated row, or correct \
                        its date";
            let error = self.error(LedgerErrorKind::DuplicateId, rate.origin, column, message);
            sink.push(error.with_help(help));
        }
    }
}
