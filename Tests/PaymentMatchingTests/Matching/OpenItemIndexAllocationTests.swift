import Events
import Money
import Testing
@testable import PaymentMatching

/// The index learns the allocations of an import: later payments of the same statement see
/// what earlier ones left open.
@Suite struct OpenItemIndexAllocationTests {
    let engine = MatchingEngine()
    let acmeIBAN = "FR76 3000 6000 0112 3456 7890 189"
    let reference = MatchingFixture.rf("FA20250042")

    func index(_ invoices: [OpenInvoice], payers: [PayerProfile] = [MatchingFixture.acme]) -> OpenItemIndex {
        OpenItemIndex(invoices: invoices, payers: payers)
    }

    @Test func aSecondPartialPaymentSeesTheReducedBalance() throws {
        var items = index([MatchingFixture.invoice("I42", number: "FA-2025-0042", open: 100_00, reference: reference)])
        let first = try #require(engine.match(MatchingFixture.payment(40_00, structured: [reference]), in: items).allocated)
        items.apply(first)
        #expect(items.openInvoice(id: "I42")?.openAmount == MatchingFixture.eur(60_00))

        let second = try #require(engine.match(MatchingFixture.payment(60_00, structured: [reference]), in: items).allocated)
        #expect(second.allocations.map(\.amount.minorUnits) == [60_00])
        #expect(second.credit.isZero)
        #expect(second.explanation.contains("the amount 60.00 EUR equals the 60.00 EUR open"))
        items.apply(second)
        #expect(items.openInvoice(id: "I42")?.openAmount.isZero == true)
    }

    @Test func aPaymentAboveWhatIsLeftBecomesCreditForTheRest() throws {
        var items = index([MatchingFixture.invoice("I42", number: "FA-2025-0042", open: 100_00, reference: reference)])
        items.reduceOpenAmount(ofInvoice: "I42", by: MatchingFixture.eur(70_00))
        let decision = try #require(engine.match(MatchingFixture.payment(50_00, structured: [reference]), in: items).allocated)
        #expect(decision.allocations.map(\.amount.minorUnits) == [30_00])
        #expect(decision.credit == MatchingFixture.eur(20_00))
    }

    @Test func aFullyPaidInvoiceIsNotMatchedAgainByItsReference() throws {
        var items = index([MatchingFixture.invoice("I42", number: "FA-2025-0042", open: 100_00, reference: reference)])
        let payment = MatchingFixture.payment(100_00, structured: [reference])
        items.apply(try #require(engine.match(payment, in: items).allocated))

        let again = engine.match(payment, in: items)
        #expect(again.allocated == nil)
        #expect(again.suggestions.isEmpty)
        #expect(again.notes.contains { $0.contains("invoice FA-2025-0042's reference, but it was paid in full by an earlier payment") })
        let byText = engine.match(MatchingFixture.payment(100_00, text: "Facture FA-2025-0042"), in: items)
        #expect(byText.allocated == nil)
        #expect(byText.notes.contains { $0.contains("paid in full") })
    }

    @Test func aPaidInvoiceIsNotReadAsATypoOfItsNeighbour() {
        var items = index([
            MatchingFixture.invoice("I42", number: "FA-2025-000042", open: 100_00),
            MatchingFixture.invoice("I43", number: "FA-2025-000043", open: 100_00),
        ])
        items.reduceOpenAmount(ofInvoice: "I42", by: MatchingFixture.eur(100_00))
        // Number of the paid invoice, the right amount for its neighbour, from the known IBAN:
        // without the paid invoice filed, "000042" would be one typo off "000043" (80 + 5 + 5).
        let decision = engine.match(MatchingFixture.payment(100_00, text: "FA-2025-000042", iban: acmeIBAN), in: items)
        #expect(decision.allocated == nil)
    }

    @Test func aPaymentSentTwiceIsNotGuessedOntoAnotherInvoiceOfTheSameAmount() throws {
        var items = index([
            MatchingFixture.invoice("I1", number: "FA-2025-0001", open: 100_00, due: "2025-03-01", reference: MatchingFixture.rf("FA20250001")),
            MatchingFixture.invoice("I2", number: "FA-2025-0002", open: 100_00, due: "2025-04-01"),
        ])
        let payment = MatchingFixture.payment(100_00, structured: [MatchingFixture.rf("FA20250001")], iban: acmeIBAN)
        items.apply(try #require(engine.match(payment, in: items).allocated))

        let again = engine.match(payment, in: items)
        #expect(again.allocated == nil)
        let suggestion = try #require(again.suggestions.first)
        #expect(suggestion.allocations.map(\.invoiceId) == ["I2"])
        #expect(suggestion.score == 82)
        #expect(suggestion.explanation.contains("but the remittance names FA-2025-0001, already paid in full"))
    }

    @Test func aPaidInvoiceIsNoLongerAnAmountCandidateNorInCombinations() throws {
        var twins = index([
            MatchingFixture.invoice("I1", number: "FA-1", open: 100_00, due: "2025-03-01"),
            MatchingFixture.invoice("I2", number: "FA-2", open: 100_00, due: "2025-04-01"),
        ])
        let payment = MatchingFixture.payment(100_00, iban: acmeIBAN)
        #expect(engine.match(payment, in: twins).allocated == nil) // two invoices of the amount: a tie
        twins.reduceOpenAmount(ofInvoice: "I1", by: MatchingFixture.eur(100_00))
        #expect(engine.match(payment, in: twins).allocatedAmounts == ["I2": 100_00])

        var parts = index([
            MatchingFixture.invoice("I1", number: "FA-1", open: 40_00, due: "2025-03-01"),
            MatchingFixture.invoice("I2", number: "FA-2", open: 60_00, due: "2025-04-01"),
        ])
        #expect(engine.match(payment, in: parts).allocatedAmounts == ["I1": 40_00, "I2": 60_00])
        parts.reduceOpenAmount(ofInvoice: "I1", by: MatchingFixture.eur(40_00))
        let after = engine.match(payment, in: parts)
        #expect(after.allocated == nil)
        #expect(!after.suggestions.contains { $0.allocations.contains { $0.invoiceId == "I1" } })
    }

    @Test func reduceOpenAmountIgnoresUnknownIdsOtherCurrenciesAndStopsAtZero() {
        var items = index([MatchingFixture.invoice("I1", number: "FA-1", open: 100_00)])
        items.reduceOpenAmount(ofInvoice: "nope", by: MatchingFixture.eur(10_00))
        items.reduceOpenAmount(ofInvoice: "I1", by: Money(minorUnits: 10_00, currency: .usd))
        items.reduceOpenAmount(ofInvoice: "I1", by: MatchingFixture.eur(-10_00))
        #expect(items.openInvoice(id: "I1")?.openAmount == MatchingFixture.eur(100_00))
        #expect(items.openInvoice(id: "nope") == nil)
        items.reduceOpenAmount(ofInvoice: "I1", by: MatchingFixture.eur(250_00))
        #expect(items.openInvoice(id: "I1")?.openAmount == MatchingFixture.eur(0))
    }

    @Test func applyingAShortPaymentSettlesTheWriteOffToo() throws {
        let tolerant = MatchingEngine(policy: MatchingPolicy(shortPaymentTolerance: [.eur: 5_00]))
        var items = index([MatchingFixture.invoice("I42", number: "FA-2025-0042", open: 100_00, reference: reference)])
        let allocated = try #require(tolerant.match(MatchingFixture.payment(98_50, structured: [reference]), in: items).allocated)
        #expect(allocated.writeOff == MatchingFixture.eur(1_50))
        items.apply(allocated)
        #expect(items.openInvoice(id: "I42")?.openAmount.isZero == true)
    }
}
