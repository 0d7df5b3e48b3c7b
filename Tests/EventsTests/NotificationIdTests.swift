import Foundation
@testable import Events
import Money
import Testing

@Suite struct NotificationIdTests {
    let customerId = "7c9e6679-7425-40de-944b-e07fc1f90ae7"
    let step = DunningStepReference(name: "standard-b2b", version: 3, stepId: "reminder-1")
    let invoices = ["0b6f4e1a-3c2d-4e5f-8a9b-1c2d3e4f5a6b", "1c7a5f2b-4d3e-4f6a-9b0c-2d3e4f5a6b7c", "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d"]

    @Test("the id follows the documented derivation (value computed independently with Python hashlib)")
    func matchesDocumentedDerivation() {
        let id = NotificationRequested.notificationId(customerId: customerId, step: step, invoiceIds: Array(invoices.prefix(2)))
        #expect(id == "6c796075-2511-8d4d-8bfe-4ea8fb30ac3e")
        let other = NotificationRequested.notificationId(
            customerId: "2f1b8c4d-9e3a-4b6f-8d7c-5a1e0f9b3c62", step: DunningStepReference(name: "gentle", version: 1, stepId: "courtesy"),
            invoiceIds: ["9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d"])
        #expect(other == "01c073a7-f411-8cab-ac60-4a84912f1187")
    }

    @Test("the same invoices in any order, or repeated, give the same id")
    func invoiceOrderDoesNotMatter() {
        let reference = NotificationRequested.notificationId(customerId: customerId, step: step, invoiceIds: invoices)
        let orders = [invoices.reversed(), [invoices[1], invoices[2], invoices[0]], invoices + [invoices[0]]]
        for order in orders {
            #expect(NotificationRequested.notificationId(customerId: customerId, step: step, invoiceIds: order) == reference)
        }
    }

    @Test("any change of customer, scenario, version, step or invoices gives another id")
    func everyInputCounts() {
        let reference = NotificationRequested.notificationId(customerId: customerId, step: step, invoiceIds: invoices)
        let changed = [
            NotificationRequested.notificationId(customerId: "2f1b8c4d-9e3a-4b6f-8d7c-5a1e0f9b3c62", step: step, invoiceIds: invoices),
            NotificationRequested.notificationId(
                customerId: customerId, step: DunningStepReference(name: "strict-b2b", version: 3, stepId: "reminder-1"), invoiceIds: invoices),
            NotificationRequested.notificationId(
                customerId: customerId, step: DunningStepReference(name: "standard-b2b", version: 4, stepId: "reminder-1"), invoiceIds: invoices),
            NotificationRequested.notificationId(
                customerId: customerId, step: DunningStepReference(name: "standard-b2b", version: 3, stepId: "reminder-2"), invoiceIds: invoices),
            NotificationRequested.notificationId(customerId: customerId, step: step, invoiceIds: invoices.dropLast()),
            NotificationRequested.notificationId(customerId: customerId, step: step, invoiceIds: invoices + ["another-invoice"]),
            // Fields are length-prefixed: moving characters between fields changes the id.
            NotificationRequested.notificationId(
                customerId: customerId + "standard-b2b", step: DunningStepReference(name: "", version: 3, stepId: "reminder-1"), invoiceIds: invoices),
        ]
        #expect(Set(changed).count == changed.count)
        #expect(!changed.contains(reference))
    }

    @Test("the id is a lower-case RFC 9562 version 8 UUID")
    func idIsUUIDv8() {
        let id = NotificationRequested.notificationId(customerId: customerId, step: step, invoiceIds: invoices)
        #expect(id.wholeMatch(of: /[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}/) != nil, "\(id)")
    }

    @Test("a command built by the rule derives its own id back")
    func commandDerivesItsId() throws {
        let sample = try ContractFixtures.sample(NotificationRequested.eventType)
        let command = try #require(sample.full as? NotificationRequested)
        #expect(command.derivedNotificationId == command.notificationId)
        var changed = command
        changed.invoices.removeLast()
        #expect(changed.derivedNotificationId != command.notificationId)
    }

    @Test("claim totals add up the invoices and refuse another currency")
    func claimTotals() throws {
        func eur(_ minorUnits: Int64) -> Money { Money(minorUnits: minorUnits, currency: .eur) }
        let due = try CalendarDate(iso8601: "2025-03-31")
        let first = ClaimedInvoice(
            invoiceId: "a", invoiceNumber: "A", issueDate: due, dueDate: due, total: eur(10_000), balance: eur(6_000), daysOverdue: 10,
            lateInterest: eur(25), recoveryIndemnity: eur(4_000))
        let second = ClaimedInvoice(
            invoiceId: "b", invoiceNumber: "B", issueDate: due, dueDate: due, total: eur(3_000), balance: eur(3_000), daysOverdue: 10,
            lateInterest: eur(5), recoveryIndemnity: eur(4_000))
        let totals = try ClaimTotals(summing: [first, second], currency: .eur)
        #expect(totals == ClaimTotals(balance: eur(9_000), lateInterest: eur(30), recoveryIndemnity: eur(8_000), totalClaimed: eur(17_030)))
        #expect(throws: MoneyError.self) { try ClaimTotals(summing: [first, second], currency: .gbp) }
    }
}

@Suite struct SHA256Tests {
    @Test("SHA-256 gives the FIPS 180-4 test vectors", arguments: [
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        ("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
    ])
    func knownVectors(message: String, digest: String) {
        let bytes = SHA256.digest(Array(message.utf8))
        #expect(bytes.map { String(format: "%02x", $0) }.joined() == digest)
    }
}
