import Events
import Foundation
import GRDB
import Invoicing
import Money
import Synchronization

/// Builders for the store tests: an in-memory database on a clock the test moves.
final class InvoicingFixture: Sendable {
    let database: InvoicingDatabase
    let queue: DatabaseQueue
    private let clock = TestClock()

    init() throws {
        queue = try DatabaseQueue()
        let clock = self.clock
        database = try InvoicingDatabase(queue, now: { clock.now })
    }

    /// Sets the clock to noon UTC of a day.
    func setToday(_ text: String) throws {
        let day = try CalendarDate(iso8601: text)
        var components = DateComponents()
        (components.year, components.month, components.day, components.hour) = (day.year, day.month, day.day, 12)
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = .gmt
        let date = calendar.date(from: components) ?? Date()
        clock.set(date)
    }

    /// Sets the clock to an instant, `2026-03-31T22:30:00Z`.
    func setInstant(_ text: String) throws {
        guard let date = ISO8601DateFormatter().date(from: text) else {
            throw CalendarDate.InvalidDate(reason: "not an ISO 8601 instant: \(text)")
        }
        clock.set(date)
    }

    static func customer(_ number: String = "C-001", terms: PaymentTerms = .netDays(30), limit: Int64? = nil) throws -> CustomerDraft {
        CustomerDraft(
            customerNumber: number, legalName: "Boulangerie \(number)", country: try CountryCode("FR"), language: .fr,
            timeZone: try TimeZoneIdentifier("Europe/Paris"), defaultCurrency: .eur, paymentTerms: terms,
            creditLimit: limit.map { Money(minorUnits: $0, currency: .eur) }, segment: "retail", riskCategory: .medium,
            tags: ["bakery"],
            contacts: [ContactDraft(name: "Compta", email: try EmailAddress("compta@example.fr"), role: .accounting, preferredChannel: .email, isDunningRecipient: true)])
    }

    static func invoice(_ number: String, customer: String = "C-001", issued: String = "2026-05-01", due: String? = nil, cents: Int64 = 120_00) throws -> InvoiceDraft {
        InvoiceDraft(
            number: number, customerNumber: customer, issueDate: try CalendarDate(iso8601: issued),
            dueDate: try due.map { try CalendarDate(iso8601: $0) }, currency: .eur, lines: [],
            total: Money(minorUnits: cents, currency: .eur))
    }

    /// Event types in the outbox, in commit order.
    func outboxTypes() throws -> [String] {
        try queue.read { try String.fetchAll($0, sql: "SELECT type FROM relance_outbox ORDER BY sequence") }
    }

    /// Decoded outbox events of one type.
    func outboxEvents<Event: DomainEvent>(_: Event.Type) throws -> [Event] {
        try queue.read { db in
            try Data.fetchAll(db, sql: "SELECT data FROM relance_outbox WHERE type = ? ORDER BY sequence", arguments: [Event.eventType])
        }.map { try EventJSON.decoder.decode(Event.self, from: $0) }
    }

    /// The `payment.reversed` payment matching would publish for a stored allocation: its
    /// whole amount (applied + excess), its customer, invoice and payment.
    func reversal(ofAllocation id: String, reason: String = "returned", at time: Date = Date(timeIntervalSince1970: 1_780_000_000)) throws -> Envelope {
        let row = try queue.read { db in
            try Row.fetchOne(db, sql: "SELECT *, applied_minor + excess_minor AS amount FROM allocation WHERE allocation_id = ?", arguments: [id])
        }
        guard let row else { throw CalendarDate.InvalidDate(reason: "no allocation \(id) in the store") }
        return try Envelope(
            PaymentReversed(customerId: row["customer_id"], paymentId: row["payment_id"], allocationId: id, invoiceId: row["invoice_id"],
                            amount: Money(minorUnits: row["amount"], currency: try Currency(code: row["currency"])), reason: reason),
            source: "/relance/payment-matching", time: time)
    }

    static func allocation(
        _ invoice: Invoice, cents: Int64, id: String = UUID().uuidString, on day: String = "2026-05-20", eventId: String = UUID().uuidString,
        writeOff: Money? = nil
    ) throws -> Envelope {
        try Envelope(
            PaymentAllocated(
                customerId: invoice.customerId, paymentId: "pay-\(id)", allocationId: id, invoiceId: invoice.id,
                invoiceNumber: invoice.number, amount: Money(minorUnits: cents, currency: invoice.currency),
                valueDate: try CalendarDate(iso8601: day), writeOff: writeOff),
            source: "/relance/payment-matching", time: Date(), id: eventId)
    }
}

/// A clock tests set by hand.
final class TestClock: Sendable {
    private let instant = Mutex(Date(timeIntervalSince1970: 1_780_000_000)) // 2026-05-28

    var now: Date { instant.withLock { $0 } }

    func set(_ date: Date) {
        instant.withLock { $0 = date }
    }
}
