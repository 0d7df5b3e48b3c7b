import Events
import Money

/// What is owed, as of a day: aging per currency, credit-limit use, payment behaviour and DSO.
///
/// Averages of days and percentages are JSON numbers with one decimal (computed as integer
/// tenths, see ``PaymentBehaviour`` and ``DaysSalesOutstanding``); amounts are ``Money``.
public struct Outstanding: Codable, Sendable, Hashable {
    /// The day the report is computed for: the one asked, or today (the customer's time zone
    /// for a customer, the business time zone for the portfolio).
    public var asOf: CalendarDate
    /// `nil` for the whole portfolio.
    public var customerId: String?
    /// Aging buckets per currency (not due, 1-30, 31-60, 61-90, over 90 days).
    public var aging: [AgingReport.Buckets]
    /// Invoices open on `asOf`.
    public var openInvoiceCount: Int
    /// Customer credit from overpayments, per currency.
    public var credit: [Money]
    /// The customer's credit limit, in its currency; customer only.
    public var creditLimit: Money?
    /// What counts against the limit: open balance in the limit's currency − unapplied credit
    /// in it (``CreditExposure``); customer with a limit only.
    public var creditExposure: Money?
    /// Open balance − unapplied credit in each other currency with something owed or
    /// credited: reported as is, never converted, never counted against the limit; customer
    /// with a limit only.
    public var exposureOutsideLimit: [Money]?
    /// ``creditExposure`` over the limit, in percent with one decimal (e.g. 85.5); absent
    /// without a positive limit.
    public var creditLimitUsagePercent: Double?
    /// The customer's current exposure per currency, each shown, never converted: open
    /// invoices + orders not invoiced yet (+ sent quotes when `exposure.quotes` is on) −
    /// unapplied credit (``CreditExposure/Breakdown``). What quote acceptance and order
    /// creation are checked against; ``creditExposure`` (invoices only) is what the
    /// credit-limit flag follows. Customer only; current, whatever `asOf`.
    public var exposure: [CreditExposure.Breakdown]?
    /// Whether the customer is flagged over its limit; customer only.
    public var creditLimitExceeded: Bool?
    /// Payment behaviour: paid invoices of the 12 months before `asOf` and items overdue on it.
    public var paymentBehaviour: Behaviour
    /// Days sales outstanding (countback on net sales), per currency with open receivables:
    /// the customer's own for a customer, the portfolio's for the portfolio.
    public var daysSalesOutstanding: [DSO]?

    /// Payment behaviour figures (``PaymentBehaviour``): amount-weighted within a currency,
    /// the headline combining currencies by item count.
    public struct Behaviour: Codable, Sendable, Hashable {
        /// Invoices paid in full in the 12 months up to `asOf`.
        public var paidInvoices: Int
        /// Of those, the ones paid after their due date.
        public var paidLate: Int
        /// Open items overdue on `asOf`.
        public var overdueInvoices: Int
        /// Days late over paid invoices (paid − due, 0 if on time) and overdue items (`asOf` −
        /// due), amount-weighted: what the scenario scheduler tightens on.
        public var averageDaysLate: Double
        /// Days overdue of the overdue items, measured to `asOf`, amount-weighted; 0 without any.
        public var averageDaysDelinquent: Double
        /// Days from issue to payment of the paid invoices, amount-weighted; absent when none
        /// was paid in the window.
        public var averageDaysToPay: Double?
        /// Share of paid and overdue items that are late, by count, 0...1.
        public var shareLate: Double
        /// The same figures per currency, with the amounts weighed.
        public var byCurrency: [CurrencyBehaviour]
    }

    /// Payment behaviour in one currency.
    public struct CurrencyBehaviour: Codable, Sendable, Hashable {
        /// The currency of the amounts.
        public var currency: Currency
        /// Invoices paid in full in the window.
        public var paidInvoices: Int
        /// Of those, the ones paid late.
        public var paidLate: Int
        /// Open items overdue on `asOf`.
        public var overdueInvoices: Int
        /// The amount paid on those invoices.
        public var paidAmount: Money
        /// The amount open on the overdue items.
        public var overdueAmount: Money
        /// Amount-weighted days late over paid and overdue items.
        public var averageDaysLate: Double
        /// Amount-weighted days delinquent of the overdue items.
        public var averageDaysDelinquent: Double
        /// Amount-weighted days to pay; absent when nothing was paid.
        public var averageDaysToPay: Double?
    }

    /// DSO in one currency.
    public struct DSO: Codable, Sendable, Hashable {
        /// The currency of the receivables and sales.
        public var currency: Currency
        /// Days, one decimal.
        public var days: Double
        /// The receivables open on `asOf`.
        public var receivables: Money
    }
}
