import Money
import Testing
@testable import PaymentMatching

/// The index's hot columns and packed names stand in for what they were read from: the open
/// amounts and currencies for the invoices', the name sketches for ``PayerName/mayReach(_:with:)``.
@Suite struct IndexColumnsTests {
    @Test func openAmountsAndCurrenciesFollowTheInvoices() {
        var index = OpenItemIndex(invoices: [
            MatchingFixture.invoice("I1", number: "FA-2025-0001", open: 100_00),
            MatchingFixture.invoice("I2", number: "FA-2025-0002", open: 50_00, currency: .usd),
            MatchingFixture.invoice("I3", number: "FA-2025-0003", open: 70_00),
        ], payers: [MatchingFixture.acme])
        index.reduceOpenAmount(ofInvoice: "I1", by: MatchingFixture.eur(30_00))
        index.reduceOpenAmount(ofInvoice: "I3", by: MatchingFixture.eur(90_00))
        // Another currency than the invoice's: no change, in the column either.
        index.reduceOpenAmount(ofInvoice: "I2", by: MatchingFixture.eur(10_00))
        for position in 0..<index.invoiceCount {
            let invoice = index.openInvoice(at: position)
            #expect(index.openUnits[position] == invoice.openAmount.minorUnits, "\(invoice.id)")
            #expect(index.isOpen(position) == invoice.openAmount.isPositive, "\(invoice.id)")
            #expect(index.currencies[Int(index.currencyOrdinals[position])] == invoice.currency, "\(invoice.id)")
        }
        #expect(index.openInvoice(id: "I1")?.openAmount.minorUnits == 70_00)
        #expect(index.openInvoice(id: "I3")?.openAmount.isZero == true)
        #expect(index.currencyOrdinal(of: .usd).map { index.currencies[Int($0)] } == .usd)
        #expect(index.currencyOrdinal(of: .gbp) == nil)
    }

    @Test func nameSketchesKeepExactlyTheNamesTheBoundKeeps() {
        var random = MatchingRandom(seed: 23)
        let payers = (0..<300).map { _ in (0..<Int.random(in: 1...3, using: &random)).map { _ in PayerNameBoundTests.name(&random) } }
        let sketches = NameSketches(payers)
        var kept = 0, skipped = 0
        for _ in 0..<200 {
            let query = PayerNameBoundTests.name(&random)
            let packed = NameSketches.Query(query)
            for threshold in [0.85, 0.92, 0.97, 1.0] {
                for (payer, names) in payers.enumerated() {
                    var found: [Int] = []
                    sketches.forEachName(of: payer, mayReaching: threshold, with: packed) { position, checked in
                        if checked || names[position].mayReach(threshold, with: query) { found.append(position) }
                    }
                    let expected = names.indices.filter { names[$0].mayReach(threshold, with: query) }
                    #expect(found == expected, "'\(query.normalised)' against \(names.map(\.normalised)) at \(threshold)")
                    kept += expected.count
                    skipped += names.count - expected.count
                }
            }
        }
        #expect(kept > 100 && skipped > 10_000, "kept \(kept), skipped \(skipped)")
    }

    @Test func aNameTooLongToPackIsLeftToTheCaller() {
        let long = PayerName(String(repeating: "a", count: 300))
        let sketches = NameSketches([[PayerName("Acme"), long]])
        var seen: [(Int, Bool)] = []
        sketches.forEachName(of: 0, mayReaching: 0.92, with: NameSketches.Query(long)) { seen.append(($0, $1)) }
        // "acme" is far too short to reach it; the long name, with 300 of one letter, is not packed.
        #expect(seen.map(\.0) == [1])
        #expect(seen.map(\.1) == [false])
    }
}
