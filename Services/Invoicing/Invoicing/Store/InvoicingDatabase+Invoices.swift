import Events
import Foundation
import GRDB
import Money
import Storage

extension InvoicingDatabase {
    /// Issues an invoice for a customer (due date from the customer's terms when absent) and
    /// publishes `invoice.issued`; flags the customer if this takes it over its credit limit.
    /// - Throws: `InvoicingError` `.notFound` (customer), `.duplicateNumber`, or a validation code.
    public func issueInvoice(_ draft: InvoiceDraft) async throws -> Invoice {
        let createdAt = now()
        let id = TimeOrderedID.make()
        return try await write { db in
            guard let customer = try Row.fetchOne(db, sql: "SELECT id, payment_terms FROM customer WHERE number = ?", arguments: [draft.customerNumber]) else {
                throw InvoicingError(.notFound, "no customer with number '\(draft.customerNumber)'; register the customer first", field: "customerNumber")
            }
            let terms = try PaymentTerms(parsing: customer["payment_terms"])
            // The reference derived from the number, unless another invoice holds it already.
            let validated = try Self.withUnusedPaymentReference(try draft.validate(terms: terms), db)
            let customerId: String = customer["id"]
            try Self.translateUniqueViolation("invoice", number: validated.number, field: "number") {
                try Self.insertInvoice(id: id, customerId: customerId, validated, createdAt: createdAt, db)
            }
            try enqueue(Self.issuedEvent(id: id, customerId: customerId, validated), db)
            try checkCreditLimit(customerId: customerId, db)
            return try Self.requireInvoice(id: id, db)
        }
    }

    /// Inserts an invoice row. - Returns: `false` when `orIgnore` and the number existed.
    @discardableResult
    static func insertInvoice(id: String, customerId: String, _ invoice: ValidatedInvoice, createdAt: Date, orIgnore: Bool = false, _ db: Database) throws -> Bool {
        let lines = invoice.lines.isEmpty ? nil : try EventJSON.encode(invoice.lines)
        try db.cachedStatement(sql: """
            INSERT \(orIgnore ? "OR IGNORE " : "")INTO invoice (id, number, customer_id, issue_date, due_date, currency, total_minor, net_minor, vat_minor,
                lines, order_reference, payment_reference, open_minor, status, created_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'open', ?)
            """).execute(arguments: [
                id, invoice.number, customerId, invoice.issueDate.description, invoice.dueDate.description, invoice.currency.code,
                invoice.total.minorUnits, invoice.totals?.net.minorUnits, invoice.totals?.vat.minorUnits, lines,
                invoice.orderReference, invoice.creditorReference.electronicFormat, invoice.total.minorUnits, timestamp(createdAt),
            ])
        return db.changesCount > 0
    }

    static func issuedEvent(id: String, customerId: String, _ invoice: ValidatedInvoice) -> InvoiceIssued {
        InvoiceIssued(
            customerId: customerId, customerNumber: invoice.customerNumber, invoiceId: id, number: invoice.number,
            paymentReference: invoice.creditorReference.electronicFormat, issueDate: invoice.issueDate, dueDate: invoice.dueDate,
            totalAmount: invoice.total, netAmount: invoice.totals?.net, vatAmount: invoice.totals?.vat,
            orderReference: invoice.orderReference)
    }

    /// The invoice with that id, or `nil`.
    public func invoice(id: String) async throws -> Invoice? {
        try await writer.read { db in try Self.fetchInvoice(id: id, db) }
    }

    /// Filters for listing invoices; combined with AND.
    public struct InvoiceQuery: Sendable, Hashable {
        public var customerId: String?
        public var status: InvoiceStatus?

        public init(customerId: String? = nil, status: InvoiceStatus? = nil) {
            self.customerId = customerId
            self.status = status
        }
    }

    /// Invoices matching the query, ordered by number, one page at a time.
    public func invoices(matching query: InvoiceQuery, page: PageRequest) async throws -> Page<Invoice> {
        let after = try page.decodedCursor()
        return try await writer.read { db in
            var conditions: [String] = []
            var arguments: StatementArguments = []
            if let after {
                conditions.append("invoice.number > ?")
                _ = arguments.append(contentsOf: [after])
            }
            if let customerId = query.customerId {
                conditions.append("invoice.customer_id = ?")
                _ = arguments.append(contentsOf: [customerId])
            }
            if let status = query.status {
                conditions.append("invoice.status = ?")
                _ = arguments.append(contentsOf: [status.rawValue])
            }
            let whereClause = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
            _ = arguments.append(contentsOf: [page.limit + 1])
            let rows = try Row.fetchAll(db, sql: "\(Self.invoiceSelect) \(whereClause) ORDER BY invoice.number LIMIT ?", arguments: arguments)
            let invoices = try Self.withOpenDisputes(try rows.prefix(page.limit).map(Self.invoice(from:)), db)
            let next = rows.count > page.limit ? invoices.last.map { PageRequest.encodeCursor($0.number) } : nil
            return Page(items: invoices, nextCursor: next)
        }
    }

    // MARK: Lifecycle operations

    /// Cancels (voids) an invoice issued by mistake, and publishes `invoice.cancelled` and
    /// `invoice.settled` (cause `cancellation`).
    ///
    /// A cancellation is for an invoice nothing happened to yet: nothing paid, nothing
    /// credited, nothing written off. A dispute does not prevent it (voiding may be how the
    /// dispute ends); there is no time limit. Once money moved on the invoice, correcting it
    /// takes a credit note.
    /// - Throws: `InvoicingError` `.notFound`, or `.invalidState` when the invoice is closed or
    ///   anything was paid, credited or written off on it (the reason says a credit note is
    ///   needed).
    public func cancelInvoice(id: String, reason: String?) async throws -> Invoice {
        let today = try await today(forInvoice: id)
        return try await mutateInvoice(id: id) { invoice, db in
            guard invoice.status.isOpen else {
                throw InvoicingError(.invalidState, "invoice \(invoice.number) is \(invoice.status.rawValue) and cannot be cancelled")
            }
            let moved = [("paid", invoice.paidAmount), ("credited", invoice.creditedAmount), ("written off", invoice.writtenOffAmount)]
                .filter { !$0.1.isZero }
                .map { "\($0.1) \($0.0)" }
            guard moved.isEmpty else {
                throw InvoicingError(.invalidState, """
                    invoice \(invoice.number) has \(moved.joined(separator: " and ")); cancelling is only for invoices nothing \
                    happened to: issue a credit note for the open balance (\(invoice.balance)) instead
                    """)
            }
            try enqueue(InvoiceCancelled(customerId: invoice.customerId, invoiceId: id, number: invoice.number, reason: reason), db)
            _ = try moveBalance(of: invoice, BalanceMove(move: .cancellation, balanceChangedCause: nil, settlementCause: .cancellation, day: today), db)
        }
    }

    /// Issues a credit note against an open invoice, reducing its balance; publishes
    /// `invoice.credited` and `invoice.balance-changed`, and, when it covers the whole open
    /// balance, `invoice.settled` (cause `creditNote`, dated by the note) and, if money was
    /// received on the invoice and `invoice.paid` was never published for it, `invoice.paid`.
    /// A credit note covering the rest of a partly paid invoice makes it `paid`; one covering
    /// the whole of an invoice nothing was paid on makes it `cancelled`.
    /// - Throws: `InvoicingError` `.notFound`, `.invalidState` (closed invoice, amount above the
    ///   balance), `.currencyMismatch`, `.nonPositiveTotal`, `.duplicateNumber`.
    public func issueCreditNote(invoiceId: String, _ draft: CreditNoteDraft) async throws -> (CreditNote, Invoice) {
        let today = try await today(forInvoice: invoiceId)
        let noteId = TimeOrderedID.make()
        let number = draft.number.trimmingCharacters(in: .whitespaces)
        guard !number.isEmpty else { throw InvoicingError(.missingField, "a credit note needs a number", field: "number") }
        guard draft.amount.isPositive else {
            throw InvoicingError(.nonPositiveTotal, "a credit note amount must be above zero", field: "amount")
        }
        let note = CreditNote(id: noteId, number: number, invoiceId: invoiceId, amount: draft.amount, reason: draft.reason, issueDate: draft.issueDate ?? today)
        let invoice = try await mutateInvoice(id: invoiceId) { invoice, db in
            guard invoice.status.isOpen else {
                throw InvoicingError(.invalidState, "invoice \(invoice.number) is \(invoice.status.rawValue); only open invoices can be credited")
            }
            guard draft.amount.currency == invoice.currency else {
                throw InvoicingError(.currencyMismatch, "the invoice is in \(invoice.currency.code), the credit note in \(draft.amount.currency.code)", field: "amount.currency")
            }
            guard draft.amount.minorUnits <= invoice.balance.minorUnits else {
                throw InvoicingError(.invalidState, "the credit note (\(draft.amount)) is above the open balance (\(invoice.balance))", field: "amount")
            }
            try Self.translateUniqueViolation("credit note", number: number, field: "number") {
                try db.execute(sql: "INSERT INTO credit_note (id, number, invoice_id, amount_minor, reason, issue_date) VALUES (?, ?, ?, ?, ?, ?)",
                               arguments: [noteId, number, invoiceId, draft.amount.minorUnits, draft.reason, note.issueDate.description])
            }
            try enqueue(InvoiceCredited(
                customerId: invoice.customerId, invoiceId: invoiceId, number: invoice.number, creditNoteId: noteId,
                creditNoteNumber: number, amount: draft.amount, balance: Money(minorUnits: invoice.balance.minorUnits - draft.amount.minorUnits, currency: invoice.currency)), db)
            _ = try moveBalance(of: invoice, BalanceMove(
                move: .creditNote(draft.amount.minorUnits), balanceChangedCause: "creditNote", settlementCause: .creditNote,
                day: note.issueDate, creditNoteId: noteId), db)
        }
        return (note, invoice)
    }

    /// Records (or clears, with `nil`) the credit insurer covering an invoice. No event:
    /// insurance changes neither the balance nor the dunning.
    public func setCreditInsurer(invoiceId: String, insurer: String?) async throws -> Invoice {
        try await mutateInvoice(id: invoiceId) { _, db in
            try db.execute(sql: "UPDATE invoice SET credit_insurer = ? WHERE id = ?", arguments: [insurer, invoiceId])
        }
    }

    /// Writes off the open balance as a loss: the invoice becomes `writtenOff`. Publishes
    /// `invoice.written-off`, `invoice.balance-changed` and `invoice.settled` (cause `writeOff`).
    /// - Throws: `InvoicingError` `.missingField` (blank reason), `.notFound`, or
    ///   `.invalidState` when the invoice is not open.
    public func writeOff(invoiceId: String, reason: String) async throws -> Invoice {
        try await writeOffOpenBalance(invoiceId: invoiceId, reason: reason, tolerance: nil)
    }

    /// Writes off a small remainder (bank fees deducted by the payer's bank, rounding) when
    /// it is within `tolerance`. The invoice becomes `paid` when money was received on it
    /// (`writtenOff` otherwise). Publishes `invoice.written-off`, `invoice.balance-changed`,
    /// `invoice.settled` (cause `writeOff`) and, the first time the invoice becomes paid,
    /// `invoice.paid`.
    ///
    /// Not reachable over HTTP yet: the tolerance is meant to come from configuration.
    /// - Parameters:
    ///   - invoiceId: The invoice.
    ///   - tolerance: The largest remainder that may be written off this way, in the
    ///     invoice's currency.
    ///   - reason: Why (`"bank fees"`), for people; required.
    /// - Throws: `InvoicingError` `.missingField` (blank reason), `.invalidField` (negative
    ///   tolerance), `.notFound`, `.currencyMismatch`, or `.invalidState` when the invoice is
    ///   not open or its open balance is above the tolerance.
    public func writeOffRemainder(invoiceId: String, tolerance: Money, reason: String) async throws -> Invoice {
        guard !tolerance.isNegative else {
            throw InvoicingError(.invalidField, "the write-off tolerance cannot be negative", field: "tolerance")
        }
        return try await writeOffOpenBalance(invoiceId: invoiceId, reason: reason, tolerance: tolerance)
    }

    /// Writes off the whole open balance: as a loss without `tolerance`, as a small remainder
    /// with one.
    private func writeOffOpenBalance(invoiceId: String, reason: String, tolerance: Money?) async throws -> Invoice {
        guard !reason.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw InvoicingError(.missingField, "say why the balance is written off", field: "reason")
        }
        let today = try await today(forInvoice: invoiceId)
        return try await mutateInvoice(id: invoiceId) { invoice, db in
            guard invoice.status.isOpen else {
                throw InvoicingError(.invalidState, "invoice \(invoice.number) is \(invoice.status.rawValue); only open invoices can be written off")
            }
            if let tolerance {
                guard tolerance.currency == invoice.currency else {
                    throw InvoicingError(.currencyMismatch, "the invoice is in \(invoice.currency.code), the tolerance in \(tolerance.currency.code)", field: "tolerance")
                }
                guard invoice.balance.minorUnits <= tolerance.minorUnits else {
                    throw InvoicingError(.invalidState, """
                        the open balance of invoice \(invoice.number) (\(invoice.balance)) is above the write-off tolerance \
                        (\(tolerance)); write it off as a loss or issue a credit note
                        """)
                }
            }
            try enqueue(InvoiceWrittenOff(customerId: invoice.customerId, invoiceId: invoiceId, number: invoice.number, amount: invoice.balance, reason: reason), db)
            _ = try moveBalance(of: invoice, BalanceMove(
                move: .writeOff(smallRemainder: tolerance != nil), balanceChangedCause: "writeOff", settlementCause: .writeOff,
                day: today), db)
        }
    }

    // MARK: Helpers

    /// Loads an invoice, applies `change` and returns the invoice as it is afterwards.
    func mutateInvoice(id: String, _ change: @escaping @Sendable (Invoice, Database) throws -> Void) async throws -> Invoice {
        try await write { db in
            let invoice = try Self.requireInvoice(id: id, db)
            try change(invoice, db)
            return try Self.requireInvoice(id: id, db)
        }
    }

    /// Today in the invoice's customer's time zone.
    func today(forInvoice id: String) async throws -> CalendarDate {
        let zone = try await writer.read { db in
            try String.fetchOne(db, sql: "SELECT c.time_zone FROM invoice i JOIN customer c ON c.id = i.customer_id WHERE i.id = ?", arguments: [id])
        }
        return CalendarDate(date: now(), in: zone.flatMap(TimeZone.init(identifier:)) ?? .gmt)
    }

    func enqueueBalanceChanged(from old: Invoice, to new: Invoice, cause: String, paymentId: String?, _ db: Database) throws {
        guard old.balance != new.balance || old.status != new.status else { return }
        try enqueue(InvoiceBalanceChanged(
            customerId: new.customerId, invoiceId: new.id, number: new.number, previousBalance: old.balance,
            balance: new.balance, status: new.status, cause: cause, paymentId: paymentId), db)
    }

    static let invoiceSelect = """
        SELECT invoice.*, customer.number AS customer_number, insurance.declaration_days AS insurance_declaration_days,
            insurance.starts_on AS insurance_starts_on, insurance.ends_on AS insurance_ends_on
        FROM invoice JOIN customer ON customer.id = invoice.customer_id
        LEFT JOIN customer_credit_insurance insurance ON insurance.customer_id = invoice.customer_id
        """

    static func fetchInvoice(id: String, _ db: Database) throws -> Invoice? {
        guard let row = try Row.fetchOne(db, sql: "\(invoiceSelect) WHERE invoice.id = ?", arguments: [id]) else { return nil }
        return try withOpenDisputes([try invoice(from: row)], db)[0]
    }

    static func requireInvoice(id: String, _ db: Database) throws -> Invoice {
        guard let invoice = try fetchInvoice(id: id, db) else { throw InvoicingError(.notFound, "no invoice with id \(id)") }
        return invoice
    }

    static func invoice(from row: Row) throws -> Invoice {
        let currency = try Currency(code: row["currency"])
        func money(_ column: String) -> Money { Money(minorUnits: row[column], currency: currency) }
        func optionalMoney(_ column: String) -> Money? { (row[column] as Int64?).map { Money(minorUnits: $0, currency: currency) } }
        let reference: String = row["payment_reference"]
        let printed = (try? CreditorReference(validating: reference).printFormat) ?? reference
        let lines: [InvoiceLine] = try (row["lines"] as Data?).map { try EventJSON.decode([InvoiceLine].self, from: $0) } ?? []
        let dueDate = try CalendarDate(iso8601: row["due_date"])
        return Invoice(
            id: row["id"], number: row["number"], customerId: row["customer_id"], customerNumber: row["customer_number"],
            issueDate: try CalendarDate(iso8601: row["issue_date"]), dueDate: dueDate,
            currency: currency, totalAmount: money("total_minor"), netAmount: optionalMoney("net_minor"), vatAmount: optionalMoney("vat_minor"),
            lines: lines, orderReference: row["order_reference"], paymentReference: reference, paymentReferencePrinted: printed,
            balance: money("open_minor"), paidAmount: money("paid_minor"), creditedAmount: money("credited_minor"),
            writtenOffAmount: money("written_off_minor"), status: InvoiceStatus(rawValue: row["status"]) ?? .open,
            disputed: row["disputed"], disputeReason: row["dispute_reason"], factorName: row["factor_name"],
            creditInsurer: row["credit_insurer"], factoringMode: (row["factoring_mode"] as String?).flatMap(FactoringMode.init(rawValue:)),
            factorAssignedOn: try optionalDate(row["factor_assigned_on"]),
            insuranceDeclarationDeadline: try insuranceDeclarationDeadline(row, dueDate: dueDate), paidOn: try (row["paid_on"] as String?).map { try CalendarDate(iso8601: $0) },
            createdAt: EventJSON.parseInstant(row["created_at"]) ?? Date(timeIntervalSince1970: 0))
    }
}
