import Events
import Foundation
import Money

/// How a customer (or the whole portfolio) pays, as of a day: the figures the scenario
/// scheduler tightens dunning on.
///
/// Two kinds of items count:
/// - **paid** invoices, paid in full in the 12 months up to `asOf` (paid date after
///   `asOf − 12 months`, up to and including `asOf`), weighted by the amount paid;
/// - **overdue open** items on `asOf` (due before `asOf`, still open), weighted by their open
///   amount, whatever their age: a customer who never pays is measured too.
///
/// Per item: days late = paid date − due date for a paid invoice (0 when paid on time or
/// early), `asOf` − due date for an overdue open item (its days delinquent so far); days to
/// pay = paid date − issue date (0 at least).
///
/// Per currency (amounts are never converted), amount-weighted averages Σ(amount × days) / Σ
/// amount: ``Figures/averageDaysLateTenths`` over paid and overdue items together,
/// ``Figures/averageDaysDelinquentTenths`` over overdue items, ``Figures/averageDaysToPayTenths``
/// over paid ones. The headline figures combine the currencies by item count (each currency's
/// average weighs as many items as it counts); with one currency they are its figures.
///
/// Averages are fixed-point: integer tenths of a day, rounded half away from zero, computed
/// exactly on integers (`Double` only in the ``averageDaysLate``-style accessors).
public struct PaymentBehaviour: Hashable, Sendable, Codable {
    /// Invoices paid in full, one or several sharing the same dates and currency.
    public struct Paid: Hashable, Sendable {
        /// The day the invoice was issued.
        public var issueDate: CalendarDate
        /// The day it was due.
        public var dueDate: CalendarDate
        /// The day it was paid in full.
        public var paidOn: CalendarDate
        /// The amount paid (the sum over ``count`` invoices): the item's weight.
        public var amount: Money
        /// How many invoices the item stands for.
        public var count: Int

        /// Creates a paid item.
        public init(issueDate: CalendarDate, dueDate: CalendarDate, paidOn: CalendarDate, amount: Money, count: Int = 1) {
            self.issueDate = issueDate
            self.dueDate = dueDate
            self.paidOn = paidOn
            self.amount = amount
            self.count = count
        }
    }

    /// Open amounts, one invoice or several sharing the same due date and currency.
    public struct Open: Hashable, Sendable {
        /// The day it was due.
        public var dueDate: CalendarDate
        /// The amount still open (the sum over ``count`` invoices): the item's weight.
        public var openAmount: Money
        /// How many invoices the item stands for.
        public var count: Int

        /// Creates an open item.
        public init(dueDate: CalendarDate, openAmount: Money, count: Int = 1) {
            self.dueDate = dueDate
            self.openAmount = openAmount
            self.count = count
        }
    }

    /// The figures of one currency.
    public struct Figures: Hashable, Sendable, Codable {
        /// The currency of every amount in the row.
        public let currency: Currency
        /// Invoices paid in full in the window.
        public internal(set) var paidCount: Int
        /// Of those, the ones paid after their due date.
        public internal(set) var paidLateCount: Int
        /// Open items overdue on the as-of day.
        public internal(set) var overdueCount: Int
        /// The amount paid on the invoices of ``paidCount``.
        public internal(set) var paidAmount: Money
        /// The amount open on the items of ``overdueCount``.
        public internal(set) var overdueAmount: Money
        /// Amount-weighted days late over paid and overdue items, in tenths of a day; 0 without items.
        public internal(set) var averageDaysLateTenths: Int
        /// Amount-weighted days delinquent of the overdue items, in tenths of a day; 0 without any.
        public internal(set) var averageDaysDelinquentTenths: Int
        /// Amount-weighted days from issue to payment of the paid invoices, in tenths of a day;
        /// `nil` when none was paid in the window.
        public internal(set) var averageDaysToPayTenths: Int?
    }

    /// The day the figures are measured on.
    public let asOf: CalendarDate
    /// One row per currency with paid or overdue items, by currency code.
    public let byCurrency: [Figures]

    /// Measures paid and overdue items as of a day.
    /// - Parameters:
    ///   - asOf: The report day: the last day of the paid window, the day delinquency is measured to.
    ///   - paid: Fully paid invoices; those paid outside the window, and amounts of zero or
    ///     less, are ignored.
    ///   - open: Open items; those not overdue on `asOf` (due on or after it), and amounts of
    ///     zero or less (credits), are ignored.
    /// - Throws: `InvoicingError` `.overflow` when an average does not fit 64 bits.
    public init(asOf: CalendarDate, paid: some Sequence<Paid>, open: some Sequence<Open>) throws(InvoicingError) {
        let windowStart = asOf.adding(months: -12) // excluded
        var sums: [Currency: Sums] = [:]
        for item in paid where item.paidOn > windowStart && item.paidOn <= asOf && item.amount.isPositive && item.count > 0 {
            let late = max(item.paidOn.days(from: item.dueDate), 0)
            let toPay = max(item.paidOn.days(from: item.issueDate), 0)
            let weight = Int128(item.amount.minorUnits)
            sums[item.amount.currency, default: Sums()].addPaid(weight: weight, daysLate: late, daysToPay: toPay, count: item.count)
        }
        for item in open where item.dueDate < asOf && item.openAmount.isPositive && item.count > 0 {
            let delinquent = asOf.days(from: item.dueDate)
            sums[item.openAmount.currency, default: Sums()].addOverdue(weight: Int128(item.openAmount.minorUnits), days: delinquent, count: item.count)
        }
        var rows: [Figures] = []
        for (currency, sum) in sums.sorted(by: { $0.key.code < $1.key.code }) {
            rows.append(try sum.figures(currency))
        }
        self.asOf = asOf
        self.byCurrency = rows
    }

    // MARK: Headline figures, all currencies

    /// Invoices paid in full in the window.
    public var paidCount: Int { byCurrency.reduce(0) { $0 + $1.paidCount } }
    /// Of those, the ones paid after their due date.
    public var paidLateCount: Int { byCurrency.reduce(0) { $0 + $1.paidLateCount } }
    /// Open items overdue on the as-of day.
    public var overdueCount: Int { byCurrency.reduce(0) { $0 + $1.overdueCount } }

    /// Days late over paid and overdue items, in tenths of a day; 0 without items.
    public var averageDaysLateTenths: Int {
        Self.countWeighted(byCurrency.map { ($0.averageDaysLateTenths, $0.paidCount + $0.overdueCount) }) ?? 0
    }

    /// Days delinquent of the overdue items, in tenths of a day; 0 without any.
    public var averageDaysDelinquentTenths: Int {
        Self.countWeighted(byCurrency.map { ($0.averageDaysDelinquentTenths, $0.overdueCount) }) ?? 0
    }

    /// Days from issue to payment, in tenths of a day; `nil` when nothing was paid in the window.
    public var averageDaysToPayTenths: Int? {
        Self.countWeighted(byCurrency.compactMap { row in row.averageDaysToPayTenths.map { ($0, row.paidCount) } })
    }

    /// ``averageDaysLateTenths`` in days.
    public var averageDaysLate: Double { Double(averageDaysLateTenths) / 10 }
    /// ``averageDaysDelinquentTenths`` in days.
    public var averageDaysDelinquent: Double { Double(averageDaysDelinquentTenths) / 10 }
    /// ``averageDaysToPayTenths`` in days.
    public var averageDaysToPay: Double? { averageDaysToPayTenths.map { Double($0) / 10 } }

    /// The share of items that are late, 0...1, by count: (paid late + overdue) / (paid +
    /// overdue); 0 without items.
    public var shareLate: Double {
        let items = paidCount + overdueCount
        return items == 0 ? 0 : Double(paidLateCount + overdueCount) / Double(items)
    }

    // MARK: Arithmetic

    /// Σ(value × count) / Σ count, rounded half away from zero; `nil` when no count.
    static func countWeighted(_ values: [(tenths: Int, count: Int)]) -> Int? {
        var numerator: Int128 = 0
        var denominator: Int128 = 0
        for value in values where value.count > 0 {
            numerator += Int128(value.tenths) * Int128(value.count)
            denominator += Int128(value.count)
        }
        guard denominator > 0 else { return nil }
        return InvoiceLine.roundedQuotient(numerator, denominator).map { Int($0) }
    }

    /// Running sums of one currency, exact on 128-bit integers.
    private struct Sums {
        var paidCount = 0
        var paidLateCount = 0
        var overdueCount = 0
        var paidWeight: Int128 = 0
        var overdueWeight: Int128 = 0
        var paidDaysLate: Int128 = 0 // Σ amount × days late
        var paidDaysToPay: Int128 = 0 // Σ amount × days to pay
        var overdueDays: Int128 = 0 // Σ amount × days delinquent

        mutating func addPaid(weight: Int128, daysLate: Int, daysToPay: Int, count: Int) {
            paidCount += count
            if daysLate > 0 { paidLateCount += count }
            paidWeight += weight
            paidDaysLate += weight * Int128(daysLate)
            paidDaysToPay += weight * Int128(daysToPay)
        }

        mutating func addOverdue(weight: Int128, days: Int, count: Int) {
            overdueCount += count
            overdueWeight += weight
            overdueDays += weight * Int128(days)
        }

        func figures(_ currency: Currency) throws(InvoicingError) -> Figures {
            func tenths(_ numerator: Int128, _ denominator: Int128) throws(InvoicingError) -> Int {
                guard denominator > 0 else { return 0 }
                guard let value = InvoiceLine.roundedQuotient(numerator * 10, denominator) else {
                    throw InvoicingError(.overflow, "payment behaviour averages exceed the representable range")
                }
                return Int(value)
            }
            func money(_ weight: Int128) throws(InvoicingError) -> Money {
                guard let minorUnits = Int64(exactly: weight) else {
                    throw InvoicingError(.overflow, "payment behaviour amounts exceed the representable range")
                }
                return Money(minorUnits: minorUnits, currency: currency)
            }
            var toPay: Int?
            if paidCount > 0 { toPay = try tenths(paidDaysToPay, paidWeight) }
            return Figures(
                currency: currency, paidCount: paidCount, paidLateCount: paidLateCount, overdueCount: overdueCount,
                paidAmount: try money(paidWeight), overdueAmount: try money(overdueWeight),
                averageDaysLateTenths: try tenths(paidDaysLate + overdueDays, paidWeight + overdueWeight),
                averageDaysDelinquentTenths: try tenths(overdueDays, overdueWeight),
                averageDaysToPayTenths: toPay)
        }
    }
}
