import Events
import Money
import Testing
@testable import PaymentMatching

/// Invoice numbers are dense: a slip of the payer's turns one invoice's number into another
/// open invoice's. The amount and a payer identified for sure decide, not the number alone.
@Suite struct DenseNumberTests {
    let engine = MatchingEngine()
    let items = [
        MatchingFixture.invoice("I1", number: "FA-2025-000118", customer: "C1", open: 250_00),
        MatchingFixture.invoice("I2", number: "FA-2025-000113", customer: "C2", open: 80_00),
    ]

    @Test func aNumberOneSlipFromThePayersInvoiceGoesToThePayersInvoiceWhenTheAmountFits() throws {
        // The text names I2 (Globex, 80.00); the exact name and the amount are Acme's I1.
        let decision = engine.match(MatchingFixture.payment(250_00, text: "Facture FA-2025-000113", name: "ACME INDUSTRIES SAS"),
                                    openInvoices: items, payers: [MatchingFixture.acme, MatchingFixture.globex])
        let allocated = try #require(decision.allocated)
        #expect(decision.allocatedAmounts == ["I1": 250_00])
        #expect(allocated.explanation.contains("one character off invoice FA-2025-000118's number (and is invoice FA-2025-000113's)"))
    }

    @Test func aPayerIdentifiedByNameAsAnotherCustomerLowersTheNumberItQuotes() throws {
        let decision = engine.match(MatchingFixture.payment(40_00, text: "Facture FA-2025-000113", name: "ACME INDUSTRIES SAS"),
                                    openInvoices: items, payers: [MatchingFixture.acme, MatchingFixture.globex])
        #expect(decision.allocated == nil)
        let suggestion = try #require(decision.suggestions.first)
        #expect(suggestion.allocations.map(\.invoiceId) == ["I2"])
        #expect(suggestion.score == 85)
        #expect(suggestion.explanation.contains("but the payer is customer CUST-0042 (Acme Industries SAS), not the invoice's customer"))
    }

    @Test func theNumberNamedStillWinsWhenTheAmountFitsIt() {
        let decision = engine.match(MatchingFixture.payment(80_00, text: "Facture FA-2025-000113"),
                                    openInvoices: items, payers: [MatchingFixture.acme, MatchingFixture.globex])
        #expect(decision.allocatedAmounts == ["I2": 80_00])
    }
}
