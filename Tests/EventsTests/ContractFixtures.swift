import Events
import Foundation
import Money
import Testing

/// One Swift instance per event type with every optional set, and one with every optional nil.
struct EventSample: Sendable {
    let full: any DomainEvent
    let minimal: any DomainEvent
    /// Optional objects present with their own optionals nil (for types whose optional fields
    /// are objects with optional members), so that the shape test learns what they require.
    var nestedMinimal: (any DomainEvent)?
    /// More instances that take other paths, e.g. the other alternatives of a record key rule
    /// (a payment of an unknown customer keyed by the payer's IBAN).
    var variants: [any DomainEvent] = []

    /// A type without optionals has a single instance.
    init(_ only: any DomainEvent) {
        self.init(full: only, minimal: only)
    }

    init(full: any DomainEvent, minimal: any DomainEvent, nestedMinimal: (any DomainEvent)? = nil, variants: [any DomainEvent] = []) {
        self.full = full
        self.minimal = minimal
        self.nestedMinimal = nestedMinimal
        self.variants = variants
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
        let importId = "0193a1b2-4c5d-7e6f-8a9b-0c1d2e3f4a5b"
        let receivingAccount = "FR7630006000011234567890189"
        let payerIBAN = "DE89370400440532013000"
        func eur(_ minorUnits: Int64) -> Money { Money(minorUnits: minorUnits, currency: .eur) }
        func day(_ text: String) throws -> CalendarDate { try CalendarDate(iso8601: text) }

        let fullContact = ContactSnapshot(
            contactId: "a3f1c2e4-5b6d-4e7f-8a9b-0c1d2e3f4a5b", name: "Claire Martin", email: "compta@boulangerie-martin.fr",
            phone: "+33612345678", role: "accounting", preferredChannel: "email", isDunningRecipient: true,
            externalReference: "crm-4711", language: "fr-BE",
            consents: [ConsentSnapshot(channel: "email", optedIn: true, recordedOn: try day("2025-01-15")),
                       ConsentSnapshot(channel: "sms", optedIn: false, recordedOn: try day("2025-02-01"))],
            cc: ["direction@boulangerie-martin.fr"])
        let minimalContact = ContactSnapshot(
            contactId: "b4e2d3f5-6c7e-4f80-9bac-1d2e3f4a5b6c", name: "Paul Martin", email: nil, phone: nil,
            role: "management", preferredChannel: "letter", isDunningRecipient: false)
        let fullCustomer = CustomerSnapshot(
            customerId: customerId, customerNumber: "C-00042", legalName: "Boulangerie Martin SARL", country: "FR",
            language: "fr", timeZone: "Europe/Paris", defaultCurrency: .eur, paymentTerms: "net:30",
            creditLimit: eur(1_500_000), segment: "SMB", riskCategory: "medium", strategic: false,
            tags: ["boulangerie", "ile-de-france"], contacts: [fullContact, minimalContact],
            registrationId: "123456789", vatId: "FR32123456789",
            billingAddress: PostalAddressSnapshot(lines: ["12 rue des Lilas"], postalCode: "75011", city: "Paris", country: "FR"),
            lateInterestRateBasisPoints: 1250,
            autoApplyCredit: true, relationship: "customer", creditPolicy: "block")
        let minimalCustomer = CustomerSnapshot(
            customerId: "2f1b8c4d-9e3a-4b6f-8d7c-5a1e0f9b3c62", customerNumber: "UK-0007", legalName: "Thames Tooling Ltd",
            country: "GB", language: "en", timeZone: "Europe/London", defaultCurrency: .gbp, paymentTerms: "receipt",
            creditLimit: nil, segment: nil, riskCategory: nil, strategic: true, tags: [], contacts: [minimalContact])

        return [
            EventSample(full: CustomerRegistered(customer: fullCustomer, customerVersion: 1), minimal: CustomerRegistered(customer: minimalCustomer)),
            EventSample(
                full: CustomerUpdated(customer: fullCustomer, changedFields: ["contacts", "riskCategory", "autoApplyCredit"], customerVersion: 4),
                minimal: CustomerUpdated(customer: minimalCustomer, changedFields: ["paymentTerms"])),
            EventSample(CustomerCreditLimitExceeded(
                customerId: customerId, customerNumber: "C-00042", creditLimit: eur(1_500_000), openBalance: eur(1_612_800))),
            EventSample(
                full: CustomerCreditLimitCleared(
                    customerId: customerId, customerNumber: "C-00042", creditLimit: eur(1_500_000), exposure: eur(1_212_800), reason: .underLimit),
                minimal: CustomerCreditLimitCleared(
                    customerId: customerId, customerNumber: "C-00042", creditLimit: nil, exposure: eur(-5_000), reason: .limitRemoved)),
            EventSample(
                full: CustomerCreditChanged(
                    customerId: customerId, currency: .eur, creditItemId: "01936b2a-7c1e-7d3f-9a4b-2c5d8e1f0a6b", change: eur(-3_000),
                    itemOpenAmount: eur(2_000), openCredit: eur(2_000), cause: .appliedToInvoice, invoiceId: invoiceId,
                    invoiceNumber: "FA-2025-0043", paymentId: paymentId, creditNoteId: "f0e1d2c3-b4a5-4968-8776-655443322110"),
                minimal: CustomerCreditChanged(
                    customerId: customerId, currency: .eur, creditItemId: "01936b2a-7c1e-7d3f-9a4b-2c5d8e1f0a6b", change: eur(5_000),
                    itemOpenAmount: eur(5_000), openCredit: eur(5_000), cause: .overpayment)),
            EventSample(
                full: CreditNoteIssued(
                    customerId: customerId, creditNoteId: "f0e1d2c3-b4a5-4968-8776-655443322110", number: "AV-2025-0005",
                    invoiceId: invoiceId, invoiceNumber: "FA-2025-0042", totalAmount: eur(36_000), netAmount: eur(30_000),
                    vatAmount: eur(6_000), reason: "Two pallets returned", issueDate: try day("2025-04-02"),
                    appliedToInvoice: eur(24_000), addedToCredit: eur(12_000), creditItemId: "01936b2a-7c1e-7d3f-9a4b-2c5d8e1f0a6b"),
                minimal: CreditNoteIssued(
                    customerId: customerId, creditNoteId: "f0e1d2c3-b4a5-4968-8776-655443322110", number: "AV-2025-0005",
                    invoiceId: nil, invoiceNumber: nil, totalAmount: eur(5_000), netAmount: nil, vatAmount: nil,
                    reason: "Commercial gesture", issueDate: try day("2025-04-03"), appliedToInvoice: .zero(.eur),
                    addedToCredit: eur(5_000), creditItemId: nil)),
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
                    totalAmount: eur(144_000), netAmount: eur(120_000), vatAmount: eur(24_000), orderReference: "PO-7781",
                    origin: .imported, dunningStartsOn: try day("2026-12-01"), balance: .zero(.eur), status: .paid, customerVersion: 3,
                    customer: InvoiceCustomerSnapshot(
                        customerNumber: "C-00042", legalName: "Boulangerie Martin SARL", timeZone: "Europe/Paris", language: "fr",
                        segment: "SMB", riskCategory: "medium", strategic: false),
                    paymentTerms: "net:30",
                    payee: PayeeSnapshot(legalName: "Relance Demo Creditor (fictitious)", iban: "FR2999999000010000000000185", bic: "DEMOFRPPXXX"),
                    // Both rate fields set only so that the sample covers every key.
                    latePaymentTerms: LatePaymentTerms(interestRule: "contractual", annualRateBasisPoints: 1250, pointsAboveReference: 10,
                                                       recoveryIndemnity: eur(4000)),
                    documentUrl: "https://files.example.com/invoices/FA-2025-0042.pdf",
                    warnings: [InvoiceWarning(code: "paymentTermsExceedLegalMaximum", message: "the due date is beyond the legal maximum")]),
                minimal: InvoiceIssued(
                    customerId: customerId, customerNumber: "C-00042", invoiceId: invoiceId, number: "FA-2025-0042",
                    paymentReference: "RF65FA20250042ECDM", issueDate: try day("2025-03-01"), dueDate: try day("2025-03-31"),
                    totalAmount: eur(144_000), netAmount: nil, vatAmount: nil, orderReference: nil),
                nestedMinimal: InvoiceIssued(
                    customerId: customerId, customerNumber: "C-00042", invoiceId: invoiceId, number: "FA-2025-0042",
                    paymentReference: "RF65FA20250042ECDM", issueDate: try day("2025-03-01"), dueDate: try day("2025-03-31"),
                    totalAmount: eur(144_000), netAmount: nil, vatAmount: nil, orderReference: nil, customerVersion: 1,
                    customer: InvoiceCustomerSnapshot(
                        customerNumber: "C-00042", legalName: "Boulangerie Martin SARL", timeZone: "Europe/Paris", language: "fr",
                        segment: nil, riskCategory: nil, strategic: false),
                    payee: PayeeSnapshot(legalName: "Relance Demo Creditor (fictitious)", iban: "FR2999999000010000000000185", bic: nil),
                    latePaymentTerms: LatePaymentTerms(interestRule: "futureRule", annualRateBasisPoints: nil, pointsAboveReference: nil,
                                                       recoveryIndemnity: eur(4000)))),
            EventSample(InvoiceScheduleSet(
                customerId: customerId, invoiceId: invoiceId, number: "FA-2025-0042",
                instalments: [Instalment(dueDate: try day("2025-03-31"), amount: eur(48_000)),
                              Instalment(dueDate: try day("2025-04-30"), amount: eur(96_000))],
                dueDate: try day("2025-04-30"), cause: "request")),
            EventSample(InvoiceDueDateChanged(
                customerId: customerId, invoiceId: invoiceId, number: "FA-2025-0042", previousDueDate: try day("2025-03-31"),
                dueDate: try day("2025-04-30"), reason: "One month's delay granted")),
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
            EventSample(
                full: InvoiceWrittenOff(
                    customerId: customerId, invoiceId: invoiceId, number: "FA-2025-0042", amount: eur(350), reason: "Bank fees",
                    category: "bankFees", remainingBalance: eur(20_000)),
                minimal: InvoiceWrittenOff(
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
                    invoiceNumber: "FA-2025-0042", amount: eur(100_000), valueDate: try day("2025-03-28"), writeOff: eur(350)),
                minimal: PaymentAllocated(
                    customerId: customerId, paymentId: paymentId, allocationId: allocationId, invoiceId: invoiceId,
                    invoiceNumber: nil, amount: eur(100_000), valueDate: try day("2025-03-28"))),
            EventSample(
                full: PaymentReversed(
                    customerId: customerId, paymentId: paymentId, allocationId: allocationId, invoiceId: invoiceId,
                    amount: eur(100_000), reason: "Direct debit returned: AC04 account closed"),
                minimal: PaymentReversed(
                    customerId: customerId, paymentId: paymentId, allocationId: nil, invoiceId: nil,
                    amount: eur(25_000), reason: "Not a customer payment: refund from a supplier")),
            EventSample(
                full: PaymentReceivedOnAccount(
                    customerId: customerId, paymentId: paymentId, amount: eur(25_000), valueDate: try day("2025-04-02"),
                    bankReference: "2025040200017", remittance: "ACOMPTE COMMANDE 8841"),
                minimal: PaymentReceivedOnAccount(
                    customerId: customerId, paymentId: paymentId, amount: eur(25_000), valueDate: try day("2025-04-02"))),
            EventSample(
                full: PaymentReceived(
                    paymentId: paymentId, customerId: customerId, amount: eur(144_000), valueDate: try day("2025-04-02"),
                    bookingDate: try day("2025-04-02"), account: receivingAccount, bankReference: "2025040200017",
                    endToEndId: "E2E-FA-2025-0042", payerName: "BOULANGERIE MARTIN SARL", payerIBAN: payerIBAN,
                    remittance: "RF65FA20250042ECDM / FACTURE FA-2025-0042", importId: importId),
                minimal: PaymentReceived(
                    paymentId: paymentId, customerId: nil, amount: eur(50_000), valueDate: try day("2025-04-04"),
                    bookingDate: try day("2025-04-05"), account: receivingAccount, importId: importId),
                variants: [PaymentReceived(
                    paymentId: paymentId, customerId: nil, amount: eur(9_870), valueDate: try day("2025-04-03"),
                    bookingDate: try day("2025-04-03"), account: receivingAccount, payerName: "J. DUPONT", payerIBAN: payerIBAN,
                    remittance: "Facture 4471", importId: importId)]),
            EventSample(
                full: PaymentUnmatched(
                    paymentId: paymentId, customerId: customerId, amount: eur(188_000), valueDate: try day("2025-04-02"),
                    account: receivingAccount, payerName: "BOULANGERIE MARTIN SARL", payerIBAN: payerIBAN, remittance: "FACTURES MARS",
                    suggestions: [PaymentUnmatched.Suggestion(
                        invoiceIds: [invoiceId, "1c7a5f2b-4d3e-4f6a-9b0c-2d3e4f5a6b7c"], invoiceNumbers: ["FA-2025-0042", "FA-2025-0051"],
                        customerId: customerId, score: 62, rule: "payerAndCombination",
                        explanation: "The payer's IBAN is Boulangerie Martin SARL's. 1 880,00 EUR is the sum of FA-2025-0042 and FA-2025-0051.")],
                    notes: ["RF18539007547034 names no open invoice."]),
                minimal: PaymentUnmatched(
                    paymentId: paymentId, customerId: nil, amount: eur(50_000), valueDate: try day("2025-04-04"), account: receivingAccount,
                    suggestions: [], notes: []),
                variants: [PaymentUnmatched(
                    paymentId: paymentId, customerId: nil, amount: eur(9_870), valueDate: try day("2025-04-03"), account: receivingAccount,
                    payerName: "J. DUPONT", payerIBAN: payerIBAN, remittance: "Facture 4471", suggestions: [], notes: [])]),
            EventSample(
                full: StatementImported(
                    importId: importId, fileName: "releve-2025-04-02.xml", format: "camt.053",
                    statements: [StatementImported.Statement(
                        statementId: "STMT-2025-04-02-001", account: receivingAccount, lastBookingDate: try day("2025-04-02"),
                        openingBalance: eur(1_250_000), closingBalance: eur(1_394_000), balanceMismatch: false)],
                    summary: StatementImported.Summary(
                        entriesRead: 3, paymentsCreated: 2, matched: 1, partlyMatched: 0, unmatched: 1, duplicatesSkipped: 0, reversals: 0,
                        debitsIgnored: 1)),
                minimal: StatementImported(
                    importId: importId, fileName: nil, format: "mt940",
                    statements: [StatementImported.Statement(
                        statementId: nil, account: "30006 00001 12345678901", lastBookingDate: nil, openingBalance: nil, closingBalance: nil,
                        balanceMismatch: false)],
                    summary: StatementImported.Summary(
                        entriesRead: 12, paymentsCreated: 0, matched: 0, partlyMatched: 0, unmatched: 0, duplicatesSkipped: 10, reversals: 1,
                        debitsIgnored: 1)),
                variants: [StatementImported(
                    importId: importId, fileName: "empty.csv", format: "csv", statements: [],
                    summary: StatementImported.Summary(
                        entriesRead: 0, paymentsCreated: 0, matched: 0, partlyMatched: 0, unmatched: 0, duplicatesSkipped: 0, reversals: 0,
                        debitsIgnored: 0))]),
        ] + (try dunningSamples(customerId: customerId, invoiceId: invoiceId, fullContact: fullContact, minimalContact: minimalContact))
    }

    /// The samples of the scenario scheduler's and the notification service's events.
    private static func dunningSamples(
        customerId: String, invoiceId: String, fullContact: ContactSnapshot, minimalContact: ContactSnapshot
    ) throws -> [EventSample] {
        func eur(_ minorUnits: Int64) -> Money { Money(minorUnits: minorUnits, currency: .eur) }
        func day(_ text: String) throws -> CalendarDate { try CalendarDate(iso8601: text) }
        let secondInvoiceId = "1c7a5f2b-4d3e-4f6a-9b0c-2d3e4f5a6b7c"
        let taskId = "01936c1e-2b3a-7c4d-8e5f-6a7b8c9d0e1f"
        let promiseId = "01936c2f-3c4b-7d5e-9f60-7b8c9d0e1f2a"
        let caseId = "01936c40-4d5c-7e6f-a071-8c9d0e1f2a3b"
        let executedAt = Date(timeIntervalSince1970: 1_744_702_200.123)
        let step = DunningStepReference(name: "standard-b2b", version: 3, stepId: "reminder-1")
        let notificationId = NotificationRequested.notificationId(customerId: customerId, step: step, invoiceIds: [invoiceId, secondInvoiceId])
        let address = PostalAddressSnapshot(lines: ["12 rue des Lilas"], postalCode: "75011", city: "Paris", country: "FR")
        let fullCreditor = CreditorSnapshot(
            legalName: "Relance Demo Creditor (fictitious)", iban: "FR2999999000010000000000185", bic: "DEMOFRPPXXX",
            replyTo: "recouvrement@creditor.example",
            postalAddress: PostalAddressSnapshot(lines: ["1 place de la Bourse"], postalCode: "69002", city: "Lyon", country: "FR"))
        let minimalCreditor = CreditorSnapshot(legalName: "Relance Demo Creditor (fictitious)", iban: "FR2999999000010000000000185")
        let fullInvoice = ClaimedInvoice(
            invoiceId: invoiceId, invoiceNumber: "FA-2025-0042", issueDate: try day("2025-03-01"), dueDate: try day("2025-03-31"),
            total: eur(144_000), balance: eur(144_000), daysOverdue: 15, paymentReference: "RF65FA20250042ECDM", lateInterest: eur(716),
            recoveryIndemnity: eur(4_000))
        let minimalInvoice = ClaimedInvoice(
            invoiceId: secondInvoiceId, invoiceNumber: "FA-2025-0051", issueDate: try day("2025-03-05"), dueDate: try day("2025-04-04"),
            total: eur(44_000), balance: eur(24_000), daysOverdue: -2, lateInterest: eur(0), recoveryIndemnity: eur(0))
        let fullTotals = try ClaimTotals(summing: [fullInvoice], currency: .eur)
        let minimalTotals = try ClaimTotals(summing: [minimalInvoice], currency: .eur)
        let customer = NotificationRequested.Customer(customerNumber: "C-00042", legalName: "Boulangerie Martin SARL")
        let fullRecipient = NotificationRecipient(
            contactId: fullContact.contactId, name: fullContact.name, role: "accounting", email: "compta@boulangerie-martin.fr",
            phone: "+33612345678", postalAddress: address, cc: ["direction@boulangerie-martin.fr"])
        let minimalRecipient = NotificationRecipient(contactId: minimalContact.contactId, name: minimalContact.name, role: "management")

        return [
            EventSample(
                full: NotificationRequested(
                    notificationId: notificationId, customerId: customerId, channel: .registeredLetter, fallbackChannel: .letter,
                    language: "fr", templateId: .formalNotice, recipients: [fullRecipient, minimalRecipient], sender: fullCreditor,
                    customer: customer, invoices: [fullInvoice, minimalInvoice], totals: fullTotals, payBy: try day("2025-06-09"),
                    formalNotice: NotificationRequested.FormalNotice(responseDeadline: try day("2025-06-09"), annualInterestRateBasisPoints: 1215),
                    scenario: step),
                minimal: NotificationRequested(
                    notificationId: notificationId, customerId: customerId, channel: .email, language: "en-GB", templateId: .courtesyReminder,
                    recipients: [minimalRecipient], sender: minimalCreditor, customer: customer, invoices: [minimalInvoice],
                    totals: minimalTotals, payBy: try day("2025-04-04"), scenario: step)),
            EventSample(NotificationSent(
                notificationId: notificationId, customerId: customerId, channel: .email,
                providerMessageId: "<\(notificationId)@relance.example>", sentAt: executedAt)),
            EventSample(NotificationFailed(
                notificationId: notificationId, customerId: customerId, channel: .email, reason: .hardBounce,
                detail: "550 5.1.1 mailbox unavailable")),
            EventSample(
                full: DunningStepExecuted(
                    customerId: customerId, invoiceIds: [invoiceId, secondInvoiceId], step: step, channel: .email, notificationId: notificationId,
                    taskId: taskId, caseId: caseId, executedAt: executedAt),
                minimal: DunningStepExecuted(customerId: customerId, invoiceIds: [invoiceId], step: step, channel: .phoneCall, executedAt: executedAt)),
            EventSample(
                full: DunningScenarioChanged(
                    customerId: customerId, from: DunningScenarioReference(name: "standard-b2b", version: 3),
                    to: DunningScenarioReference(name: "strict-b2b", version: 1), reasonCode: .paidLate,
                    reason: "3 of the last 5 invoices were paid more than 15 days late."),
                minimal: DunningScenarioChanged(
                    customerId: customerId, from: nil, to: DunningScenarioReference(name: "standard-b2b", version: 3),
                    reasonCode: .initialAssignment, reason: "Default scenario.")),
            EventSample(
                full: DunningTaskCreated(
                    customerId: customerId, taskId: taskId, kind: .phoneCall, invoiceIds: [invoiceId], dueOn: try day("2025-05-02"),
                    step: DunningStepReference(name: "standard-b2b", version: 3, stepId: "call"), contactId: fullContact.contactId),
                minimal: DunningTaskCreated(
                    customerId: customerId, taskId: taskId, kind: .insuranceDeclaration, invoiceIds: [invoiceId], dueOn: try day("2025-07-29"))),
            EventSample(
                full: DunningTaskCompleted(
                    customerId: customerId, taskId: taskId, kind: .phoneCall, invoiceIds: [invoiceId], outcome: .promiseToPay,
                    promise: PromiseToPay(payBy: try day("2025-05-15"), amount: eur(144_000)), note: "Will pay on the 15th."),
                minimal: DunningTaskCompleted(customerId: customerId, taskId: taskId, kind: .phoneCall, invoiceIds: [invoiceId], outcome: .noAnswer)),
            EventSample(
                full: DunningPromiseRecorded(
                    customerId: customerId, promiseId: promiseId, invoiceIds: [invoiceId], payBy: try day("2025-05-15"), amount: eur(144_000),
                    taskId: taskId),
                minimal: DunningPromiseRecorded(
                    customerId: customerId, promiseId: promiseId, invoiceIds: [invoiceId], payBy: try day("2025-05-15"), amount: eur(144_000))),
            EventSample(DunningPromiseBroken(
                customerId: customerId, promiseId: promiseId, invoiceIds: [invoiceId], payBy: try day("2025-05-15"), amount: eur(144_000),
                received: eur(20_000))),
            EventSample(
                full: CollectionCaseOpened(
                    customerId: customerId, caseId: caseId,
                    debtor: CollectionCaseOpened.Debtor(
                        customerNumber: "C-00042", legalName: "Boulangerie Martin SARL", registrationId: "123456789", vatId: "FR32123456789",
                        address: address, contacts: [fullContact, minimalContact]),
                    creditor: fullCreditor, invoices: [fullInvoice], totals: fullTotals,
                    history: [CollectionCaseOpened.HistoryEntry(
                        date: try day("2025-04-15"), channel: .email, stepId: "reminder-1", summary: "Reminder 1 e-mailed; sent.")]),
                minimal: CollectionCaseOpened(
                    customerId: customerId, caseId: caseId,
                    debtor: CollectionCaseOpened.Debtor(customerNumber: "C-00042", legalName: "Boulangerie Martin SARL", contacts: [minimalContact]),
                    creditor: minimalCreditor, invoices: [minimalInvoice], totals: minimalTotals, history: [])),
            EventSample(
                full: CollectionCaseUpdated(customerId: customerId, caseId: caseId, status: .closed, collected: eur(154_000),
                                            outcome: "collected", note: "Paid in full after the agency's second letter."),
                minimal: CollectionCaseUpdated(customerId: customerId, caseId: caseId, status: .accepted)),
        ] + (try quoteAndOrderSamples(customerId: customerId, invoiceId: invoiceId))
    }

    /// Issue 11: vetting, exposure, quotes and orders.
    static func quoteAndOrderSamples(customerId: String, invoiceId: String) throws -> [EventSample] {
        let quoteId = "0193b2c4-5d6e-7f80-9a1b-2c3d4e5f6a7b"
        let orderId = "0193b2c4-6e7f-7091-8a2b-3c4d5e6f7a8b"
        func eur(_ minorUnits: Int64) -> Money { Money(minorUnits: minorUnits, currency: .eur) }
        func day(_ text: String) throws -> CalendarDate { try CalendarDate(iso8601: text) }
        let validUntil = try day("2026-04-09")
        return [
            EventSample(
                full: CustomerVetted(
                    customerId: customerId, customerNumber: "P-0007", relationship: "prospect", decision: "limited", decidedBy: "Claire Martin",
                    registrationId: "552032534", vatId: "FR27552032534", legalForm: "SA", creationDate: try day("1919-01-01"), creditScore: 88,
                    ratingSource: "Banque de France", rating: "3+", suggestedCreditLimit: eur(5_000_000), suggestedPaymentTerms: "net:45"),
                minimal: CustomerVetted(customerId: customerId, customerNumber: "P-0008", relationship: "prospect", decision: "refused",
                                        decidedBy: "Claire Martin")),
            EventSample(
                full: CustomerExposureExceeded(
                    customerId: customerId, customerNumber: "C-00042", creditLimit: eur(1_000_000), exposureBefore: eur(850_000),
                    amount: eur(300_000), exposureAfter: eur(1_150_000), policy: "warn", outcome: "accepted", documentType: "quote",
                    documentNumber: "DV-2026-0012", documentId: quoteId),
                minimal: CustomerExposureExceeded(
                    customerId: customerId, customerNumber: "C-00042", creditLimit: eur(1_000_000), exposureBefore: eur(850_000),
                    amount: eur(300_000), exposureAfter: eur(1_150_000), policy: "block", outcome: "refused", documentType: "order",
                    documentNumber: "BC-2026-0031", documentId: nil)),
            EventSample(
                full: QuoteCreated(
                    customerId: customerId, customerNumber: "C-00042", quoteId: quoteId, number: "DV-2026-0012", issueDate: try day("2026-03-10"),
                    validUntil: validUntil, netAmount: eur(250_000), vatAmount: eur(50_000), totalAmount: eur(300_000), paymentTerms: "net:75",
                    latePaymentTerms: LatePaymentTerms(interestRule: "contractual", annualRateBasisPoints: 1250, pointsAboveReference: 10,
                                                       recoveryIndemnity: eur(4_000)),
                    warnings: [InvoiceWarning(code: "paymentTermsExceedLegalMaximum", message: "due 2026-05-24 is after the legal maximum")]),
                minimal: QuoteCreated(
                    customerId: customerId, customerNumber: "C-00042", quoteId: quoteId, number: "DV-2026-0013", issueDate: try day("2026-03-10"),
                    validUntil: validUntil, netAmount: eur(250_000), vatAmount: eur(50_000), totalAmount: eur(300_000), paymentTerms: "net:30",
                    latePaymentTerms: LatePaymentTerms(interestRule: "futureRule", annualRateBasisPoints: nil, pointsAboveReference: nil,
                                                       recoveryIndemnity: eur(4_000)))),
            EventSample(QuoteSent(customerId: customerId, quoteId: quoteId, number: "DV-2026-0012", validUntil: validUntil)),
            EventSample(QuoteAccepted(customerId: customerId, quoteId: quoteId, number: "DV-2026-0012", orderId: orderId,
                                      orderNumber: "DV-2026-0012", totalAmount: eur(300_000))),
            EventSample(
                full: QuoteRefused(customerId: customerId, quoteId: quoteId, number: "DV-2026-0012", reason: "Budget postponed"),
                minimal: QuoteRefused(customerId: customerId, quoteId: quoteId, number: "DV-2026-0013")),
            EventSample(QuoteExpired(customerId: customerId, quoteId: quoteId, number: "DV-2026-0012", validUntil: validUntil)),
            EventSample(
                full: OrderCreated(
                    customerId: customerId, customerNumber: "C-00042", orderId: orderId, number: "DV-2026-0012", origin: "quote", quoteId: quoteId,
                    orderDate: try day("2026-03-15"), netAmount: eur(250_000), totalAmount: eur(300_000), customerReference: "PO-7781"),
                minimal: OrderCreated(
                    customerId: customerId, customerNumber: "C-00042", orderId: orderId, number: "BC-2026-0031", origin: "direct", quoteId: nil,
                    orderDate: try day("2026-03-15"), netAmount: eur(250_000), totalAmount: eur(300_000))),
            EventSample(OrderInvoiced(
                customerId: customerId, orderId: orderId, number: "DV-2026-0012", status: "partlyInvoiced", invoiceId: invoiceId,
                invoiceNumber: "FA-2026-0101", change: "issued", invoicedNetAmount: eur(100_000), invoicedAmount: eur(120_000),
                uninvoicedAmount: eur(180_000))),
            EventSample(
                full: OrderCancelled(customerId: customerId, orderId: orderId, number: "BC-2026-0031", reason: "Customer withdrew"),
                minimal: OrderCancelled(customerId: customerId, orderId: orderId, number: "BC-2026-0032")),
        ]
    }
}
