import Events
import Money
import Testing
@testable import PaymentMatching

/// Rules 1 and 2: references in the structured field and in the free text.
@Suite struct ReferenceRuleTests {
    let engine = MatchingEngine()
    let invoices = [
        MatchingFixture.invoice("I42", number: "FA-2025-0042", open: 120_00, due: "2025-03-31", reference: "RF18539007547034"),
        MatchingFixture.invoice("I43", number: "FA-2025-0043", open: 80_00, due: "2025-04-15", reference: MatchingFixture.rf("FA20250043")),
    ]

    @Test func aValidRFReferenceInTheStructuredFieldAllocatesItsInvoice() throws {
        let decision = engine.match(MatchingFixture.payment(120_00, structured: ["RF18 5390 0754 7034"]), openInvoices: invoices, payers: [])
        let allocated = try #require(decision.allocated)
        #expect(allocated.rule == .rfReference)
        #expect(allocated.score == 100)
        #expect(decision.allocatedAmounts == ["I42": 120_00])
        #expect(allocated.explanation.contains("RF18 5390 0754 7034 (structured reference, check digits valid) is invoice FA-2025-0042's reference"))
    }

    @Test func anRFReferenceWithWrongCheckDigitsIsNotEvidence() {
        // The reference of I42 with its check digits off by one: not read as a reference, nor as a number.
        let decision = engine.match(MatchingFixture.payment(120_00, structured: ["RF19539007547034"]), openInvoices: invoices, payers: [])
        #expect(decision.allocated == nil)
        #expect(decision.suggestions.isEmpty)
        #expect(decision.notes.contains { $0.contains("wrong check digits") })
    }

    @Test func theExactInvoiceNumberInTheStructuredFieldAllocates() throws {
        let decision = engine.match(MatchingFixture.payment(80_00, structured: ["FA-2025-0043"]), openInvoices: invoices, payers: [])
        let allocated = try #require(decision.allocated)
        #expect(allocated.rule == .structuredInvoiceNumber)
        #expect(decision.allocatedAmounts == ["I43": 80_00])
    }

    @Test func anRFReferenceQuotedInTheFreeTextAllocates() throws {
        let decision = engine.match(MatchingFixture.payment(120_00, text: "Payment RF18 5390 0754 7034 thanks"), openInvoices: invoices, payers: [])
        #expect(try #require(decision.allocated).rule == .rfReference)
        #expect(decision.allocatedAmounts == ["I42": 120_00])
    }

    @Test(arguments: ["Facture FA-2025-0042", "facture fa 2025 0042 merci", "Rechnung:FA2025/42.", "inv FA_2025_00042", "FA20250042"])
    func theNumberInFreeTextIsFoundDespiteSpacingSeparatorsCaseAndLeadingZeros(text: String) throws {
        let decision = engine.match(MatchingFixture.payment(120_00, text: text), openInvoices: invoices, payers: [])
        let allocated = try #require(decision.allocated, "\(text): \(decision)")
        #expect(allocated.rule == .invoiceNumberInText)
        #expect(decision.allocatedAmounts == ["I42": 120_00])
    }

    @Test func theLetterOForZeroIsRead() throws {
        let decision = engine.match(MatchingFixture.payment(120_00, text: "invoice FA-2O25-OO42"), openInvoices: invoices, payers: [])
        let allocated = try #require(decision.allocated)
        #expect(allocated.explanation.contains("O/0 or I/1 confused"))
        #expect(decision.allocatedAmounts == ["I42": 120_00])
    }

    @Test func theLetterIOrLForOneIsRead() throws {
        let items = [MatchingFixture.invoice("I1", number: "INV-2025-1011", open: 50_00)]
        let decision = engine.match(MatchingFixture.payment(50_00, text: "INV-2025-l0I1"), openInvoices: items, payers: [])
        #expect(decision.allocatedAmounts == ["I1": 50_00])
    }

    @Test func aOneCharacterTypoInALongNumberIsSuggestedNotAllocatedOnItsOwn() throws {
        // 80 for the typo + 5 for the amount: below 90.
        let decision = engine.match(MatchingFixture.payment(120_00, text: "FA-2025-0024"), openInvoices: [invoices[0]], payers: [])
        #expect(decision.allocated == nil)
        let suggestion = try #require(decision.suggestions.first)
        #expect(suggestion.allocations.map(\.invoiceId) == ["I42"])
        #expect(suggestion.score == 85)
        #expect(suggestion.explanation.contains("one character off invoice FA-2025-0042"))
    }

    @Test func aTypoWithTheRightAmountFromAKnownPayerIsAllocated() {
        let payment = MatchingFixture.payment(120_00, text: "FA-2025-0024", iban: "FR7630006000011234567890189")
        let decision = engine.match(payment, openInvoices: [invoices[0]], payers: [MatchingFixture.acme])
        #expect(decision.allocatedAmounts == ["I42": 120_00])
    }

    @Test func aTypoInAShortNumberIsNotMatched() {
        let items = [MatchingFixture.invoice("I1", number: "A-1234", open: 50_00)]
        let decision = engine.match(MatchingFixture.payment(50_00, text: "payment A-1243"), openInvoices: items, payers: [])
        #expect(decision.allocated == nil)
        #expect(decision.suggestions.isEmpty)
    }

    @Test func twoNumbersInOneTextArePaidInDueDateOrderNeverMoreThanOpen() throws {
        // 150.00 for 120.00 (due first) + 80.00: the first is paid, the second gets the 30.00 left.
        let decision = engine.match(MatchingFixture.payment(150_00, text: "FA-2025-0043 and FA-2025-0042"), openInvoices: invoices, payers: [])
        let allocated = try #require(decision.allocated)
        #expect(allocated.allocations.map(\.invoiceId) == ["I42", "I43"])
        #expect(allocated.allocations.map(\.amount.minorUnits) == [120_00, 30_00])
        #expect(allocated.credit.isZero)
    }

    @Test func twoNumbersPaidInFullAreBothSettled() {
        let decision = engine.match(MatchingFixture.payment(200_00, text: "FA-2025-0042, FA-2025-0043"), openInvoices: invoices, payers: [])
        #expect(decision.allocatedAmounts == ["I42": 120_00, "I43": 80_00])
    }

    @Test func theDigitsOfANumberWithoutItsPrefixAreRead() throws {
        let decision = engine.match(MatchingFixture.payment(120_00, text: "Rechnung 2025 0042"), openInvoices: invoices, payers: [])
        let allocated = try #require(decision.allocated)
        #expect(allocated.score == 93)
        #expect(decision.allocatedAmounts == ["I42": 120_00])
    }

    @Test func aShortDigitOnlyNumberIsSuggestedButNotAllocatedWithoutTheAmount() throws {
        let items = [MatchingFixture.invoice("I1", number: "1042", open: 50_00)]
        let decision = engine.match(MatchingFixture.payment(20_00, text: "facture 1042"), openInvoices: items, payers: [])
        #expect(decision.allocated == nil)
        #expect(try #require(decision.suggestions.first).score == 85)
    }

    @Test func aNumberNamingTwoInvoicesIsAmbiguous() {
        // Two numbers that only differ by separators reduce to one key.
        let items = [MatchingFixture.invoice("I1", number: "FA-2025/1", open: 50_00), MatchingFixture.invoice("I2", number: "FA2025-1", open: 50_00, due: "2025-04-30")]
        let decision = engine.match(MatchingFixture.payment(50_00, text: "FA 2025 1"), openInvoices: items, payers: [])
        #expect(decision.allocated == nil)
        #expect(decision.suggestions.map { $0.allocations.map(\.invoiceId) } == [["I1"], ["I2"]])
    }

    @Test func aReferenceToAnInvoiceInAnotherCurrencyIsNeverAllocated() {
        let items = [MatchingFixture.invoice("U1", number: "US-2025-0001", open: 120_00, currency: .usd, reference: MatchingFixture.rf("US20250001"))]
        let decision = engine.match(MatchingFixture.payment(120_00, structured: [MatchingFixture.rf("US20250001")], text: "US-2025-0001"),
                                    openInvoices: items, payers: [])
        #expect(decision.allocated == nil)
        #expect(decision.suggestions.isEmpty)
        #expect(decision.notes.contains { $0.contains("in USD and the payment in EUR") })
    }

    @Test func aReferenceBeatsAnotherInvoiceOfTheSameAmount() {
        // The payer also owes 80.00 on I43, but the RF names I42: partial payment of I42.
        let payment = MatchingFixture.payment(80_00, structured: ["RF18539007547034"], iban: "FR7630006000011234567890189")
        let decision = engine.match(payment, openInvoices: invoices, payers: [MatchingFixture.acme])
        #expect(decision.allocatedAmounts == ["I42": 80_00])
    }

    @Test func aPayerIBANKnownAsAnotherCustomersLowersAReference() throws {
        let payment = MatchingFixture.payment(120_00, text: "FA-2025-0042", iban: "DE89 3704 0044 0532 0130 00")
        let decision = engine.match(payment, openInvoices: invoices, payers: [MatchingFixture.acme, MatchingFixture.globex])
        let allocated = try #require(decision.allocated)
        #expect(allocated.score == 90)
        #expect(allocated.explanation.contains("known as customer CUST-0077 (Globex GmbH)'s"))
    }

    @Test func aStrayTypoBesideAValidRFDoesNotSplitThePayment() {
        let invoices = [
            MatchingFixture.invoice("I42", number: "FA-2025-0042", open: 120_00, reference: "RF18539007547034"),
            MatchingFixture.invoice("I77", number: "FA-2025-7777", open: 60_00, due: "2025-01-31"),
        ]
        let payment = MatchingFixture.payment(120_00, structured: ["RF18539007547034"], text: "order FA-2025-7771")
        let decision = MatchingEngine().match(payment, openInvoices: invoices, payers: [])
        #expect(decision.allocatedAmounts == ["I42": 120_00])
    }
}
