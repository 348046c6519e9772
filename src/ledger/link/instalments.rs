//! Instalments: each belongs to a plain invoice and falls due on or after
//! its issue date, and an invoice's instalments add up to its amount.
//! An invoice with instalments is due when its last instalment is, so a
//! due date on its row must be that date. An invoice without instalments
//! must give a due date.

use crate::ledger::IdMap;

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::{Linker, file_name};
use crate::ledger::error::{ErrorSink, LedgerErrorKind};
use crate::ledger::model::{DocumentKind, RowOrigin};
use crate::ledger::rows::InstalmentRow;

/// The instalments of one invoice, summed while reading.
struct Schedule {
    total: Decimal,
    count: usize,
    /// The first instalment row, where a mismatch is reported.
    first: RowOrigin,
    /// The due date and row of the last instalment: the latest due date,
    /// and of several rows with that date the last one in the file.
    last: Option<(NaiveDate, RowOrigin)>,
    /// Whether every instalment's amount and due date could be read.
    complete: bool,
}

impl Linker<'_> {
    /// Links each instalment to its invoice, as an index into the rows, and
    /// checks every schedule. `None` marks a broken link, already reported.
    pub(super) fn instalments(
        &self,
        ids: &IdMap<&str, usize>,
        sink: &mut ErrorSink,
    ) -> Vec<Option<usize>> {
        let targets: Vec<Option<usize>> = (self.rows.instalments.iter())
            .map(|instalment| self.instalment_invoice(instalment, ids, sink))
            .collect();
        let schedules = self.schedules(&targets);
        for (&target, schedule) in &schedules {
            self.check_schedule(target, schedule, sink);
            self.check_due_date(target, schedule, sink);
        }
        self.check_undated(&schedules, sink);
        targets
    }

    fn instalment_invoice(
        &self,
        instalment: &InstalmentRow,
        ids: &IdMap<&str, usize>,
        sink: &mut ErrorSink,
    ) -> Option<usize> {
        let map = &self.manifest.instalments;
        let origin = instalment.origin;
        let id = instalment.invoice.as_str();
        let Some(&target) = ids.get(id) else {
            let message = format!(
                "invoice `{id}` is not in {}",
                file_name(&self.manifest.invoices.path)
            );
            let help = "correct the invoice id: every instalment is a part of an invoice";
            let error = self.error(
                LedgerErrorKind::UnknownReference,
                origin,
                &map.invoice.name,
                message,
            );
            sink.push(error.with_help(help));
            return None;
        };
        let Some(invoice) = self.rows.invoices[target].data.as_ref() else {
            return Some(target); // the invoice's own row reports its bad cells
        };
        if invoice.kind == DocumentKind::CreditNote {
            let message = format!("`{id}` is a credit note, not an invoice");
            let help = "only an invoice is paid in instalments; name the invoice";
            let error = self.error(
                LedgerErrorKind::Inconsistent,
                origin,
                &map.invoice.name,
                message,
            );
            sink.push(error.with_help(help));
            return None;
        }
        let due = instalment.data.as_ref().map(|data| data.due_date);
        if let Some(due) = due.filter(|due| *due < invoice.date) {
            let cells = self.manifest.cells();
            let message = format!(
                "instalment due date `{}` is before the date of invoice `{id}`, `{}`",
                cells.write_date(due),
                cells.write_date(invoice.date)
            );
            let help = "an instalment falls due on or after its invoice's issue date; check \
                        both dates, and format.date_format if day and month may be swapped";
            let error = self.error(
                LedgerErrorKind::Inconsistent,
                origin,
                &map.due_date.name,
                message,
            );
            sink.push(error.with_help(help));
        }
        Some(target)
    }

    /// Collects the schedule of each invoice with instalments, by invoice row.
    fn schedules(&self, targets: &[Option<usize>]) -> IdMap<usize, Schedule> {
        let mut schedules: IdMap<usize, Schedule> = IdMap::default();
        for (instalment, target) in self.rows.instalments.iter().zip(targets) {
            let Some(target) = *target else { continue };
            let schedule = schedules.entry(target).or_insert(Schedule {
                total: Decimal::ZERO,
                count: 0,
                first: instalment.origin,
                last: None,
                complete: true,
            });
            schedule.count += 1;
            let Some(data) = &instalment.data else {
                schedule.complete = false;
                continue;
            };
            // Amounts are at most 10^15, so no sum of a file's rows overflows.
            schedule.total += data.amount;
            if schedule.last.is_none_or(|(last, _)| data.due_date >= last) {
                schedule.last = Some((data.due_date, instalment.origin));
            }
        }
        schedules
    }

    /// Reports an invoice whose instalments do not add up to its amount, or
    /// that has more instalments than a `u16` can number.
    fn check_schedule(&self, target: usize, schedule: &Schedule, sink: &mut ErrorSink) {
        let invoice = &self.rows.invoices[target];
        let column = &self.manifest.instalments.amount.name;
        if u16::try_from(schedule.count).is_err() {
            let message = format!(
                "invoice `{}` has {} instalments, more than {}",
                invoice.id,
                schedule.count,
                u16::MAX
            );
            let help = "split the invoice into several invoices";
            let error = self.error(
                LedgerErrorKind::Inconsistent,
                schedule.first,
                column,
                message,
            );
            sink.push(error.with_help(help));
        }
        let Some(data) = invoice.data.as_ref().filter(|_| schedule.complete) else {
            return; // a bad cell is reported on its own row
        };
        if schedule.total == data.amount {
            return;
        }
        let cells = self.manifest.cells();
        let message = format!(
            "the instalments of invoice `{}` add up to {}, but its amount is {}",
            invoice.id,
            cells.write_decimal(schedule.total),
            cells.write_decimal(data.amount)
        );
        let help = "the instalments of an invoice must add up exactly to its amount; correct an \
                    instalment or the invoice amount";
        let error = self.error(
            LedgerErrorKind::Inconsistent,
            schedule.first,
            column,
            message,
        );
        sink.push(error.with_help(help));
    }

    /// Reports a due date that an invoice row gives, from its due date cell
    /// or its terms, and that is not the due date of its last instalment.
    fn check_due_date(&self, target: usize, schedule: &Schedule, sink: &mut ErrorSink) {
        let invoice = &self.rows.invoices[target];
        let (Some(data), Some((last, last_origin))) = (&invoice.data, schedule.last) else {
            return; // a bad cell is reported on its own row
        };
        let Some(due) = data.due.filter(|due| due.date != last && schedule.complete) else {
            return;
        };
        let map = &self.manifest.invoices;
        let cells = self.manifest.cells();
        let (due_date, last) = (cells.write_date(due.date), cells.write_date(last));
        let instalment = format!(
            "its last instalment, on line {} of {}, is due on `{last}`",
            last_origin.line,
            file_name(&self.manifest.instalments.file.path)
        );
        let (column, message, empty) = match (due.from_terms, data.terms.is_some()) {
            (true, _) => (
                &map.terms.name,
                format!(
                    "the terms of `{}` give the due date `{due_date}`, but {instalment}",
                    invoice.id
                ),
                format!("`{}`", map.terms.name),
            ),
            (false, true) => (
                &map.due_date.name,
                format!(
                    "the due date of `{}` is `{due_date}`, but {instalment}",
                    invoice.id
                ),
                format!("`{}` and `{}`", map.due_date.name, map.terms.name),
            ),
            (false, false) => (
                &map.due_date.name,
                format!(
                    "the due date of `{}` is `{due_date}`, but {instalment}",
                    invoice.id
                ),
                format!("`{}`", map.due_date.name),
            ),
        };
        let help = format!(
            "an invoice paid in instalments falls due as a whole on its last instalment's \
             date, `{last}`: correct the invoice or its instalments, or empty {empty} so \
             that the instalments give every due date"
        );
        let error = self.error(
            LedgerErrorKind::Inconsistent,
            invoice.origin,
            column,
            message,
        );
        sink.push(error.with_help(help));
    }

    /// Reports each invoice row whose due date and terms cells are both
    /// empty and that has no instalments to give its due date.
    fn check_undated(&self, schedules: &IdMap<usize, Schedule>, sink: &mut ErrorSink) {
        for (index, row) in self.rows.invoices.iter().enumerate() {
            if let Some(error) = &row.undated
                && !schedules.contains_key(&index)
            {
                sink.push(error.as_ref().clone());
            }
        }
    }
}
