import Events
import Foundation
import GRDB
import Money

extension InvoicingDatabase {
    /// What one customer owes as of a day (default: today in the customer's time zone).
    ///
    /// Balances are the current ones for invoices issued on or before `asOf` and not yet
    /// closed; aging is measured from their due dates to `asOf`. Also: exposure against the
    /// credit limit (``CreditExposure``), payment behaviour (``PaymentBehaviour``) and the
    /// customer's DSO per currency (``DaysSalesOutstanding``).
    /// - Throws: `InvoicingError` `.notFound`.
    /// - Parameter settings: Whether sent quotes count in ``Outstanding/exposure``.
    public func outstanding(customerId: String, asOf: CalendarDate? = nil, settings: ExposureSettings = .init()) async throws -> Outstanding {
        let now = self.now()
        return try await writer.read { db in
            guard let customer = try Self.fetchCustomer(id: customerId, db) else {
                throw InvoicingError(.notFound, "no customer with id \(customerId)")
            }
            let day = asOf ?? CalendarDate(date: now, in: customer.details.timeZone.timeZone)
            let open = try Self.openItems(asOf: day, customerId: customerId, db)
            var result = Outstanding(
                asOf: day, customerId: customerId, aging: open.aging, openInvoiceCount: open.count, credit: customer.credit,
                creditLimit: customer.details.creditLimit, creditExposure: nil, exposureOutsideLimit: nil, creditLimitUsagePercent: nil,
                creditLimitExceeded: customer.creditLimitExceeded,
                paymentBehaviour: try Self.behaviour(asOf: day, paid: Self.paidInvoices(asOf: day, customerId: customerId, db), overdue: open.overdue),
                daysSalesOutstanding: try Self.daysSalesOutstanding(asOf: day, customerId: customerId, receivables: open.aging, db))
            if let limit = customer.details.creditLimit {
                let exposures = try Self.exposures(aging: open.aging, credit: customer.credit, limit: limit)
                result.creditExposure = exposures.limit.exposure
                result.exposureOutsideLimit = exposures.others
                result.creditLimitUsagePercent = exposures.limit.usagePerMille.map { Double($0) / 10 }
            }
            let today = CalendarDate(date: now, in: customer.details.timeZone.timeZone)
            result.exposure = try Self.exposureBreakdown(customerId: customerId, settings: settings, today: today, db)
            return result
        }
    }

    /// What the whole portfolio is owed as of a day (default: today in the business time
    /// zone), with payment behaviour and DSO.
    /// - Parameters:
    ///   - asOf: The day to compute for; `nil` for today.
    ///   - businessTimeZone: Where "today" is read for portfolio figures (setting
    ///     `business.timezone`, ``InvoicingAPI/Configuration/businessTimeZone``). Default:
    ///     Europe/Paris.
    public func portfolioOutstanding(asOf: CalendarDate? = nil, businessTimeZone: TimeZoneIdentifier = .paris) async throws -> Outstanding {
        let day = asOf ?? CalendarDate(date: now(), in: businessTimeZone.timeZone)
        return try await writer.read { db in
            let open = try Self.openItems(asOf: day, customerId: nil, db)
            let credit = try Row.fetchAll(db, sql: "SELECT currency, SUM(open_minor) AS total FROM credit_item WHERE open_minor > 0 GROUP BY currency ORDER BY currency")
                .map { Money(minorUnits: $0["total"], currency: try Currency(code: $0["currency"])) }
            return Outstanding(
                asOf: day, customerId: nil, aging: open.aging, openInvoiceCount: open.count, credit: credit,
                creditLimit: nil, creditExposure: nil, exposureOutsideLimit: nil, creditLimitUsagePercent: nil, creditLimitExceeded: nil,
                paymentBehaviour: try Self.behaviour(asOf: day, paid: Self.paidInvoices(asOf: day, customerId: nil, db), overdue: open.overdue),
                daysSalesOutstanding: try Self.daysSalesOutstanding(asOf: day, customerId: nil, receivables: open.aging, db))
        }
    }

    /// The exposure in the limit's currency and, separately, in every other currency with an
    /// open balance or credit (open − credit, never converted).
    static func exposures(aging: [AgingReport.Buckets], credit: [Money], limit: Money) throws(InvoicingError) -> (limit: CreditExposure, others: [Money]) {
        func open(_ currency: Currency) -> Money {
            aging.first { $0.currency == currency }?.totalOpen ?? .zero(currency)
        }
        func credited(_ currency: Currency) -> Money {
            credit.first { $0.currency == currency } ?? .zero(currency)
        }
        let inLimitCurrency = try CreditExposure(limit: limit, open: open(limit.currency), unappliedCredit: credited(limit.currency))
        let others = Set(aging.map(\.currency) + credit.map(\.currency)).subtracting([limit.currency])
        var result: [Money] = []
        for currency in others.sorted(by: { $0.code < $1.code }) {
            let exposure = try CreditExposure(limit: nil, open: open(currency), unappliedCredit: credited(currency)).exposure
            if !exposure.isZero { result.append(exposure) }
        }
        return (inLimitCurrency, result)
    }

    /// The open items as of a day, in one pass over the open invoices (the covering index
    /// `invoice_open_by_customer` for a customer) grouped by currency and due date: the aging
    /// buckets (``AgingReport`` boundaries: ≤ 0 days late is not due, then 1-30, 31-60, 61-90,
    /// over 90) and the overdue items of the payment behaviour (positive open amounts due
    /// before `day`).
    static func openItems(asOf day: CalendarDate, customerId: String?, _ db: Database) throws
        -> (aging: [AgingReport.Buckets], count: Int, overdue: [PaymentBehaviour.Open])
    {
        // Grouped by due date, so dates are compared once per distinct due date, not per row
        // (julianday() on 10,000 rows cost more than the rest together).
        let sql = """
            SELECT currency, due_date, COUNT(*) AS count, SUM(open_minor) AS total,
                SUM(open_minor > 0) AS positive_count, SUM(MAX(open_minor, 0)) AS positive
            FROM invoice
            WHERE \(customerId == nil ? "" : "customer_id = ?2 AND ")status IN ('open', 'partiallyPaid')
                AND open_minor != 0 AND issue_date <= ?1
            GROUP BY currency, due_date
            """
        var arguments: StatementArguments = [day.description]
        if let customerId { _ = arguments.append(contentsOf: [customerId]) }
        var byCurrency: [Currency: AgingReport.Buckets] = [:]
        var overdue: [PaymentBehaviour.Open] = []
        var count = 0
        for row in try Row.fetchAll(db.cachedStatement(sql: sql), arguments: arguments) {
            let currency = try Currency(code: row["currency"])
            let due = try CalendarDate(iso8601: row["due_date"])
            let groupCount: Int = row["count"]
            let daysOverdue = day.days(from: due)
            var buckets = byCurrency[currency] ?? AgingReport.Buckets(currency: currency)
            do {
                try buckets.add(Money(minorUnits: row["total"], currency: currency), daysOverdue: daysOverdue, count: groupCount)
            } catch {
                throw InvoicingError(error)
            }
            byCurrency[currency] = buckets
            count += groupCount
            let positiveCount: Int = row["positive_count"]
            if daysOverdue > 0 && positiveCount > 0 {
                overdue.append(PaymentBehaviour.Open(dueDate: due, openAmount: Money(minorUnits: row["positive"], currency: currency), count: positiveCount))
            }
        }
        let aging = byCurrency.values.sorted { $0.currency.code < $1.currency.code }
        return (aging, count, overdue)
    }

    /// Invoices paid in full in the 12 months up to `day`, grouped by currency and dates.
    static func paidInvoices(asOf day: CalendarDate, customerId: String?, _ db: Database) throws -> [PaymentBehaviour.Paid] {
        let sql = paidSQL(forOneCustomer: customerId != nil)
        var arguments: StatementArguments = [day.adding(months: -12).description, day.description]
        if let customerId { _ = arguments.append(contentsOf: [customerId]) }
        var paid: [PaymentBehaviour.Paid] = []
        for row in try Row.fetchAll(db.cachedStatement(sql: sql), arguments: arguments) {
            paid.append(PaymentBehaviour.Paid(
                issueDate: try CalendarDate(iso8601: row["issue_date"]), dueDate: try CalendarDate(iso8601: row["due_date"]),
                paidOn: try CalendarDate(iso8601: row["paid_on"]),
                amount: Money(minorUnits: row["paid"], currency: try Currency(code: row["currency"])), count: row["count"]))
        }
        return paid
    }

    /// The invoices of a currency issued in the 24 months up to `day`, as sales for DSO,
    /// summed per issue day: total − credited. Cancelled (voided) invoices were never sales and
    /// are left out; fully credited ones (also `cancelled`, with credited = total) stay as zero
    /// net sales in their month.
    ///
    /// One query per currency with receivables (usually one): grouping by the issue day alone
    /// sorts less than grouping by currency too, which is most of the query's cost.
    static func sales(in currency: Currency, asOf day: CalendarDate, customerId: String?, _ db: Database) throws -> [DaysSalesOutstanding.Invoiced] {
        let sql = salesSQL(forOneCustomer: customerId != nil)
        var arguments: StatementArguments = [currency.code, day.adding(months: -24).description, day.description]
        if let customerId { _ = arguments.append(contentsOf: [customerId]) }
        return try Row.fetchAll(db.cachedStatement(sql: sql), arguments: arguments).map { row in
            DaysSalesOutstanding.Invoiced(
                issueDate: try CalendarDate(iso8601: row["issue_date"]),
                total: Money(minorUnits: row["total"], currency: currency), credited: Money(minorUnits: row["credited"], currency: currency))
        }
    }

    /// The query of ``sales(in:asOf:customerId:_:)``: for one customer (`?4`) the covering
    /// index `invoice_history_by_customer` answers it without reading the table.
    static func salesSQL(forOneCustomer: Bool) -> String {
        """
        SELECT issue_date, SUM(total_minor) AS total, SUM(credited_minor) AS credited FROM invoice
        WHERE currency = ?1 AND issue_date > ?2 AND issue_date <= ?3 \(forOneCustomer ? "AND customer_id = ?4" : "")
            AND (status != 'cancelled' OR credited_minor >= total_minor)
        GROUP BY issue_date
        """
    }

    /// The query of ``paidInvoices(asOf:customerId:_:)``: for one customer (`?3`) the covering
    /// index `invoice_history_by_customer` answers it without reading the table.
    static func paidSQL(forOneCustomer: Bool) -> String {
        """
        SELECT currency, issue_date, due_date, paid_on, COUNT(*) AS count, SUM(paid_minor) AS paid FROM invoice
        WHERE paid_on IS NOT NULL AND paid_on > ?1 AND paid_on <= ?2 AND paid_minor > 0 \(forOneCustomer ? "AND customer_id = ?3" : "")
        GROUP BY currency, issue_date, due_date, paid_on
        """
    }

    /// Payment behaviour as of a day from the paid and overdue items.
    static func behaviour(asOf day: CalendarDate, paid: [PaymentBehaviour.Paid], overdue: [PaymentBehaviour.Open]) throws -> Outstanding.Behaviour {
        let behaviour = try PaymentBehaviour(asOf: day, paid: paid, open: overdue)
        func days(_ tenths: Int) -> Double { Double(tenths) / 10 }
        return Outstanding.Behaviour(
            paidInvoices: behaviour.paidCount, paidLate: behaviour.paidLateCount, overdueInvoices: behaviour.overdueCount,
            averageDaysLate: behaviour.averageDaysLate, averageDaysDelinquent: behaviour.averageDaysDelinquent,
            averageDaysToPay: behaviour.averageDaysToPay, shareLate: (behaviour.shareLate * 1000).rounded() / 1000,
            byCurrency: behaviour.byCurrency.map { row in
                Outstanding.CurrencyBehaviour(
                    currency: row.currency, paidInvoices: row.paidCount, paidLate: row.paidLateCount, overdueInvoices: row.overdueCount,
                    paidAmount: row.paidAmount, overdueAmount: row.overdueAmount, averageDaysLate: days(row.averageDaysLateTenths),
                    averageDaysDelinquent: days(row.averageDaysDelinquentTenths), averageDaysToPay: row.averageDaysToPayTenths.map(days))
            })
    }

    /// DSO (countback on net sales, ``sales(in:asOf:customerId:_:)``) per currency of
    /// `receivables`.
    static func daysSalesOutstanding(
        asOf day: CalendarDate, customerId: String?, receivables: [AgingReport.Buckets], _ db: Database
    ) throws -> [Outstanding.DSO] {
        try receivables.map { bucket in
            let sales = try Self.sales(in: bucket.currency, asOf: day, customerId: customerId, db)
            let dso = try DaysSalesOutstanding(receivables: bucket.totalOpen, asOf: day, invoices: sales)
            return Outstanding.DSO(currency: bucket.currency, days: dso.days, receivables: bucket.totalOpen)
        }
    }
}
