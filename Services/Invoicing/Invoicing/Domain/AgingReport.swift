import Events
import Foundation
import Money

/// Open amounts by how long they have been overdue, as of a day, one row per currency.
///
/// Days overdue = as-of date − due date. Buckets: `notDue` (0 or less: due today or later),
/// `days1to30`, `days31to60`, `days61to90`, `over90` (91 and more). Amounts are never
/// converted between currencies. Negative open amounts (unallocated credits) are included
/// and reduce their bucket; zero amounts are ignored.
public struct AgingReport: Hashable, Sendable, Codable {
    /// The open amounts of one currency.
    public struct Buckets: Hashable, Sendable, Codable {
        /// The currency of every amount in the row.
        public let currency: Currency
        /// Not yet due (due on or after the as-of date).
        public internal(set) var notDue: Money
        /// 1 to 30 days overdue.
        public internal(set) var days1to30: Money
        /// 31 to 60 days overdue.
        public internal(set) var days31to60: Money
        /// 61 to 90 days overdue.
        public internal(set) var days61to90: Money
        /// 91 days overdue or more.
        public internal(set) var over90: Money
        /// Everything open: the sum of all buckets.
        public internal(set) var totalOpen: Money
        /// Everything overdue: all buckets but ``notDue``.
        public internal(set) var overdue: Money
        /// How many open items the row holds.
        public internal(set) var itemCount: Int

        /// An empty row.
        public init(currency: Currency) {
            let zero = Money.zero(currency)
            self.currency = currency
            notDue = zero
            days1to30 = zero
            days31to60 = zero
            days61to90 = zero
            over90 = zero
            totalOpen = zero
            overdue = zero
            itemCount = 0
        }

        /// Adds `count` open items summing to `amount`, `daysOverdue` days overdue.
        mutating func add(_ amount: Money, daysOverdue: Int, count: Int = 1) throws(MoneyError) {
            switch daysOverdue {
            case ...0: notDue = try notDue.adding(amount)
            case 1...30: days1to30 = try days1to30.adding(amount)
            case 31...60: days31to60 = try days31to60.adding(amount)
            case 61...90: days61to90 = try days61to90.adding(amount)
            default: over90 = try over90.adding(amount)
            }
            totalOpen = try totalOpen.adding(amount)
            if daysOverdue > 0 { overdue = try overdue.adding(amount) }
            itemCount += count
        }
    }

    /// The day the report is computed for.
    public let asOf: CalendarDate
    /// One row per currency that has open items, by currency code.
    public let rows: [Buckets]

    /// Buckets open items as of a day.
    /// - Parameters:
    ///   - asOf: The day to age against (usually today in the creditor's time zone).
    ///   - items: Each open item's due date and open amount.
    /// - Throws: `InvoicingError` `.overflow` when a sum exceeds 64 bits.
    public init(asOf: CalendarDate, items: some Sequence<(dueDate: CalendarDate, openAmount: Money)>) throws(InvoicingError) {
        var byCurrency: [Currency: Buckets] = [:]
        for item in items where !item.openAmount.isZero {
            let currency = item.openAmount.currency
            var row = byCurrency[currency] ?? Buckets(currency: currency)
            do {
                try row.add(item.openAmount, daysOverdue: asOf.days(from: item.dueDate))
            } catch {
                throw InvoicingError(error)
            }
            byCurrency[currency] = row
        }
        self.asOf = asOf
        self.rows = byCurrency.values.sorted { $0.currency.code < $1.currency.code }
    }

    /// The row of a currency, nil when nothing is open in it.
    public subscript(currency: Currency) -> Buckets? {
        rows.first { $0.currency == currency }
    }

    /// Rows keyed by currency.
    public var byCurrency: [Currency: Buckets] {
        Dictionary(uniqueKeysWithValues: rows.map { ($0.currency, $0) })
    }
}
