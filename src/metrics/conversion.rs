//! Conversion of amounts into the policy's currency at the as-of rates.

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::Conversion;
use crate::ledger::Ledger;
use crate::value::Currency;

/// The reason a client's metrics could not be computed.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum MetricsError {
    /// A document is in a currency for which the conversion has no rate.
    #[error("missing exchange rate for {currency} into the policy's currency")]
    MissingRate { currency: Currency },
    /// Late-payment interest at a reference rate needs the rate in force on
    /// the first day of a half-year, and the ledger has none that early.
    #[error("no reference rate is in force on {half_year_start}")]
    MissingReferenceRate { half_year_start: NaiveDate },
    /// Late-payment charges left the range of a decimal.
    #[error("the late-payment charges are too large for a decimal")]
    ChargesOverflow,
}

impl Conversion {
    /// Builds the conversion into `currency` at `as_of`: for each other
    /// currency in [`Ledger::rates`], the latest rate dated on or before
    /// `as_of`. A rate given for `currency` itself is ignored, because the
    /// policy's currency always converts at 1.
    pub fn from_ledger(ledger: &Ledger, currency: Currency, as_of: NaiveDate) -> Conversion {
        let mut rates: Vec<(Currency, Decimal)> = Vec::new();
        for rate in &ledger.rates {
            if rate.currency == currency || rate.date > as_of {
                continue;
            }

            // The ledger sorts rates by (currency, date), so a later rate of
            // the same currency replaces the one before it.
            match rates.last_mut() {
                Some(last) if last.0 == rate.currency => last.1 = rate.rate,
                _ => rates.push((rate.currency, rate.rate)),
            }
        }

        rates.sort_by_key(|&(currency, _)| currency);
        rates.dedup_by_key(|&mut (currency, _)| currency);
        Conversion {
            currency: Some(currency),
            rates,
        }
    }

    /// Returns the currency an amount in `currency` is kept and reported in:
    /// the policy's currency for `None`, and `None` for every amount when
    /// the conversion has no policy currency.
    pub fn document_currency(&self, currency: Option<Currency>) -> Option<Currency> {
        let policy = self.currency?;
        Some(currency.unwrap_or(policy))
    }

    /// Returns the units of the policy's currency for one unit of
    /// `currency`: 1 for the policy's own currency, otherwise the rate from
    /// [`Conversion::rates`].
    pub fn rate(&self, currency: Option<Currency>) -> Result<Decimal, MetricsError> {
        let Some(currency) = self.document_currency(currency) else {
            return Ok(Decimal::ONE);
        };
        if Some(currency) == self.currency {
            return Ok(Decimal::ONE);
        }

        let index = self
            .rates
            .binary_search_by_key(&currency, |&(code, _)| code);
        index
            .ok()
            .and_then(|index| self.rates.get(index))
            .map(|&(_, rate)| rate)
            .ok_or(MetricsError::MissingRate { currency })
    }

    /// Converts `amount` in `currency` into the policy's currency. Products
    /// beyond [`Decimal::MAX`] saturate.
    pub fn to_policy(
        &self,
        amount: Decimal,
        currency: Option<Currency>,
    ) -> Result<Decimal, MetricsError> {
        Ok(amount.saturating_mul(self.rate(currency)?))
    }
}
