//! The state of a replay: open items, the credit pool of each currency, and
//! the log of applications.

use std::cmp::{Ordering, Reverse};
use std::collections::BinaryHeap;

use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::metrics::penalties::{CostRule, CostState, PenaltyError, fee_in_item_currency};

use super::{Application, DueItem, Unissued};
use crate::ledger::{InvoiceId, Ledger};
use crate::metrics::{Conversion, MetricsError};
use crate::value::Currency;

/// A credit note or payment, dated by when it applies.
#[derive(Clone, Copy, Debug)]
pub(super) struct Credit {
    pub applies_on: NaiveDate,
    kind: CreditKind,
    /// Index into [`Ledger::invoices`] or [`Ledger::payments`], by kind.
    index: u32,
    amount: Decimal,
    /// As [`Conversion::document_currency`] gives it.
    pub currency: Option<Currency>,
    rate: Decimal,
    /// Position in the client's invoices of the invoice it names, if valid.
    pub target: Option<u32>,
}

/// Credit notes apply before payments of the same date, hence the order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum CreditKind {
    CreditNote,
    Payment,
}

/// Where the credit of one application comes from, and when it applies.
#[derive(Clone, Copy, Debug)]
struct Source {
    /// Whether the credit is a payment rather than a credit note.
    payment: bool,
    date: NaiveDate,
}

impl Source {
    fn new(payment: bool, date: NaiveDate) -> Source {
        Source { payment, date }
    }
}

/// One application in the order the replay made it.
#[derive(Clone, Copy, Debug)]
pub(super) struct Applied {
    /// Index into the items.
    pub item: u32,
    /// Position in the replay's log, which keeps the date order.
    pub sequence: u32,
    pub application: Application,
}

/// Items, pools and the log of one replay.
#[derive(Clone, Debug, Default)]
pub(super) struct Balances {
    items: Items,
    books: Books,
}

#[derive(Clone, Debug, Default)]
struct Items {
    /// Grouped by invoice in the client's order.
    list: Vec<DueItem>,
    /// The fee and interest owed by each item, parallel to `list`; used only
    /// when the policy applies payments to costs first.
    costs: Vec<CostState>,
    /// The invoices charged their fee so far, with the item that carries it.
    fees: Vec<(InvoiceId, u32)>,
    /// The first failure to compute charges during the replay.
    cost_error: Option<PenaltyError>,
    /// Index of each client invoice's first item, plus the total at the end.
    starts: Vec<u32>,
    /// Item indices, oldest due first.
    by_due: Vec<u32>,
    /// The position of each item in `by_due`.
    ranks: Vec<u32>,
    log: Vec<Applied>,
}

/// The credit and the open items of one currency.
#[derive(Clone, Debug, Default)]
struct Book {
    currency: Option<Currency>,
    rate: Decimal,
    pool: Decimal,
    /// Whether every credit in the pool is a payment, so that it may pay
    /// fees and interest.
    pool_of_payments: bool,
    /// Credits named for invoices dated after the as-of date.
    awaiting_invoice: Decimal,
    /// Ranks of the issued items of this currency. Settled items leave it
    /// lazily.
    open_by_due: BinaryHeap<Reverse<u32>>,
}

/// The books of the currencies seen so far. Books past `used` keep their
/// buffers for the next replay.
#[derive(Clone, Debug, Default)]
struct Books {
    list: Vec<Book>,
    used: usize,
}

impl Credit {
    pub fn new(kind: CreditKind, index: u32, date: NaiveDate, amount: Decimal) -> Credit {
        Credit {
            applies_on: date,
            kind,
            index,
            amount: amount.max(Decimal::ZERO),
            currency: None,
            rate: Decimal::ONE,
            target: None,
        }
    }

    /// Sets the credit's currency from the document's.
    pub fn in_currency(
        mut self,
        currency: Option<Currency>,
        conversion: &Conversion,
    ) -> Result<Credit, MetricsError> {
        self.rate = conversion.rate(currency)?;
        self.currency = conversion.document_currency(currency);
        Ok(self)
    }

    /// Orders by application date, credit notes before payments, then id.
    pub fn order(&self, other: &Credit, ledger: &Ledger) -> Ordering {
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

impl Applied {
    fn new(item: u32, sequence: u32, application: Application) -> Applied {
        Applied {
            item,
            sequence,
            application,
        }
    }
}

impl Balances {
    pub fn reset(&mut self) {
        self.items.list.clear();
        self.items.costs.clear();
        self.items.fees.clear();
        self.items.cost_error = None;
        self.items.starts.clear();
        self.items.by_due.clear();
        self.items.ranks.clear();
        self.items.log.clear();
        self.books.reset();
    }

    pub fn items(&self) -> &[DueItem] {
        &self.items.list
    }

    /// Returns the items of the invoice at `position` in the client's invoices.
    pub fn items_of(&self, position: usize) -> &[DueItem] {
        self.items
            .range_of(position)
            .and_then(|range| self.items.list.get(range))
            .unwrap_or(&[])
    }

    /// Marks where the next invoice's items start.
    pub fn start_invoice(&mut self) {
        self.items.starts.push(index_u32(self.items.list.len()));
    }

    /// Closes the last invoice's items.
    pub fn end_invoices(&mut self) {
        self.start_invoice();
    }

    pub fn add_items(&mut self, items: impl Iterator<Item = DueItem>) {
        self.items.list.extend(items);
        self.items
            .costs
            .resize(self.items.list.len(), CostState::default());
    }

    /// The item that carries `invoice`'s fee, if a credit charged it.
    pub fn fee_item(&self, invoice: InvoiceId) -> Option<usize> {
        let found = self
            .items
            .fees
            .iter()
            .find(|(charged, _)| *charged == invoice);
        found.map(|(_, item)| *item as usize)
    }

    /// Takes the first failure to compute charges during the replay.
    pub fn take_cost_error(&mut self) -> Option<PenaltyError> {
        self.items.cost_error.take()
    }

    /// Ranks the items by `order`, the oldest-due-first order of the pools.
    pub fn order_by_due(&mut self, order: impl Fn(&DueItem, &DueItem) -> Ordering) {
        let Items {
            list,
            by_due,
            ranks,
            ..
        } = &mut self.items;
        by_due.extend((0..list.len()).map(index_u32));
        by_due.sort_unstable_by(|&left, &right| {
            match (list.get(left as usize), list.get(right as usize)) {
                (Some(left), Some(right)) => order(left, right),
                _ => left.cmp(&right),
            }
        });

        ranks.resize(list.len(), 0);
        for (rank, &item) in by_due.iter().enumerate() {
            if let Some(slot) = ranks.get_mut(item as usize) {
                *slot = index_u32(rank);
            }
        }
    }

    /// Sums the items' open amounts in the policy's currency. Items not
    /// issued yet in the replay have no open amount.
    pub fn receivables(&self) -> Decimal {
        self.items.list.iter().fold(Decimal::ZERO, |sum, item| {
            sum.saturating_add(item.open.saturating_mul(item.rate))
        })
    }

    /// Item indices, oldest due first.
    pub fn by_due(&self) -> &[u32] {
        &self.items.by_due
    }

    pub fn log_mut(&mut self) -> &mut Vec<Applied> {
        &mut self.items.log
    }

    pub fn credit_balances(&self) -> impl Iterator<Item = (Option<Currency>, Decimal, Decimal)> {
        self.books.active().iter().map(|book| {
            let balance = book.pool.saturating_add(book.awaiting_invoice);
            (book.currency, balance, book.rate)
        })
    }

    /// Sets aside a credit whose invoice is dated after the as-of date.
    pub fn set_aside(&mut self, credit: &Credit) {
        if let Some(book) = self.books.book_mut(credit.currency, credit.rate) {
            book.awaiting_invoice = book.awaiting_invoice.saturating_add(credit.amount);
        }
    }

    /// Issues the invoices dated on or before `date`, one day at a time, and
    /// lets each pool settle that day's items.
    pub fn issue_through(
        &mut self,
        unissued: &mut Unissued<'_>,
        date: NaiveDate,
        costs: Option<&CostRule<'_>>,
    ) {
        while let Some((day, sales)) = unissued.next_day_through(date) {
            for sale in sales {
                if let Some(position) = unissued.position(sale) {
                    self.issue(position, day);
                }
            }

            for book in self.books.active_mut() {
                self.items.drain(book, day, costs);
            }
        }
    }

    /// Applies a credit to the items of its target, oldest due first, and
    /// sends what is left over to the pool of its currency. A credit note
    /// reduces the sale itself, so `costs` applies to payments only.
    pub fn apply(&mut self, credit: &Credit, costs: Option<&CostRule<'_>>) {
        let payment = credit.kind == CreditKind::Payment;
        let mut rest = credit.amount;
        let targets = credit
            .target
            .and_then(|target| self.items.range_of(target as usize))
            .unwrap_or(0..0);
        for item in targets {
            let source = Source::new(payment, credit.applies_on);
            rest = self.items.settle(item, rest, source, costs);
        }

        if let Some(book) = self.books.book_mut(credit.currency, credit.rate) {
            book.pool_of_payments = payment && (book.pool_of_payments || book.pool.is_zero());
            book.pool = book.pool.saturating_add(rest);
            self.items.drain(book, credit.applies_on, costs);
        }
    }

    /// Opens the items of the invoice at `position`, issued on `day`.
    fn issue(&mut self, position: usize, day: NaiveDate) {
        for index in self.items.range_of(position).unwrap_or(0..0) {
            let rank = self.items.ranks.get(index).copied();
            let Some(item) = self.items.list.get_mut(index) else {
                continue;
            };
            if item.amount <= Decimal::ZERO {
                item.settled_on = Some(day);
                item.paid_on = Some(day);
                continue;
            }

            item.open = item.amount;
            let (currency, rate) = (item.currency, item.rate);
            if let Some((book, rank)) = self.books.book_mut(currency, rate).zip(rank) {
                book.open_by_due.push(Reverse(rank));
            }
        }
    }
}

impl Items {
    fn range_of(&self, position: usize) -> Option<std::ops::Range<usize>> {
        let start = *self.starts.get(position)? as usize;
        let end = *self.starts.get(position + 1)? as usize;
        Some(start..end)
    }

    /// Takes up to `amount` of `source` off an open item, marking it settled
    /// when it reaches zero and paid when its credits reach its amount, and
    /// logs the application. Returns the part of `amount` not used. With
    /// `costs`, a payment reaching a late item takes its fee and its interest
    /// first.
    fn settle(
        &mut self,
        index: usize,
        amount: Decimal,
        source: Source,
        costs: Option<&CostRule<'_>>,
    ) -> Decimal {
        let date = source.date;
        let late = self
            .list
            .get(index)
            .is_some_and(|item| date > item.due_date);
        let applied = match costs.filter(|_| late) {
            Some(rule) if source.payment => self.absorb_costs(index, amount, date, rule),
            Some(rule) => {
                self.accrue_costs(index, date, rule);
                self.take_principal(index, amount)
            }
            None => self.take_principal(index, amount),
        };
        let Some(item) = self.list.get_mut(index) else {
            return amount;
        };
        if applied <= Decimal::ZERO {
            return amount;
        }
        if item.open.is_zero() {
            item.settled_on = Some(date);
        }
        item.credited = item.credited.saturating_add(applied);
        if item.paid_on.is_none() && item.credited >= item.amount {
            item.paid_on = Some(date);
        }
        let sequence = index_u32(self.log.len());
        let application = Application {
            date,
            amount: applied,
            payment: source.payment,
        };
        self.log
            .push(Applied::new(index_u32(index), sequence, application));
        amount - applied
    }

    /// Takes up to `amount` off the item's principal; returns the part taken.
    fn take_principal(&mut self, index: usize, amount: Decimal) -> Decimal {
        let Some(item) = self.list.get_mut(index) else {
            return Decimal::ZERO;
        };
        let applied = amount.min(item.open).max(Decimal::ZERO);
        item.open -= applied;
        applied
    }

    /// Pays the late item's fee (charged with the invoice's first late
    /// credit), its interest, then its principal; returns the part of
    /// `amount` used. A failure is kept for the replay to report, and the
    /// credit then goes to the principal alone.
    fn absorb_costs(
        &mut self,
        index: usize,
        amount: Decimal,
        date: NaiveDate,
        rule: &CostRule<'_>,
    ) -> Decimal {
        let Some(&item) = self.list.get(index) else {
            return Decimal::ZERO;
        };
        if item.open <= Decimal::ZERO {
            return Decimal::ZERO;
        }
        let charged = self
            .fees
            .iter()
            .any(|(invoice, _)| *invoice == item.invoice);
        let fee = (!charged).then(|| fee_in_item_currency(rule.terms.fee, item.rate));
        let Some(state) = self.costs.get_mut(index) else {
            return self.take_principal(index, amount);
        };
        let mut principal = item.open;
        match rule.absorb(state, &mut principal, item.due_date, date, amount, fee) {
            Ok(applied) => {
                if fee.is_some() {
                    self.fees.push((item.invoice, index_u32(index)));
                }
                if let Some(item) = self.list.get_mut(index) {
                    item.open = principal;
                }
                applied
            }
            Err(error) => {
                self.cost_error.get_or_insert(error);
                self.take_principal(index, amount)
            }
        }
    }

    /// Counts the late item's interest through `date` on its principal
    /// before a credit note lowers it. A failure is kept for the replay to
    /// report.
    fn accrue_costs(&mut self, index: usize, date: NaiveDate, rule: &CostRule<'_>) {
        let (Some(item), Some(state)) = (self.list.get(index), self.costs.get_mut(index)) else {
            return;
        };
        if let Err(error) = rule.accrue(state, item.open, item.due_date, date) {
            self.cost_error.get_or_insert(error);
        }
    }

    /// Settles the book's open items oldest due first from its pool until
    /// either runs out.
    fn drain(&mut self, book: &mut Book, date: NaiveDate, costs: Option<&CostRule<'_>>) {
        while book.pool > Decimal::ZERO {
            let Some(&Reverse(rank)) = book.open_by_due.peek() else {
                return;
            };
            let Some(&index) = self.by_due.get(rank as usize) else {
                book.open_by_due.pop();
                continue;
            };

            let source = Source::new(book.pool_of_payments, date);
            book.pool = self.settle(index as usize, book.pool, source, costs);
            let open = self.list.get(index as usize).map(|item| item.open);
            if open.is_none_or(|open| open.is_zero()) {
                book.open_by_due.pop();
            }
        }
    }
}

impl Books {
    fn reset(&mut self) {
        for book in self.active_mut() {
            book.open_by_due.clear();
        }
        self.used = 0;
    }

    fn active(&self) -> &[Book] {
        self.list.get(..self.used).unwrap_or(&[])
    }

    fn active_mut(&mut self) -> &mut [Book] {
        self.list.get_mut(..self.used).unwrap_or(&mut [])
    }

    /// Finds the book of `currency`, opening it with `rate` when new. Always
    /// returns `Some`.
    fn book_mut(&mut self, currency: Option<Currency>, rate: Decimal) -> Option<&mut Book> {
        let found = self
            .active()
            .iter()
            .position(|book| book.currency == currency);
        let index = match found {
            Some(index) => index,
            None => self.open(currency, rate),
        };
        self.list.get_mut(index)
    }

    /// Opens the next book, reusing a buffer from an earlier replay when
    /// there is one, and returns its index.
    fn open(&mut self, currency: Option<Currency>, rate: Decimal) -> usize {
        let index = self.used;
        if index == self.list.len() {
            self.list.push(Book::default());
        }
        if let Some(book) = self.list.get_mut(index) {
            book.currency = currency;
            book.rate = rate;
            book.pool = Decimal::ZERO;
            book.pool_of_payments = false;
            book.awaiting_invoice = Decimal::ZERO;
            book.open_by_due.clear();
        }
        self.used += 1;
        index
    }
}

/// Converts an index into a `u32`, the type of the ledger's ids, saturating
/// at `u32::MAX`.
pub(super) fn index_u32(index: usize) -> u32 {
    u32::try_from(index).unwrap_or(u32::MAX)
}
