//! Holds and promises: each names a known client and, optionally, one of
//! that client's invoices.

use crate::ledger::IdMap;

use super::{Applied, Linker};
use crate::ledger::error::ErrorSink;
use crate::ledger::model::{ClientId, RowOrigin};

/// The clients and invoices of a file's rows, `None` where a link is broken.
type ClientLinks = (Vec<Option<ClientId>>, Vec<Option<Option<usize>>>);

impl Linker<'_> {
    pub(super) fn holds(&self, ids: &IdMap<&str, usize>, sink: &mut ErrorSink) -> ClientLinks {
        let map = &self.manifest.holds;
        let holds = self.rows.holds.iter();
        let links = holds.map(|hold| {
            let row = Named {
                what: "hold",
                client: &hold.client,
                invoice: hold.invoice.as_deref(),
                origin: hold.origin,
            };
            let client = self.client(row.client, row.origin, &map.client.name, row.what, sink);
            let invoice = self.optional_invoice(&row, ids, &map.invoice.name, sink);
            (client, invoice)
        });
        links.unzip()
    }

    pub(super) fn promises(&self, ids: &IdMap<&str, usize>, sink: &mut ErrorSink) -> ClientLinks {
        let map = &self.manifest.promises;
        let promises = self.rows.promises.iter();
        let links = promises.map(|promise| {
            let row = Named {
                what: "promise",
                client: &promise.client,
                invoice: promise.invoice.as_deref(),
                origin: promise.origin,
            };
            let client = self.client(row.client, row.origin, &map.client.name, row.what, sink);
            let invoice = self.optional_invoice(&row, ids, &map.invoice.name, sink);
            if let Some(Some(target)) = invoice {
                let applied = Applied {
                    what: row.what,
                    rule: "a promise covers only an invoice in its own currency",
                    instead: "empty the invoice cell for a promise on the client's balance",
                    currency: promise.data.as_ref().and_then(|data| data.currency),
                    origin: row.origin,
                    column: &map.currency.name,
                };
                self.check_currency(&applied, target, sink);
            }
            (client, invoice)
        });
        links.unzip()
    }

    /// Links the invoice a row names: `Some(None)` when it names none,
    /// `None` after reporting a broken reference.
    fn optional_invoice(
        &self,
        row: &Named,
        ids: &IdMap<&str, usize>,
        column: &str,
        sink: &mut ErrorSink,
    ) -> Option<Option<usize>> {
        let Some(invoice) = row.invoice else {
            return Some(None);
        };
        self.invoice(invoice, ids, row.client, row.origin, column, sink)
            .map(Some)
    }
}

/// A row that names a client and perhaps one of its invoices.
struct Named<'a> {
    /// The row's kind, for messages: "hold".
    what: &'a str,
    client: &'a str,
    invoice: Option<&'a str>,
    origin: RowOrigin,
}
