import Events
import Foundation
import GRDB
import Money

extension InvoicingDatabase {
    /// What one customer owes as of a day (default: today in the customer's time zone).
    ///
    /// Balances are the current ones for invoices issued on or before `asOf` and not yet
    /// closed; aging is measured from their due dates to `asOf`.
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
                creditLimit: customer.details.creditLimit, creditLimitUsagePercent: nil,
                creditLimitExceeded: customer.creditLimitExceeded,
                paymentBehaviour: try Self.behaviour(asOf: day, customerId: customerId, db), daysSalesOutstanding: nil)
            if let limit = customer.details.creditLimit, limit.isPositive {
                let open = aging.rows.first { $0.currency == limit.currency }?.totalOpen.minorUnits ?? 0
                result.creditLimitUsagePercent = (Double(open) / Double(limit.minorUnits) * 1000).rounded() / 10
            }
            return result
        }
    }

    /// What the whole portfolio is owed as of a day (default: today, UTC), with DSO.
    public func portfolioOutstanding(asOf: CalendarDate? = nil) async throws -> Outstanding {
        let day = asOf ?? CalendarDate(date: now(), in: .gmt)
        return try await writer.read { db in
            let aging = try Self.aging(asOf: day, customerId: nil, db)
            let credit = try Row.fetchAll(db, sql: "SELECT currency, SUM(amount_minor) AS total FROM customer_credit GROUP BY currency HAVING total != 0 ORDER BY currency")
                .map { Money(minorUnits: $0["total"], currency: try Currency(code: $0["currency"])) }
            return Outstanding(
                asOf: day, customerId: nil, aging: aging.rows, openInvoiceCount: aging.count, credit: credit,
                creditLimit: nil, creditLimitUsagePercent: nil, creditLimitExceeded: nil,
                paymentBehaviour: try Self.behaviour(asOf: day, customerId: nil, db),
                daysSalesOutstanding: try Self.daysSalesOutstanding(asOf: day, receivables: aging.rows, db))
        }
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

    static func behaviour(asOf day: CalendarDate, customerId: String?, _ db: Database) throws -> Outstanding.Behaviour {
        let since = day.adding(months: -12)
        let sql = """
            SELECT due_date, paid_on FROM invoice
            WHERE paid_on IS NOT NULL AND paid_on > ? AND paid_on <= ? \(customerId == nil ? "" : "AND customer_id = ?")
            """
        var arguments: StatementArguments = [since.description, day.description]
        if let customerId { _ = arguments.append(contentsOf: [customerId]) }
        var payments: [(dueDate: CalendarDate, paidOn: CalendarDate)] = []
        for row in try Row.fetchAll(db, sql: sql, arguments: arguments) {
            payments.append((dueDate: try CalendarDate(iso8601: row["due_date"]), paidOn: try CalendarDate(iso8601: row["paid_on"])))
        }
        let behaviour = PaymentBehaviour(asOf: day, payments: payments)
        return Outstanding.Behaviour(
            paidInvoices: behaviour.paidCount, paidLate: behaviour.paidLateCount,
            averageDaysLate: (behaviour.averageDaysLate * 10).rounded() / 10, shareLate: (behaviour.shareLate * 1000).rounded() / 1000)
    }

    static func daysSalesOutstanding(asOf day: CalendarDate, receivables: [AgingReport.Buckets], _ db: Database) throws -> [Outstanding.DSO] {
        let since = day.adding(months: -24)
        var result: [Outstanding.DSO] = []
        for bucket in receivables {
            let rows = try Row.fetchAll(db, sql: """
                SELECT issue_date, SUM(total_minor) AS total FROM invoice
                WHERE currency = ? AND issue_date > ? AND issue_date <= ? AND status != 'cancelled'
                GROUP BY issue_date
                """, arguments: [bucket.currency.code, since.description, day.description])
            var sales: [(issueDate: CalendarDate, amount: Money)] = []
            for row in rows {
                let total: Int64 = row["total"]
                sales.append((issueDate: try CalendarDate(iso8601: row["issue_date"]), amount: Money(minorUnits: total, currency: bucket.currency)))
            }
            let dso = try DaysSalesOutstanding(receivables: bucket.totalOpen, asOf: day, sales: sales)
            result.append(Outstanding.DSO(currency: bucket.currency, days: dso.days, receivables: bucket.totalOpen))
        }
        return result
    }
}
