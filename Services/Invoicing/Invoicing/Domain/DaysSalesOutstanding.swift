import Events
import Foundation
import Money

/// Days sales outstanding by the countback method: how many days of the most recent sales
/// the open receivables represent.
///
/// Method: start from the receivables open at the as-of date. Walk back one calendar month at
/// a time, the current month counting only its days up to the as-of date (and its sales up
/// to that date). While the remaining receivables cover the month's sales, add the month's
/// days and subtract its sales. In the first month they do not cover, add the remaining
/// fraction of that month's sales times its days, and stop.
///
/// Worked example, as of 2025-03-31 with 150 000 open and sales of 100 000 in March,
/// 80 000 in February: March is covered (31 days, 50 000 left), then 50 000 / 80 000 of
/// February's 28 days = 17.5, so DSO = 48.5 days.
///
/// Sales are **net sales**: an invoice's total less what credit notes took off it, counted in
/// the invoice's issue month. A fully credited invoice is a sale of zero in its month: it does
/// not vanish from the history, so the months the walk may cover stay the same whether an
/// invoice was credited or not (``init(receivables:asOf:invoices:)``).
///
/// Unlike the average method (receivables / sales × days), countback follows recent sales, so
/// a seasonal peak does not distort it. If the receivables exceed every month of sales
/// given, the walk stops at the earliest month with sales and the rest is reported in
/// ``unattributed``.
public struct DaysSalesOutstanding: Hashable, Sendable, Codable {
    /// The result in tenths of a day, rounded half away from zero (485 for 48.5 days).
    public let tenthsOfDays: Int
    /// How many months the walk looked at (the current one included).
    public let monthsCounted: Int
    /// Receivables left when no earlier sales remained to explain them; zero normally.
    public let unattributed: Money

    /// The result in days, with one decimal.
    public var days: Double { Double(tenthsOfDays) / 10 }

    /// One invoice as a sale: its gross total and what credit notes took off it.
    public struct Invoiced: Hashable, Sendable {
        /// The day the invoice was issued: the month its sale counts in.
        public var issueDate: CalendarDate
        /// The invoice total, VAT included.
        public var total: Money
        /// The sum of its credit notes (at most ``total``); the whole total when fully credited.
        public var credited: Money

        /// Creates a sale from an invoice.
        public init(issueDate: CalendarDate, total: Money, credited: Money) {
            self.issueDate = issueDate
            self.total = total
            self.credited = credited
        }

        /// Total − credited, never below zero.
        public var netSales: Money {
            Money(minorUnits: max(total.minorUnits - credited.minorUnits, 0), currency: total.currency)
        }
    }

    /// Computes DSO by countback on net sales (total − credited) of invoices.
    /// - Parameters:
    ///   - receivables: Open receivables at the as-of date.
    ///   - asOf: The day the measure is taken.
    ///   - invoices: The invoices issued (cancelled ones left out: they were never sales;
    ///     fully credited ones kept, they are zero net sales), any order; those issued after
    ///     `asOf` are ignored.
    /// - Throws: `InvoicingError` `.currencyMismatch` when an invoice, or its credited amount,
    ///   is not in the receivables' currency; `.overflow` when sums exceed 64 bits.
    public init(receivables: Money, asOf: CalendarDate, invoices: some Sequence<Invoiced>) throws(InvoicingError) {
        var sales: [(issueDate: CalendarDate, amount: Money)] = []
        for invoice in invoices {
            guard invoice.credited.currency == invoice.total.currency else {
                throw InvoicingError(.currencyMismatch,
                                     "an invoice of \(invoice.issueDate) is in \(invoice.total.currency.code) but its credit notes in \(invoice.credited.currency.code)",
                                     field: "invoices")
            }
            sales.append((issueDate: invoice.issueDate, amount: invoice.netSales))
        }
        try self.init(receivables: receivables, asOf: asOf, sales: sales)
    }

    /// Computes DSO by countback.
    /// - Parameters:
    ///   - receivables: Open receivables at the as-of date.
    ///   - asOf: The day the measure is taken.
    ///   - sales: Net sales with their issue dates, any order; those after `asOf` are
    ///     ignored. A sale of zero still marks its month as part of the history.
    /// - Throws: `InvoicingError` `.currencyMismatch` when a sale is not in the receivables'
    ///   currency, `.overflow` when sums exceed 64 bits.
    public init(receivables: Money, asOf: CalendarDate,
                sales: some Sequence<(issueDate: CalendarDate, amount: Money)>) throws(InvoicingError) {
        // Sales per month, keyed by months since year 0 (year × 12 + month − 1).
        var salesByMonth: [Int: Int64] = [:]
        var earliestMonth = Int.max
        for sale in sales where sale.issueDate <= asOf {
            guard sale.amount.currency == receivables.currency else {
                throw InvoicingError(.currencyMismatch,
                                     "a sale on \(sale.issueDate) is in \(sale.amount.currency.code) but receivables are in \(receivables.currency.code); compute DSO per currency",
                                     field: "sales")
            }
            let key = sale.issueDate.year * 12 + sale.issueDate.month - 1
            let (sum, overflow) = salesByMonth[key, default: 0].addingReportingOverflow(sale.amount.minorUnits)
            guard !overflow else { throw InvoicingError(.overflow, "monthly sales exceed the representable range", field: "sales") }
            salesByMonth[key] = sum
            earliestMonth = min(earliestMonth, key)
        }
        var remaining = receivables.minorUnits
        var tenths: Int64 = 0
        var months = 0
        var monthKey = asOf.year * 12 + asOf.month - 1
        var monthStart = asOf.startOfMonth
        var isCurrentMonth = true
        while remaining > 0 && monthKey >= earliestMonth {
            let days = isCurrentMonth ? asOf.day : monthStart.daysInMonth
            let monthSales = salesByMonth[monthKey] ?? 0
            months += 1
            if remaining >= monthSales {
                tenths += Int64(days) * 10
                remaining -= monthSales
            } else {
                let fraction = Int128(remaining) * Int128(days) * 10
                tenths += InvoiceLine.roundedQuotient(fraction, Int128(monthSales)) ?? 0
                remaining = 0
            }
            isCurrentMonth = false
            monthStart = monthStart.adding(months: -1)
            monthKey -= 1
        }
        self.tenthsOfDays = Int(tenths)
        self.monthsCounted = months
        self.unattributed = Money(minorUnits: max(remaining, 0), currency: receivables.currency)
    }
}
