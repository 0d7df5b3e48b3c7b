import Events
import Foundation
import GRDB
import Money
import ServiceKit
import Storage

/// Customer credit as open items (migration `invoicing-v5-credit-items`).
///
/// Every change of an item's open amount publishes `customer.credit-changed` in the same
/// transaction. Applying credit to an invoice is an ``InvoiceLedger/Move/creditApplication(_:fromPayment:)``
/// move, recorded in `credit_application` so that a payment reversal can re-open it.
extension InvoicingDatabase {
    // MARK: Public operations

    /// Applies the customer's open credit to an open invoice, oldest items first, same
    /// currency only. Publishes per item used `customer.credit-changed` (cause
    /// `appliedToInvoice`), and for the invoice `invoice.balance-changed` (cause `allocation`
    /// for credit from money received, `creditNote` for credit from credit notes),
    /// `invoice.settled` (cause `creditApplied`) when the balance reaches zero and
    /// `invoice.paid` the first time it becomes paid.
    /// - Parameters:
    ///   - invoiceId: The invoice.
    ///   - amount: At most this much; default: as much as possible (the open balance, or the
    ///     credit available if less).
    ///   - creditItemId: Only this item; default: every open item of the currency.
    /// - Throws: `InvoicingError` `.notFound` (invoice), `.invalidState` (closed invoice, no
    ///   open credit, amount above the balance or the credit), `.currencyMismatch`,
    ///   `.nonPositiveTotal` (amount not above zero), `.invalidField` (unknown credit item).
    public func applyCredit(invoiceId: String, amount: Money? = nil, creditItemId: String? = nil) async throws -> CreditApplicationResult {
        let today = try await today(forInvoice: invoiceId)
        return try await write { db in
            let invoice = try Self.requireInvoice(id: invoiceId, db)
            guard invoice.status.isOpen else {
                throw InvoicingError(.invalidState, "invoice \(invoice.number) is \(invoice.status.rawValue); credit applies to open invoices only")
            }
            if let amount {
                guard amount.currency == invoice.currency else {
                    throw InvoicingError(.currencyMismatch, "the invoice is in \(invoice.currency.code), the amount in \(amount.currency.code)", field: "amount.currency")
                }
                guard amount.isPositive else {
                    throw InvoicingError(.nonPositiveTotal, "the amount of credit to apply must be above zero; leave it out to apply as much as possible", field: "amount")
                }
                guard amount.minorUnits <= invoice.balance.minorUnits else {
                    throw InvoicingError(.invalidState, "\(amount) is above the open balance of invoice \(invoice.number) (\(invoice.balance))", field: "amount")
                }
            }
            if let creditItemId {
                guard let item = try Self.fetchCreditItem(id: creditItemId, db), item.customerId == invoice.customerId else {
                    throw InvoicingError(.invalidField, "the invoice's customer has no credit item \(creditItemId)", field: "creditItemId")
                }
                guard item.amount.currency == invoice.currency else {
                    throw InvoicingError(.currencyMismatch, "credit item \(creditItemId) is in \(item.amount.currency.code), the invoice in \(invoice.currency.code)", field: "creditItemId")
                }
            }
            let available = try Self.openCredit(customerId: invoice.customerId, currency: invoice.currency, itemId: creditItemId, db)
            guard available > 0 else {
                throw InvoicingError(.invalidState, creditItemId.map { "credit item \($0) has nothing open" }
                                     ?? "customer \(invoice.customerNumber) has no open credit in \(invoice.currency.code)")
            }
            if let amount, amount.minorUnits > available {
                throw InvoicingError(.invalidState, "\(amount) is more than the open credit (\(Money(minorUnits: available, currency: invoice.currency)))", field: "amount")
            }
            let applications = try applyCredit(to: invoice, upTo: amount?.minorUnits, itemId: creditItemId, day: today, db)
            let total = applications.reduce(Int64(0)) { $0 + $1.amount.minorUnits }
            return CreditApplicationResult(
                invoice: try Self.requireInvoice(id: invoiceId, db), applied: Money(minorUnits: total, currency: invoice.currency),
                applications: applications)
        }
    }

    /// A customer's credit items, oldest first, one page at a time.
    /// - Throws: `InvoicingError` `.notFound` (customer), `.invalidField` (a cursor this API
    ///   did not return).
    public func creditItems(customerId: String, page: PageRequest) async throws -> Page<CreditItem> {
        let after = try page.decodedCursor()
        return try await writer.read { db in
            guard try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM customer WHERE id = ?)", arguments: [customerId]) == true else {
                throw InvoicingError(.notFound, "no customer with id \(customerId)")
            }
            var afterRow: Int64 = 0
            if let after {
                guard let parsed = Int64(after) else {
                    throw InvoicingError(.invalidField, "the cursor is not one this API returned; start again without it", field: "cursor")
                }
                afterRow = parsed
            }
            let rows = try Row.fetchAll(db, sql: """
                SELECT rowid, * FROM credit_item WHERE customer_id = ? AND rowid > ? ORDER BY rowid LIMIT ?
                """, arguments: [customerId, afterRow, page.limit + 1])
            let items = try rows.prefix(page.limit).map(Self.creditItem(from:))
            let next = rows.count > page.limit ? rows.prefix(page.limit).last.map { PageRequest.encodeCursor(String($0["rowid"] as Int64)) } : nil
            return Page(items: items, nextCursor: next)
        }
    }

    // MARK: Inside a transaction

    /// Records a new credit item and publishes `customer.credit-changed`, without applying it:
    /// the caller then calls ``autoApplyCredit(customerId:currency:day:_:)``.
    /// - Returns: The item's id.
    @discardableResult
    func insertCreditItem(
        id: String = TimeOrderedID.make(), customerId: String, amount: Money, source: CreditItemSource, reference: String?,
        allocationId: String? = nil, externalReference: String? = nil, day: CalendarDate, _ db: Database
    ) throws -> String {
        try db.execute(sql: """
            INSERT INTO credit_item (id, customer_id, currency, source, reference, allocation_id, external_reference, amount_minor,
                open_minor, created_on, created_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [
                id, customerId, amount.currency.code, source.rawValue, reference, allocationId, externalReference, amount.minorUnits,
                amount.minorUnits, day.description, Self.timestamp(now()),
            ])
        let cause: CustomerCreditChangeCause = switch source {
        case .overpayment: .overpayment
        case .paymentOnAccount: .paymentOnAccount
        case .creditNote: .creditNote
        }
        try enqueueCreditChanged(customerId: customerId, itemId: id, change: amount, itemOpen: amount.minorUnits, cause: cause,
                                 paymentId: source.isPayment ? reference : nil, creditNoteId: source.isPayment ? nil : reference, db)
        return id
    }

    /// Applies the customer's open credit in `currency` (every currency when `nil`) to its
    /// oldest open invoices that are not disputed (by issue date, then number), when the
    /// customer asked for it (`autoApplyCredit`); does nothing otherwise.
    /// - Parameter excluded: Invoices to leave out as well (imported rows the ERP marks
    ///   disputed, whose dispute is opened after their batch commits).
    func autoApplyCredit(customerId: String, currency: Currency?, day: CalendarDate, excluding excluded: Set<String> = [], _ db: Database) throws {
        let enabled = try Bool.fetchOne(db, sql: """
            SELECT COALESCE(json_extract(CAST(details AS TEXT), '$.autoApplyCredit'), 0) FROM customer WHERE id = ?
            """, arguments: [customerId]) ?? false
        guard enabled else { return }
        let currencies = try currency.map { [$0.code] } ?? String.fetchAll(db, sql: """
            SELECT DISTINCT currency FROM credit_item WHERE customer_id = ? AND open_minor > 0 ORDER BY currency
            """, arguments: [customerId])
        for code in currencies {
            let invoiceIds = try String.fetchAll(db, sql: """
                SELECT id FROM invoice
                WHERE customer_id = ? AND currency = ? AND status IN ('open', 'partiallyPaid') AND disputed = 0
                ORDER BY issue_date, number
                """, arguments: [customerId, code])
            for invoiceId in invoiceIds where !excluded.contains(invoiceId) {
                guard try Self.openCredit(customerId: customerId, currency: try Currency(code: code), itemId: nil, db) > 0 else { break }
                _ = try applyCredit(to: try Self.requireInvoice(id: invoiceId, db), upTo: nil, itemId: nil, day: day, db)
            }
        }
    }

    /// Applies open credit to an open invoice, oldest items first: at most `upTo` (default:
    /// the open balance), only `itemId` when given.
    /// - Returns: One application per item used.
    func applyCredit(to invoice: Invoice, upTo: Int64?, itemId: String?, day: CalendarDate, _ db: Database) throws -> [CreditApplication] {
        var remaining = min(upTo ?? invoice.balance.minorUnits, invoice.balance.minorUnits)
        var current = invoice
        var applications: [CreditApplication] = []
        let items = try Row.fetchAll(db, sql: """
            SELECT id, source, reference, open_minor FROM credit_item
            WHERE customer_id = ?1 AND currency = ?2 AND open_minor > 0 AND (?3 IS NULL OR id = ?3)
            ORDER BY created_on, rowid
            """, arguments: [invoice.customerId, invoice.currency.code, itemId])
        for row in items where remaining > 0 {
            let itemId: String = row["id"]
            let open: Int64 = row["open_minor"]
            guard let source = CreditItemSource(rawValue: row["source"]) else {
                throw InvoiceLedgerError(invoiceId: invoice.id, reason: "credit item \(itemId) has an unknown source")
            }
            let reference: String? = row["reference"]
            let amount = min(open, remaining)
            remaining -= amount
            let applicationId = TimeOrderedID.make()
            try db.execute(sql: "UPDATE credit_item SET open_minor = open_minor - ? WHERE id = ?", arguments: [amount, itemId])
            try db.execute(sql: """
                INSERT INTO credit_application (id, credit_item_id, invoice_id, amount_minor, applied_on, created_at) VALUES (?, ?, ?, ?, ?, ?)
                """, arguments: [applicationId, itemId, invoice.id, amount, day.description, Self.timestamp(now())])
            try enqueueCreditChanged(
                customerId: invoice.customerId, itemId: itemId, change: Money(minorUnits: -amount, currency: invoice.currency),
                itemOpen: open - amount, cause: .appliedToInvoice, invoiceId: invoice.id, invoiceNumber: invoice.number,
                paymentId: source.isPayment ? reference : nil, creditNoteId: source.isPayment ? nil : reference, db)
            current = try moveBalance(of: current, BalanceMove(
                move: .creditApplication(amount, fromPayment: source.isPayment),
                // invoice.balance-changed's causes are a closed list: credit from money received
                // is an allocation of that money, credit from a credit note is a credit note.
                balanceChangedCause: source.isPayment ? "allocation" : "creditNote", settlementCause: .creditApplied,
                day: day, paymentId: source.isPayment ? reference : nil, creditNoteId: source.isPayment ? nil : reference), db)
            applications.append(CreditApplication(
                id: applicationId, creditItemId: itemId, invoiceId: invoice.id,
                amount: Money(minorUnits: amount, currency: invoice.currency), appliedOn: day))
        }
        return applications
    }

    /// Takes back the credit a payment gave when the payment is reversed (an overpayment's
    /// excess, a payment on account), never leaving negative credit: what is still open on the
    /// item is withdrawn (`customer.credit-changed`, cause `paymentReversed`); the rest was
    /// applied to invoices, which owe it again: those applications are re-opened, newest
    /// first, each a reversal on its invoice (`invoice.balance-changed` cause `reversal`,
    /// `invoice.reopened` when it was settled).
    func withdrawCredit(_ item: CreditItem, paymentId: String, day: CalendarDate, _ db: Database) throws {
        let currency = item.amount.currency
        let takeBack = item.openAmount.minorUnits
        var rest = item.appliedAmount.minorUnits
        if takeBack > 0 {
            try db.execute(sql: "UPDATE credit_item SET open_minor = 0, withdrawn_minor = withdrawn_minor + ? WHERE id = ?",
                           arguments: [takeBack, item.id])
            try enqueueCreditChanged(
                customerId: item.customerId, itemId: item.id, change: Money(minorUnits: -takeBack, currency: currency), itemOpen: 0,
                cause: .paymentReversed, paymentId: paymentId, db)
        }
        let applications = try Row.fetchAll(db, sql: """
            SELECT rowid, id, invoice_id, amount_minor - reversed_minor AS standing FROM credit_application
            WHERE credit_item_id = ? AND amount_minor > reversed_minor ORDER BY rowid DESC
            """, arguments: [item.id])
        // One balance move per invoice, summed over its applications: the item can have been
        // applied to the same invoice more than once, and `invoice.reopened` must carry the
        // balance after the whole reversal, not after its first part.
        var reopenedInvoices: [String] = []
        var reopenedAmounts: [String: Int64] = [:]
        for application in applications where rest > 0 {
            let amount = min(rest, application["standing"] as Int64)
            rest -= amount
            try db.execute(sql: "UPDATE credit_application SET reversed_minor = reversed_minor + ? WHERE id = ?",
                           arguments: [amount, application["id"] as String])
            try db.execute(sql: "UPDATE credit_item SET withdrawn_minor = withdrawn_minor + ? WHERE id = ?", arguments: [amount, item.id])
            let invoiceId: String = application["invoice_id"]
            if reopenedAmounts[invoiceId] == nil { reopenedInvoices.append(invoiceId) }
            reopenedAmounts[invoiceId, default: 0] += amount
        }
        for invoiceId in reopenedInvoices {
            guard let amount = reopenedAmounts[invoiceId] else { continue }
            let invoice = try Self.requireInvoice(id: invoiceId, db)
            _ = try moveBalance(of: invoice, BalanceMove(
                move: .reversal(amount), balanceChangedCause: "reversal", settlementCause: .payment, day: day, paymentId: paymentId), db)
        }
    }

    // MARK: Reading

    /// The open credit of a customer in a currency (of one item when `itemId` is given), in
    /// minor units.
    static func openCredit(customerId: String, currency: Currency, itemId: String? = nil, _ db: Database) throws -> Int64 {
        try Int64.fetchOne(db.cachedStatement(sql: """
            SELECT COALESCE(SUM(open_minor), 0) FROM credit_item
            WHERE customer_id = ?1 AND currency = ?2 AND open_minor > 0 AND (?3 IS NULL OR id = ?3)
            """), arguments: [customerId, currency.code, itemId]) ?? 0
    }

    static func fetchCreditItem(id: String, _ db: Database) throws -> CreditItem? {
        try Row.fetchOne(db, sql: "SELECT * FROM credit_item WHERE id = ?", arguments: [id]).map(creditItem(from:))
    }

    static func creditItem(from row: Row) throws -> CreditItem {
        let currency = try Currency(code: row["currency"])
        func money(_ minorUnits: Int64) -> Money { Money(minorUnits: minorUnits, currency: currency) }
        let sourceName: String = row["source"]
        guard let source = CreditItemSource(rawValue: sourceName) else {
            throw InvoicingError(.invalidState, "credit item \(row["id"] as String) has an unknown source '\(sourceName)'")
        }
        let amount: Int64 = row["amount_minor"]
        let open: Int64 = row["open_minor"]
        let withdrawn: Int64 = row["withdrawn_minor"]
        return CreditItem(
            id: row["id"], customerId: row["customer_id"], source: source, reference: row["reference"],
            externalReference: row["external_reference"], amount: money(amount),
            openAmount: money(open), appliedAmount: money(amount - open - withdrawn), withdrawnAmount: money(withdrawn),
            createdOn: try CalendarDate(iso8601: row["created_on"]),
            createdAt: EventJSON.parseInstant(row["created_at"]) ?? Date(timeIntervalSince1970: 0))
    }

    private func enqueueCreditChanged(
        customerId: String, itemId: String, change: Money, itemOpen: Int64, cause: CustomerCreditChangeCause,
        invoiceId: String? = nil, invoiceNumber: String? = nil, paymentId: String? = nil, creditNoteId: String? = nil, _ db: Database
    ) throws {
        let currency = change.currency
        try enqueue(CustomerCreditChanged(
            customerId: customerId, currency: currency, creditItemId: itemId, change: change,
            itemOpenAmount: Money(minorUnits: itemOpen, currency: currency),
            openCredit: Money(minorUnits: try Self.openCredit(customerId: customerId, currency: currency, db), currency: currency),
            cause: cause, invoiceId: invoiceId, invoiceNumber: invoiceNumber, paymentId: paymentId, creditNoteId: creditNoteId), db)
    }
}
