import Events
import Foundation
import GRDB
import Money
@testable import ScenarioScheduler

/// An in-memory scheduler store on a clock a test moves, fed with the ledger's events.
struct SchedulerFixture {
    let queue: DatabaseQueue
    let database: SchedulerDatabase
    let clock: SchedulerClock
    static let paris = TimeZone(identifier: "Europe/Paris")!

    /// Starts on Monday 1 June 2026, 08:00 in Paris, freshness guard off unless given.
    /// - Parameter parallelPlanning: false: the tick plans on its writer's thread alone.
    init(start: String = "2026-06-01T06:00:00Z", policy: DunningPolicy = DunningPolicy(freshnessBusinessDays: 0),
         assignment: ScenarioAssignment = ScenarioAssignment(), parallelPlanning: Bool = true) throws {
        let base = try Self.instant(start)
        clock = SchedulerClock(adjustable: true) { base }
        queue = try DatabaseQueue()
        var database = try SchedulerDatabase(queue, clock: clock, assignment: assignment, settings: .init(policy: policy))
        database.parallelPlanning = parallelPlanning
        self.database = database
    }

    static func instant(_ text: String) throws -> Date {
        guard let date = ISO8601DateFormatter().date(from: text) else { throw FixtureError("not an instant: \(text)") }
        return date
    }

    struct FixtureError: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }

    // MARK: Ledger events

    static func contact(_ id: String = "ct-1", role: String = "accounting", email: String? = "compta@client.test", phone: String? = nil) -> ContactSnapshot {
        ContactSnapshot(contactId: id, name: "Compta \(id)", email: email, phone: phone, role: role, preferredChannel: "email", isDunningRecipient: true)
    }

    static let address = PostalAddressSnapshot(lines: ["12 rue des Lilas"], postalCode: "75011", city: "Paris", country: "FR")

    @discardableResult
    func register(_ customerId: String, contacts: [ContactSnapshot] = [contact()], risk: String? = nil, strategic: Bool = false,
                  billingAddress: PostalAddressSnapshot? = address, version: Int = 1, timeZone: String = "Europe/Paris") async throws -> Envelope {
        let snapshot = CustomerSnapshot(
            customerId: customerId, customerNumber: "N-\(customerId)", legalName: "Client \(customerId)", country: "FR", language: "fr",
            timeZone: timeZone, defaultCurrency: .eur, paymentTerms: "net:30", creditLimit: nil, segment: nil, riskCategory: risk,
            strategic: strategic, tags: [], contacts: contacts, billingAddress: billingAddress)
        return try await apply(CustomerRegistered(customer: snapshot, customerVersion: version))
    }

    @discardableResult
    func issue(_ invoiceId: String, customerId: String, cents: Int64 = 1_000_00, due: String = "2026-06-15",
               dunningStartsOn: String? = nil) async throws -> Envelope {
        let issued = InvoiceIssued(
            customerId: customerId, customerNumber: "N-\(customerId)", invoiceId: invoiceId, number: "F-\(invoiceId)",
            paymentReference: "RF18539007547034", issueDate: try CalendarDate(iso8601: "2026-05-15"), dueDate: try CalendarDate(iso8601: due),
            totalAmount: Money(minorUnits: cents, currency: .eur), netAmount: nil, vatAmount: nil, orderReference: nil,
            dunningStartsOn: try dunningStartsOn.map { try CalendarDate(iso8601: $0) })
        return try await apply(issued)
    }

    /// invoicing's events for a payment: the balance change, and the settlement when paid in full.
    func pay(_ invoiceId: String, customerId: String, from previous: Int64, to balance: Int64) async throws {
        try await apply(InvoiceBalanceChanged(
            customerId: customerId, invoiceId: invoiceId, number: "F-\(invoiceId)", previousBalance: Money(minorUnits: previous, currency: .eur),
            balance: Money(minorUnits: balance, currency: .eur), status: balance == 0 ? .paid : .partiallyPaid, cause: "allocation",
            paymentId: "pay-\(invoiceId)"))
        if balance == 0 {
            let zero = Money.zero(.eur)
            try await apply(InvoiceSettled(
                customerId: customerId, invoiceId: invoiceId, number: "F-\(invoiceId)", cause: .payment, settledOn: today,
                status: .paid, totalAmount: Money(minorUnits: previous, currency: .eur), paidAmount: Money(minorUnits: previous, currency: .eur),
                creditedAmount: zero, writtenOffAmount: zero, voidedAmount: zero))
        }
    }

    @discardableResult
    func apply<Event: DomainEvent>(_ event: Event) async throws -> Envelope {
        let envelope = try Envelope(event, source: "/relance/invoicing", time: clock.now())
        try await database.apply(envelope)
        return envelope
    }

    var today: CalendarDate { CalendarDate(date: clock.now(), in: Self.paris) }

    func advance(days: Double) throws {
        try clock.advance(by: days * 86_400)
    }

    /// Moves the clock to an instant (forward only).
    func advance(to text: String) throws {
        try clock.advance(by: max(0, try Self.instant(text).timeIntervalSince(clock.now())))
    }

    @discardableResult
    func tick() async throws -> TickReport { try await database.runDueActions() }

    // MARK: Reading the store

    func outbox<Event: DomainEvent>(_: Event.Type) throws -> [Event] {
        try queue.read { db in
            try Data.fetchAll(db, sql: "SELECT data FROM relance_outbox WHERE type = ? ORDER BY sequence", arguments: [Event.eventType])
        }.map { try EventJSON.decoder.decode(Event.self, from: $0) }
    }

    func commands() throws -> [NotificationRequested] { try outbox(NotificationRequested.self) }

    func nextAction(_ invoiceId: String) throws -> Date? {
        try queue.read { db in
            try Int64.fetchOne(db, sql: "SELECT next_action_at FROM invoice WHERE id = ?", arguments: [invoiceId])
        }.map { Date(timeIntervalSince1970: TimeInterval($0)) }
    }
}
