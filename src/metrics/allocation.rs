//! Allocation of credit notes and payments to invoices at an as-of date.
//!
//! For one client at an as-of date D, allocation computes the open amount of
//! each item, the date it became fully settled, the credits applied to it,
//! and the client's credit balance. An item is a part of an invoice due on
//! one date: one instalment of a split invoice, or the whole of any other
//! invoice. Only invoices, credit notes and payments dated on or before D
//! take part. Later documents and payments do not count at all, so an as-of
//! report never counts a payment received after its date.
//!
//! # The allocation rule
//!
//! The client's history is replayed in date order. On each date, the invoices
//! issued that day come first, then the credit notes, then the payments.
//! Credit notes of the same date apply in id order, and so do payments.
//!
//! - Allocation happens within one currency. A document without a currency
//!   is in the policy's currency, and a credit only ever settles items in its
//!   own currency.
//! - A credit note that references one of the client's invoices in its own
//!   currency settles that invoice's items, oldest due first. A payment that
//!   names such an invoice does the same.
//! - When the named invoice is dated after the credit note or payment, the
//!   credit applies on the invoice's date. If that date is after D, the credit
//!   is not applied but counts in the credit balance.
//! - Three kinds of credit go to the client's credit pool of their currency:
//!   the excess of a named credit over its invoice's open amount, credit
//!   notes without a reference, and payments on account.
//! - Each pool settles the open items of its currency oldest due first (by
//!   due date, then invoice date, invoice id and instalment number), or
//!   oldest invoice first (invoice date before due date) when the ledger's
//!   manifest sets `allocation.on_account = "oldest-invoice-first"`. This
//!   includes items of invoices issued later: the pool settles them on their
//!   issue date.
//! - A reference or payment that names a credit note, a document of another
//!   client, or an invoice in another currency counts as on account.
//!
//! An open amount never goes below zero. An item's settlement date is the
//! date of the credit that brought its open amount to zero, and an invoice's
//! is that of its last item to be settled. An item with a zero amount is
//! settled on its invoice's issue date. Credit notes are not receivables, so
//! their open amount is always zero.
//!
//! The credit balance is, in each currency, the pool left over once no item
//! of that currency is open, plus credits held for invoices dated after D.
//! [`Allocation::credit_balance`] converts it into the policy's currency.
//!
//! Sums saturate at [`Decimal::MAX`] (about 7.9 × 10^28) instead of panicking.

mod balances;

use std::cmp::Ordering;

use chrono::NaiveDate;

use super::penalties::{CostRule, PenaltyError};
use rust_decimal::Decimal;

use super::{Conversion, MetricsError};
use crate::ledger::{
    Client, ClientId, DocumentKind, Invoice, InvoiceId, Ledger, OnAccountOrder, Payment,
};
use crate::value::Currency;
use balances::{Balances, Credit, CreditKind, index_u32};

/// The state of one of the client's documents at the as-of date, in the
/// document's currency.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Settlement {
    /// Amount still owed. Zero for credit notes and documents dated after the
    /// as-of date.
    pub open: Decimal,
    /// Date of the credit that brought the open amount of the invoice's last
    /// item to zero. `None` while any item is open, and for credit notes and
    /// documents dated after the as-of date.
    pub settled_on: Option<NaiveDate>,
}

impl Settlement {
    const EMPTY: Settlement = Settlement {
        open: Decimal::ZERO,
        settled_on: None,
    };
}

/// A part of an invoice due on one date, with its state at the as-of date:
/// one instalment of a split invoice, or the whole of any other invoice.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DueItem {
    /// Ledger id of the invoice.
    pub invoice: InvoiceId,
    /// The instalment's 1-based number; `None` for an invoice due in one sum.
    pub instalment: Option<u16>,
    /// The invoice's issue date.
    pub issued_on: NaiveDate,
    pub due_date: NaiveDate,
    /// Amount due, in `currency`.
    pub amount: Decimal,
    /// The invoice's currency, as [`Conversion::document_currency`] gives it.
    pub currency: Option<Currency>,
    /// Units of the policy's currency for one unit of `currency` at the
    /// as-of date.
    pub rate: Decimal,
    /// Amount still owed at the as-of date, in `currency`.
    pub open: Decimal,
    /// Date of the credit that brought `open` to zero, or the issue date
    /// for a zero amount; `None` while open.
    pub settled_on: Option<NaiveDate>,
    /// Sum of the credits applied to the item, in `currency`: its principal
    /// and, when the policy applies payments to costs first, the fee and
    /// interest taken before it.
    pub credited: Decimal,
    /// Date on which `credited` reached `amount`, or the issue date for a
    /// zero amount; `None` before. The client paid the item then, even when
    /// costs taken first leave part of its principal open. It equals
    /// `settled_on` when credits go to the principal alone.
    pub paid_on: Option<NaiveDate>,
}

/// A credit applied to an item: a payment, a credit note, or part of either
/// through the pool.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Application {
    /// The day the credit reduced the item: the credit's own date, or the
    /// invoice's issue date when the credit came first.
    pub date: NaiveDate,
    /// The part taken off the item, in the item's currency.
    pub amount: Decimal,
    /// Whether the credit is a payment. A credit note reduces the sale
    /// itself, so it never pays the fee or interest.
    pub payment: bool,
}

/// An invoice issued on or before the as-of date, as a sale.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Sale {
    /// Ledger id of the invoice.
    pub invoice: InvoiceId,
    /// The invoice's issue date.
    pub date: NaiveDate,
    /// The invoice's amount in the policy's currency at the as-of rate.
    pub amount: Decimal,
}

/// One client's allocation at an as-of date, with the buffers it was computed
/// in.
///
/// Reusing one `Allocation` across clients through [`Allocation::allocate`]
/// avoids allocating memory once its buffers have grown to the largest client.
#[derive(Clone, Debug, Default)]
pub struct Allocation {
    /// Parallel to the client's invoices.
    settlements: Vec<Settlement>,
    /// The issued invoices by issue date, then position in the client's
    /// invoices.
    sales: Vec<Sale>,
    credits: Vec<Credit>,
    balances: Balances,
    /// The applications of each item, grouped by item and in date order
    /// within one.
    applications: Vec<Application>,
    /// Index of each item's first application in `applications`, plus the
    /// total at the end.
    application_starts: Vec<u32>,
    /// The days whose closing receivables the last replay recorded.
    checkpoints: Vec<Checkpoint>,
}

/// A day of the replay whose closing receivables are recorded.
#[derive(Clone, Copy, Debug)]
struct Checkpoint {
    day: Option<NaiveDate>,
    receivables: Option<Decimal>,
}

/// Allocates one client's credit notes and payments at an as-of date.
///
/// An unknown client gets an empty allocation. See
/// [`Allocation::allocate`] for the errors.
pub fn allocate(
    ledger: &Ledger,
    client: ClientId,
    as_of: NaiveDate,
    conversion: &Conversion,
) -> Result<Allocation, MetricsError> {
    let mut allocation = Allocation::default();
    allocation.allocate(ledger, client, as_of, conversion)?;
    Ok(allocation)
}

/// Records the receivables at the end of each pending checkpoint day before
/// `before`, earliest first, issuing the invoices dated through that day.
fn record_checkpoints(
    balances: &mut Balances,
    unissued: &mut Unissued<'_>,
    checkpoints: &mut [Checkpoint],
    before: NaiveDate,
    costs: Option<&CostRule<'_>>,
) {
    loop {
        let next = checkpoints
            .iter_mut()
            .filter(|c| c.receivables.is_none())
            .filter_map(|c| c.day.filter(|&day| day < before).map(|day| (day, c)))
            .min_by_key(|(day, _)| *day);
        let Some((day, checkpoint)) = next else {
            return;
        };
        balances.issue_through(unissued, day, costs);
        checkpoint.receivables = Some(balances.receivables());
    }
}

/// Looks up a client's record, invoices and payments. Returns `None` when the
/// id or the client's ranges do not fit the ledger.
pub(crate) fn client_documents(
    ledger: &Ledger,
    client: ClientId,
) -> Option<(&Client, &[Invoice], &[Payment])> {
    let record = ledger.clients.get(client as usize)?;
    let invoices = ledger
        .invoices
        .get(record.invoices.start as usize..record.invoices.end as usize)?;
    let payments = ledger
        .payments
        .get(record.payments.start as usize..record.payments.end as usize)?;
    Some((record, invoices, payments))
}

impl Allocation {
    pub fn new() -> Self {
        Allocation::default()
    }

    /// Replaces this allocation with the one of `client` at `as_of`, reusing
    /// the buffers. `conversion` gives the policy's currency, which
    /// documents without a currency are in, and the rates of the others.
    ///
    /// Fails with [`MetricsError::MissingRate`] when an invoice, credit note
    /// or payment dated on or before `as_of` is in a currency without a
    /// rate. The allocation is then empty.
    pub fn allocate(
        &mut self,
        ledger: &Ledger,
        client: ClientId,
        as_of: NaiveDate,
        conversion: &Conversion,
    ) -> Result<(), MetricsError> {
        self.allocate_with_checkpoints(ledger, client, as_of, conversion, [], None)
    }

    /// Allocates like [`Allocation::allocate`] and also records the
    /// receivables, in the policy's currency, at the end of each checkpoint
    /// day; [`Allocation::checkpoint_receivables`] reads them in the order
    /// given. A day that is `None` or not before `as_of` records nothing.
    ///
    /// Up to a checkpoint, the replay takes the same steps as an allocation
    /// at that day: documents dated later come after it, and a credit for an
    /// invoice dated later waits for that invoice.
    ///
    /// With `costs`, a credit reaching a late item pays its fee and interest
    /// before its principal; see [`CostRule`].
    pub(super) fn allocate_with_checkpoints(
        &mut self,
        ledger: &Ledger,
        client: ClientId,
        as_of: NaiveDate,
        conversion: &Conversion,
        days: impl IntoIterator<Item = Option<NaiveDate>>,
        costs: Option<&CostRule<'_>>,
    ) -> Result<(), MetricsError> {
        self.checkpoints.clear();
        self.checkpoints
            .extend(days.into_iter().map(|day| Checkpoint {
                day: day.filter(|&day| day < as_of),
                receivables: None,
            }));
        let result = self.replay(ledger, client, as_of, conversion, costs);
        if result.is_err() {
            self.clear(0);
        }
        result
    }

    /// Returns the receivables at the end of the checkpoint at `index`, or
    /// `None` when that checkpoint recorded nothing.
    pub fn checkpoint_receivables(&self, index: usize) -> Option<Decimal> {
        self.checkpoints.get(index)?.receivables
    }

    /// The item that carries `invoice`'s recovery fee, when a credit charged
    /// it during a costs-first replay.
    pub fn fee_item(&self, invoice: InvoiceId) -> Option<usize> {
        self.balances.fee_item(invoice)
    }

    /// Settlements parallel to the client's invoices, in the ledger's order
    /// (due date, invoice date, id).
    pub fn settlements(&self) -> &[Settlement] {
        &self.settlements
    }

    /// Returns the items of the invoices issued on or before the as-of date,
    /// grouped by invoice in the ledger's order, and by instalment number
    /// within a split invoice. Index this slice for
    /// [`Allocation::applications`].
    pub fn items(&self) -> &[DueItem] {
        self.balances.items()
    }

    /// Returns the credits applied to `items()[item]`, oldest first. The
    /// item's open amount on any day is its amount minus the applications
    /// dated on or before that day. Empty for an index out of range.
    pub fn applications(&self, item: usize) -> &[Application] {
        let start = self.application_starts.get(item).copied();
        let end = self.application_starts.get(item + 1).copied();
        let Some((start, end)) = start.zip(end) else {
            return &[];
        };
        self.applications
            .get(start as usize..end as usize)
            .unwrap_or(&[])
    }

    /// Iterates over the items in the pools' order, oldest due first.
    pub(super) fn items_by_due(&self) -> impl Iterator<Item = &DueItem> {
        let items = self.balances.items();
        (self.balances.by_due().iter()).filter_map(|&index| items.get(index as usize))
    }

    /// Returns the invoices (not credit notes) dated on or before the as-of
    /// date, ordered by issue date.
    pub fn sales(&self) -> &[Sale] {
        &self.sales
    }

    /// Sums the items' open amounts in the policy's currency.
    pub fn receivables(&self) -> Decimal {
        self.balances.receivables()
    }

    /// Credit not applied to any item at the as-of date, in the policy's
    /// currency: in each currency, the pool left over once no item is open,
    /// plus credits named for invoices dated after the as-of date.
    pub fn credit_balance(&self) -> Decimal {
        self.credit_balances()
            .fold(Decimal::ZERO, |sum, (_, balance, rate)| {
                sum.saturating_add(balance.saturating_mul(rate))
            })
    }

    /// Iterates over the credit balance of each currency that has documents,
    /// as `(currency, balance in that currency, rate)`. Currencies come in
    /// the order they first appear in the replay.
    pub fn credit_balances(&self) -> impl Iterator<Item = (Option<Currency>, Decimal, Decimal)> {
        self.balances.credit_balances()
    }

    fn clear(&mut self, documents: usize) {
        self.settlements.clear();
        self.settlements.resize(documents, Settlement::EMPTY);
        self.sales.clear();
        self.credits.clear();
        self.balances.reset();
        self.applications.clear();
        self.application_starts.clear();
    }

    fn replay(
        &mut self,
        ledger: &Ledger,
        client: ClientId,
        as_of: NaiveDate,
        conversion: &Conversion,
        costs: Option<&CostRule<'_>>,
    ) -> Result<(), MetricsError> {
        self.clear(0);
        let Some((record, invoices, payments)) = client_documents(ledger, client) else {
            for checkpoint in self.checkpoints.iter_mut().filter(|c| c.day.is_some()) {
                checkpoint.receivables = Some(Decimal::ZERO);
            }
            return Ok(());
        };

        self.clear(invoices.len());
        let documents = Documents {
            ledger,
            conversion,
            first: record.invoices.start,
            invoices,
        };
        self.collect_items(&documents, as_of)?;
        self.collect_credits(&documents, record, payments, as_of)?;

        let mut unissued = Unissued {
            first: documents.first,
            sales: &self.sales,
        };
        for credit in &self.credits {
            record_checkpoints(
                &mut self.balances,
                &mut unissued,
                &mut self.checkpoints,
                credit.applies_on,
                costs,
            );
            if credit.applies_on > as_of {
                self.balances.set_aside(credit);
                continue;
            }
            self.balances
                .issue_through(&mut unissued, credit.applies_on, costs);
            self.balances.apply(credit, costs);
        }
        record_checkpoints(
            &mut self.balances,
            &mut unissued,
            &mut self.checkpoints,
            as_of,
            costs,
        );
        self.balances.issue_through(&mut unissued, as_of, costs);
        if let Some(error) = self.balances.take_cost_error() {
            return Err(match error {
                PenaltyError::MissingReferenceRate { half_year_start } => {
                    MetricsError::MissingReferenceRate { half_year_start }
                }
                PenaltyError::Overflow => MetricsError::ChargesOverflow,
            });
        }

        self.settle_invoices();
        self.group_applications();
        Ok(())
    }

    /// Lists the items and sales of the invoices issued on or before `as_of`.
    fn collect_items(
        &mut self,
        documents: &Documents<'_>,
        as_of: NaiveDate,
    ) -> Result<(), MetricsError> {
        let conversion = documents.conversion;
        for (invoice, id) in documents.invoices.iter().zip(documents.first..) {
            self.balances.start_invoice();
            if invoice.kind != DocumentKind::Invoice || invoice.date > as_of {
                continue;
            }

            let rate = conversion.rate(invoice.currency)?;
            let currency = conversion.document_currency(invoice.currency);
            let items = documents.items_of(id, invoice, currency, rate);
            self.balances.add_items(items);
            self.sales.push(Sale {
                invoice: id,
                date: invoice.date,
                amount: invoice.amount.saturating_mul(rate),
            });
        }
        self.balances.end_invoices();

        // The id breaks ties, so the order is total without a stable sort.
        self.sales
            .sort_unstable_by_key(|sale| (sale.date, sale.invoice));
        self.balances
            .order_by_due(|left, right| documents.due_order(left, right));
        Ok(())
    }

    fn collect_credits(
        &mut self,
        documents: &Documents<'_>,
        record: &Client,
        payments: &[Payment],
        as_of: NaiveDate,
    ) -> Result<(), MetricsError> {
        let conversion = documents.conversion;
        for (note, index) in documents.invoices.iter().zip(documents.first..) {
            if note.kind == DocumentKind::CreditNote && note.date <= as_of {
                let credit = Credit::new(CreditKind::CreditNote, index, note.date, note.amount);
                let credit = credit.in_currency(note.currency, conversion)?;
                self.credits.push(documents.aim(credit, note.reference));
            }
        }
        for (payment, index) in payments.iter().zip(record.payments.start..) {
            if payment.date <= as_of {
                let credit = Credit::new(CreditKind::Payment, index, payment.date, payment.amount);
                let credit = credit.in_currency(payment.currency, conversion)?;
                self.credits.push(documents.aim(credit, payment.invoice));
            }
        }

        let ledger = documents.ledger;
        self.credits
            .sort_unstable_by(|left, right| left.order(right, ledger));
        Ok(())
    }

    /// Derives each invoice's settlement from its items.
    fn settle_invoices(&mut self) {
        for (position, settlement) in self.settlements.iter_mut().enumerate() {
            let items = self.balances.items_of(position);
            if items.is_empty() {
                continue;
            }

            let open = items
                .iter()
                .fold(Decimal::ZERO, |sum, item| sum.saturating_add(item.open));
            let all_settled = items.iter().all(|item| item.settled_on.is_some());
            let last_settled = items.iter().filter_map(|item| item.settled_on).max();
            *settlement = Settlement {
                open,
                settled_on: last_settled.filter(|_| all_settled),
            };
        }
    }

    /// Sorts the replay's log of applications by item, keeping the date
    /// order within an item, and records where each item's run starts.
    fn group_applications(&mut self) {
        let count = self.balances.items().len();
        let log = self.balances.log_mut();
        log.sort_unstable_by_key(|applied| (applied.item, applied.sequence));

        let mut entries = log.iter().peekable();
        for item in 0..count {
            self.application_starts
                .push(index_u32(self.applications.len()));
            while let Some(applied) = entries.next_if(|applied| applied.item as usize == item) {
                self.applications.push(applied.application);
            }
        }
        self.application_starts
            .push(index_u32(self.applications.len()));
    }
}

/// One client's documents, for looking up invoices by ledger id.
struct Documents<'a> {
    ledger: &'a Ledger,
    conversion: &'a Conversion,
    /// Ledger id of `invoices[0]`.
    first: InvoiceId,
    invoices: &'a [Invoice],
}

impl<'a> Documents<'a> {
    fn get(&self, id: InvoiceId) -> Option<&'a Invoice> {
        let position = id.checked_sub(self.first)?;
        self.invoices.get(position as usize)
    }

    /// Lists the items of invoice `id`: its instalments, or the invoice
    /// itself when it has none.
    fn items_of(
        &self,
        id: InvoiceId,
        invoice: &Invoice,
        currency: Option<Currency>,
        rate: Decimal,
    ) -> impl Iterator<Item = DueItem> + use<'a> {
        let range = invoice.instalments.start as usize..invoice.instalments.end as usize;
        let instalments = self.ledger.instalments.get(range).unwrap_or(&[]);
        let issued_on = invoice.date;
        let whole = instalments.is_empty().then_some(DueItem {
            invoice: id,
            instalment: None,
            issued_on: invoice.date,
            due_date: invoice.due_date,
            amount: invoice.amount,
            currency,
            rate,
            open: Decimal::ZERO,
            settled_on: None,
            credited: Decimal::ZERO,
            paid_on: None,
        });

        let parts = instalments.iter().map(move |instalment| DueItem {
            invoice: id,
            instalment: Some(instalment.number),
            issued_on,
            due_date: instalment.due_date,
            amount: instalment.amount,
            currency,
            rate,
            open: Decimal::ZERO,
            settled_on: None,
            credited: Decimal::ZERO,
            paid_on: None,
        });
        whole.into_iter().chain(parts)
    }

    /// Sets the credit's target when `named` is one of the client's invoices
    /// in the credit's currency, and defers the credit to that invoice's
    /// date when it is later.
    fn aim(&self, mut credit: Credit, named: Option<InvoiceId>) -> Credit {
        let Some(id) = named else {
            return credit;
        };
        let Some(invoice) = self.get(id) else {
            return credit;
        };
        if invoice.kind != DocumentKind::Invoice {
            return credit;
        }
        if credit.currency != self.conversion.document_currency(invoice.currency) {
            return credit;
        }

        credit.target = id.checked_sub(self.first);
        credit.applies_on = credit.applies_on.max(invoice.date);
        credit
    }

    /// Orders two items as the pools settle them: by due date, then invoice
    /// date, or the other way round under oldest invoice first; then by
    /// invoice id and instalment number.
    fn due_order(&self, left: &DueItem, right: &DueItem) -> Ordering {
        let key = |item: &DueItem| {
            let invoice = self.ledger.invoices.get(item.invoice as usize);
            let date = invoice.map(|invoice| invoice.date);
            let id = invoice.map_or("", |invoice| invoice.id.as_str());
            match self.ledger.on_account {
                OnAccountOrder::OldestDueFirst => (Some(item.due_date), date, id, item.instalment),
                OnAccountOrder::OldestInvoiceFirst => {
                    (date, Some(item.due_date), id, item.instalment)
                }
            }
        };
        key(left).cmp(&key(right))
    }
}

/// The invoices not issued yet in the replay, by issue date.
struct Unissued<'a> {
    /// Ledger id of the client's first invoice.
    first: InvoiceId,
    /// Ordered by issue date.
    sales: &'a [Sale],
}

impl<'a> Unissued<'a> {
    /// Removes the invoices of the earliest remaining issue date, if that
    /// date is on or before `date`, and returns the date with their sales.
    fn next_day_through(&mut self, date: NaiveDate) -> Option<(NaiveDate, &'a [Sale])> {
        let day = self.sales.first()?.date;
        if day > date {
            return None;
        }

        let count = self.sales.partition_point(|sale| sale.date == day);
        let (today, later) = self.sales.split_at_checked(count)?;
        self.sales = later;
        Some((day, today))
    }

    /// Position in the client's invoices of the invoice of `sale`.
    fn position(&self, sale: &Sale) -> Option<usize> {
        sale.invoice
            .checked_sub(self.first)
            .map(|position| position as usize)
    }
}
