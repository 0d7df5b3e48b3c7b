import Events
import Foundation
import GRDB
import Money

extension InvoicingDatabase {
    /// What credit checks and the outstanding report need: how sent quotes count.
    public struct ExposureSettings: Sendable, Hashable {
        /// Whether sent quotes still valid count in exposure (key `exposure.quotes`). Default:
        /// false: only what the customer committed to (orders) and owes (invoices) counts.
        public var includeSentQuotes: Bool

        public init(includeSentQuotes: Bool = false) {
            self.includeSentQuotes = includeSentQuotes
        }
    }

    /// The customer's current exposure, one ``CreditExposure/Breakdown`` per currency with
    /// anything open, sorted by currency code.
    static func exposureBreakdown(customerId: String, settings: ExposureSettings, today: CalendarDate, _ db: Database) throws -> [CreditExposure.Breakdown] {
        func sums(_ sql: String, _ arguments: StatementArguments) throws -> [String: Int64] {
            var result: [String: Int64] = [:]
            for row in try Row.fetchAll(db.cachedStatement(sql: sql), arguments: arguments) {
                let currency: String = row[0]
                let sum: Int64 = row[1]
                result[currency] = sum
            }
            return result
        }
        let invoices = try sums("""
            SELECT currency, SUM(open_minor) FROM invoice
            WHERE customer_id = ? AND status IN ('open', 'partiallyPaid') GROUP BY currency
            """, [customerId])
        let orders = try sums("""
            SELECT currency, SUM(MAX(total_minor - invoiced_minor, 0)) FROM sales_order
            WHERE customer_id = ? AND status IN ('open', 'partlyInvoiced') GROUP BY currency
            """, [customerId])
        let quotes = settings.includeSentQuotes ? try sums("""
            SELECT currency, SUM(total_minor) FROM quote
            WHERE customer_id = ? AND status = 'sent' AND valid_until >= ? GROUP BY currency
            """, [customerId, today.description]) : [:]
        let credit = try sums("""
            SELECT currency, SUM(open_minor) FROM credit_item WHERE customer_id = ? AND open_minor > 0 GROUP BY currency
            """, [customerId])
        let codes = Set(invoices.keys).union(orders.keys).union(quotes.keys).union(credit.keys).sorted()
        return try codes.map { code in
            let currency = try Currency(code: code)
            func money(_ sums: [String: Int64]) -> Money { Money(minorUnits: sums[code] ?? 0, currency: currency) }
            return try CreditExposure.Breakdown(
                openInvoices: money(invoices), uninvoicedOrders: money(orders),
                sentQuotes: settings.includeSentQuotes ? money(quotes) : nil, unappliedCredit: money(credit))
        }
    }

    /// What a credit check decided for a quote acceptance or an order.
    enum CreditDecision: Sendable {
        /// Within the limit, no limit, another currency than the limit's, or policy `allow`.
        case proceed
        /// Over the limit under `warn`: go on, with these figures (the event is written).
        case warned(ExposureCheck)
        /// Over the limit under `block`: create nothing (the event is written); 409 after commit.
        case blocked(ExposureCheck)
    }

    /// Checks whether `amount` more would take the customer above its credit limit and, when
    /// it would, publishes `customer.exposure-exceeded` according to its ``CreditPolicy``.
    /// - Parameters:
    ///   - documentType: `quote` or `order`, for the event.
    ///   - documentId: The quote's id, or the id the order gets if it is created.
    func creditCheck(customerId: String, amount: Money, documentType: String, documentNumber: String, documentId: String?,
                     settings: ExposureSettings, today: CalendarDate, _ db: Database) throws -> CreditDecision {
        guard let row = try Row.fetchOne(db, sql: """
            SELECT number, currency, credit_limit_minor, json_extract(CAST(details AS TEXT), '$.creditPolicy') AS policy
            FROM customer WHERE id = ?
            """, arguments: [customerId]),
            let limitMinor = row["credit_limit_minor"] as Int64?
        else { return .proceed }
        let limit = Money(minorUnits: limitMinor, currency: try Currency(code: row["currency"]))
        let policy = (row["policy"] as String?).flatMap(CreditPolicy.init(rawValue:)) ?? .warn
        // Other currencies are never converted: they do not count against the limit.
        guard amount.currency == limit.currency, policy != .allow else { return .proceed }
        let current = try Self.exposureBreakdown(customerId: customerId, settings: settings, today: today, db)
            .first { $0.currency == limit.currency }
        let before = current?.exposure ?? .zero(limit.currency)
        let (afterMinor, overflow) = before.minorUnits.addingReportingOverflow(amount.minorUnits)
        guard overflow || afterMinor > limit.minorUnits else { return .proceed }
        let after = Money(minorUnits: overflow ? Int64.max : afterMinor, currency: limit.currency)
        let check = ExposureCheck(creditLimit: limit, exposureBefore: before, amount: amount, exposureAfter: after, policy: policy)
        try enqueue(CustomerExposureExceeded(
            customerId: customerId, customerNumber: row["number"], creditLimit: limit, exposureBefore: before, amount: amount,
            exposureAfter: after, policy: policy.rawValue, outcome: policy == .block ? "refused" : "accepted",
            documentType: documentType, documentNumber: documentNumber,
            // A refused direct order is never created: no id to name.
            documentId: policy == .block && documentType == "order" ? nil : documentId), db)
        return policy == .block ? .blocked(check) : .warned(check)
    }
}
