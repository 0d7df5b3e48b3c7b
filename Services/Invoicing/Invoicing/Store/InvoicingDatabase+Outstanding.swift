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
    public func outstanding(customerId: String, asOf: CalendarDate? = nil) async throws -> Outstanding {
        let now = self.now()
        return try await writer.read { db in
            guard let customer = try Self.fetchCustomer(id: customerId, db) else {
                throw InvoicingError(.notFound, "no customer with id \(customerId)")
            }
            let day = asOf ?? CalendarDate(date: now, in: customer.details.timeZone.timeZone)
            let aging = try Self.aging(asOf: day, customerId: customerId, db)
            var result = Outstanding(
                asOf: day, customerId: customerId, aging: aging.rows, openInvoiceCount: aging.count, credit: customer.credit,
                creditLimit: customer.details.creditLimit, creditExposure: nil, exposureOutsideLimit: nil, creditLimitUsagePercent: nil,
                creditLimitExceeded: customer.creditLimitExceeded,
                paymentBehaviour: try Self.behaviour(asOf: day, customerId: customerId, db),
                daysSalesOutstanding: try Self.daysSalesOutstanding(asOf: day, customerId: customerId, receivables: aging.rows, db))
            if let limit = customer.details.creditLimit {
                let exposures = try Self.exposures(aging: aging.rows, credit: customer.credit, limit: limit)
                result.creditExposure = exposures.limit.exposure
                result.exposureOutsideLimit = exposures.others
                result.creditLimitUsagePercent = exposures.limit.usagePerMille.map { Double($0) / 10 }
            }
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
            let aging = try Self.aging(asOf: day, customerId: nil, db)
            let credit = try Row.fetchAll(db, sql: "SELECT currency, SUM(amount_minor) AS total FROM customer_credit GROUP BY currency HAVING total != 0 ORDER BY currency")
                .map { Money(minorUnits: $0["total"], currency: try Currency(code: $0["currency"])) }
            return Outstanding(
                asOf: day, customerId: nil, aging: aging.rows, openInvoiceCount: aging.count, credit: credit,
                creditLimit: nil, creditExposure: nil, exposureOutsideLimit: nil, creditLimitUsagePercent: nil, creditLimitExceeded: nil,
                paymentBehaviour: try Self.behaviour(asOf: day, customerId: nil, db),
                daysSalesOutstanding: try Self.daysSalesOutstanding(asOf: day, customerId: nil, receivables: aging.rows, db))
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

    /// Aging buckets per currency, summed by SQLite in one pass over the open invoices (the
    /// same boundaries as `AgingReport`: ≤ 0 days late is not due, then 1-30, 31-60, 61-90,
    /// over 90).
    static func aging(asOf day: CalendarDate, customerId: String?, _ db: Database) throws -> (rows: [AgingReport.Buckets], count: Int) {
        // Buckets by comparing ISO dates as text against precomputed boundaries: no date
        // arithmetic per row (julianday() on 10,000 rows cost more than the rest together).
        let sql = """
            SELECT currency, COUNT(*) AS count, SUM(open_minor) AS total,
                SUM(CASE WHEN due_date >= ?1 THEN open_minor ELSE 0 END) AS not_due,
                SUM(CASE WHEN due_date < ?1 AND due_date >= ?2 THEN open_minor ELSE 0 END) AS d30,
                SUM(CASE WHEN due_date < ?2 AND due_date >= ?3 THEN open_minor ELSE 0 END) AS d60,
                SUM(CASE WHEN due_date < ?3 AND due_date >= ?4 THEN open_minor ELSE 0 END) AS d90,
                SUM(CASE WHEN due_date < ?4 THEN open_minor ELSE 0 END) AS over90
            FROM invoice
            WHERE \(customerId == nil ? "" : "customer_id = ?5 AND ")status IN ('open', 'partiallyPaid')
                AND open_minor != 0 AND issue_date <= ?1
            GROUP BY currency ORDER BY currency
            """
        var arguments: StatementArguments = [
            day.description, day.adding(days: -30).description, day.adding(days: -60).description, day.adding(days: -90).description,
        ]
        if let customerId { _ = arguments.append(contentsOf: [customerId]) }
        var rows: [AgingReport.Buckets] = []
        var count = 0
        for row in try Row.fetchAll(db.cachedStatement(sql: sql), arguments: arguments) {
            let currency = try Currency(code: row["currency"])
            func money(_ column: String) -> Money { Money(minorUnits: row[column], currency: currency) }
            var buckets = AgingReport.Buckets(currency: currency)
            buckets.notDue = money("not_due")
            buckets.days1to30 = money("d30")
            buckets.days31to60 = money("d60")
            buckets.days61to90 = money("d90")
            buckets.over90 = money("over90")
            buckets.totalOpen = money("total")
            buckets.overdue = Money(minorUnits: (row["total"] as Int64) - (row["not_due"] as Int64), currency: currency)
            buckets.itemCount = row["count"]
            count += buckets.itemCount
            rows.append(buckets)
        }
        return (rows, count)
    }

    /// Payment behaviour as of a day: invoices paid in the 12 months up to it (grouped by
    /// currency and dates) and the items overdue on it (the aging's open items, grouped by
    /// currency and due date).
    static func behaviour(asOf day: CalendarDate, customerId: String?, _ db: Database) throws -> Outstanding.Behaviour {
        let since = day.adding(months: -12)
        let customerFilter = customerId == nil ? "" : "AND customer_id = ?3"
        var arguments: StatementArguments = [since.description, day.description]
        if let customerId { _ = arguments.append(contentsOf: [customerId]) }
        var paid: [PaymentBehaviour.Paid] = []
        for row in try Row.fetchAll(db.cachedStatement(sql: """
            SELECT currency, issue_date, due_date, paid_on, COUNT(*) AS count, SUM(paid_minor) AS paid FROM invoice
            WHERE paid_on IS NOT NULL AND paid_on > ?1 AND paid_on <= ?2 AND paid_minor > 0 \(customerFilter)
            GROUP BY currency, issue_date, due_date, paid_on
            """), arguments: arguments) {
            paid.append(PaymentBehaviour.Paid(
                issueDate: try CalendarDate(iso8601: row["issue_date"]), dueDate: try CalendarDate(iso8601: row["due_date"]),
                paidOn: try CalendarDate(iso8601: row["paid_on"]),
                amount: Money(minorUnits: row["paid"], currency: try Currency(code: row["currency"])), count: row["count"]))
        }
        var overdue: [PaymentBehaviour.Open] = []
        for row in try Row.fetchAll(db.cachedStatement(sql: """
            SELECT currency, due_date, COUNT(*) AS count, SUM(open_minor) AS open FROM invoice
            WHERE status IN ('open', 'partiallyPaid') AND open_minor > 0 AND issue_date <= ?2 AND due_date < ?2 \(customerFilter)
            GROUP BY currency, due_date
            """), arguments: arguments) {
            overdue.append(PaymentBehaviour.Open(
                dueDate: try CalendarDate(iso8601: row["due_date"]),
                openAmount: Money(minorUnits: row["open"], currency: try Currency(code: row["currency"])), count: row["count"]))
        }
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

    /// DSO per currency of `receivables`, on net sales (total − credited) of the invoices
    /// issued in the 24 months up to `day`. Cancelled invoices were never sales and are left
    /// out; fully credited ones (also `cancelled`, but with credited = total) stay as zero net
    /// sales in their month.
    static func daysSalesOutstanding(asOf day: CalendarDate, customerId: String?, receivables: [AgingReport.Buckets], _ db: Database) throws -> [Outstanding.DSO] {
        let since = day.adding(months: -24)
        var result: [Outstanding.DSO] = []
        for bucket in receivables {
            var arguments: StatementArguments = [bucket.currency.code, since.description, day.description]
            if let customerId { _ = arguments.append(contentsOf: [customerId]) }
            let rows = try Row.fetchAll(db.cachedStatement(sql: """
                SELECT issue_date, SUM(total_minor) AS total, SUM(credited_minor) AS credited FROM invoice
                WHERE currency = ?1 AND issue_date > ?2 AND issue_date <= ?3 \(customerId == nil ? "" : "AND customer_id = ?4")
                    AND (status != 'cancelled' OR credited_minor >= total_minor)
                GROUP BY issue_date
                """), arguments: arguments)
            var invoices: [DaysSalesOutstanding.Invoiced] = []
            for row in rows {
                invoices.append(DaysSalesOutstanding.Invoiced(
                    issueDate: try CalendarDate(iso8601: row["issue_date"]),
                    total: Money(minorUnits: row["total"], currency: bucket.currency),
                    credited: Money(minorUnits: row["credited"], currency: bucket.currency)))
            }
            let dso = try DaysSalesOutstanding(receivables: bucket.totalOpen, asOf: day, invoices: invoices)
            result.append(Outstanding.DSO(currency: bucket.currency, days: dso.days, receivables: bucket.totalOpen))
        }
        return result
    }
}
