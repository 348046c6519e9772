//! Totals over all clients and the portfolio's DSO and collection KPIs.

use rust_decimal::Decimal;

use super::allocation::Allocation;
use super::collection::{average_days_delinquent, collection_effectiveness};
use super::dso::PortfolioSales;
use super::{Aging, ClientMetrics, MetricsError, MetricsRequest, compute_into};
use crate::ledger::{ClientId, Ledger};

/// Receivables totals over a set of clients, in the policy's currency.
///
/// Totals add up with [`PortfolioMetrics::add`] and
/// [`PortfolioMetrics::merge`] in any order, so clients can be computed in
/// parallel and their totals merged afterwards. The ratios that do not add
/// up (DSO, best possible DSO, average days delinquent and CEI) are set from
/// the final totals by [`PortfolioMetrics::compute_kpis`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PortfolioMetrics {
    pub clients: u32,
    pub receivables: Decimal,
    /// Open orders dated on or before the as-of date.
    pub orders: Decimal,
    /// Receivables plus orders.
    pub exposure: Decimal,
    pub overdue: Decimal,
    pub credit_balance: Decimal,
    pub aging: Aging,
    pub open_invoices: u32,
    pub overdue_invoices: u32,
    /// Days past due of the oldest overdue item of any client.
    pub oldest_overdue_days: i64,
    /// Receivables at the day before the first CEI period of the request
    /// starts.
    pub cei_beginning_receivables: Decimal,
    /// Invoice amounts dated in that period.
    pub cei_credit_sales: Decimal,
    /// Count-back DSO of the total receivables against every client's sales.
    /// `None` until [`PortfolioMetrics::compute_kpis`] sets it.
    pub dso: Option<Decimal>,
    /// Count-back DSO of the total current receivables against the same
    /// sales. `None` until [`PortfolioMetrics::compute_kpis`] sets it.
    pub best_possible_dso: Option<Decimal>,
    /// `dso` − `best_possible_dso`, in days.
    pub average_days_delinquent: Option<Decimal>,
    /// Collection effectiveness index of the totals, as a fraction.
    pub cei: Option<Decimal>,
}

impl PortfolioMetrics {
    /// Adds one client's figures to the totals.
    pub fn add(&mut self, client: &ClientMetrics) {
        self.clients = self.clients.saturating_add(1);
        self.receivables = self.receivables.saturating_add(client.receivables);
        self.orders = self.orders.saturating_add(client.orders);
        self.exposure = self.exposure.saturating_add(client.exposure);
        self.overdue = self.overdue.saturating_add(client.overdue);
        self.credit_balance = self.credit_balance.saturating_add(client.credit_balance);
        self.aging.merge(&client.aging);
        self.open_invoices = self.open_invoices.saturating_add(client.open_invoices);
        self.overdue_invoices = self
            .overdue_invoices
            .saturating_add(client.overdue_invoices);
        self.oldest_overdue_days = self.oldest_overdue_days.max(client.oldest_overdue_days);
        if let Some(period) = client.cei_periods.first() {
            self.cei_beginning_receivables = self
                .cei_beginning_receivables
                .saturating_add(period.beginning_receivables);
            self.cei_credit_sales = self.cei_credit_sales.saturating_add(period.credit_sales);
        }
    }

    /// Adds the totals of another set of clients. Leaves the DSO and the
    /// collection KPIs alone, because they do not add up and need the merged
    /// totals.
    pub fn merge(&mut self, other: &PortfolioMetrics) {
        self.clients = self.clients.saturating_add(other.clients);
        self.receivables = self.receivables.saturating_add(other.receivables);
        self.orders = self.orders.saturating_add(other.orders);
        self.exposure = self.exposure.saturating_add(other.exposure);
        self.overdue = self.overdue.saturating_add(other.overdue);
        self.credit_balance = self.credit_balance.saturating_add(other.credit_balance);
        self.aging.merge(&other.aging);
        self.open_invoices = self.open_invoices.saturating_add(other.open_invoices);
        self.overdue_invoices = self.overdue_invoices.saturating_add(other.overdue_invoices);
        self.oldest_overdue_days = self.oldest_overdue_days.max(other.oldest_overdue_days);
        self.cei_beginning_receivables = self
            .cei_beginning_receivables
            .saturating_add(other.cei_beginning_receivables);
        self.cei_credit_sales = self.cei_credit_sales.saturating_add(other.cei_credit_sales);
    }

    /// overdue ÷ exposure as a fraction, 0 when exposure is 0.
    pub fn overdue_ratio(&self) -> Decimal {
        self.overdue
            .checked_div(self.exposure)
            .unwrap_or(Decimal::ZERO)
    }

    /// Sets the DSO, best possible DSO, average days delinquent and CEI from
    /// the totals, counting back against every client's sales in `ledger`.
    /// Call it once every client is added or merged.
    ///
    /// Fails with [`MetricsError::MissingRate`] when an invoice dated on or
    /// before the as-of date is in a currency without a rate.
    pub fn compute_kpis(
        &mut self,
        ledger: &Ledger,
        request: &MetricsRequest,
    ) -> Result<(), MetricsError> {
        let sales = PortfolioSales::new(ledger, request)?;
        self.dso = sales.count_back(self.receivables);
        self.best_possible_dso = sales.count_back(self.aging.current);
        self.average_days_delinquent = average_days_delinquent(self.dso, self.best_possible_dso);

        self.cei = collection_effectiveness(
            self.cei_beginning_receivables,
            self.cei_credit_sales,
            request.cei_periods.first().copied().unwrap_or(0),
            self.receivables,
            self.aging.current,
        );
        Ok(())
    }
}

/// Computes every client's metrics for `request` and returns their totals
/// with the portfolio's DSO and collection KPIs. The lateness windows of
/// the request are not needed and are skipped.
///
/// Fails with the first client's [`MetricsError`], in client order.
pub fn portfolio(
    ledger: &Ledger,
    request: &MetricsRequest,
) -> Result<PortfolioMetrics, MetricsError> {
    let request = MetricsRequest {
        lateness_windows: Vec::new(),
        ..request.clone()
    };
    let mut totals = PortfolioMetrics::default();
    let mut metrics = ClientMetrics::default();
    let mut allocation = Allocation::new();

    for client in client_ids(ledger) {
        compute_into(&mut metrics, &mut allocation, ledger, client, &request)?;
        totals.add(&metrics);
    }

    totals.compute_kpis(ledger, &request)?;
    Ok(totals)
}

/// Computes the count-back DSO of the whole ledger at the request's as-of
/// date: all clients' receivables against all clients' sales.
pub fn portfolio_dso(
    ledger: &Ledger,
    request: &MetricsRequest,
) -> Result<Option<Decimal>, MetricsError> {
    let mut receivables = Decimal::ZERO;
    let mut allocation = Allocation::new();

    for client in client_ids(ledger) {
        allocation.allocate(ledger, client, request.as_of, &request.conversion)?;
        receivables = receivables.saturating_add(allocation.receivables());
    }

    let sales = PortfolioSales::new(ledger, request)?;
    Ok(sales.count_back(receivables))
}

fn client_ids(ledger: &Ledger) -> impl Iterator<Item = ClientId> {
    (0..ledger.clients.len()).map_while(|index| ClientId::try_from(index).ok())
}
