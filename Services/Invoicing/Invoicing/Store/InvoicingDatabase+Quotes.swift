import Events
import Foundation
import GRDB
import Money
import ServiceKit
import Storage

extension InvoicingDatabase {
    /// Drafts a quote for a customer or a prospect and publishes `quote.created`. Payment terms
    /// default to the customer's, the late-payment terms to its contractual rate (or the legal
    /// default); terms beyond the French legal maximum give a `paymentTermsExceedLegalMaximum`
    /// warning, as on invoices.
    /// - Throws: `InvoicingError` `.notFound` (`customerNumber`), `.duplicateNumber`, or a
    ///   validation code of ``QuoteDraft/validated()``.
    public func createQuote(_ draft: QuoteDraft) async throws -> Quote {
        let (checked, totals) = try draft.validated()
        let now = self.now()
        let id = TimeOrderedID.make()
        return try await write { db in
            guard let customer = try Self.issuingCustomer(number: checked.customerNumber, db) else {
                throw InvoicingError(.notFound, "no customer or prospect with number '\(checked.customerNumber)'", field: "customerNumber")
            }
            guard checked.currency == totals.gross.currency else {
                throw InvoicingError(.currencyMismatch, "the lines are not in \(checked.currency.code)", field: "lines")
            }
            let terms = checked.paymentTerms ?? customer.terms
            let warning = LegalPaymentTermsCap.warning(issuedOn: checked.issueDate, dueOn: terms.dueDate(issuedOn: checked.issueDate))
            let quote = Quote(
                id: id, number: checked.number, customerId: customer.id, customerNumber: customer.snapshot.customerNumber, status: .draft,
                issueDate: checked.issueDate, validUntil: checked.validUntil, currency: checked.currency, lines: checked.lines,
                netAmount: totals.net, vatAmount: totals.vat, totalAmount: totals.gross, paymentTerms: terms.description,
                latePaymentTerms: .forCustomer(contractualRateBasisPoints: checked.lateInterestRateBasisPoints ?? customer.lateInterestRateBasisPoints),
                warnings: warning.map { [$0] }, note: checked.note, orderId: nil, sentAt: nil, closedAt: nil, createdAt: now, updatedAt: now)
            try Self.translateUniqueViolation("quote", number: quote.number, field: "number") {
                try db.execute(sql: """
                    INSERT INTO quote (id, number, customer_id, status, currency, valid_until, total_minor, document, created_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [id, quote.number, quote.customerId, quote.status.rawValue, quote.currency.code,
                                     quote.validUntil.description, quote.totalAmount.minorUnits, try EventJSON.encode(quote), Self.timestamp(now)])
            }
            try enqueue(QuoteCreated(
                customerId: quote.customerId, customerNumber: quote.customerNumber, quoteId: id, number: quote.number,
                issueDate: quote.issueDate, validUntil: quote.validUntil, netAmount: quote.netAmount, vatAmount: quote.vatAmount,
                totalAmount: quote.totalAmount, paymentTerms: quote.paymentTerms, latePaymentTerms: quote.latePaymentTerms,
                warnings: quote.warnings), db)
            return quote
        }
    }

    /// Marks a draft quote sent and publishes `quote.sent`.
    /// - Throws: `InvoicingError` `.notFound`; `.invalidState` when it is not a draft, or its
    ///   validity has passed (it becomes `expired`).
    public func sendQuote(id: String) async throws -> Quote {
        try await changeQuote(id: id, allowed: [.draft], action: "sent") { quote, _, db in
            quote.status = .sent
            quote.sentAt = self.now()
            try self.enqueue(QuoteSent(customerId: quote.customerId, quoteId: quote.id, number: quote.number, validUntil: quote.validUntil), db)
            return nil
        }.quote
    }

    /// Records the customer's refusal and publishes `quote.refused`.
    /// - Throws: `InvoicingError` `.notFound`; `.invalidState` when it is not sent, or has expired.
    public func refuseQuote(id: String, reason: String?) async throws -> Quote {
        try await changeQuote(id: id, allowed: [.sent], action: "refused") { quote, _, db in
            quote.status = .refused
            quote.closedAt = self.now()
            try self.enqueue(QuoteRefused(customerId: quote.customerId, quoteId: quote.id, number: quote.number, reason: reason), db)
            return nil
        }.quote
    }

    /// Accepts a sent quote: creates its order (`origin` `quote`, same lines; number: the one
    /// given, else the quote's) and publishes `quote.accepted` and `order.created`, after a
    /// credit check (``CreditPolicy``).
    /// - Parameters:
    ///   - orderNumber: The order's number; default the quote's number.
    ///   - customerReference: The customer's purchase order number.
    ///   - settings: How sent quotes count in exposure.
    /// - Throws: `InvoicingError` `.notFound`; `.invalidState` when the quote is not sent, its
    ///   validity has passed (it becomes `expired`, `quote.expired` is published) or the
    ///   customer is a prospect; `.creditLimitExceeded` under the `block` policy (with the
    ///   figures; `customer.exposure-exceeded` is published); `.duplicateNumber` (`orderNumber`).
    public func acceptQuote(id: String, orderNumber: String? = nil, customerReference: String? = nil,
                            settings: ExposureSettings = .init()) async throws -> (quote: Quote, order: Order) {
        let number = try orderNumber.map { try CustomerDraft.identifier($0, field: "orderNumber", maximumLength: InvoiceDraft.maximumNumberLength) }
        if let customerReference {
            try InputLimits.check(customerReference, atMost: InvoiceDraft.maximumOrderReferenceLength, field: "customerReference", "the customer's reference")
        }
        let reference = CustomerDraft.blankToNil(customerReference)
        let orderId = TimeOrderedID.make()
        let result = try await changeQuote(id: id, allowed: [.sent], action: "accepted") { quote, today, db in
            try Self.requireSigned(customerId: quote.customerId, number: quote.customerNumber, db)
            let orderNumber = number ?? quote.number
            switch try self.creditCheck(customerId: quote.customerId, amount: quote.totalAmount, documentType: "quote",
                                        documentNumber: quote.number, documentId: quote.id, settings: settings, today: today, db) {
            case .blocked(let check):
                return .blocked(check)
            case .warned(let check):
                let order = try self.insertOrder(id: orderId, number: orderNumber, customerId: quote.customerId, customerNumber: quote.customerNumber,
                                                 origin: .quote, quoteId: quote.id, orderDate: today, lines: quote.lines, currency: quote.currency,
                                                 customerReference: reference, creditWarning: check, db)
                try self.close(&quote, acceptedWith: order, db)
                return .order(order)
            case .proceed:
                let order = try self.insertOrder(id: orderId, number: orderNumber, customerId: quote.customerId, customerNumber: quote.customerNumber,
                                                 origin: .quote, quoteId: quote.id, orderDate: today, lines: quote.lines, currency: quote.currency,
                                                 customerReference: reference, creditWarning: nil, db)
                try self.close(&quote, acceptedWith: order, db)
                return .order(order)
            }
        }
        switch result.outcome {
        case .order(let order):
            return (result.quote, order)
        case .blocked(let check):
            throw InvoicingError(.creditLimitExceeded, "quote \(result.quote.number) was not accepted: \(check.summary); raise the limit, take a payment, or change the customer's creditPolicy")
        case nil:
            throw InvoicingError(.invalidState, "quote \(result.quote.number) was not accepted")
        }
    }

    private func close(_ quote: inout Quote, acceptedWith order: Order, _ db: Database) throws {
        quote.status = .accepted
        quote.orderId = order.id
        quote.closedAt = now()
        try enqueue(QuoteAccepted(customerId: quote.customerId, quoteId: quote.id, number: quote.number, orderId: order.id,
                                  orderNumber: order.number, totalAmount: quote.totalAmount), db)
    }

    /// What a quote change produced besides the quote.
    enum QuoteOutcome: Sendable {
        case order(Order)
        case blocked(ExposureCheck)
    }

    /// Loads a quote, expires it when its validity passed (committing that, then 409), checks
    /// its status, applies `change` and stores it, in one transaction.
    private func changeQuote(id: String, allowed: Set<QuoteStatus>, action: String,
                             _ change: @escaping @Sendable (inout Quote, CalendarDate, Database) throws -> QuoteOutcome?)
        async throws -> (quote: Quote, outcome: QuoteOutcome?) {
        let result: (quote: Quote, outcome: QuoteOutcome?, expired: Bool) = try await write { db in
            guard var quote = try Self.fetchQuote(id: id, db) else {
                throw InvoicingError(.notFound, "no quote with id \(id)")
            }
            let today = try Self.day(of: self.now(), forCustomer: quote.customerId, db)
            if try self.expireIfDue(&quote, today: today, db) {
                return (quote, nil, true)
            }
            guard allowed.contains(quote.status) else {
                let from = allowed.map(\.rawValue).sorted().joined(separator: " or ")
                throw InvoicingError(.invalidState, "quote \(quote.number) is \(quote.status.rawValue); only a \(from) quote can be \(action)")
            }
            let outcome = try change(&quote, today, db)
            if case .blocked = outcome {
                return (quote, outcome, false)
            }
            quote.updatedAt = self.now()
            try Self.saveQuote(quote, db)
            return (quote, outcome, false)
        }
        if result.expired {
            throw InvoicingError(.invalidState, "quote \(result.quote.number) expired: it was valid until \(result.quote.validUntil); issue a new quote")
        }
        return (result.quote, result.outcome)
    }

    /// Expires a draft or sent quote whose validity has passed on `today` (the customer's day)
    /// and publishes `quote.expired`.
    /// - Returns: Whether it expired now.
    private func expireIfDue(_ quote: inout Quote, today: CalendarDate, _ db: Database) throws -> Bool {
        guard quote.status == .draft || quote.status == .sent, today > quote.validUntil else { return false }
        quote.status = .expired
        quote.closedAt = now()
        quote.updatedAt = now()
        try Self.saveQuote(quote, db)
        try enqueue(QuoteExpired(customerId: quote.customerId, quoteId: quote.id, number: quote.number, validUntil: quote.validUntil), db)
        return true
    }

    /// Expires every draft or sent quote whose validity has passed (each in its customer's
    /// time zone) and publishes `quote.expired` for each: the periodic sweep
    /// (``QuoteExpirySweeper``). Actions on a quote check its validity themselves.
    /// - Returns: How many quotes expired.
    @discardableResult
    public func expireDueQuotes() async throws -> Int {
        try await write { db in
            // A day's margin on the UTC date: the exact check is per customer time zone.
            let candidates = try String.fetchAll(db, sql: """
                SELECT id FROM quote WHERE status IN ('draft', 'sent') AND valid_until < ? ORDER BY valid_until
                """, arguments: [CalendarDate(date: self.now(), in: .gmt).adding(days: 1).description])
            var expired = 0
            for id in candidates {
                guard var quote = try Self.fetchQuote(id: id, db) else { continue }
                if try self.expireIfDue(&quote, today: try Self.day(of: self.now(), forCustomer: quote.customerId, db), db) { expired += 1 }
            }
            return expired
        }
    }

    /// The quote with that id, or `nil`. Its status is the stored one: a quote past its
    /// validity shows `expired` once the sweep or an action found it.
    public func quote(id: String) async throws -> Quote? {
        try await writer.read { db in try Self.fetchQuote(id: id, db) }
    }

    /// Filters for listing quotes; combined with AND.
    public struct QuoteQuery: Sendable, Hashable {
        public var customerId: String?
        public var status: QuoteStatus?

        public init(customerId: String? = nil, status: QuoteStatus? = nil) {
            self.customerId = customerId
            self.status = status
        }
    }

    /// Quotes matching the query, by number, one page at a time.
    /// - Throws: `PageRequest.InvalidCursor` for a cursor this API did not return.
    public func quotes(matching query: QuoteQuery, page: PageRequest) async throws -> Page<Quote> {
        try await documents(in: .quote, customerId: query.customerId, status: query.status?.rawValue, page: page, number: { $0.number })
    }

    static func fetchQuote(id: String, _ db: Database) throws -> Quote? {
        try Data.fetchOne(db, sql: "SELECT document FROM quote WHERE id = ?", arguments: [id]).map { try EventJSON.decode(Quote.self, from: $0) }
    }

    static func saveQuote(_ quote: Quote, _ db: Database) throws {
        try db.execute(sql: "UPDATE quote SET status = ?, document = ? WHERE id = ?",
                       arguments: [quote.status.rawValue, try EventJSON.encode(quote), quote.id])
    }
}
