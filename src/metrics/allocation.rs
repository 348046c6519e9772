//! Allocation of credit notes and payments to invoices at an as-of date.
//!
//! For one client at an as-of date D, allocation computes each invoice's open
//! amount, the date it became fully settled, and the client's credit balance.
//! Only invoices, credit notes and payments dated on or before D take part.
//! Later documents and payments do not count at all, so an as-of report never
//! counts a payment received after its date.
//!
//! # The allocation rule
//!
//! The client's history is replayed in date order. On each date, the invoices
//! issued that day come first, then the credit notes, then the payments.
//! Credit notes of the same date apply in id order, and so do payments.
//!
//! - A credit note that references one of the client's invoices reduces that
//!   invoice's open amount. A payment that names one of the client's invoices
//!   does the same.
//! - When the named invoice is dated after the credit note or payment, the
//!   credit applies on the invoice's date. If that date is after D, the credit
//!   is not applied but counts in the credit balance.
//! - Three kinds of credit go to the client's credit pool: the excess of a
//!   named credit over its invoice's open amount, credit notes without a
//!   reference, and payments on account.
//! - The pool settles open invoices oldest due first (by due date, then
//!   invoice date, then id). This includes invoices issued later: the pool
//!   settles them on their issue date.
//! - A reference or payment that names a credit note, or a document of
//!   another client, counts as on account.
//!
//! An open amount never goes below zero. An invoice's settlement date is the
//! date of the credit that brought its open amount to zero. An invoice with a
//! zero amount is settled on its issue date. Credit notes are not receivables,
//! so their open amount is always zero.
//!
//! The credit balance is the pool left over once no invoice is open, plus
//! credits held for invoices dated after D.
//!
//! Sums saturate at [`Decimal::MAX`] (about 7.9 × 10^28) instead of panicking.
//!
//! NOTE: amounts are allocated as given, without currency conversion, so a
//! client whose documents mix currencies gets meaningless open amounts.

use std::cmp::{Ordering, Reverse};
use std::collections::BinaryHeap;

use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::ledger::{Client, ClientId, DocumentKind, Invoice, InvoiceId, Ledger, Payment};

/// The state of one of the client's documents at the as-of date.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Settlement {
    /// Amount still owed. Zero for credit notes and documents dated after the
    /// as-of date.
    pub open: Decimal,
    /// Date of the credit that brought the open amount to zero. `None` while
    /// the invoice is open, and for credit notes and documents dated after the
    /// as-of date.
    pub settled_on: Option<NaiveDate>,
}

impl Settlement {
    const EMPTY: Settlement = Settlement {
        open: Decimal::ZERO,
        settled_on: None,
    };
}

/// One client's allocation at an as-of date, with the buffers it was computed
/// in.
///
/// Reusing one `Allocation` across clients through [`Allocation::allocate`]
/// avoids allocating memory once its buffers have grown to the largest client.
#[derive(Clone, Debug, Default)]
pub struct Allocation {
    balances: Balances,
    /// Indices into the client's invoices of the invoices dated on or before
    /// the as-of date, by issue date.
    issued: Vec<u32>,
    credits: Vec<Credit>,
}

/// Per-document settlements and the credit not applied to any invoice.
#[derive(Clone, Debug, Default)]
struct Balances {
    /// Parallel to the client's invoices.
    settlements: Vec<Settlement>,
    /// Issued invoices by position in the client's invoices, which is the
    /// oldest-due-first order. Settled invoices leave it lazily.
    open_by_due: BinaryHeap<Reverse<u32>>,
    pool: Decimal,
    /// Credits named for invoices dated after the as-of date.
    awaiting_invoice: Decimal,
}

/// A credit note or payment, dated by when it applies.
#[derive(Clone, Copy, Debug)]
struct Credit {
    applies_on: NaiveDate,
    kind: CreditKind,
    /// Index into [`Ledger::invoices`] or [`Ledger::payments`], by kind.
    index: u32,
    amount: Decimal,
    /// Index into the client's invoices of the invoice it names, if valid.
    target: Option<u32>,
}

/// Credit notes apply before payments of the same date, hence the order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum CreditKind {
    CreditNote,
    Payment,
}

/// Allocates one client's credit notes and payments at an as-of date.
///
/// An unknown client gets an empty allocation.
pub fn allocate(ledger: &Ledger, client: ClientId, as_of: NaiveDate) -> Allocation {
    let mut allocation = Allocation::default();
    allocation.allocate(ledger, client, as_of);
    allocation
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
    /// the buffers.
    pub fn allocate(&mut self, ledger: &Ledger, client: ClientId, as_of: NaiveDate) {
        self.balances.reset(0);
        self.issued.clear();
        self.credits.clear();
        let Some((record, invoices, payments)) = client_documents(ledger, client) else {
            return;
        };

        self.balances.reset(invoices.len());
        self.collect_issued(invoices, as_of);
        self.collect_credits(ledger, record, invoices, payments, as_of);

        let mut unissued = Unissued {
            invoices,
            issued: &self.issued,
        };
        for credit in &self.credits {
            if credit.applies_on > as_of {
                self.balances.set_aside(credit.amount);
                continue;
            }
            self.balances
                .issue_through(&mut unissued, credit.applies_on);
            self.balances.apply(credit);
        }
        self.balances.issue_through(&mut unissued, as_of);
    }

    /// Settlements parallel to the client's invoices, in the ledger's order
    /// (due date, invoice date, id).
    pub fn settlements(&self) -> &[Settlement] {
        &self.balances.settlements
    }

    /// Credit not applied to any invoice at the as-of date: the pool left over
    /// once no invoice is open, plus credits named for invoices dated after it.
    pub fn credit_balance(&self) -> Decimal {
        self.balances
            .pool
            .saturating_add(self.balances.awaiting_invoice)
    }

    /// Indices into the client's invoices of the invoices (not credit notes)
    /// dated on or before the as-of date, ordered by issue date.
    pub fn issued(&self) -> &[u32] {
        &self.issued
    }

    fn collect_issued(&mut self, invoices: &[Invoice], as_of: NaiveDate) {
        let dated = invoices.iter().zip(0u32..);
        for (invoice, index) in dated {
            if invoice.kind == DocumentKind::Invoice && invoice.date <= as_of {
                self.issued.push(index);
            }
        }

        // The index breaks ties, so the order is total without a stable sort.
        self.issued.sort_unstable_by_key(|&index| {
            let date = invoices.get(index as usize).map(|invoice| invoice.date);
            (date, index)
        });
    }

    fn collect_credits(
        &mut self,
        ledger: &Ledger,
        record: &Client,
        invoices: &[Invoice],
        payments: &[Payment],
        as_of: NaiveDate,
    ) {
        let first = record.invoices.start;
        for (note, index) in invoices.iter().zip(first..) {
            if note.kind == DocumentKind::CreditNote && note.date <= as_of {
                let credit = Credit::new(CreditKind::CreditNote, index, note.date, note.amount);
                self.credits
                    .push(credit.naming(note.reference, first, invoices));
            }
        }
        for (payment, index) in payments.iter().zip(record.payments.start..) {
            if payment.date <= as_of {
                let credit = Credit::new(CreditKind::Payment, index, payment.date, payment.amount);
                self.credits
                    .push(credit.naming(payment.invoice, first, invoices));
            }
        }

        self.credits
            .sort_unstable_by(|left, right| left.order(right, ledger));
    }
}

impl Credit {
    fn new(kind: CreditKind, index: u32, date: NaiveDate, amount: Decimal) -> Credit {
        Credit {
            applies_on: date,
            kind,
            index,
            amount: amount.max(Decimal::ZERO),
            target: None,
        }
    }

    /// Sets the target when `named` is one of the client's invoices, and
    /// defers the credit to that invoice's date when it is later.
    fn naming(
        mut self,
        named: Option<InvoiceId>,
        first: InvoiceId,
        invoices: &[Invoice],
    ) -> Credit {
        let Some(position) = named.and_then(|id| id.checked_sub(first)) else {
            return self;
        };
        let Some(invoice) = invoices.get(position as usize) else {
            return self;
        };
        if invoice.kind != DocumentKind::Invoice {
            return self;
        }

        self.target = Some(position);
        self.applies_on = self.applies_on.max(invoice.date);
        self
    }

    /// Orders by application date, credit notes before payments, then id.
    fn order(&self, other: &Credit, ledger: &Ledger) -> Ordering {
        (self.applies_on, self.kind)
            .cmp(&(other.applies_on, other.kind))
            .then_with(|| self.id(ledger).cmp(other.id(ledger)))
            .then_with(|| self.index.cmp(&other.index))
    }

    fn id<'a>(&self, ledger: &'a Ledger) -> &'a str {
        let id = match self.kind {
            CreditKind::CreditNote => ledger
                .invoices
                .get(self.index as usize)
                .map(|note| &note.id),
            CreditKind::Payment => ledger
                .payments
                .get(self.index as usize)
                .map(|payment| &payment.id),
        };
        id.map_or("", String::as_str)
    }
}

impl Balances {
    fn reset(&mut self, documents: usize) {
        self.settlements.clear();
        self.settlements.resize(documents, Settlement::EMPTY);
        self.open_by_due.clear();
        self.pool = Decimal::ZERO;
        self.awaiting_invoice = Decimal::ZERO;
    }

    fn set_aside(&mut self, amount: Decimal) {
        self.awaiting_invoice = self.awaiting_invoice.saturating_add(amount);
    }

    /// Issues the invoices dated on or before `date`, one day at a time, and
    /// lets the pool settle each day's invoices.
    fn issue_through(&mut self, unissued: &mut Unissued<'_>, date: NaiveDate) {
        while let Some((day, indices)) = unissued.next_day_through(date) {
            for &index in indices {
                if let Some(invoice) = unissued.invoices.get(index as usize) {
                    self.issue(index, invoice);
                }
            }

            self.drain_pool(day);
        }
    }

    fn issue(&mut self, index: u32, invoice: &Invoice) {
        let Some(settlement) = self.settlements.get_mut(index as usize) else {
            return;
        };

        if invoice.amount > Decimal::ZERO {
            settlement.open = invoice.amount;
            self.open_by_due.push(Reverse(index));
        } else {
            settlement.settled_on = Some(invoice.date);
        }
    }

    /// Applies a credit to its target, sending what is left over to the pool.
    fn apply(&mut self, credit: &Credit) {
        let mut rest = credit.amount;
        if let Some(settlement) = credit
            .target
            .and_then(|target| self.settlements.get_mut(target as usize))
        {
            rest = settle(settlement, rest, credit.applies_on);
        }

        self.pool = self.pool.saturating_add(rest);
        self.drain_pool(credit.applies_on);
    }

    /// Settles open invoices oldest due first from the pool until either runs out.
    fn drain_pool(&mut self, date: NaiveDate) {
        while self.pool > Decimal::ZERO {
            let Some(&Reverse(index)) = self.open_by_due.peek() else {
                return;
            };
            let Some(settlement) = self.settlements.get_mut(index as usize) else {
                self.open_by_due.pop();
                continue;
            };

            self.pool = settle(settlement, self.pool, date);
            if settlement.open.is_zero() {
                self.open_by_due.pop();
            }
        }
    }
}

/// The invoices not issued yet in the replay, by issue date.
struct Unissued<'a> {
    invoices: &'a [Invoice],
    /// Indices into `invoices`, ordered by issue date.
    issued: &'a [u32],
}

impl<'a> Unissued<'a> {
    /// Removes the invoices of the earliest remaining issue date, if that
    /// date is on or before `date`, and returns the date with their indices.
    fn next_day_through(&mut self, date: NaiveDate) -> Option<(NaiveDate, &'a [u32])> {
        let day = self.issue_date(*self.issued.first()?)?;
        if day > date {
            return None;
        }

        let count = (self.issued.iter())
            .take_while(|&&index| self.issue_date(index) == Some(day))
            .count();
        let (today, later) = self.issued.split_at_checked(count)?;
        self.issued = later;
        Some((day, today))
    }

    fn issue_date(&self, index: u32) -> Option<NaiveDate> {
        self.invoices
            .get(index as usize)
            .map(|invoice| invoice.date)
    }
}

/// Takes up to `amount` off an open settlement, marking it settled on `date`
/// when it reaches zero. Returns the part of `amount` not used.
fn settle(settlement: &mut Settlement, amount: Decimal, date: NaiveDate) -> Decimal {
    if settlement.open.is_zero() {
        return amount;
    }

    let applied = amount.min(settlement.open);
    settlement.open -= applied;
    if settlement.open.is_zero() {
        settlement.settled_on = Some(date);
    }
    amount - applied
}
