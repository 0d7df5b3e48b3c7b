import Events
import Foundation
import GRDB
import Messaging
import Money
import Storage

/// What applying one event of the customers or invoices topics did.
public enum LedgerEventEffect: Sendable, Hashable {
    /// The projection changed.
    case applied
    /// The event was applied before (redelivery): nothing changed.
    case duplicate
    /// An event this service does not need.
    case ignored
}

extension PaymentMatchingDatabase {
    /// Keeps the projection of the ledger: payers from `customer.registered` /
    /// `customer.updated`, invoices from `invoice.issued`, their balances from
    /// `invoice.balance-changed` and `invoice.cancelled`, due dates from
    /// `invoice.due-date-changed`, and the acknowledgement of allocations that became credit
    /// whole from `customer.credit-changed`. Idempotent through the inbox; other types are ignored.
    ///
    /// A `invoice.balance-changed` caused by one of this service's allocations (cause
    /// `allocation`, same payment) acknowledges it: from then on the published balance already
    /// counts it (see ``allocatable(invoiceId:_:)``).
    /// - Throws: `InvalidRecord` for an event that cannot be read (poison: dead-lettered), or a
    ///   database error (retried).
    public func applyLedgerEvent(_ envelope: Envelope) async throws -> LedgerEventEffect {
        let effect: @Sendable (Database) throws -> Void
        let time = Self.timestamp(now())
        do {
            switch envelope.type {
            case CustomerRegistered.eventType:
                let event = try envelope.decode(CustomerRegistered.self)
                effect = { db in try Self.upsertPayer(event.customer, version: event.customerVersion, at: time, db) }
            case CustomerUpdated.eventType:
                let event = try envelope.decode(CustomerUpdated.self)
                effect = { db in try Self.upsertPayer(event.customer, version: event.customerVersion, at: time, db) }
            case InvoiceIssued.eventType:
                let event = try envelope.decode(InvoiceIssued.self)
                effect = { db in try Self.upsertInvoice(event, at: time, db) }
            case InvoiceBalanceChanged.eventType:
                let event = try envelope.decode(InvoiceBalanceChanged.self)
                effect = { db in try Self.applyBalance(event, at: time, db) }
            case InvoiceCancelled.eventType:
                let event = try envelope.decode(InvoiceCancelled.self)
                effect = { db in
                    try db.execute(sql: "UPDATE ledger_invoice SET balance_minor = 0, status = 'cancelled', updated_at = ? WHERE id = ?",
                                   arguments: [time, event.invoiceId])
                }
            case CustomerCreditChanged.eventType:
                let event = try envelope.decode(CustomerCreditChanged.self)
                guard event.cause == .overpayment, let paymentId = event.paymentId, event.change.isPositive else { return .ignored }
                effect = { db in try Self.acknowledgeAllCredited(paymentId: paymentId, credit: event.change, customerId: event.customerId, db) }
            case InvoiceDueDateChanged.eventType:
                let event = try envelope.decode(InvoiceDueDateChanged.self)
                effect = { db in
                    try db.execute(sql: "UPDATE ledger_invoice SET due_date = ?, updated_at = ? WHERE id = ?",
                                   arguments: [event.dueDate.description, time, event.invoiceId])
                }
            default:
                return .ignored
            }
        } catch {
            throw InvalidRecord(error.description)
        }
        let applied: Void? = try await Inbox.process(envelope, in: writer, effect)
        return applied == nil ? .duplicate : .applied
    }

    static func upsertPayer(_ customer: CustomerSnapshot, version: Int?, at time: String, _ db: Database) throws {
        // An older snapshot (a replay, or the topic's order across a resync) never overwrites a newer one.
        try db.execute(sql: """
            INSERT INTO payer (customer_id, customer_number, legal_name, customer_version, updated_at) VALUES (?, ?, ?, ?, ?)
            ON CONFLICT (customer_id) DO UPDATE SET customer_number = excluded.customer_number, legal_name = excluded.legal_name,
                customer_version = excluded.customer_version, updated_at = excluded.updated_at
            WHERE excluded.customer_version IS NULL OR payer.customer_version IS NULL OR excluded.customer_version >= payer.customer_version
            """, arguments: [customer.customerId, customer.customerNumber, customer.legalName, version, time])
    }

    static func upsertInvoice(_ issued: InvoiceIssued, at time: String, _ db: Database) throws {
        let balance = issued.balance?.minorUnits ?? issued.totalAmount.minorUnits
        guard balance >= 0 else { throw InvalidRecord("invoice.issued \(issued.invoiceId) has a negative balance") }
        try db.execute(sql: """
            INSERT INTO ledger_invoice (id, number, payment_reference, customer_id, currency, total_minor, balance_minor,
                issue_date, due_date, status, updated_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (id) DO UPDATE SET number = excluded.number, payment_reference = excluded.payment_reference,
                customer_id = excluded.customer_id, currency = excluded.currency, total_minor = excluded.total_minor,
                balance_minor = excluded.balance_minor, issue_date = excluded.issue_date, due_date = excluded.due_date,
                status = excluded.status, updated_at = excluded.updated_at
            """, arguments: [
                issued.invoiceId, issued.number, issued.paymentReference, issued.customerId, issued.totalAmount.currency.code,
                issued.totalAmount.minorUnits, balance, issued.issueDate.description, issued.dueDate.description,
                issued.status?.rawValue ?? "open", time,
            ])
    }

    static func applyBalance(_ event: InvoiceBalanceChanged, at time: String, _ db: Database) throws {
        guard event.balance.minorUnits >= 0 else {
            throw InvalidRecord("invoice.balance-changed for \(event.invoiceId) has a negative balance")
        }
        try db.execute(sql: "UPDATE ledger_invoice SET balance_minor = ?, status = ?, updated_at = ? WHERE id = ?",
                       arguments: [event.balance.minorUnits, event.status.rawValue, time, event.invoiceId])
        if event.cause == "allocation", let paymentId = event.paymentId {
            try db.execute(sql: """
                UPDATE allocation SET acknowledged = 1
                WHERE payment_id = ? AND invoice_id = ? AND acknowledged = 0 AND undone_at IS NULL
                """, arguments: [paymentId, event.invoiceId])
        }
    }

    /// An allocation invoicing could not apply at all (the invoice was closed by then) became
    /// the customer's credit whole: no `balance-changed` acknowledges it, the
    /// `customer.credit-changed` (cause `overpayment`, same payment, the allocation's amount)
    /// does. Without it the allocation would stay pending and hide that much of the invoice if
    /// it re-opened. A partly applied allocation is acknowledged by its `balance-changed`; its
    /// excess is smaller than its amount, so it is not matched here.
    static func acknowledgeAllCredited(paymentId: String, credit: Money, customerId: String, _ db: Database) throws {
        try db.execute(sql: """
            UPDATE allocation SET acknowledged = 1 WHERE id = (
                SELECT id FROM allocation
                WHERE payment_id = ? AND customer_id = ? AND currency = ? AND amount_minor = ? AND acknowledged = 0 AND undone_at IS NULL
                ORDER BY id LIMIT 1)
            """, arguments: [paymentId, customerId, credit.currency.code, credit.minorUnits])
    }

    /// What may still be allocated to an invoice: its published balance less this service's
    /// allocations (with their write-offs) that invoicing has not reflected yet. Never negative.
    static func allocatable(invoiceId: String, _ db: Database) throws -> Int64 {
        try Int64.fetchOne(db, sql: """
            SELECT MAX(0, i.balance_minor - COALESCE((SELECT SUM(a.amount_minor + a.write_off_minor) FROM allocation a
                WHERE a.invoice_id = i.id AND a.acknowledged = 0 AND a.undone_at IS NULL), 0))
            FROM ledger_invoice i WHERE i.id = ?
            """, arguments: [invoiceId]) ?? 0
    }

    /// The index the engine matches against: every invoice with something allocatable, every
    /// payer with its learned and entered IBANs and names.
    static func openItemIndex(policy: MatchingPolicy, _ db: Database) throws -> OpenItemIndex {
        var invoices: [OpenInvoice] = []
        let rows = try Row.fetchCursor(db, sql: """
            SELECT i.id, i.number, i.payment_reference, i.customer_id, i.currency, i.issue_date, i.due_date,
                i.balance_minor - COALESCE(p.pending, 0) AS open_minor
            FROM ledger_invoice i
            LEFT JOIN (SELECT invoice_id, SUM(amount_minor + write_off_minor) AS pending FROM allocation
                       WHERE acknowledged = 0 AND undone_at IS NULL GROUP BY invoice_id) p ON p.invoice_id = i.id
            WHERE i.balance_minor > 0
            """)
        while let row = try rows.next() {
            let open: Int64 = row["open_minor"]
            guard open > 0 else { continue }
            let currency = try Currency(code: row["currency"])
            invoices.append(OpenInvoice(
                id: row["id"], number: row["number"], paymentReference: row["payment_reference"], customerId: row["customer_id"],
                openAmount: Money(minorUnits: open, currency: currency),
                issueDate: try CalendarDate(iso8601: row["issue_date"]), dueDate: try CalendarDate(iso8601: row["due_date"])))
        }
        var aliases: [String: (names: [String], ibans: [String])] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT customer_id, kind, value FROM payer_alias ORDER BY customer_id, kind, value") {
            let customerId: String = row["customer_id"]
            if (row["kind"] as String) == "iban" {
                aliases[customerId, default: ([], [])].ibans.append(row["value"])
            } else {
                aliases[customerId, default: ([], [])].names.append(row["value"])
            }
        }
        let payers = try Row.fetchAll(db, sql: "SELECT customer_id, customer_number, legal_name FROM payer").map { row in
            let customerId: String = row["customer_id"]
            return PayerProfile(
                customerId: customerId, customerNumber: row["customer_number"], legalName: row["legal_name"],
                nameVariants: aliases[customerId]?.names ?? [], ibans: aliases[customerId]?.ibans ?? [])
        }
        return OpenItemIndex(invoices: invoices, payers: payers, policy: policy)
    }

    /// Remembers an IBAN or a name a customer pays under (no-op when known).
    static func learnAlias(customerId: String, kind: String, value: String, source: String, at time: String, _ db: Database) throws {
        let trimmed = value.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { return }
        let stored = kind == "iban" ? OpenItemIndex.normalisedIBAN(trimmed) : trimmed
        try db.execute(sql: """
            INSERT INTO payer_alias (customer_id, kind, value, source, created_at) VALUES (?, ?, ?, ?, ?)
            ON CONFLICT DO NOTHING
            """, arguments: [customerId, kind, stored, source, time])
    }
}
