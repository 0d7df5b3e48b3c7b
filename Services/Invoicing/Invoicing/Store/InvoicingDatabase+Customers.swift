import Events
import Foundation
import GRDB
import Money
import ServiceKit
import Storage

extension InvoicingDatabase {
    /// Registers a customer (or a prospect) and publishes `customer.registered`. Each contact
    /// gets a new time-ordered id.
    /// - Parameter relationship: `prospect` for a company not signed yet (never invoiced).
    /// - Throws: `InvoicingError` `.duplicateNumber` or a validation code; `.invalidField`
    ///   (`contacts[i].id`) when a contact names an id (a new customer has no contacts yet).
    public func registerCustomer(_ draft: CustomerDraft, relationship: CustomerRelationship = .customer) async throws -> Customer {
        var validated = try draft.validated()
        validated.contacts = try ContactIdentity.assigningIDs(to: validated.contacts, stored: [])
        let details = validated
        let id = TimeOrderedID.make()
        let now = self.now()
        var customer = Customer(id: id, details: details, credit: [], creditLimitExceeded: false, createdAt: now, updatedAt: now)
        customer.relationship = relationship
        let registered = customer
        try await write { db in
            try Self.translateUniqueViolation("customer", number: details.customerNumber, field: "customerNumber") {
                try Self.insert(registered, db)
            }
            try enqueue(CustomerRegistered(customer: registered.snapshot, customerVersion: registered.version), db)
        }
        return registered
    }

    /// Replaces a customer's details (the number included) and publishes `customer.updated`
    /// naming the fields that changed. Nothing is published when nothing changed.
    ///
    /// Contacts keep their ids: each given contact is matched with a stored one by `id`, then
    /// `externalReference`, then e-mail, phone or name (``ContactIdentity``); unmatched ones
    /// get a new id, stored contacts not given any more are removed.
    /// - Throws: `InvoicingError` `.notFound`, `.duplicateNumber` or a validation code;
    ///   `.invalidField` (`contacts[i].id`) for a contact id the customer does not have.
    public func updateCustomer(id: String, _ draft: CustomerDraft) async throws -> Customer {
        let validated = try draft.validated()
        let now = self.now()
        return try await write { db in
            guard var customer = try Self.fetchCustomer(id: id, db) else {
                throw InvoicingError(.notFound, "no customer with id \(id)")
            }
            var details = validated
            details.contacts = try ContactIdentity.assigningIDs(to: validated.contacts, stored: customer.details.contacts)
            let changed = Self.changedFields(from: customer.details, to: details)
            guard !changed.isEmpty else { return customer }
            customer.details = details
            customer.updatedAt = now
            customer.version += 1
            try Self.translateUniqueViolation("customer", number: details.customerNumber, field: "customerNumber") {
                try db.execute(sql: """
                    UPDATE customer SET number = ?, legal_name = ?, segment = ?, risk_category = ?, strategic = ?, tags = ?,
                        time_zone = ?, currency = ?, payment_terms = ?, credit_limit_minor = ?, details = ?, updated_at = ?,
                        version = ?
                    WHERE id = ?
                    """, arguments: Self.columns(of: details) + [Self.timestamp(now), customer.version, id])
            }
            try enqueue(CustomerUpdated(customer: customer.snapshot, changedFields: changed, customerVersion: customer.version), db)
            if changed.contains("autoApplyCredit") && details.autoApplyCredit {
                // Turned on: the credit the customer already holds goes to its open invoices now.
                try autoApplyCredit(customerId: id, currency: nil, day: Self.day(of: now, forCustomer: id, db), db)
            }
            try checkCreditLimit(customerId: id, db)
            return try Self.fetchCustomer(id: id, db) ?? customer
        }
    }

    /// The customer with that id, or `nil`.
    public func customer(id: String) async throws -> Customer? {
        try await writer.read { db in try Self.fetchCustomer(id: id, db) }
    }

    /// The customer with that number, or `nil`.
    public func customer(number: String) async throws -> Customer? {
        try await writer.read { db in
            guard let id = try String.fetchOne(db, sql: "SELECT id FROM customer WHERE number = ?", arguments: [number]) else { return nil }
            return try Self.fetchCustomer(id: id, db)
        }
    }

    /// Filters for listing customers; all optional and combined with AND.
    public struct CustomerQuery: Sendable, Hashable {
        /// Part of the legal name or of the number, case-insensitive.
        public var text: String?
        public var segment: String?
        public var riskCategory: RiskCategory?
        public var tag: String?

        public init(text: String? = nil, segment: String? = nil, riskCategory: RiskCategory? = nil, tag: String? = nil) {
            self.text = text
            self.segment = segment
            self.riskCategory = riskCategory
            self.tag = tag
        }
    }

    /// Customers matching the query, ordered by number, one page at a time.
    /// - Throws: `InvoicingError` `.invalidField` for a cursor this API did not return.
    public func customers(matching query: CustomerQuery, page: PageRequest) async throws -> Page<Customer> {
        let after = try page.decodedCursor()
        return try await writer.read { db in
            var conditions: [String] = []
            var arguments: StatementArguments = []
            if let after {
                conditions.append("number > ?")
                _ = arguments.append(contentsOf: [after])
            }
            if let text = query.text, !text.isEmpty {
                conditions.append("(legal_name LIKE ? ESCAPE '\\' OR number LIKE ? ESCAPE '\\')")
                let pattern = "%" + Self.escapeLike(text) + "%"
                _ = arguments.append(contentsOf: [pattern, pattern])
            }
            if let segment = query.segment {
                conditions.append("segment = ?")
                _ = arguments.append(contentsOf: [segment])
            }
            if let risk = query.riskCategory {
                conditions.append("risk_category = ?")
                _ = arguments.append(contentsOf: [risk.rawValue])
            }
            if let tag = query.tag {
                conditions.append("tags LIKE ? ESCAPE '\\'")
                _ = arguments.append(contentsOf: ["%|" + Self.escapeLike(tag) + "|%"])
            }
            let whereClause = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
            _ = arguments.append(contentsOf: [page.limit + 1])
            let ids = try String.fetchAll(db, sql: "SELECT id FROM customer \(whereClause) ORDER BY number LIMIT ?", arguments: arguments)
            var customers = try ids.prefix(page.limit).compactMap { try Self.fetchCustomer(id: $0, db) }
            let next = ids.count > page.limit ? customers.last.map { PageRequest.encodeCursor($0.details.customerNumber) } : nil
            if ids.count <= page.limit { customers = Array(customers) }
            return Page(items: customers, nextCursor: next)
        }
    }

    // MARK: Rows

    static func insert(_ customer: Customer, _ db: Database) throws {
        try db.execute(sql: """
            INSERT INTO customer (number, legal_name, segment, risk_category, strategic, tags, time_zone, currency,
                payment_terms, credit_limit_minor, details, created_at, updated_at, id, relationship)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: columns(of: customer.details)
                + [timestamp(customer.createdAt), timestamp(customer.updatedAt), customer.id, customer.relationship.rawValue])
    }

    static func columns(of details: CustomerDraft) -> StatementArguments {
        let json = (try? EventJSON.encode(details)) ?? Data()
        return [
            details.customerNumber, details.legalName, details.segment, details.riskCategory?.rawValue, details.strategic,
            "|" + details.tags.joined(separator: "|") + "|", details.timeZone.identifier, details.defaultCurrency.code,
            details.paymentTerms.description, details.creditLimit?.minorUnits, json,
        ]
    }

    static func fetchCustomer(id: String, _ db: Database) throws -> Customer? {
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM customer WHERE id = ?", arguments: [id]) else { return nil }
        let details = try EventJSON.decode(CustomerDraft.self, from: row["details"] as Data)
        let credit = try Row.fetchAll(db, sql: """
            SELECT currency, SUM(open_minor) AS total FROM credit_item WHERE customer_id = ? AND open_minor > 0
            GROUP BY currency ORDER BY currency
            """, arguments: [id])
            .map { Money(minorUnits: $0["total"], currency: try Currency(code: $0["currency"])) }
        var customer = Customer(
            id: id, details: details, credit: credit, creditLimitExceeded: row["credit_limit_exceeded"],
            createdAt: EventJSON.parseInstant(row["created_at"]) ?? Date(timeIntervalSince1970: 0),
            updatedAt: EventJSON.parseInstant(row["updated_at"]) ?? Date(timeIntervalSince1970: 0),
            version: row["version"])
        customer.creditInsurance = try fetchCreditInsurance(customerId: id, db)
        customer.legalStatus = try fetchLegalStatus(customerId: id, db)
        customer.relationship = CustomerRelationship(rawValue: row["relationship"]) ?? .customer
        customer.vetting = try (row["vetting"] as Data?).map { try EventJSON.decode(Vetting.self, from: $0) }
        return customer
    }

    /// Names of the top-level fields that differ, in the JSON spelling.
    static func changedFields(from old: CustomerDraft, to new: CustomerDraft) -> [String] {
        var changed: [String] = []
        if old.customerNumber != new.customerNumber { changed.append("customerNumber") }
        if old.legalName != new.legalName { changed.append("legalName") }
        if old.registrationId != new.registrationId { changed.append("registrationId") }
        if old.vatId != new.vatId { changed.append("vatId") }
        if old.billingAddress != new.billingAddress { changed.append("billingAddress") }
        if old.country != new.country { changed.append("country") }
        if old.language != new.language { changed.append("language") }
        if old.timeZone != new.timeZone { changed.append("timeZone") }
        if old.defaultCurrency != new.defaultCurrency { changed.append("defaultCurrency") }
        if old.paymentTerms != new.paymentTerms { changed.append("paymentTerms") }
        if old.creditLimit != new.creditLimit { changed.append("creditLimit") }
        if old.segment != new.segment { changed.append("segment") }
        if old.riskCategory != new.riskCategory { changed.append("riskCategory") }
        if old.strategic != new.strategic { changed.append("strategic") }
        if old.tags != new.tags { changed.append("tags") }
        if old.contacts != new.contacts { changed.append("contacts") }
        if old.lateInterestRateBasisPoints != new.lateInterestRateBasisPoints { changed.append("lateInterestRateBasisPoints") }
        if old.autoApplyCredit != new.autoApplyCredit { changed.append("autoApplyCredit") }
        if old.creditPolicy != new.creditPolicy { changed.append("creditPolicy") }
        return changed
    }

    static func escapeLike(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%").replacingOccurrences(of: "_", with: "\\_")
    }

    // MARK: Credit limit

    /// Flags (and announces once) a customer whose exposure in the limit's currency (open
    /// balance − unapplied credit, ``CreditExposure``) is above its limit; clears the flag and
    /// announces `customer.credit-limit-cleared` when it is back under or the limit is removed.
    func checkCreditLimit(customerId: String, _ db: Database) throws {
        let statement = try db.cachedStatement(sql: "SELECT number, currency, credit_limit_minor, credit_limit_exceeded FROM customer WHERE id = ?")
        guard let row = try Row.fetchOne(statement, arguments: [customerId]) else { return }
        let currency = try Currency(code: row["currency"])
        let limit = (row["credit_limit_minor"] as Int64?).map { Money(minorUnits: $0, currency: currency) }
        let wasExceeded: Bool = row["credit_limit_exceeded"]
        guard limit != nil || wasExceeded else { return }
        let open = try Int64.fetchOne(db.cachedStatement(sql: """
            SELECT COALESCE(SUM(open_minor), 0) FROM invoice
            WHERE customer_id = ? AND currency = ? AND status IN ('open', 'partiallyPaid')
            """), arguments: [customerId, currency.code]) ?? 0
        let credit = try Self.openCredit(customerId: customerId, currency: currency, db)
        let exposure = try CreditExposure(limit: limit, open: Money(minorUnits: open, currency: currency),
                                          unappliedCredit: Money(minorUnits: credit, currency: currency))
        switch exposure.transition(wasExceeded: wasExceeded) {
        case .unchanged:
            return
        case .exceeded:
            guard let limit else { return }
            try db.execute(sql: "UPDATE customer SET credit_limit_exceeded = 1 WHERE id = ?", arguments: [customerId])
            try enqueue(CustomerCreditLimitExceeded(
                customerId: customerId, customerNumber: row["number"], creditLimit: limit, openBalance: exposure.exposure), db)
        case .cleared(let reason):
            try db.execute(sql: "UPDATE customer SET credit_limit_exceeded = 0 WHERE id = ?", arguments: [customerId])
            try enqueue(CustomerCreditLimitCleared(
                customerId: customerId, customerNumber: row["number"], creditLimit: limit, exposure: exposure.exposure, reason: reason), db)
        }
    }
}
