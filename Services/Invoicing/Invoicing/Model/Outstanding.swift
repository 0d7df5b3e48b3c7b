import Events
import Money

/// What is owed, as of a day: aging per currency, credit-limit use and payment behaviour.
public struct Outstanding: Codable, Sendable, Hashable {
    public var asOf: CalendarDate
    /// `nil` for the whole portfolio.
    public var customerId: String?
    /// Aging buckets per currency (not due, 1-30, 31-60, 61-90, over 90 days).
    public var aging: [AgingReport.Buckets]
    /// Invoices open on `asOf`.
    public var openInvoiceCount: Int
    /// Customer credit from overpayments, per currency.
    public var credit: [Money]
    public var creditLimit: Money?
    /// Open balance in the limit's currency over the limit, in percent (e.g. 85.5).
    public var creditLimitUsagePercent: Double?
    public var creditLimitExceeded: Bool?
    /// Payment behaviour over the 12 months before `asOf`.
    public var paymentBehaviour: Behaviour
    /// Days sales outstanding (countback), per currency; portfolio only.
    public var daysSalesOutstanding: [DSO]?

    /// Payment behaviour figures.
    public struct Behaviour: Codable, Sendable, Hashable {
        public var paidInvoices: Int
        public var paidLate: Int
        public var averageDaysLate: Double
        /// Share of paid invoices paid after their due date, 0...1.
        public var shareLate: Double
    }

    /// DSO in one currency.
    public struct DSO: Codable, Sendable, Hashable {
        public var currency: Currency
        public var days: Double
        public var receivables: Money
    }
}
