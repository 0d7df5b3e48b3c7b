import Testing

@testable import Invoicing

/// A contact's `id` and `externalReference` are checked as given, as the OpenAPI document
/// states them (`maxLength`, no control characters), then trimmed; blank means none.
@Suite struct ContactKeyTests {
    private func contact(id: String? = nil, externalReference: String? = nil) -> ContactDraft {
        ContactDraft(name: "Claire Martin", role: .accounting, preferredChannel: .letter,
                     id: id, externalReference: externalReference)
    }

    @Test(arguments: ["crm-1\n", "\tcrm-1", "crm\u{0}1", "crm\u{85}1"])
    func controlCharactersAnywhereAreRefused(_ key: String) {
        #expect(throws: InvoicingError.self) { try contact(externalReference: key).validated() }
        #expect(throws: InvoicingError.self) { try contact(id: key).validated() }
    }

    @Test func blankKeysMeanNoneAndSpacesAreTrimmed() throws {
        #expect(try contact(id: "   ", externalReference: "").validated().id == nil)
        #expect(try contact(externalReference: "  crm-1 ").validated().externalReference == "crm-1")
    }

    @Test func lengthIsCountedAsGiven() {
        let padded = " " + String(repeating: "x", count: ContactDraft.maximumExternalReferenceLength)
        #expect(throws: InvoicingError.self) { try contact(externalReference: padded).validated() }
    }
}
