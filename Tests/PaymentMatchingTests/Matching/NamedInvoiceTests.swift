import Events
import Money
import Testing
@testable import PaymentMatching

/// What the payer names decides between invoices the amount alone cannot tell apart.
@Suite struct NamedInvoiceTests {
    let engine = MatchingEngine()
    let acmeIBAN = "FR76 3000 6000 0112 3456 7890 189"

    @Test func ofTwoSubscriptionInvoicesOfTheAmountTheOneNamedIsPaid() throws {
        let items = [MatchingFixture.invoice("I1", number: "FA-2025-0001", open: 99_00, due: "2025-01-31"),
                     MatchingFixture.invoice("I2", number: "FA-2025-0002", open: 99_00, due: "2025-02-28")]
        // Digits only (88), amount (+5), payer (+5) = 98; the other invoice of the amount, from a
        // payer known by IBAN and name (95), loses 10 because the payer named I2.
        let decision = engine.match(MatchingFixture.payment(99_00, text: "Rechnung 20250002", name: "ACME INDUSTRIES SAS", iban: acmeIBAN),
                                    openInvoices: items, payers: [MatchingFixture.acme])
        #expect(decision.allocatedAmounts == ["I2": 99_00])
        let other = try #require(decision.allocated == nil ? nil : engine.match(
            MatchingFixture.payment(99_00, name: "ACME INDUSTRIES SAS", iban: acmeIBAN), openInvoices: items, payers: [MatchingFixture.acme]))
        #expect(other.allocated == nil) // without the number: a tie, both suggested
    }

    @Test func anAmountOnlyCandidateSaysWhichInvoiceThePayerNamed() throws {
        let items = [MatchingFixture.invoice("I1", number: "FA-2025-000001", open: 99_00, due: "2025-01-31"),
                     MatchingFixture.invoice("I2", number: "FA-2025-000002", open: 40_00, due: "2025-02-28")]
        // The payer names I2 with a slip (80 + 5 for the payer) and pays I1's amount: I1 by
        // amount alone is 92 - 10. Neither is allocated.
        let decision = engine.match(MatchingFixture.payment(99_00, text: "Rechnung FA-2025-000020", iban: acmeIBAN),
                                    openInvoices: items, payers: [MatchingFixture.acme])
        #expect(decision.allocated == nil)
        let amountOnly = try #require(([decision.allocated].compactMap { $0 } + decision.suggestions).first { $0.allocations.map(\.invoiceId) == ["I1"] })
        #expect(amountOnly.score == 82)
        #expect(amountOnly.explanation.contains("but the remittance names FA-2025-000002, another invoice of that customer"))
    }

    @Test func aNumberWithoutItsPrefixBesideAFullOneIsNoStrayWhenTheAmountIsBoth() {
        let items = [MatchingFixture.invoice("I1", number: "FA-2025-0001", open: 100_00, due: "2025-01-31"),
                     MatchingFixture.invoice("I2", number: "FA-2025-0002", open: 50_00, due: "2025-02-28")]
        let decision = engine.match(MatchingFixture.payment(150_00, text: "FA-2025-0001 20250002"), openInvoices: items, payers: [])
        #expect(decision.allocatedAmounts == ["I1": 100_00, "I2": 50_00])
    }
}
