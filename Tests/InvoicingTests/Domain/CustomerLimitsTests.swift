import Events
import Foundation
@testable import Invoicing
import Money
import Testing

/// The size limits that keep a customer's event within a Kafka record.
@Suite("Customer size limits")
struct CustomerLimitsTests {
    typealias F = DomainFixture

    /// A valid customer with an address, one contact and room for every limit.
    static func draft() throws -> CustomerDraft {
        CustomerDraft(
            customerNumber: "C-1", legalName: "Acme SAS",
            billingAddress: PostalAddress(lines: ["12 rue de la Paix"], postalCode: "75002", city: "Paris", country: .france),
            country: .france, language: .fr, timeZone: .paris, defaultCurrency: .eur,
            contacts: [ContactDraft(name: "Claire", email: try EmailAddress("claire@acme.fr"), role: .accounting)])
    }

    static func contact(_ index: Int) throws -> ContactDraft {
        ContactDraft(name: "Contact \(index)", email: try EmailAddress("c\(index)@acme.fr"), role: .operational)
    }

    @Test("every limit is refused with limitExceeded naming the field and the limit", arguments: [
        ("51 contacts", "contacts", "50"),
        ("51 tags", "tags", "50"),
        ("tag of 51 characters", "tags[1]", "50"),
        ("customer number of 65 characters", "customerNumber", "64"),
        ("legal name of 201 characters", "legalName", "200"),
        ("registration number of 65 characters", "registrationId", "64"),
        ("segment of 65 characters", "segment", "64"),
        ("contact name of 201 characters", "contacts[0].name", "200"),
        ("5 address lines", "billingAddress.lines", "4"),
        ("address line of 101 characters", "billingAddress.lines[0]", "100"),
        ("postal code of 21 characters", "billingAddress.postalCode", "20"),
        ("city of 101 characters", "billingAddress.city", "100"),
    ])
    func limits(rule: String, field: String, limit: String) throws {
        var draft = try Self.draft()
        switch rule {
        case "51 contacts": draft.contacts = try (1...51).map(Self.contact)
        case "51 tags": draft.tags = (1...51).map { "tag \($0)" }
        case "tag of 51 characters": draft.tags = ["ok", String(repeating: "t", count: 51)]
        case "customer number of 65 characters": draft.customerNumber = String(repeating: "9", count: 65)
        case "legal name of 201 characters": draft.legalName = String(repeating: "n", count: 201)
        case "registration number of 65 characters": draft.registrationId = String(repeating: "1", count: 65)
        case "segment of 65 characters": draft.segment = String(repeating: "s", count: 65)
        case "contact name of 201 characters": draft.contacts[0].name = String(repeating: "c", count: 201)
        case "5 address lines": draft.billingAddress?.lines = ["1", "2", "3", "4", "5"]
        case "address line of 101 characters": draft.billingAddress?.lines = [String(repeating: "l", count: 101)]
        case "postal code of 21 characters": draft.billingAddress?.postalCode = String(repeating: "7", count: 21)
        case "city of 101 characters": draft.billingAddress?.city = String(repeating: "p", count: 101)
        default: Issue.record("unknown rule \(rule)")
        }
        let error = #expect(throws: InvoicingError.self) { try draft.validated() }
        #expect(error?.code == .limitExceeded)
        #expect(error?.field == field)
        #expect(error?.reason.contains("the limit is \(limit)") == true, "\(error?.reason ?? "")")
    }

    @Test("exactly at every limit is accepted")
    func atTheLimits() throws {
        var draft = try Self.draft()
        draft.contacts = try (1...50).map(Self.contact)
        draft.tags = (1...50).map { String(repeating: "t", count: 48) + String(format: "%02d", $0) }
        draft.customerNumber = String(repeating: "9", count: 64)
        draft.legalName = String(repeating: "n", count: 200)
        draft.registrationId = String(repeating: "1", count: 64)
        draft.segment = String(repeating: "s", count: 64)
        draft.billingAddress = PostalAddress(lines: Array(repeating: String(repeating: "l", count: 100), count: 4),
                                             postalCode: String(repeating: "7", count: 20), city: String(repeating: "p", count: 100),
                                             country: .france)
        let validated = try draft.validated()
        #expect(validated.contacts.count == 50)
        #expect(validated.tags.count == 50)
    }

    @Test("lengths count Unicode scalars of the text as given, like JSON Schema's maxLength")
    func lengthsCountScalarsAsGiven() throws {
        var draft = try Self.draft()
        draft.legalName = String(repeating: "é", count: 200) // precomposed: 200 scalars
        #expect(throws: Never.self) { try draft.validated() }
        draft.legalName = String(repeating: "e\u{301}", count: 101) // 101 characters, 202 scalars
        #expect((try? draft.validated()) == nil)
        draft.legalName = " " + String(repeating: "n", count: 200) // 201 as given, 200 once trimmed
        let error = #expect(throws: InvoicingError.self) { try draft.validated() }
        #expect(error?.code == .limitExceeded)
    }

    @Test("the 51st contact of a CSV import is rejected on its line with limitExceeded")
    func csvImportRejectsTheFiftyFirstContact() throws {
        // The import appends consecutive rows' contacts and validates the merged customer.
        var merged = try Self.draft()
        merged.contacts = try (1...50).map(Self.contact)
        merged = try merged.validated()
        merged.contacts.append(try Self.contact(51))
        let error = #expect(throws: InvoicingError.self) { try merged.validated() }
        #expect(error?.code == .limitExceeded)
        #expect(error?.field == "contacts")
    }

    /// The largest customer the limits allow, each text at its limit and made of the character
    /// JSON encodes longest (a control character, `\u0001`: six bytes).
    static func largestCustomer() throws -> Customer {
        let worst = "\u{1}"
        func text(_ count: Int, _ salt: Int = 0) -> String {
            String(repeating: worst, count: count - 2) + String(format: "%02d", salt % 100)
        }
        // 254-character addresses, distinct per contact (the same address twice in a role is a duplicate)
        func longEmail(_ index: Int) throws -> EmailAddress {
            let local = String(format: "%02d", index) + String(repeating: "a", count: 62)
            return try EmailAddress(local + "@" + String(repeating: "b", count: 63) + "."
                + String(repeating: "c", count: 63) + "." + String(repeating: "d", count: 58) + ".fr")
        }
        #expect(try longEmail(1).address.utf8.count == 254)
        let draft = CustomerDraft(
            customerNumber: String(repeating: "9", count: CustomerDraft.maximumNumberLength),
            legalName: text(CustomerDraft.maximumLegalNameLength),
            registrationId: text(CustomerDraft.maximumRegistrationIdLength),
            vatId: String(repeating: "9", count: 20),
            billingAddress: PostalAddress(
                lines: (1...PostalAddress.maximumLines).map { text(PostalAddress.maximumLineLength, $0) },
                postalCode: text(PostalAddress.maximumPostalCodeLength), city: text(PostalAddress.maximumCityLength),
                country: .france),
            country: .france, language: .fr, timeZone: try TimeZoneIdentifier("America/Argentina/ComodRivadavia"),
            defaultCurrency: .eur, paymentTerms: .endOfMonthPlusDays(365), creditLimit: F.eur(.max),
            segment: text(CustomerDraft.maximumSegmentLength), riskCategory: .critical, strategic: true,
            tags: (1...CustomerDraft.maximumTags).map { text(CustomerDraft.maximumTagLength, $0) },
            contacts: try (1...CustomerDraft.maximumContacts).map { index in
                ContactDraft(name: text(ContactDraft.maximumNameLength, index), email: try longEmail(index),
                             phone: try PhoneNumber("+123456789012345"), role: .management, preferredChannel: .letter,
                             isDunningRecipient: index == 1)
            })
        let validated = try draft.validated()
        #expect(validated.tags.count == CustomerDraft.maximumTags)
        return Customer(id: TimeOrderedID.make(), details: validated, credit: [], creditLimitExceeded: false,
                        createdAt: Date(), updatedAt: Date())
    }

    @Test("the largest customer allowed encodes far below librdkafka's 1 MB record limit")
    func largestCustomerFitsARecord() throws {
        let customer = try Self.largestCustomer()
        let updated = CustomerUpdated(customer: customer.snapshot, changedFields: [
            "customerNumber", "legalName", "registrationId", "vatId", "billingAddress", "country", "language", "timeZone",
            "defaultCurrency", "paymentTerms", "creditLimit", "segment", "riskCategory", "strategic", "tags", "contacts",
        ])
        let registered = CustomerRegistered(customer: customer.snapshot)
        for envelope in [try Envelope(updated, source: "/relance/invoicing", time: Date()),
                         try Envelope(registered, source: "/relance/invoicing", time: Date())] {
            // The record value is the data (about 100 kB here); key and CloudEvents headers add
            // well under a kilobyte. A quarter of message.max.bytes leaves room for growth.
            #expect(envelope.data.count < 1_000_000 / 4, "\(envelope.type): \(envelope.data.count) bytes")
            #expect(envelope.data.count > 90_000, "the worst case should be large: \(envelope.data.count) bytes")
        }
    }
}
