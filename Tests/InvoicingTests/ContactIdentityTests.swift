import Events
import Foundation
import GRDB
@testable import Invoicing
import Money
import Testing

/// Issue 7 #4: a contact's id follows the person, not its position in the list.
@Suite("Contacts keep their ids")
struct ContactIdentityTests {
    static func contact(_ name: String, email: String? = nil, phone: String? = nil, role: ContactRole = .accounting,
                        channel: Channel? = nil, recipient: Bool = false, id: String? = nil, reference: String? = nil) throws -> ContactDraft {
        ContactDraft(name: name, email: try email.map { try EmailAddress($0) }, phone: try phone.map { try PhoneNumber($0) },
                     role: role, preferredChannel: channel, isDunningRecipient: recipient, id: id, externalReference: reference)
    }

    static func customer(_ contacts: [ContactDraft]) throws -> CustomerDraft {
        var draft = try InvoicingFixture.customer()
        draft.billingAddress = PostalAddress(lines: ["1 rue de la Paix"], postalCode: "75002", city: "Paris", country: .france)
        draft.contacts = contacts
        return draft
    }

    /// Each contact's id by name.
    static func ids(_ customer: Customer) throws -> [String: String] {
        var ids: [String: String] = [:]
        for contact in customer.details.contacts {
            let id: String = try #require(contact.id)
            ids[contact.name] = id
        }
        return ids
    }

    @Test("reordering and removing contacts through the store keeps each person's id, in the store and the events")
    func reorderAndRemove() async throws {
        let fixture = try InvoicingFixture()
        let claire = try Self.contact("Claire", email: "claire@acme.fr", recipient: true)
        let paul = try Self.contact("Paul", phone: "+33 6 12 34 56 78", role: .management, recipient: true)
        let zoe = try Self.contact("Zoé", email: "zoe@acme.fr")
        let registered = try await fixture.database.registerCustomer(try Self.customer([claire, paul, zoe]))
        let ids = try Self.ids(registered)
        #expect(Set(ids.values).count == 3)
        #expect(try fixture.outboxEvents(CustomerRegistered.self).first?.customer.contacts.map(\.contactId)
                == [ids["Claire"], ids["Paul"], ids["Zoé"]].compactMap { $0 })

        // When the client sends Zoé then Paul, without ids, and no more Claire
        let updated = try await fixture.database.updateCustomer(id: registered.id, try Self.customer([zoe, paul]))

        // Then each keeps their id and Claire's is gone
        #expect(updated.details.contacts.map(\.id) == [ids["Zoé"], ids["Paul"]])
        let event = try #require(try fixture.outboxEvents(CustomerUpdated.self).last)
        #expect(event.changedFields == ["contacts"])
        #expect(event.customer.contacts.map(\.contactId) == [ids["Zoé"], ids["Paul"]].compactMap { $0 })
        #expect(event.customer.contacts.map(\.name) == ["Zoé", "Paul"])
        let stored = try #require(try await fixture.database.customer(id: registered.id))
        #expect(stored == updated)
    }

    @Test("a new contact gets a new time-ordered id, never the id of a removed one")
    func newContactsGetNewIDs() async throws {
        let fixture = try InvoicingFixture()
        let claire = try Self.contact("Claire", email: "claire@acme.fr", recipient: true)
        let paul = try Self.contact("Paul", email: "paul@acme.fr")
        let registered = try await fixture.database.registerCustomer(try Self.customer([claire, paul]))
        let ids = try Self.ids(registered)
        _ = try await fixture.database.updateCustomer(id: registered.id, try Self.customer([claire]))
        let zoe = try Self.contact("Zoé", email: "zoe@acme.fr")
        let updated = try await fixture.database.updateCustomer(id: registered.id, try Self.customer([zoe, claire]))
        let zoeID = try #require(updated.details.contacts.first?.id)
        #expect(updated.details.contacts.last?.id == ids["Claire"])
        #expect(!ids.values.contains(zoeID))
        #expect(zoeID.count == 36 && Array(zoeID)[14] == "7") // UUIDv7
    }

    @Test("the id given back by the client keeps the contact whatever else changed")
    func matchedByID() async throws {
        let fixture = try InvoicingFixture()
        let registered = try await fixture.database.registerCustomer(try Self.customer([
            try Self.contact("Claire", email: "claire@acme.fr", recipient: true),
            try Self.contact("Paul", email: "paul@acme.fr"),
        ]))
        let ids = try Self.ids(registered)
        // Claire's entry now holds Paul's old address, and Paul's id is given to the second one:
        // the ids decide, not the addresses.
        let updated = try await fixture.database.updateCustomer(id: registered.id, try Self.customer([
            try Self.contact("Claire Martin", email: "paul@acme.fr", role: .management, id: ids["Claire"]),
            try Self.contact("Paul Durand", email: "p.durand@acme.fr", id: ids["Paul"]),
        ]))
        #expect(updated.details.contacts.map(\.id) == [ids["Claire"], ids["Paul"]])
    }

    @Test("an id the customer does not have is refused, and a new customer names none")
    func unknownIDRefused() async throws {
        let fixture = try InvoicingFixture()
        let registered = try await fixture.database.registerCustomer(try Self.customer([try Self.contact("Claire", email: "claire@acme.fr")]))
        let stranger = try Self.contact("Claire", email: "claire@acme.fr", id: "0192f0c4-7a1b-7c3d-9e8f-0123456789ab")
        let error = await #expect(throws: InvoicingError.self) {
            _ = try await fixture.database.updateCustomer(id: registered.id, try Self.customer([stranger]))
        }
        #expect(error?.code == .invalidField)
        #expect(error?.field == "contacts[0].id")
        var other = try Self.customer([stranger])
        other.customerNumber = "C-002"
        await #expect(throws: InvoicingError.self) { _ = try await fixture.database.registerCustomer(other) }
        #expect(try fixture.outboxTypes() == [CustomerRegistered.eventType])
    }

    @Test("an external reference keeps a contact whose e-mail changed, and two references are two people")
    func matchedByExternalReference() async throws {
        let fixture = try InvoicingFixture()
        let registered = try await fixture.database.registerCustomer(try Self.customer([
            try Self.contact("Claire", email: "claire@acme.fr", reference: "crm-1"),
            try Self.contact("Paul", email: "paul@acme.fr", reference: "crm-2"),
        ]))
        let ids = try Self.ids(registered)
        let updated = try await fixture.database.updateCustomer(id: registered.id, try Self.customer([
            try Self.contact("Paul", email: "paul@acme.fr", reference: "crm-3"), // someone else took Paul's address
            try Self.contact("Claire", email: "claire.martin@acme.fr", reference: "crm-1"),
        ]))
        let newIDs = updated.details.contacts.map(\.id)
        #expect(newIDs[1] == ids["Claire"])
        #expect(newIDs[0] != ids["Paul"])
        let event = try #require(try fixture.outboxEvents(CustomerUpdated.self).last)
        #expect(event.customer.contacts.map(\.externalReference) == ["crm-3", "crm-1"])
    }

    @Test("a phone matches only when the addresses do not tell two people apart")
    func matchedByPhone() async throws {
        let fixture = try InvoicingFixture()
        let registered = try await fixture.database.registerCustomer(try Self.customer([
            try Self.contact("Claire", email: "claire@acme.fr", phone: "+33 1 23 45 67 89"),
            try Self.contact("Accueil", phone: "+33 1 98 76 54 32", role: .operational),
        ]))
        let ids = try Self.ids(registered)
        let updated = try await fixture.database.updateCustomer(id: registered.id, try Self.customer([
            // A colleague on the same switchboard: another address, so another person.
            try Self.contact("Paul", email: "paul@acme.fr", phone: "+33 1 23 45 67 89"),
            // The front desk now has an address: nothing contradicts the phone.
            try Self.contact("Accueil", email: "accueil@acme.fr", phone: "+33 1 98 76 54 32", role: .operational),
        ]))
        #expect(updated.details.contacts[0].id != ids["Claire"])
        #expect(updated.details.contacts[1].id == ids["Accueil"])
    }

    @Test("the same address in two roles is two contacts, each matched in its role")
    func sameAddressTwoRoles() async throws {
        let fixture = try InvoicingFixture()
        let registered = try await fixture.database.registerCustomer(try Self.customer([
            try Self.contact("Claire (compta)", email: "claire@acme.fr", role: .accounting),
            try Self.contact("Claire (direction)", email: "claire@acme.fr", role: .management),
        ]))
        let ids = try Self.ids(registered)
        let updated = try await fixture.database.updateCustomer(id: registered.id, try Self.customer([
            try Self.contact("Claire (direction)", email: "claire@acme.fr", role: .management),
            try Self.contact("Claire (compta)", email: "claire@acme.fr", role: .accounting),
        ]))
        #expect(updated.details.contacts.map(\.id) == [ids["Claire (direction)"], ids["Claire (compta)"]])
    }

    @Test("a contact reached by letter only is matched by its name")
    func matchedByName() async throws {
        let fixture = try InvoicingFixture()
        let registered = try await fixture.database.registerCustomer(try Self.customer([
            try Self.contact("Claire", email: "claire@acme.fr"),
            try Self.contact("Service achats", role: .operational, channel: .letter),
        ]))
        let ids = try Self.ids(registered)
        let updated = try await fixture.database.updateCustomer(id: registered.id, try Self.customer([
            try Self.contact("service Achats", role: .operational, channel: .letter),
        ]))
        #expect(updated.details.contacts.map(\.id) == [ids["Service achats"]])
    }

    @Test("matching prefers a stronger key named later in the list over a weaker one")
    func strongerKeysFirst() throws {
        let stored = [
            try Self.contact("Claire", email: "claire@acme.fr", id: "id-claire"),
            try Self.contact("Claire bis", email: "claire@acme.fr", role: .management, id: "id-bis"),
        ]
        var counter = 0
        let matched = try ContactIdentity.assigningIDs(to: [
            try Self.contact("Claire", email: "claire@acme.fr", role: .management), // by e-mail in its role: id-bis...
            try Self.contact("Someone", email: "someone@acme.fr", id: "id-bis"),   // ...but id-bis is named here
        ], stored: stored, newID: { counter += 1; return "new-\(counter)" })
        #expect(matched.map(\.id) == ["id-claire", "id-bis"])
    }

    // MARK: Migration

    @Test("stored customers keep the ids their contacts were published with")
    func migrationKeepsPositionalIDs() async throws {
        let queue = try DatabaseQueue()
        try InvoicingDatabase.migrator.migrate(queue, upTo: "invoicing-v1")
        let details = try Self.customer([
            try Self.contact("Claire", email: "claire@acme.fr", recipient: true),
            try Self.contact("Paul", phone: "+33 6 12 34 56 78", role: .management),
            try Self.contact("Zoé", email: "zoe@acme.fr"),
        ]).validated()
        #expect(details.contacts.allSatisfy { $0.id == nil })
        try await queue.write { db in
            for (id, number, contacts) in [("c1", "C-001", details.contacts), ("c2", "C-002", []), ("c3", "C-003", [details.contacts[1]])] {
                var customer = details
                customer.customerNumber = number
                customer.contacts = contacts
                try db.execute(sql: """
                    INSERT INTO customer (id, number, legal_name, strategic, tags, time_zone, currency, payment_terms, details, created_at, updated_at)
                    VALUES (?, ?, 'Boulangerie', 0, '||', 'Europe/Paris', 'EUR', 'net:30', ?, '2025-01-01T00:00:00.000Z', '2025-01-01T00:00:00.000Z')
                    """, arguments: [id, number, try EventJSON.encode(customer)])
            }
        }
        let clock = TestClock()
        let database = try InvoicingDatabase(queue, now: { clock.now })

        let first = try #require(try await database.customer(id: "c1"))
        #expect(first.details.contacts.map(\.id) == ["c1-contact-1", "c1-contact-2", "c1-contact-3"])
        #expect(try await database.customer(id: "c2")?.details.contacts.isEmpty == true)
        #expect(try await database.customer(id: "c3")?.details.contacts.map(\.id) == ["c3-contact-1"])
        #expect(first.details.contacts.map(\.name) == ["Claire", "Paul", "Zoé"])
        #expect(first.details.creditLimit == details.creditLimit && first.details.tags == details.tags)

        // From now on they follow the person: Claire removed, Zoé and Paul swapped.
        var update = first.details
        update.contacts = [details.contacts[2], details.contacts[1]]
        let updated = try await database.updateCustomer(id: "c1", update)
        #expect(updated.details.contacts.map(\.id) == ["c1-contact-3", "c1-contact-2"])
    }
}
