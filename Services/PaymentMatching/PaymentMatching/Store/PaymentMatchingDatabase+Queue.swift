import Events
import Foundation
import GRDB
import Money
import ServiceKit

/// Filters of the payments list.
public struct PaymentQuery: Sendable, Hashable {
    /// Only payments in one of these statuses; all when empty.
    public var statuses: Set<PaymentStatus>
    /// Only the payments of one import.
    public var importId: String?

    public init(statuses: Set<PaymentStatus> = [], importId: String? = nil) {
        self.statuses = statuses
        self.importId = importId
    }

    /// The unmatched queue: what waits for a person.
    public static let queue = PaymentQuery(statuses: [.unmatched, .partlyAllocated])
}

extension PaymentMatchingDatabase {
    // MARK: Reading

    /// Payments, oldest first (time-ordered ids), one page at a time.
    /// - Throws: `PageRequest.InvalidCursor`, or a database error.
    public func payments(matching query: PaymentQuery, page: PageRequest) async throws -> Page<ReceivedPayment> {
        let after = try page.decodedCursor()
        return try await writer.read { db in
            var conditions: [String] = []
            var arguments: StatementArguments = []
            if !query.statuses.isEmpty {
                let statuses = query.statuses.map(\.rawValue).sorted()
                conditions.append("status IN (\(statuses.map { _ in "?" }.joined(separator: ", ")))")
                arguments += StatementArguments(statuses)
            }
            if let importId = query.importId {
                conditions.append("import_id = ?")
                arguments += [importId]
            }
            if let after {
                conditions.append("id > ?")
                arguments += [after]
            }
            let filter = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
            let ids = try String.fetchAll(db, sql: "SELECT id FROM payment \(filter) ORDER BY id LIMIT \(page.limit + 1)", arguments: arguments)
            let items = try ids.prefix(page.limit).compactMap { try Self.receivedPayment(id: $0, db) }
            let next = ids.count > page.limit ? items.last.map { PageRequest.encodeCursor($0.id) } : nil
            return Page(items: items, nextCursor: next)
        }
    }

    /// One payment with its allocations, suggestions and decisions; nil when unknown.
    public func payment(id: String) async throws -> ReceivedPayment? {
        try await writer.read { db in try Self.receivedPayment(id: id, db) }
    }

    static func receivedPayment(id: String, _ db: Database) throws -> ReceivedPayment? {
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM payment WHERE id = ?", arguments: [id]) else { return nil }
        let currency = try Currency(code: row["currency"])
        func money(_ minor: Int64) -> Money { Money(minorUnits: minor, currency: currency) }
        let decoder = JSONDecoder()
        let allocations = try Row.fetchAll(db, sql: "SELECT * FROM allocation WHERE payment_id = ? ORDER BY id", arguments: [id]).map { row in
            PaymentAllocation(
                id: row["id"], invoiceId: row["invoice_id"], invoiceNumber: row["invoice_number"], customerId: row["customer_id"],
                amount: money(row["amount_minor"]), writeOff: money(row["write_off_minor"]), rule: row["rule"], score: row["score"],
                decidedBy: row["decided_by"], decidedAt: try instant(row["decided_at"]),
                undoneAt: try (row["undone_at"] as String?).map(instant), undoneBy: row["undone_by"])
        }
        let decisions = try Row.fetchAll(db, sql: "SELECT * FROM decision WHERE payment_id = ? ORDER BY at, id", arguments: [id]).map { row in
            PaymentDecision(kind: row["kind"], actor: row["actor"], at: try instant(row["at"]), detail: row["detail"])
        }
        guard let status = PaymentStatus(rawValue: row["status"]) else {
            throw PaymentMatchingStoreError("payment \(id) has the unknown status '\(row["status"] as String)'")
        }
        let suggestions = try (row["suggestions"] as Data?).map { try decoder.decode([PaymentSuggestion].self, from: $0) } ?? []
        return ReceivedPayment(
            id: row["id"], importId: row["import_id"], account: row["account"], amount: money(row["amount_minor"]),
            valueDate: try CalendarDate(iso8601: row["value_date"]), bookingDate: try CalendarDate(iso8601: row["booking_date"]),
            bankReference: row["bank_reference"], endToEndId: row["end_to_end_id"], payerName: row["payer_name"],
            payerIBAN: row["payer_iban"], remittance: row["remittance"], status: status,
            allocatedAmount: money(row["allocated_minor"]), onAccountAmount: money(row["on_account_minor"]),
            onAccountCustomerId: row["on_account_customer_id"], allocations: allocations,
            suggestions: status.isQueued ? suggestions : [],
            notes: try (row["notes"] as Data?).map { try decoder.decode([String].self, from: $0) } ?? [],
            decisions: decisions, location: row["location"], createdAt: try instant(row["created_at"]))
    }

    static func instant(_ text: String) throws -> Date {
        guard let date = EventJSON.parseInstant(text) else { throw PaymentMatchingStoreError("unreadable timestamp '\(text)'") }
        return date
    }

    /// Statement imports, newest first.
    public func imports(page: PageRequest) async throws -> Page<StatementImportResult> {
        let after = try page.decodedCursor()
        return try await writer.read { db in
            let rows = try Row.fetchAll(db, sql: """
                SELECT * FROM statement_import WHERE ?1 IS NULL OR id < ?1 ORDER BY id DESC LIMIT ?2
                """, arguments: [after, page.limit + 1])
            let items = try rows.prefix(page.limit).map(Self.importResult)
            let next = rows.count > page.limit ? items.last.map { PageRequest.encodeCursor($0.importId) } : nil
            return Page(items: items, nextCursor: next)
        }
    }

    /// One import; nil when unknown.
    public func importResult(id: String) async throws -> StatementImportResult? {
        try await writer.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM statement_import WHERE id = ?", arguments: [id]).map(Self.importResult)
        }
    }

    static func importResult(_ row: Row) throws -> StatementImportResult {
        let decoder = JSONDecoder()
        return StatementImportResult(
            importId: row["id"], fileName: row["file_name"], format: row["format"], origin: row["origin"],
            importedAt: try instant(row["imported_at"]),
            statements: try decoder.decode([StatementImported.Statement].self, from: row["statements"]),
            summary: try decoder.decode(StatementImported.Summary.self, from: row["summary"]),
            warnings: try decoder.decode([ImportWarning].self, from: row["warnings"]))
    }

    /// Invoices as this service knows them, with what may still be allocated, by due date.
    /// - Parameters:
    ///   - customerId: only this customer's.
    ///   - number: only invoices whose number is exactly this.
    ///   - openOnly: only those with something allocatable.
    public func ledgerInvoices(customerId: String?, number: String?, openOnly: Bool, page: PageRequest) async throws -> Page<LedgerInvoice> {
        let after = try page.decodedCursor()
        return try await writer.read { db in
            var conditions = ["(?1 IS NULL OR customer_id = ?1)", "(?2 IS NULL OR number = ?2)", "(?3 IS NULL OR id > ?3)"]
            if openOnly { conditions.append("balance_minor > 0") }
            let rows = try Row.fetchAll(db, sql: """
                SELECT i.*, MAX(0, i.balance_minor - COALESCE((SELECT SUM(a.amount_minor + a.write_off_minor) FROM allocation a
                    WHERE a.invoice_id = i.id AND a.acknowledged = 0 AND a.undone_at IS NULL), 0)) AS allocatable_minor
                FROM ledger_invoice i WHERE \(conditions.joined(separator: " AND ")) ORDER BY id LIMIT ?4
                """, arguments: [customerId, number, after, page.limit + 1])
            let items = try rows.prefix(page.limit).map { row in
                let currency = try Currency(code: row["currency"])
                return LedgerInvoice(
                    id: row["id"], number: row["number"], paymentReference: row["payment_reference"], customerId: row["customer_id"],
                    totalAmount: Money(minorUnits: row["total_minor"], currency: currency),
                    balance: Money(minorUnits: row["balance_minor"], currency: currency),
                    allocatable: Money(minorUnits: row["allocatable_minor"], currency: currency),
                    issueDate: try CalendarDate(iso8601: row["issue_date"]), dueDate: try CalendarDate(iso8601: row["due_date"]),
                    status: row["status"])
            }
            let next = rows.count > page.limit ? items.last.map { PageRequest.encodeCursor($0.id) } : nil
            return Page(items: items, nextCursor: next)
        }
    }

    // MARK: Decisions

    /// A person allocates a queued payment: to invoices (of one or several customers) and/or
    /// as a customer's credit. What is left stays in the queue.
    /// - Throws: ``PaymentMatchingError``: `notFound` (payment, invoice or customer),
    ///   `invalidState` (not queued; a second credit on account), `currencyMismatch`,
    ///   `amountExceeded` (more than the payment has left or the invoice has open),
    ///   `invalidField`.
    public func allocate(paymentId: String, _ request: ManualAllocation) async throws -> ReceivedPayment {
        let decidedBy = try Self.actor(request.decidedBy)
        let note = try Self.optionalText(request.note, field: "note")
        guard request.lines.count <= 200 else {
            throw PaymentMatchingError(.invalidField, "at most 200 lines per allocation; allocate in several steps", field: "lines")
        }
        guard !request.lines.isEmpty || request.onAccount != nil else {
            throw PaymentMatchingError(.invalidField, "say where the money goes: at least one line or onAccount", field: "lines")
        }
        return try await write { db in
            guard let payment = try Self.storedPayment(id: paymentId, db) else {
                throw PaymentMatchingError(.notFound, "no payment with id \(paymentId)")
            }
            guard payment.status.isQueued else {
                throw PaymentMatchingError(.invalidState, "payment \(paymentId) is \(payment.status.rawValue): only unmatched or partly allocated payments can be allocated; undo its allocations first")
            }
            let currency = payment.amount.currency
            var total: Int64 = 0
            var seen: Set<String> = []
            var decisions: [AllocationDecision] = []
            for (position, line) in request.lines.enumerated() {
                let field = "lines[\(position)]"
                guard line.amount.currency == currency else {
                    throw PaymentMatchingError(.currencyMismatch, "the payment is in \(currency.code), not \(line.amount.currency.code): never allocated across currencies", field: field + ".amount.currency")
                }
                guard line.amount.isPositive else {
                    throw PaymentMatchingError(.invalidField, "an allocated amount must be positive", field: field + ".amount")
                }
                guard seen.insert(line.invoiceId).inserted else {
                    throw PaymentMatchingError(.invalidField, "invoice \(line.invoiceId) appears twice; give it one line", field: field + ".invoiceId")
                }
                guard let invoice = try Row.fetchOne(db, sql: "SELECT number, customer_id, currency FROM ledger_invoice WHERE id = ?", arguments: [line.invoiceId]) else {
                    throw PaymentMatchingError(.notFound, "no invoice with id \(line.invoiceId) is known to payment matching", field: field + ".invoiceId")
                }
                guard (invoice["currency"] as String) == currency.code else {
                    throw PaymentMatchingError(.currencyMismatch, "invoice \(invoice["number"] as String) is in \(invoice["currency"] as String), the payment in \(currency.code): never allocated across currencies", field: field + ".invoiceId")
                }
                let open = try Self.allocatable(invoiceId: line.invoiceId, db)
                guard line.amount.minorUnits <= open else {
                    throw PaymentMatchingError(.amountExceeded, "invoice \(invoice["number"] as String) has \(Money(minorUnits: open, currency: currency)) left to allocate; allocate at most that and keep the rest on account", field: field + ".amount")
                }
                total += line.amount.minorUnits
                decisions.append(AllocationDecision(
                    invoiceId: line.invoiceId, invoiceNumber: invoice["number"], customerId: invoice["customer_id"],
                    amount: line.amount, writeOff: .zero(currency), rule: "manual", score: nil))
            }
            if let onAccount = request.onAccount {
                guard onAccount.amount.currency == currency else {
                    throw PaymentMatchingError(.currencyMismatch, "the payment is in \(currency.code), not \(onAccount.amount.currency.code)", field: "onAccount.amount.currency")
                }
                guard onAccount.amount.isPositive else {
                    throw PaymentMatchingError(.invalidField, "the amount on account must be positive", field: "onAccount.amount")
                }
                guard payment.onAccount == 0 else {
                    throw PaymentMatchingError(.invalidState, "payment \(paymentId) already has credit on account; undo it first to change it", field: "onAccount")
                }
                guard try Bool(exists: "SELECT 1 FROM payer WHERE customer_id = ?", [onAccount.customerId], db) else {
                    throw PaymentMatchingError(.notFound, "no customer with id \(onAccount.customerId) is known to payment matching", field: "onAccount.customerId")
                }
                total += onAccount.amount.minorUnits
            }
            guard total <= payment.remaining else {
                throw PaymentMatchingError(.amountExceeded, "the lines and credit come to \(Money(minorUnits: total, currency: currency)), the payment has \(Money(minorUnits: payment.remaining, currency: currency)) left", field: "lines")
            }
            for decision in decisions {
                try recordAllocation(decision, of: payment, decidedBy: decidedBy, db)
            }
            if let onAccount = request.onAccount {
                try recordOnAccount(onAccount.amount, customerId: onAccount.customerId, of: payment, db)
            }
            let customers = Set(decisions.map(\.customerId) + [request.onAccount?.customerId].compactMap { $0 })
            if customers.count == 1, let customerId = customers.first {
                let time = Self.timestamp(now())
                if let iban = payment.payerIBAN { try Self.learnAlias(customerId: customerId, kind: "iban", value: iban, source: "learned", at: time, db) }
                if let name = payment.payerName { try Self.learnAlias(customerId: customerId, kind: "name", value: name, source: "learned", at: time, db) }
            }
            try Self.refreshStatus(paymentId: paymentId, db)
            let described = decisions.map { "\($0.amount) to \($0.invoiceNumber)" }
                + [request.onAccount.map { "\($0.amount) on account of \($0.customerId)" }].compactMap { $0 }
            try recordDecision(paymentId: paymentId, kind: "allocated", actor: decidedBy,
                               detail: described.joined(separator: ", ") + (note.map { ": \($0)" } ?? ""), db)
            guard let updated = try Self.receivedPayment(id: paymentId, db) else { throw PaymentMatchingStoreError("payment \(paymentId) vanished") }
            return updated
        }
    }

    /// A person says a queued payment with nothing allocated is not a customer payment.
    /// - Throws: ``PaymentMatchingError`` `notFound`, `invalidState` (something allocated:
    ///   undo it first; or not queued), `invalidField`.
    public func markNotCustomer(paymentId: String, decidedBy: String, reason: String?) async throws -> ReceivedPayment {
        let actor = try Self.actor(decidedBy)
        let reason = try Self.optionalText(reason, field: "reason")
        return try await write { db in
            guard let payment = try Self.storedPayment(id: paymentId, db) else {
                throw PaymentMatchingError(.notFound, "no payment with id \(paymentId)")
            }
            guard payment.status == .unmatched else {
                throw PaymentMatchingError(.invalidState, "payment \(paymentId) is \(payment.status.rawValue): only a payment with nothing allocated can be marked; undo its allocations first")
            }
            try db.execute(sql: "UPDATE payment SET status = 'notCustomer' WHERE id = ?", arguments: [paymentId])
            try recordDecision(paymentId: paymentId, kind: "markedNotCustomer", actor: actor, detail: reason ?? "not a customer payment", db)
            guard let updated = try Self.receivedPayment(id: paymentId, db) else { throw PaymentMatchingStoreError("payment \(paymentId) vanished") }
            return updated
        }
    }

    /// A person undoes allocations (all, or those named) and the credit on account: each
    /// publishes `payment.reversed`, and the payment goes back to the queue. Also takes a
    /// payment marked as not a customer's back to the queue.
    /// - Throws: ``PaymentMatchingError`` `notFound` (payment, or an allocation not its own or
    ///   already undone), `invalidState` (reversed by the bank, or nothing to undo), `invalidField`.
    public func undo(paymentId: String, allocationIds: [String]?, decidedBy: String, reason: String?) async throws -> ReceivedPayment {
        let actor = try Self.actor(decidedBy)
        let reason = try Self.optionalText(reason, field: "reason")
        if let allocationIds, allocationIds.count > 200 {
            throw PaymentMatchingError(.invalidField, "at most 200 allocation ids; undo in several steps", field: "allocationIds")
        }
        return try await write { db in
            guard let payment = try Self.storedPayment(id: paymentId, db) else {
                throw PaymentMatchingError(.notFound, "no payment with id \(paymentId)")
            }
            let reasonText = reason ?? "undone by \(actor)"
            switch payment.status {
            case .reversed:
                throw PaymentMatchingError(.invalidState, "payment \(paymentId) was reversed by the bank: nothing to undo")
            case .notCustomer:
                try db.execute(sql: "UPDATE payment SET status = 'unmatched' WHERE id = ?", arguments: [paymentId])
                try recordDecision(paymentId: paymentId, kind: "undone", actor: actor, detail: "back to the queue: \(reasonText)", db)
            case .unmatched:
                throw PaymentMatchingError(.invalidState, "payment \(paymentId) has nothing allocated: nothing to undo")
            case .allocated, .partlyAllocated:
                let active = Set(try String.fetchAll(db, sql: "SELECT id FROM allocation WHERE payment_id = ? AND undone_at IS NULL", arguments: [paymentId]))
                if let allocationIds {
                    for (position, id) in allocationIds.enumerated() where !active.contains(id) {
                        throw PaymentMatchingError(.notFound, "payment \(paymentId) has no allocation \(id) left to undo", field: "allocationIds[\(position)]")
                    }
                }
                let undone = try undoAllocations(
                    of: payment, allocationIds: allocationIds.map(Set.init), includingOnAccount: allocationIds == nil,
                    actor: actor, reason: reasonText, db)
                try Self.refreshStatus(paymentId: paymentId, db)
                try recordDecision(paymentId: paymentId, kind: "undone", actor: actor,
                                   detail: "\(Money(minorUnits: undone, currency: payment.amount.currency)) undone: \(reasonText)", db)
            }
            guard let updated = try Self.receivedPayment(id: paymentId, db) else { throw PaymentMatchingStoreError("payment \(paymentId) vanished") }
            return updated
        }
    }

    /// An optional free text, trimmed (blank is nil): at most 1,000 characters.
    static func optionalText(_ text: String?, field: String) throws -> String? {
        guard let trimmed = text?.trimmingCharacters(in: .whitespacesAndNewlines), !trimmed.isEmpty else { return nil }
        guard trimmed.count <= 1000 else {
            throw PaymentMatchingError(.invalidField, "at most 1,000 characters", field: field)
        }
        return trimmed
    }

    /// What the OpenAPI document's `\S` pattern calls white space (ECMAScript's `\s`), so that
    /// "not blank" means the same to the document and to the code (U+0085, for one, is white
    /// space to Foundation but not to ECMAScript).
    static let documentedWhitespace = CharacterSet(charactersIn:
        "\u{09}\u{0A}\u{0B}\u{0C}\u{0D}\u{20}\u{A0}\u{1680}\u{2000}\u{2001}\u{2002}\u{2003}\u{2004}\u{2005}\u{2006}"
        + "\u{2007}\u{2008}\u{2009}\u{200A}\u{2028}\u{2029}\u{202F}\u{205F}\u{3000}\u{FEFF}")

    /// The person deciding, trimmed: 1 to 200 characters.
    static func actor(_ text: String) throws -> String {
        let trimmed = text.trimmingCharacters(in: Self.documentedWhitespace)
        guard !trimmed.isEmpty, trimmed.count <= 200 else {
            throw PaymentMatchingError(.invalidField, "say who decides: 1 to 200 characters", field: "decidedBy")
        }
        return trimmed
    }
}
