import Events
import Foundation
import GRDB
import Money
import ServiceKit
import Storage

extension InvoicingDatabase {
    /// Issues a credit note against an invoice. What the invoice's open balance can absorb
    /// reduces it; the rest (all of it on a paid invoice) becomes a customer credit item.
    ///
    /// Publishes `credit-note.issued`; when the balance is reduced, `invoice.credited` (its
    /// `amount` is what went to the invoice), `invoice.balance-changed` and, when it covers the
    /// whole open balance, `invoice.settled` (cause `creditNote`, dated by the note) and, if
    /// money was received on the invoice and `invoice.paid` was never published for it,
    /// `invoice.paid`; when credit is added, `customer.credit-changed` (cause `creditNote`),
    /// then the automatic application of the customer's credit if it asked for it.
    /// - Throws: `InvoicingError` `.notFound`, `.invalidState` (a cancelled or written-off
    ///   invoice; credit notes adding up to more than the invoice's total), `.currencyMismatch`,
    ///   `.nonPositiveTotal`, `.totalsMismatch` (net + VAT ≠ amount), `.missingField`,
    ///   `.duplicateNumber`.
    public func issueCreditNote(invoiceId: String, _ draft: CreditNoteDraft) async throws -> (CreditNote, Invoice) {
        let today = try await today(forInvoice: invoiceId)
        let draft = try draft.validated()
        let noteId = TimeOrderedID.make()
        return try await write { db in
            let invoice = try Self.requireInvoice(id: invoiceId, db)
            let note = try issueCreditNote(draft, id: noteId, against: invoice, day: draft.issueDate ?? today, db)
            // The part beyond the open balance became credit, which the balance move did not count.
            try checkCreditLimit(customerId: invoice.customerId, db)
            return (note, try Self.requireInvoice(id: invoiceId, db))
        }
    }

    /// Issues a validated credit note against an invoice inside a transaction: the work of
    /// ``issueCreditNote(invoiceId:_:)`` after validation, also used by the credit note import.
    /// - Throws: `InvoicingError` `.invalidState`, `.currencyMismatch`, `.duplicateNumber`.
    func issueCreditNote(_ draft: CreditNoteDraft, id noteId: String, against invoice: Invoice, day: CalendarDate, _ db: Database) throws -> CreditNote {
        let invoiceId = invoice.id
        guard invoice.status.isOpen || invoice.status == .paid else {
            throw InvoicingError(.invalidState, """
                invoice \(invoice.number) is \(invoice.status.rawValue); credit notes are for open or paid invoices \
                (issue a standalone credit note to give the customer credit)
                """)
        }
        guard draft.amount.currency == invoice.currency else {
            throw InvoicingError(.currencyMismatch, "the invoice is in \(invoice.currency.code), the credit note in \(draft.amount.currency.code)", field: "amount.currency")
        }
        let noted = try Int64.fetchOne(db, sql: "SELECT COALESCE(SUM(amount_minor), 0) FROM credit_note WHERE invoice_id = ?",
                                       arguments: [invoiceId]) ?? 0
        guard noted <= invoice.totalAmount.minorUnits - draft.amount.minorUnits else {
            throw InvoicingError(.invalidState, """
                credit notes on invoice \(invoice.number) would add up to more than its total (\(invoice.totalAmount)): \
                \(Money(minorUnits: noted, currency: invoice.currency)) credited already
                """, field: "amount")
        }
        let toInvoice = invoice.status.isOpen ? min(draft.amount.minorUnits, invoice.balance.minorUnits) : 0
        let note = try insertCreditNote(id: noteId, customerId: invoice.customerId, invoice: invoice, draft,
                                        toInvoice: toInvoice, day: day, db)
        if toInvoice > 0 {
            let applied = Money(minorUnits: toInvoice, currency: invoice.currency)
            try enqueue(InvoiceCredited(
                customerId: invoice.customerId, invoiceId: invoiceId, number: invoice.number, creditNoteId: noteId,
                creditNoteNumber: note.number, amount: applied,
                balance: Money(minorUnits: invoice.balance.minorUnits - toInvoice, currency: invoice.currency)), db)
            _ = try moveBalance(of: invoice, BalanceMove(
                move: .creditNote(toInvoice), balanceChangedCause: "creditNote", settlementCause: .creditNote,
                day: note.issueDate, creditNoteId: noteId), db)
        }
        try creditRest(of: note, db)
        return note
    }

    /// Issues a standalone credit note: the whole amount becomes a customer credit item.
    /// Publishes `credit-note.issued` and `customer.credit-changed` (cause `creditNote`), then
    /// applies the credit automatically if the customer asked for it.
    /// - Throws: `InvoicingError` `.notFound` (customer), `.duplicateNumber`, or a validation
    ///   code of ``CreditNoteDraft/validated()``.
    public func issueStandaloneCreditNote(_ draft: StandaloneCreditNoteDraft) async throws -> CreditNote {
        let note = try draft.note.validated()
        let noteId = TimeOrderedID.make()
        let instant = now()
        return try await write { db in
            guard try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM customer WHERE id = ?)", arguments: [draft.customerId]) == true else {
                throw InvoicingError(.notFound, "no customer with id \(draft.customerId)", field: "customerId")
            }
            let day = try note.issueDate ?? Self.day(of: instant, forCustomer: draft.customerId, db)
            let issued = try issueStandaloneCreditNote(note, id: noteId, customerId: draft.customerId, day: day, db)
            // Credit lowers the exposure: a customer over its limit may be back under it.
            try checkCreditLimit(customerId: draft.customerId, db)
            return issued
        }
    }

    /// Issues a validated standalone credit note of a known customer inside a transaction.
    /// - Throws: `InvoicingError` `.duplicateNumber`.
    func issueStandaloneCreditNote(_ note: CreditNoteDraft, id noteId: String, customerId: String, day: CalendarDate, _ db: Database) throws -> CreditNote {
        let stored = try insertCreditNote(id: noteId, customerId: customerId, invoice: nil, note, toInvoice: 0, day: day, db)
        try creditRest(of: stored, db)
        return stored
    }

    /// The credit note with that id, or `nil`.
    public func creditNote(id: String) async throws -> CreditNote? {
        try await writer.read { db in try Row.fetchOne(db, sql: "SELECT * FROM credit_note WHERE id = ?", arguments: [id]).map(Self.creditNote(from:)) }
    }

    /// Filters for listing credit notes; combined with AND.
    public struct CreditNoteQuery: Sendable, Hashable {
        public var customerId: String?
        public var invoiceId: String?

        public init(customerId: String? = nil, invoiceId: String? = nil) {
            self.customerId = customerId
            self.invoiceId = invoiceId
        }
    }

    /// Credit notes matching the query, ordered by number, one page at a time.
    /// - Throws: `InvoicingError` `.invalidField` for a cursor this API did not return.
    public func creditNotes(matching query: CreditNoteQuery, page: PageRequest) async throws -> Page<CreditNote> {
        let after = try page.decodedCursor()
        return try await writer.read { db in
            var conditions: [String] = []
            var arguments: StatementArguments = []
            if let after {
                conditions.append("number > ?")
                _ = arguments.append(contentsOf: [after])
            }
            if let customerId = query.customerId {
                conditions.append("customer_id = ?")
                _ = arguments.append(contentsOf: [customerId])
            }
            if let invoiceId = query.invoiceId {
                conditions.append("invoice_id = ?")
                _ = arguments.append(contentsOf: [invoiceId])
            }
            let whereClause = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
            _ = arguments.append(contentsOf: [page.limit + 1])
            let rows = try Row.fetchAll(db, sql: "SELECT * FROM credit_note \(whereClause) ORDER BY number LIMIT ?", arguments: arguments)
            let notes = try rows.prefix(page.limit).map(Self.creditNote(from:))
            let next = rows.count > page.limit ? notes.last.map { PageRequest.encodeCursor($0.number) } : nil
            return Page(items: notes, nextCursor: next)
        }
    }

    // MARK: Helpers

    /// Inserts the credit note (and, for the part its invoice does not absorb, its credit
    /// item, without publishing it yet) and publishes `credit-note.issued`.
    private func insertCreditNote(
        id: String, customerId: String, invoice: Invoice?, _ draft: CreditNoteDraft, toInvoice: Int64, day: CalendarDate, _ db: Database
    ) throws -> CreditNote {
        let currency = draft.amount.currency
        let toCredit = draft.amount.minorUnits - toInvoice
        let itemId = toCredit > 0 ? TimeOrderedID.make() : nil
        let note = CreditNote(
            id: id, number: draft.number, customerId: customerId, invoiceId: invoice?.id, amount: draft.amount,
            netAmount: draft.netAmount, vatAmount: draft.vatAmount, reason: draft.reason, issueDate: day,
            appliedToInvoice: Money(minorUnits: toInvoice, currency: currency), addedToCredit: Money(minorUnits: toCredit, currency: currency),
            creditItemId: itemId)
        try Self.translateUniqueViolation("credit note", number: draft.number, field: "number") {
            try db.execute(sql: """
                INSERT INTO credit_note (id, number, customer_id, invoice_id, currency, amount_minor, net_minor, vat_minor,
                    invoice_minor, credit_minor, credit_item_id, reason, issue_date)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, ?)
                """, arguments: [
                    id, draft.number, customerId, invoice?.id, currency.code, draft.amount.minorUnits, draft.netAmount?.minorUnits,
                    draft.vatAmount?.minorUnits, toInvoice, toCredit, draft.reason, day.description,
                ])
        }
        try enqueue(CreditNoteIssued(
            customerId: customerId, creditNoteId: id, number: draft.number, invoiceId: invoice?.id, invoiceNumber: invoice?.number,
            totalAmount: draft.amount, netAmount: draft.netAmount, vatAmount: draft.vatAmount, reason: draft.reason, issueDate: day,
            appliedToInvoice: note.appliedToInvoice, addedToCredit: note.addedToCredit, creditItemId: itemId), db)
        return note
    }

    /// Turns what the note's invoice did not absorb into a credit item, publishes it, and
    /// applies it automatically if the customer asked for it.
    private func creditRest(of note: CreditNote, _ db: Database) throws {
        guard let itemId = note.creditItemId, note.addedToCredit.isPositive else { return }
        try insertCreditItem(id: itemId, customerId: note.customerId, amount: note.addedToCredit, source: .creditNote,
                             reference: note.id, day: note.issueDate, db)
        try db.execute(sql: "UPDATE credit_note SET credit_item_id = ? WHERE id = ?", arguments: [itemId, note.id])
        try autoApplyCredit(customerId: note.customerId, currency: note.amount.currency, day: note.issueDate, db)
    }

    static func creditNote(from row: Row) throws -> CreditNote {
        let currency = try Currency(code: row["currency"])
        func money(_ column: String) -> Money { Money(minorUnits: row[column], currency: currency) }
        func optionalMoney(_ column: String) -> Money? { (row[column] as Int64?).map { Money(minorUnits: $0, currency: currency) } }
        return CreditNote(
            id: row["id"], number: row["number"], customerId: row["customer_id"], invoiceId: row["invoice_id"],
            amount: money("amount_minor"), netAmount: optionalMoney("net_minor"), vatAmount: optionalMoney("vat_minor"),
            reason: row["reason"], issueDate: try CalendarDate(iso8601: row["issue_date"]),
            appliedToInvoice: money("invoice_minor"), addedToCredit: money("credit_minor"), creditItemId: row["credit_item_id"])
    }
}
