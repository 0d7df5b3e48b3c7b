import Events
import Foundation
import GRDB
import Money
import ServiceKit
import Storage

extension InvoicingDatabase {
    /// Issues an invoice for a customer (due date from the customer's terms when absent) and
    /// publishes `invoice.issued`; applies the customer's open credit to it (and its other
    /// oldest open invoices) when the customer has `autoApplyCredit`; flags the customer if
    /// this takes it over its credit limit.
    /// - Throws: `InvoicingError` `.notFound` (customer), `.duplicateNumber`, or a validation code.
    public func issueInvoice(_ draft: InvoiceDraft) async throws -> Invoice {
        let createdAt = now()
        let id = TimeOrderedID.make()
        return try await write { db in
            guard let customer = try Self.issuingCustomer(number: draft.customerNumber, db) else {
                throw InvoicingError(.notFound, "no customer with number '\(draft.customerNumber)'; register the customer first", field: "customerNumber")
            }
            try Self.requireSigned(customerId: customer.id, number: draft.customerNumber, db)
            // The reference derived from the number, unless another invoice holds it already.
            let validated = try Self.withUnusedPaymentReference(try draft.validate(terms: customer.terms), db)
            let entry = InvoiceEntry(origin: .issued, dunningStartsOn: validated.issueDate)
            if let orderId = validated.orderId, try Self.fetchOrder(id: orderId, db) == nil {
                // Before the insert: the column references the order.
                throw InvoicingError(.notFound, "no order with id \(orderId)", field: "orderId")
            }
            try Self.translateUniqueViolation("invoice", number: validated.number, field: "number") {
                try Self.insertInvoice(id: id, customerId: customer.id, validated, entry: entry, createdAt: createdAt, db)
            }
            try enqueue(Self.issuedEvent(id: id, customer: customer, validated, entry: entry, payee: payee), db)
            if let orderId = validated.orderId {
                // Same transaction: the order's status moves with the invoice that invoices it.
                try invoiceOrder(orderId: orderId, invoiceId: id, customerId: customer.id, validated, db)
            }
            if !validated.instalments.isEmpty {
                try enqueue(InvoiceScheduleSet(customerId: customer.id, invoiceId: id, number: validated.number, instalments: validated.instalments,
                                               dueDate: validated.dueDate, cause: "paymentTerms"), db)
            }
            try autoApplyCredit(customerId: customer.id, currency: validated.currency, day: Self.day(of: createdAt, forCustomer: customer.id, db), db)
            try checkCreditLimit(customerId: customer.id, db)
            return try Self.requireInvoice(id: id, db)
        }
    }

    /// How an invoice enters the ledger: where it comes from, from when it may be reminded
    /// about, and (imports) what was already paid or otherwise settled in the ERP.
    struct InvoiceEntry: Sendable, Hashable {
        var origin: InvoiceOrigin
        var dunningStartsOn: CalendarDate
        /// The ledger to store; `nil`: open for its whole total.
        var ledger: InvoiceLedger? = nil
        /// `paid_on` when the ledger says `paid`.
        var paidOn: CalendarDate? = nil
    }

    /// What issuing an invoice needs to know about its customer, read in one query.
    struct IssuingCustomer: Sendable {
        let id: String
        let terms: PaymentTerms
        let version: Int
        let snapshot: InvoiceCustomerSnapshot
        /// The contractual late-payment rate; the legal default applies without one.
        let lateInterestRateBasisPoints: Int?
        /// A prospect is never invoiced (it would be reminded): sign it first.
        let isProspect: Bool

        static let select = """
            SELECT id, number, legal_name, time_zone, segment, risk_category, strategic, version, payment_terms, relationship,
                json_extract(CAST(details AS TEXT), '$.language') AS language,
                json_extract(CAST(details AS TEXT), '$.lateInterestRateBasisPoints') AS late_interest
            FROM customer
            """

        init(row: Row) throws {
            id = row["id"]
            terms = try PaymentTerms(parsing: row["payment_terms"])
            version = row["version"]
            lateInterestRateBasisPoints = row["late_interest"]
            isProspect = (row["relationship"] as String?) == CustomerRelationship.prospect.rawValue
            snapshot = InvoiceCustomerSnapshot(
                customerNumber: row["number"], legalName: row["legal_name"], timeZone: row["time_zone"],
                language: row["language"] ?? "", segment: row["segment"], riskCategory: row["risk_category"],
                strategic: row["strategic"])
        }
    }

    static func issuingCustomer(number: String, _ db: Database) throws -> IssuingCustomer? {
        try Row.fetchOne(db, sql: "\(IssuingCustomer.select) WHERE number = ?", arguments: [number]).map(IssuingCustomer.init(row:))
    }

    /// Inserts an invoice row, open for its total unless `entry` gives a ledger.
    /// - Returns: `false` when `orIgnore` and the number existed.
    @discardableResult
    static func insertInvoice(id: String, customerId: String, _ invoice: ValidatedInvoice, entry: InvoiceEntry, createdAt: Date,
                              orIgnore: Bool = false, _ db: Database) throws -> Bool {
        let lines = invoice.lines.isEmpty ? nil : try EventJSON.encode(invoice.lines)
        let ledger = entry.ledger ?? InvoiceLedger(
            total: invoice.total.minorUnits, paid: 0, credited: 0, writtenOff: 0, voided: 0, open: invoice.total.minorUnits, status: .open)
        try translateLedgerViolation(invoiceId: id) {
            try db.cachedStatement(sql: """
                INSERT \(orIgnore ? "OR IGNORE " : "")INTO invoice (id, number, customer_id, issue_date, due_date, currency, total_minor, net_minor, vat_minor,
                    lines, order_reference, payment_reference, open_minor, paid_minor, written_off_minor, status, paid_on, paid_announced,
                    origin, dunning_starts_on, created_at, payment_terms, document_url, order_id)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """).execute(arguments: [
                    id, invoice.number, customerId, invoice.issueDate.description, invoice.dueDate.description, invoice.currency.code,
                    invoice.total.minorUnits, invoice.totals?.net.minorUnits, invoice.totals?.vat.minorUnits, lines,
                    invoice.orderReference, invoice.creditorReference.electronicFormat, ledger.open, ledger.paid, ledger.writtenOff,
                    ledger.status.rawValue, ledger.status == .paid ? entry.paidOn?.description : nil, ledger.status == .paid,
                    entry.origin.rawValue, entry.dunningStartsOn.description, timestamp(createdAt),
                    invoice.paymentTerms?.description, invoice.documentURL, invoice.orderId,
                ])
        }
        guard db.changesCount > 0 else { return false }
        try insertInstalments(invoice.instalments, invoiceId: id, db)
        return true
    }

    /// `invoice.issued` for a new invoice.
    /// - Parameters:
    ///   - customer: The customer as of now (its version and snapshot go in the event).
    ///   - entry: How the invoice enters the ledger (origin, dunning start, imported state).
    ///   - payee: The configured creditor, if any; the customer's contractual late-payment
    ///     rate, or the legal default without one, comes with the customer.
    static func issuedEvent(id: String, customer: IssuingCustomer, _ invoice: ValidatedInvoice, entry: InvoiceEntry, payee: Payee?) -> InvoiceIssued {
        let warning = LegalPaymentTermsCap.warning(issuedOn: invoice.issueDate, dueOn: invoice.dueDate)
        return InvoiceIssued(
            customerId: customer.id, customerNumber: invoice.customerNumber, invoiceId: id, number: invoice.number,
            paymentReference: invoice.creditorReference.electronicFormat, issueDate: invoice.issueDate, dueDate: invoice.dueDate,
            totalAmount: invoice.total, netAmount: invoice.totals?.net, vatAmount: invoice.totals?.vat,
            orderReference: invoice.orderReference, origin: entry.origin, dunningStartsOn: entry.dunningStartsOn,
            balance: Money(minorUnits: entry.ledger?.open ?? invoice.total.minorUnits, currency: invoice.currency),
            status: entry.ledger?.status ?? .open, customerVersion: customer.version, customer: customer.snapshot,
            paymentTerms: invoice.paymentTerms?.description, payee: payee?.snapshot,
            latePaymentTerms: .forCustomer(contractualRateBasisPoints: customer.lateInterestRateBasisPoints),
            documentUrl: invoice.documentURL, warnings: warning.map { [$0] })
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
            let invoices = try Self.withOpenDisputes(try rows.prefix(page.limit).map { try Self.withPlan(Self.invoice(from: $0), db) }, db)
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
            try releaseOrderInvoicing(of: invoice, db)
            _ = try moveBalance(of: invoice, BalanceMove(move: .cancellation, balanceChangedCause: nil, settlementCause: .cancellation, day: today), db)
        }
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
    public func writeOff(invoiceId: String, reason: String, category: WriteOffCategory? = nil) async throws -> Invoice {
        try await writeOffOpenBalance(invoiceId: invoiceId, reason: reason, category: category, tolerance: nil)
    }

    /// Writes off a small remainder (bank fees deducted by the payer's bank, rounding) when
    /// it is within `tolerance`. The invoice becomes `paid` when money was received on it
    /// (`writtenOff` otherwise). Publishes `invoice.written-off`, `invoice.balance-changed`,
    /// `invoice.settled` (cause `writeOff`) and, the first time the invoice becomes paid,
    /// `invoice.paid`.
    ///
    /// Over HTTP: `POST /v1/invoices/{id}/write-off` with an `amount` equal to the balance, the
    /// tolerance coming from configuration (``writeOffPart(invoiceId:amount:tolerance:category:reason:)``).
    /// - Parameters:
    ///   - invoiceId: The invoice.
    ///   - tolerance: The largest remainder that may be written off this way, in the
    ///     invoice's currency.
    ///   - reason: Why (`"bank fees"`), for people; required.
    /// - Throws: `InvoicingError` `.missingField` (blank reason), `.invalidField` (negative
    ///   tolerance), `.notFound`, `.currencyMismatch`, or `.invalidState` when the invoice is
    ///   not open or its open balance is above the tolerance.
    public func writeOffRemainder(invoiceId: String, tolerance: Money, reason: String, category: WriteOffCategory? = nil) async throws -> Invoice {
        guard !tolerance.isNegative else {
            throw InvoicingError(.invalidField, "the write-off tolerance cannot be negative", field: "tolerance")
        }
        return try await writeOffOpenBalance(invoiceId: invoiceId, reason: reason, category: category, tolerance: tolerance)
    }

    /// Writes off the whole open balance: as a loss without `tolerance`, as a small remainder
    /// with one.
    private func writeOffOpenBalance(invoiceId: String, reason: String, category: WriteOffCategory?, tolerance: Money?) async throws -> Invoice {
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
            try enqueue(InvoiceWrittenOff(
                customerId: invoice.customerId, invoiceId: invoiceId, number: invoice.number, amount: invoice.balance, reason: reason,
                category: category?.rawValue, remainingBalance: .zero(invoice.currency)), db)
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
        return try withOpenDisputes([try withPlan(invoice(from: row), db)], db)[0]
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
        var invoice = Invoice(
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
            origin: InvoiceOrigin(rawValue: row["origin"]),
            dunningStartsOn: try CalendarDate(iso8601: (row["dunning_starts_on"] as String?) ?? row["issue_date"]),
            createdAt: EventJSON.parseInstant(row["created_at"]) ?? Date(timeIntervalSince1970: 0),
            paymentTerms: row["payment_terms"], documentUrl: row["document_url"])
        invoice.warnings = LegalPaymentTermsCap.warning(issuedOn: invoice.issueDate, dueOn: invoice.dueDate).map { [$0] } ?? []
        invoice.orderId = row["order_id"]
        return invoice
    }
}
