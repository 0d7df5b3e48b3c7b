import Events
import Foundation
import Money
import Testing

/// One Swift instance per event type with every optional set, and one with every optional nil.
struct EventSample: Sendable {
    let full: any DomainEvent
    let minimal: any DomainEvent

    /// A type without optionals has a single instance.
    init(_ only: any DomainEvent) {
        self.init(full: only, minimal: only)
    }

    init(full: any DomainEvent, minimal: any DomainEvent) {
        self.full = full
        self.minimal = minimal
    }

    var eventType: String { type(of: full).eventType }
}

/// Where the contract lives and what the tests build to check it.
enum ContractFixtures {
    /// The repository root: this file is `Tests/EventsTests/ContractFixtures.swift`.
    static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let eventsDirectory = repositoryRoot.appendingPathComponent("docs/events")
    static let schemaDirectory = eventsDirectory.appendingPathComponent("schemas")
    static let asyncAPIFile = eventsDirectory.appendingPathComponent("asyncapi.yaml")

    /// The base of every schema `$id`: an identifier, not a place anything is served from.
    static let schemaBaseURI = "https://relance.example/events/schemas/"
    /// The file of shared definitions, the one schema file that is not an event type.
    static let commonSchema = "common.json"

    /// Every event type of the catalog, for parameterised tests.
    static let eventTypes: [String] = EventCatalog.all.map { $0.eventType }

    /// The schema file name of an event type.
    static func schemaFile(_ eventType: String) -> String { eventType + ".json" }

    /// The Swift type of a catalog event type.
    static func swiftType(_ eventType: String) -> (any DomainEvent.Type)? {
        EventCatalog.all.first { $0.eventType == eventType }
    }

    /// Decodes JSON data as an event type with Relance's decoder.
    static func decode<Event: DomainEvent>(_: Event.Type, from data: Data) throws -> any DomainEvent {
        try EventJSON.decoder.decode(Event.self, from: data)
    }

    /// The sample of one event type.
    static func sample(_ eventType: String) throws -> EventSample {
        try #require(try samples().first { $0.eventType == eventType }, "no sample built for \(eventType)")
    }

    /// The samples, one per event type of the catalog.
    static func samples() throws -> [EventSample] {
        let customerId = "7c9e6679-7425-40de-944b-e07fc1f90ae7"
        let invoiceId = "0b6f4e1a-3c2d-4e5f-8a9b-1c2d3e4f5a6b"
        let paymentId = "c4a7e2d9-6b1f-4e8a-9c3d-2f5b8e1a7d40"
        let allocationId = "e91d3b6a-4c8f-42e7-b5a0-7d2c9f1e6b38"
        let disputeId = "5d2e8f1a-7b3c-4d9e-a6f0-3c8b1e2d4f57"
        func eur(_ minorUnits: Int64) -> Money { Money(minorUnits: minorUnits, currency: .eur) }
        func day(_ text: String) throws -> CalendarDate { try CalendarDate(iso8601: text) }

        let fullContact = ContactSnapshot(
            contactId: "a3f1c2e4-5b6d-4e7f-8a9b-0c1d2e3f4a5b", name: "Claire Martin", email: "compta@boulangerie-martin.fr",
            phone: "+33612345678", role: "accounting", preferredChannel: "email", isDunningRecipient: true,
            externalReference: "crm-4711")
        let minimalContact = ContactSnapshot(
            contactId: "b4e2d3f5-6c7e-4f80-9bac-1d2e3f4a5b6c", name: "Paul Martin", email: nil, phone: nil,
            role: "management", preferredChannel: "letter", isDunningRecipient: false)
        let fullCustomer = CustomerSnapshot(
            customerId: customerId, customerNumber: "C-00042", legalName: "Boulangerie Martin SARL", country: "FR",
            language: "fr", timeZone: "Europe/Paris", defaultCurrency: .eur, paymentTerms: "net:30",
            creditLimit: eur(1_500_000), segment: "SMB", riskCategory: "medium", strategic: false,
            tags: ["boulangerie", "ile-de-france"], contacts: [fullContact, minimalContact],
            registrationId: "123456789", vatId: "FR32123456789",
            billingAddress: PostalAddressSnapshot(lines: ["12 rue des Lilas"], postalCode: "75011", city: "Paris", country: "FR"))
        let minimalCustomer = CustomerSnapshot(
            customerId: "2f1b8c4d-9e3a-4b6f-8d7c-5a1e0f9b3c62", customerNumber: "UK-0007", legalName: "Thames Tooling Ltd",
            country: "GB", language: "en", timeZone: "Europe/London", defaultCurrency: .gbp, paymentTerms: "receipt",
            creditLimit: nil, segment: nil, riskCategory: nil, strategic: true, tags: [], contacts: [minimalContact])

        return [
            EventSample(full: CustomerRegistered(customer: fullCustomer), minimal: CustomerRegistered(customer: minimalCustomer)),
            EventSample(
                full: CustomerUpdated(customer: fullCustomer, changedFields: ["contacts", "riskCategory"]),
                minimal: CustomerUpdated(customer: minimalCustomer, changedFields: ["paymentTerms"])),
            EventSample(CustomerCreditLimitExceeded(
                customerId: customerId, customerNumber: "C-00042", creditLimit: eur(1_500_000), openBalance: eur(1_612_800))),
            EventSample(
                full: CustomerCreditLimitCleared(
                    customerId: customerId, customerNumber: "C-00042", creditLimit: eur(1_500_000), exposure: eur(1_212_800), reason: .underLimit),
                minimal: CustomerCreditLimitCleared(
                    customerId: customerId, customerNumber: "C-00042", creditLimit: nil, exposure: eur(-5_000), reason: .limitRemoved)),
            EventSample(
                full: CustomerCreditInsuranceChanged(
                    customerId: customerId, customerNumber: "C-00042", insurer: "Allianz Trade", policyReference: "POL-2026-118",
                    coverAmount: eur(5_000_000), declarationDeadlineDays: 90, startsOn: try day("2026-01-01"), endsOn: try day("2026-12-31")),
                minimal: CustomerCreditInsuranceChanged(customerId: customerId, customerNumber: "C-00042")),
            EventSample(
                full: CustomerLegalStatusChanged(
                    customerId: customerId, customerNumber: "C-00042", status: .receivership, previousStatus: .safeguard,
                    judgmentDate: try day("2026-12-15"), publicationDate: try day("2026-12-31"),
                    courtReference: "Tribunal de commerce de Paris, RG 2026J01234", claimFilingDeadline: try day("2027-02-28")),
                minimal: CustomerLegalStatusChanged(customerId: customerId, customerNumber: "C-00042", status: .none, previousStatus: .liquidation)),
            EventSample(
                full: InvoiceIssued(
                    customerId: customerId, customerNumber: "C-00042", invoiceId: invoiceId, number: "FA-2025-0042",
                    paymentReference: "RF65FA20250042ECDM", issueDate: try day("2025-03-01"), dueDate: try day("2025-03-31"),
                    totalAmount: eur(144_000), netAmount: eur(120_000), vatAmount: eur(24_000), orderReference: "PO-7781"),
                minimal: InvoiceIssued(
                    customerId: customerId, customerNumber: "C-00042", invoiceId: invoiceId, number: "FA-2025-0042",
                    paymentReference: "RF65FA20250042ECDM", issueDate: try day("2025-03-01"), dueDate: try day("2025-03-31"),
                    totalAmount: eur(144_000), netAmount: nil, vatAmount: nil, orderReference: nil)),
            EventSample(
                full: InvoiceCancelled(customerId: customerId, invoiceId: invoiceId, number: "FA-2025-0042", reason: "Issued twice"),
                minimal: InvoiceCancelled(customerId: customerId, invoiceId: invoiceId, number: "FA-2025-0042", reason: nil)),
            EventSample(InvoiceCredited(
                customerId: customerId, invoiceId: invoiceId, number: "FA-2025-0042", creditNoteId: "f0e1d2c3-b4a5-4968-8776-655443322110",
                creditNoteNumber: "AV-2025-0005", amount: eur(24_000), balance: eur(120_000))),
            EventSample(
                full: InvoiceDisputed(
                    customerId: customerId, invoiceId: invoiceId, number: "FA-2025-0042", reason: "Two pallets missing",
                    disputeId: disputeId, amount: eur(24_000), category: "quantity", openedOn: try day("2025-04-02")),
                minimal: InvoiceDisputed(customerId: customerId, invoiceId: invoiceId, number: "FA-2025-0042", reason: "Two pallets missing")),
            EventSample(
                full: InvoiceDisputeResolved(
                    customerId: customerId, invoiceId: invoiceId, number: "FA-2025-0042", resolution: "Pallets delivered; invoice stands",
                    disputeId: disputeId, amount: eur(24_000), category: "quantity", openedOn: try day("2025-04-02"),
                    resolvedOn: try day("2025-04-09")),
                minimal: InvoiceDisputeResolved(
                    customerId: customerId, invoiceId: invoiceId, number: "FA-2025-0042", resolution: "Pallets delivered; invoice stands")),
            EventSample(
                full: InvoiceAssignedToFactor(
                    customerId: customerId, invoiceId: invoiceId, number: "FA-2025-0042", factorName: "Affacturage Exemple SA",
                    mode: .confidential, assignedOn: try day("2025-03-05")),
                minimal: InvoiceAssignedToFactor(
                    customerId: customerId, invoiceId: invoiceId, number: "FA-2025-0042", factorName: "Affacturage Exemple SA")),
            EventSample(InvoiceReleasedFromFactor(
                customerId: customerId, invoiceId: invoiceId, number: "FA-2025-0042", factorName: "Affacturage Exemple SA",
                mode: .notified, releasedOn: try day("2025-05-20"))),
            EventSample(InvoiceWrittenOff(
                customerId: customerId, invoiceId: invoiceId, number: "FA-2025-0042", amount: eur(144_000), reason: "Customer in liquidation")),
            EventSample(
                full: InvoiceBalanceChanged(
                    customerId: customerId, invoiceId: invoiceId, number: "FA-2025-0042", previousBalance: eur(144_000),
                    balance: eur(44_000), status: .partiallyPaid, cause: "allocation", paymentId: paymentId),
                minimal: InvoiceBalanceChanged(
                    customerId: customerId, invoiceId: invoiceId, number: "FA-2025-0042", previousBalance: eur(44_000),
                    balance: .zero(.eur), status: .writtenOff, cause: "writeOff", paymentId: nil)),
            EventSample(InvoicePaid(
                customerId: customerId, invoiceId: invoiceId, number: "FA-2025-0042", totalAmount: eur(144_000), paidOn: try day("2025-04-04"))),
            EventSample(
                full: InvoiceSettled(
                    customerId: customerId, invoiceId: invoiceId, number: "FA-2025-0042", cause: .payment,
                    settledOn: try day("2025-04-04"), status: .paid, totalAmount: eur(144_000), paidAmount: eur(120_000),
                    creditedAmount: eur(24_000), writtenOffAmount: .zero(.eur), voidedAmount: .zero(.eur),
                    paymentId: paymentId, creditNoteId: "f0e1d2c3-b4a5-4968-8776-655443322110"),
                minimal: InvoiceSettled(
                    customerId: customerId, invoiceId: invoiceId, number: "FA-2025-0042", cause: .cancellation,
                    settledOn: try day("2025-03-01"), status: .cancelled, totalAmount: eur(144_000), paidAmount: .zero(.eur),
                    creditedAmount: .zero(.eur), writtenOffAmount: .zero(.eur), voidedAmount: eur(144_000))),
            EventSample(
                full: InvoiceReopened(
                    customerId: customerId, invoiceId: invoiceId, number: "FA-2025-0042", cause: .reversal,
                    reopenedOn: try day("2025-04-11"), balance: eur(144_000), previousStatus: .paid, status: .open,
                    paymentId: paymentId),
                minimal: InvoiceReopened(
                    customerId: customerId, invoiceId: invoiceId, number: "FA-2025-0042", cause: .reversal,
                    reopenedOn: try day("2025-10-02"), balance: eur(44_000), previousStatus: .writtenOff, status: .open)),
            EventSample(
                full: PaymentAllocated(
                    customerId: customerId, paymentId: paymentId, allocationId: allocationId, invoiceId: invoiceId,
                    invoiceNumber: "FA-2025-0042", amount: eur(100_000), valueDate: try day("2025-03-28")),
                minimal: PaymentAllocated(
                    customerId: customerId, paymentId: paymentId, allocationId: allocationId, invoiceId: invoiceId,
                    invoiceNumber: nil, amount: eur(100_000), valueDate: try day("2025-03-28"))),
            EventSample(PaymentReversed(
                customerId: customerId, paymentId: paymentId, allocationId: allocationId, invoiceId: invoiceId,
                reason: "Direct debit returned: AC04 account closed")),
        ]
    }
}
