import Events
import Money
import Testing
@testable import PaymentMatching

/// Rule 4: partial payments, overpayments, short payments within the tolerance.
@Suite struct AmountFitTests {
    let reference = MatchingFixture.rf("FA20250042")
    var invoices: [OpenInvoice] { [MatchingFixture.invoice("I42", number: "FA-2025-0042", open: 100_00, reference: reference)] }

    @Test func aPartialPaymentPaysTheInvoiceAndLeavesTheRestOpen() throws {
        let decision = MatchingEngine().match(MatchingFixture.payment(40_00, structured: [reference]), openInvoices: invoices, payers: [])
        let allocated = try #require(decision.allocated)
        #expect(decision.allocatedAmounts == ["I42": 40_00])
        #expect(allocated.writeOff.isZero && allocated.credit.isZero)
        #expect(allocated.explanation.contains("partial payment: 40.00 EUR of the 100.00 EUR open; 60.00 EUR stays open"))
    }

    @Test func anOverpaymentBecomesCreditOfTheCustomer() throws {
        let decision = MatchingEngine().match(MatchingFixture.payment(150_00, structured: [reference]), openInvoices: invoices, payers: [])
        let allocated = try #require(decision.allocated)
        #expect(decision.allocatedAmounts == ["I42": 100_00])
        #expect(allocated.credit == MatchingFixture.eur(50_00))
        #expect(allocated.creditCustomerId == "C1")
    }

    @Test func aShortPaymentWithinTheToleranceSettlesAndWritesOffTheDifference() throws {
        let engine = MatchingEngine(policy: MatchingPolicy(shortPaymentTolerance: [.eur: 5_00]))
        let decision = engine.match(MatchingFixture.payment(99_50, structured: [reference]), openInvoices: invoices, payers: [])
        let allocated = try #require(decision.allocated)
        #expect(allocated.allocations.map(\.amount.minorUnits) == [99_50])
        #expect(allocated.allocations.map(\.writeOff.minorUnits) == [50])
        #expect(allocated.writeOff == MatchingFixture.eur(50))
        #expect(allocated.explanation.contains("within the tolerance of 5.00 EUR"))
    }

    @Test func aShortPaymentBeyondTheToleranceIsPartial() throws {
        let engine = MatchingEngine(policy: MatchingPolicy(shortPaymentTolerance: [.eur: 20]))
        let decision = engine.match(MatchingFixture.payment(99_50, structured: [reference]), openInvoices: invoices, payers: [])
        let allocated = try #require(decision.allocated)
        #expect(allocated.allocations.map(\.amount.minorUnits) == [99_50])
        #expect(allocated.writeOff.isZero)
    }

    @Test func theToleranceOfAnotherCurrencyDoesNotApply() throws {
        let engine = MatchingEngine(policy: MatchingPolicy(shortPaymentTolerance: [.usd: 5_00]))
        let decision = engine.match(MatchingFixture.payment(99_50, structured: [reference]), openInvoices: invoices, payers: [])
        #expect(try #require(decision.allocated).writeOff.isZero)
        let single = MatchingEngine(policy: MatchingPolicy(defaultShortPaymentTolerance: 1_00))
        #expect(try #require(single.match(MatchingFixture.payment(99_50, structured: [reference]), openInvoices: invoices, payers: []).allocated).writeOff == MatchingFixture.eur(50))
    }

    @Test func aShortPaymentWithinToleranceFromAKnownPayerIsSuggestedNotAllocated() throws {
        // No reference: 92 for the IBAN - 6 for a short amount. An unrelated credit of the
        // payer meets an invoice within the tolerance too often to write off on the amount alone.
        let engine = MatchingEngine(policy: MatchingPolicy(shortPaymentTolerance: [.eur: 5_00]))
        let items = [MatchingFixture.invoice("I1", number: "FA-1", open: 100_00)]
        let decision = engine.match(MatchingFixture.payment(98_00, iban: "FR7630006000011234567890189"), openInvoices: items, payers: [MatchingFixture.acme])
        #expect(decision.allocated == nil)
        let suggestion = try #require(decision.suggestions.first)
        #expect(suggestion.score == 86)
        #expect(suggestion.writeOff == MatchingFixture.eur(2_00))
    }

    @Test func aShortPaymentWithItsReferenceFromAKnownPayerIsSettled() throws {
        let engine = MatchingEngine(policy: MatchingPolicy(shortPaymentTolerance: [.eur: 5_00]))
        let items = [MatchingFixture.invoice("I1", number: "FA-2025-0001", open: 100_00)]
        let decision = engine.match(MatchingFixture.payment(98_00, text: "FA-2025-0001", iban: "FR7630006000011234567890189"),
                                    openInvoices: items, payers: [MatchingFixture.acme])
        #expect(try #require(decision.allocated).writeOff == MatchingFixture.eur(2_00))
    }

    @Test func aPaymentThatIsNotACreditIsNotMatched() {
        let decision = MatchingEngine().match(MatchingFixture.payment(0, structured: [reference]), openInvoices: invoices, payers: [])
        #expect(decision.allocated == nil)
        #expect(decision.suggestions.isEmpty)
    }
}
