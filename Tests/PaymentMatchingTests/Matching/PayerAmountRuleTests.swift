import Events
import Money
import Testing
@testable import PaymentMatching

/// Rule 3: a payer identified, plus the amount of one open invoice or of a combination.
@Suite struct PayerAmountRuleTests {
    let engine = MatchingEngine()
    let acmeIBAN = "FR76 3000 6000 0112 3456 7890 189"

    @Test func aKnownIBANAndTheAmountOfOneOpenInvoiceAllocateIt() throws {
        let items = [MatchingFixture.invoice("I1", number: "FA-1", open: 100_00), MatchingFixture.invoice("I2", number: "FA-2", open: 250_00)]
        let decision = engine.match(MatchingFixture.payment(250_00, iban: acmeIBAN), openInvoices: items, payers: [MatchingFixture.acme])
        let allocated = try #require(decision.allocated)
        #expect(allocated.rule == .payerAndAmount)
        #expect(allocated.score == 92)
        #expect(decision.allocatedAmounts == ["I2": 250_00])
        #expect(allocated.explanation.contains("IBAN FR7630006000011234567890189 is a known account of customer CUST-0042 (Acme Industries SAS)"))
    }

    @Test func theCustomerNumberInTheTextIdentifiesThePayer() {
        let items = [MatchingFixture.invoice("I1", number: "FA-1", open: 100_00)]
        let decision = engine.match(MatchingFixture.payment(100_00, text: "client cust 0042"), openInvoices: items, payers: [MatchingFixture.acme])
        #expect(decision.allocatedAmounts == ["I1": 100_00])
    }

    @Test func theNameOnceLegalFormsAndAccentsAreSetAsideIdentifiesThePayer() throws {
        let items = [MatchingFixture.invoice("I1", number: "FA-1", open: 100_00)]
        let decision = engine.match(MatchingFixture.payment(100_00, name: "ACME INDUSTRIES S.A.S."), openInvoices: items, payers: [MatchingFixture.acme])
        #expect(try #require(decision.allocated).score == 90)
        let variant = engine.match(MatchingFixture.payment(100_00, name: "Acme Group Ltd"), openInvoices: items, payers: [MatchingFixture.acme])
        #expect(variant.allocatedAmounts == ["I1": 100_00])
    }

    @Test func aSimilarNameIsSuggestedNotAllocated() throws {
        let items = [MatchingFixture.invoice("I1", number: "FA-1", open: 100_00)]
        let decision = engine.match(MatchingFixture.payment(100_00, name: "ACME INDUSTIRES"), openInvoices: items, payers: [MatchingFixture.acme])
        #expect(decision.allocated == nil)
        let suggestion = try #require(decision.suggestions.first)
        #expect((80...84).contains(suggestion.score))
        #expect(suggestion.explanation.contains("resembles the name of customer CUST-0042"))
    }

    @Test func theCloserOfTwoSimilarNamesIsSuggestedFirst() {
        let near = PayerProfile(customerId: "C1", legalName: "Acme Industries SAS")
        let nearer = PayerProfile(customerId: "C2", legalName: "Acme Industrie SARL")
        let items = [MatchingFixture.invoice("I1", number: "FA-1", customer: "C1", open: 80_00, due: "2025-01-31"),
                     MatchingFixture.invoice("I2", number: "FA-2", customer: "C2", open: 80_00, due: "2025-03-31")]
        let decision = engine.match(MatchingFixture.payment(80_00, name: "Acme Industri"), openInvoices: items, payers: [near, nearer])
        #expect(decision.allocated == nil)
        #expect(decision.suggestions.map { $0.allocations.map(\.invoiceId) } == [["I2"], ["I1"]])
        #expect(decision.suggestions.first?.explanation.contains("open invoice FA-2 of that customer: the amount 80.00 EUR equals the 80.00 EUR open") == true)
    }

    @Test func anUnknownNameFindsNothing() {
        let items = [MatchingFixture.invoice("I1", number: "FA-1", open: 100_00)]
        let decision = engine.match(MatchingFixture.payment(100_00, name: "Initech LLC"), openInvoices: items, payers: [MatchingFixture.acme])
        #expect(decision.allocated == nil)
        #expect(decision.suggestions.isEmpty)
    }

    @Test func ambiguousPayerNamesAreUnmatchedWithBothSuggestionsRanked() {
        let dupontSARL = PayerProfile(customerId: "C1", legalName: "Dupont SARL")
        let dupontSAS = PayerProfile(customerId: "C2", legalName: "DUPONT SAS")
        let items = [MatchingFixture.invoice("I2", number: "FA-2", customer: "C2", open: 300_00, due: "2025-02-28"),
                     MatchingFixture.invoice("I1", number: "FA-1", customer: "C1", open: 300_00, due: "2025-03-31")]
        let decision = engine.match(MatchingFixture.payment(300_00, name: "Dupont"), openInvoices: items, payers: [dupontSARL, dupontSAS])
        #expect(decision.allocated == nil)
        #expect(decision.suggestions.map { $0.allocations.map(\.invoiceId) } == [["I2"], ["I1"]])
        #expect(decision.suggestions.map(\.score) == [90, 90])
    }

    @Test func twoInvoicesOfThePayerWithTheAmountAreUnmatchedOldestSuggestedFirst() {
        let items = [MatchingFixture.invoice("I2", number: "FA-2", open: 99_00, due: "2025-04-30"),
                     MatchingFixture.invoice("I1", number: "FA-1", open: 99_00, due: "2025-03-31")]
        let decision = engine.match(MatchingFixture.payment(99_00, iban: acmeIBAN), openInvoices: items, payers: [MatchingFixture.acme])
        #expect(decision.allocated == nil)
        #expect(decision.suggestions.map { $0.allocations.map(\.invoiceId) } == [["I1"], ["I2"]])
    }

    @Test func theOnlyCombinationOfThreeInvoicesFromAKnownIBANIsAllocated() throws {
        let items = [MatchingFixture.invoice("I1", number: "FA-1", open: 100_00, due: "2025-01-31"),
                     MatchingFixture.invoice("I2", number: "FA-2", open: 250_00, due: "2025-02-28"),
                     MatchingFixture.invoice("I3", number: "FA-3", open: 400_00, due: "2025-03-31"),
                     MatchingFixture.invoice("I4", number: "FA-4", open: 70_00, due: "2025-03-31"),
                     MatchingFixture.invoice("I5", number: "FA-5", open: 130_00, due: "2025-04-05")]
        let decision = engine.match(MatchingFixture.payment(480_00, iban: acmeIBAN), openInvoices: items, payers: [MatchingFixture.acme])
        // IBAN 92 - 2 for a combination to the cent, the only one, no single invoice of the amount.
        let best = try #require(decision.allocated)
        #expect(best.rule == .payerAndCombination)
        #expect(best.score == 90)
        #expect(Set(best.allocations.map(\.invoiceId)) == ["I1", "I2", "I5"])
        #expect(best.allocations.map(\.amount.minorUnits).reduce(0, +) == 480_00)
    }

    @Test func aCombinationFromAPayerKnownByIBANAndCustomerNumberIsAllocated() {
        let items = [MatchingFixture.invoice("I1", number: "FA-1", open: 100_00, due: "2025-01-31"),
                     MatchingFixture.invoice("I2", number: "FA-2", open: 250_00, due: "2025-02-28"),
                     MatchingFixture.invoice("I3", number: "FA-3", open: 400_00, due: "2025-03-31")]
        let decision = engine.match(MatchingFixture.payment(350_00, text: "CUST-0042", iban: acmeIBAN), openInvoices: items, payers: [MatchingFixture.acme])
        #expect(decision.allocatedAmounts == ["I1": 100_00, "I2": 250_00])
    }

    @Test func twoCombinationsOfTheAmountAreATie() {
        let items = [MatchingFixture.invoice("I1", number: "FA-1", open: 100_00, due: "2025-01-31"),
                     MatchingFixture.invoice("I2", number: "FA-2", open: 250_00, due: "2025-02-28"),
                     MatchingFixture.invoice("I3", number: "FA-3", open: 150_00, due: "2025-03-31"),
                     MatchingFixture.invoice("I4", number: "FA-4", open: 200_00, due: "2025-04-30")]
        // 100 + 250 = 150 + 200 = 350.
        let decision = engine.match(MatchingFixture.payment(350_00, iban: acmeIBAN), openInvoices: items, payers: [MatchingFixture.acme])
        #expect(decision.allocated == nil)
        #expect(decision.suggestions.prefix(2).map(\.score) == [90, 90])
    }

    @Test func aCombinationShortWithinToleranceIsSuggestedNotAllocated() throws {
        let tolerant = MatchingEngine(policy: MatchingPolicy(shortPaymentTolerance: [.eur: 10_00]))
        let items = [MatchingFixture.invoice("I1", number: "FA-1", open: 100_00, due: "2025-01-31"),
                     MatchingFixture.invoice("I2", number: "FA-2", open: 250_00, due: "2025-02-28")]
        let decision = tolerant.match(MatchingFixture.payment(346_00, name: "Acme Industries SAS", iban: acmeIBAN),
                                      openInvoices: items, payers: [MatchingFixture.acme])
        #expect(decision.allocated == nil)
        #expect(try #require(decision.suggestions.first).score == 87) // IBAN and name 95 - 8
    }

    @Test func aCombinationFoundByASearchThatRanOutOfStepsIsNotAllocated() throws {
        let items = (1...8).map { MatchingFixture.invoice("I\($0)", number: "FA-\($0)", open: 10_00 + Int64($0)) }
        let starved = MatchingEngine(policy: MatchingPolicy(maxCombinationSearchSteps: 10))
        // I1 + I2 = 20.03, the only pair: found at the second step, but the search stops before it ends.
        let decision = starved.match(MatchingFixture.payment(20_03, iban: acmeIBAN), openInvoices: items, payers: [MatchingFixture.acme])
        #expect(decision.allocated == nil)
        #expect(try #require(decision.suggestions.first).score == 84)
        #expect(decision.notes.contains { $0.contains("stopped after 10 steps") })
    }

    @Test func aPathologicalSixtyInvoiceSearchIsBoundedAndDeterministic() {
        // 60 invoices of even amounts, an odd payment: no combination exists, the search must
        // stop at its step budget rather than try the 10^10 combinations.
        let items = (1...60).map { MatchingFixture.invoice("I\($0)", number: "FA-\($0)", open: Int64(2 * $0 * 100)) }
        let policy = MatchingPolicy(maxInvoicesPerCombination: 10, maxCombinationCandidates: 60, maxCombinationSearchSteps: 200_000)
        let engine = MatchingEngine(policy: policy)
        let payment = MatchingFixture.payment(3_000_01, iban: acmeIBAN)
        let clock = ContinuousClock()
        let start = clock.now
        let first = engine.match(payment, openInvoices: items, payers: [MatchingFixture.acme])
        let elapsed = clock.now - start
        let second = engine.match(payment, openInvoices: items.reversed(), payers: [MatchingFixture.acme])
        #expect(first == second)
        #expect(first.allocated == nil)
        #expect(first.notes.contains { $0.contains("stopped after 200000 steps") })
        #expect(elapsed < .seconds(2))
    }

    @Test func anInvoiceIssuedAfterThePaymentIsNotAnAmountMatch() {
        let items = [MatchingFixture.invoice("I1", number: "FA-1", open: 100_00, issued: "2025-05-01")]
        let decision = engine.match(MatchingFixture.payment(100_00, iban: acmeIBAN, on: "2025-04-10"), openInvoices: items, payers: [MatchingFixture.acme])
        #expect(decision.allocated == nil)
        #expect(decision.suggestions.isEmpty)
    }

    @Test func anotherCurrencysInvoiceOfTheAmountIsNeverOffered() {
        let items = [MatchingFixture.invoice("U1", number: "US-1", open: 100_00, currency: .usd)]
        let decision = engine.match(MatchingFixture.payment(100_00, iban: acmeIBAN), openInvoices: items, payers: [MatchingFixture.acme])
        #expect(decision.allocated == nil)
        #expect(decision.suggestions.isEmpty)
    }
}
