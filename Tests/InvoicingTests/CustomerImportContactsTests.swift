import CSV
import Events
import Foundation
import Invoicing
import Testing

/// Issue 7 #11: a CSV customer may have several contacts of one role.
@Suite("CSV import: several contacts per role")
struct CustomerImportContactsTests {
    static let header = "customerNumber,legalName,country,currency,contactName,contactEmail,contactRole,contactDunningRecipient"

    @Test("a second accounting contact is imported; the first listed is the primary dunning recipient")
    func secondContactOfARole() async throws {
        let fixture = try InvoicingFixture()
        let report = try await fixture.database.importCustomers(from: CSVReader(string: """
            \(Self.header)
            C-001,Boulangerie Martin,FR,EUR,Claire,claire@martin.fr,accounting,
            C-001,Boulangerie Martin,FR,EUR,Paul,paul@martin.fr,accounting,
            C-001,Boulangerie Martin,FR,EUR,Zoé,zoe@martin.fr,management,
            """))
        #expect(report.created == 1)
        #expect(report.rejected.isEmpty)
        let customer = try #require(try await fixture.database.customer(number: "C-001"))
        #expect(customer.details.contacts.map(\.name) == ["Claire", "Paul", "Zoé"])
        #expect(customer.details.contacts.map(\.isDunningRecipient) == [true, false, true])
        let event = try #require(try fixture.outboxEvents(CustomerRegistered.self).first)
        #expect(event.customer.contacts.map(\.email) == ["claire@martin.fr", "paul@martin.fr", "zoe@martin.fr"])
        #expect(Set(event.customer.contacts.map(\.contactId)).count == 3)
        #expect(event.customer.contacts.map(\.contactId) == customer.details.contacts.compactMap(\.id))
    }

    @Test("'no' on the first contact of a role makes the next one the primary")
    func optingOut() async throws {
        let fixture = try InvoicingFixture()
        _ = try await fixture.database.importCustomers(from: CSVReader(string: """
            \(Self.header)
            C-001,Boulangerie Martin,FR,EUR,Standard,standard@martin.fr,accounting,no
            C-001,Boulangerie Martin,FR,EUR,Paul,paul@martin.fr,accounting,
            """))
        let customer = try #require(try await fixture.database.customer(number: "C-001"))
        #expect(customer.details.contacts.map(\.isDunningRecipient) == [false, true])
    }

    @Test("a row repeating a contact's e-mail in the same role is rejected, in another role it is kept")
    func trueDuplicates() async throws {
        let fixture = try InvoicingFixture()
        let report = try await fixture.database.importCustomers(from: CSVReader(string: """
            \(Self.header)
            C-001,Boulangerie Martin,FR,EUR,Claire,claire@martin.fr,accounting,
            C-001,Boulangerie Martin,FR,EUR,Claire Martin,Claire@Martin.fr,accounting,
            C-001,Boulangerie Martin,FR,EUR,Claire,claire@martin.fr,management,
            """))
        #expect(report.created == 1)
        #expect(report.rejected.map(\.line) == [3])
        #expect(report.rejected.first?.error.code == .duplicateContact)
        #expect(report.rejected.first?.error.field == "contactEmail")
        let customer = try #require(try await fixture.database.customer(number: "C-001"))
        #expect(customer.details.contacts.map(\.role) == [.accounting, .management])
        #expect(customer.details.contacts.map(\.name) == ["Claire", "Claire"])
    }
}
