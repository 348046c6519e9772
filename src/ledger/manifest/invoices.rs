//! The `[invoices]` section: its columns, how payment terms are read, and
//! what a negative amount means.

use std::collections::BTreeMap;
use std::path::PathBuf;

use super::raw::{Key, KeyTable, RawInvoices};
use super::{Mapping, Resolver};
use crate::terms::{EndOfMonthMethod, PaymentTerms};

#[derive(Clone, Debug)]
pub(in crate::ledger) struct InvoiceColumns {
    pub path: PathBuf,
    pub id: Mapping,
    pub client: Mapping,
    pub date: Mapping,
    pub due_date: Mapping,
    pub terms: Mapping,
    pub amount: Mapping,
    pub currency: Mapping,
    pub disputed: Mapping,
    pub kind: Mapping,
    pub reference: Mapping,
    pub negative_amounts: NegativeAmounts,
    pub terms_rules: TermsRules,
}

/// The meaning of a negative amount in the invoices file.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(in crate::ledger) enum NegativeAmounts {
    /// An error: amounts are never negative.
    #[default]
    Reject,
    /// A credit note of the opposite amount.
    CreditNotes,
}

/// The rules for reading the terms column of the invoices file.
#[derive(Clone, Debug, Default)]
pub(in crate::ledger) struct TermsRules {
    /// The computation meant by "N days end of month" in a text that does
    /// not name one.
    pub method: Option<EndOfMonthMethod>,
    /// The export's terms codes and the terms each stands for. When there
    /// are any, every terms cell must be one of them.
    pub codes: BTreeMap<String, PaymentTerms>,
}

/// The `end_of_month_method` values, with the method each names.
const METHODS: [(&str, EndOfMonthMethod); 2] = [
    (
        "days-then-end-of-month",
        EndOfMonthMethod::DaysThenEndOfMonth,
    ),
    (
        "end-of-month-then-days",
        EndOfMonthMethod::EndOfMonthThenDays,
    ),
];

/// The only value `invoices.negative_amounts` accepts.
const CREDIT_NOTES: &str = "credit-notes";

impl Resolver<'_> {
    pub(super) fn invoices(&mut self, raw: RawInvoices) -> InvoiceColumns {
        let method = self.end_of_month_method(raw.end_of_month_method);
        InvoiceColumns {
            path: self.file("invoices.file", raw.file, "invoices.csv"),
            id: self.mapping("invoices.id", raw.id, "id"),
            client: self.mapping("invoices.client", raw.client, "client"),
            date: self.mapping("invoices.date", raw.date, "date"),
            due_date: self.mapping("invoices.due_date", raw.due_date, "due_date"),
            terms: self.mapping("invoices.terms", raw.terms, "terms"),
            amount: self.mapping("invoices.amount", raw.amount, "amount"),
            currency: self.mapping("invoices.currency", raw.currency, "currency"),
            disputed: self.mapping("invoices.disputed", raw.disputed, "disputed"),
            kind: self.mapping("invoices.kind", raw.kind, "kind"),
            reference: self.mapping("invoices.reference", raw.reference, "reference"),
            negative_amounts: self.negative_amounts(raw.negative_amounts),
            terms_rules: TermsRules {
                method,
                codes: self.terms_codes(raw.terms_codes, method),
            },
        }
    }

    fn negative_amounts(&mut self, raw: Key) -> NegativeAmounts {
        let Some(raw) = raw else {
            return NegativeAmounts::Reject;
        };
        if raw.get_ref() == CREDIT_NOTES {
            return NegativeAmounts::CreditNotes;
        }
        self.error(
            Some(raw.span()),
            format!(
                "invoices.negative_amounts `{}` is not an option",
                raw.get_ref()
            ),
            format!(
                "write \"{CREDIT_NOTES}\" to read a negative amount as a credit note, or remove \
                 the key to reject negative amounts"
            ),
        );
        NegativeAmounts::Reject
    }

    fn end_of_month_method(&mut self, raw: Key) -> Option<EndOfMonthMethod> {
        let raw = raw?;
        let found = METHODS.iter().find(|(name, _)| *name == raw.get_ref());
        if let Some((_, method)) = found {
            return Some(*method);
        }
        self.error(
            Some(raw.span()),
            format!(
                "invoices.end_of_month_method `{}` is not a method",
                raw.get_ref()
            ),
            "write \"days-then-end-of-month\" (45 days end of month from 17 January 2012: \
             2 March, then the end of March, 31 March) or \"end-of-month-then-days\" \
             (31 January, then 45 days: 16 March)",
        );
        None
    }

    /// Parses each code's terms text once, so that rows only look codes up.
    fn terms_codes(
        &mut self,
        raw: KeyTable,
        method: Option<EndOfMonthMethod>,
    ) -> BTreeMap<String, PaymentTerms> {
        let mut codes = BTreeMap::new();
        for (code, text) in raw.unwrap_or_default() {
            let name = code.get_ref().trim();
            if name.is_empty() {
                self.error(
                    Some(code.span()),
                    "invoices.terms_codes has an empty code".to_string(),
                    "write each code as the terms column spells it, such as \"30FM\" = \"30 days then end of month\"",
                );
                continue;
            }
            match PaymentTerms::parse(text.get_ref(), method) {
                Ok(terms) => {
                    codes.insert(name.to_string(), terms);
                }
                Err(error) => {
                    let message = match error.message.contains(text.get_ref().as_str()) {
                        true => format!("invoices.terms_codes.{name}: {}", error.message),
                        false => format!(
                            "invoices.terms_codes.{name} `{}`: {}",
                            text.get_ref(),
                            error.message
                        ),
                    };
                    let help = error.help + method_hint(text.get_ref(), method);
                    self.error(Some(text.span()), message, help);
                }
            }
        }
        codes
    }
}

/// A hint to set `invoices.end_of_month_method` when `text` is refused only
/// because it does not say which end-of-month computation it means, as in
/// `45 days end of month`; empty otherwise.
pub(in crate::ledger) fn method_hint(text: &str, method: Option<EndOfMonthMethod>) -> &'static str {
    let fixed_by_method =
        PaymentTerms::parse(text, Some(EndOfMonthMethod::DaysThenEndOfMonth)).is_ok();
    match method.is_none() && fixed_by_method {
        true => {
            "; or set invoices.end_of_month_method in ledger.toml to \"days-then-end-of-month\" \
             or \"end-of-month-then-days\" for every such text of the export"
        }
        false => "",
    }
}
