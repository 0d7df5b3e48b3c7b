import Testing
@testable import PaymentMatching

@Suite struct PositionTableTests {
    @Test func neighbourhoodHashesAreTheHashesOfTheNeighbourhoodStrings() {
        for key in ["FA20250042", "FA2025000118", "AABBA", "X"] {
            #expect(PositionTable.deletionNeighbourhoodHashes(key) == InvoiceNumberKey.deletionNeighbourhood(key).map { PositionTable.hash($0.utf8) })
        }
    }

    @Test func theInPlaceSortSortsLikeTheStandardOne() {
        var random = MatchingRandom(seed: 11)
        for count in [0, 5, 65, 1_000, 50_000] {
            // Few distinct high halves too, so buckets hold many equal hashes.
            var entries = (0..<count).map { _ in UInt64.random(in: 0...UInt64.max, using: &random) & (count > 1_000 ? 0xFF00_0000_FFFF_FFFF : .max) }
            let expected = entries.sorted()
            PositionTable.sortInPlace(&entries)
            #expect(entries == expected, "count \(count)")
        }
    }

    @Test func theIndexOrdersInvoicesByDueDateNumberAndId() {
        var random = MatchingRandom(seed: 5)
        let invoices = (0..<500).map { MatchingFixture.invoice("I\($0)", number: "FA-\(Int.random(in: 0..<50, using: &random))", open: 10_00,
                                                               due: "2025-03-\(10 + Int.random(in: 0..<5, using: &random))") }
        let index = OpenItemIndex(invoices: invoices.shuffled(using: &random), payers: [])
        #expect(index.invoices == invoices.sorted(by: OpenInvoice.isOrderedBefore))
    }

    @Test func candidatesAreEachPositionOnceAscending() {
        var builder = PositionTable.Builder(capacity: 8)
        builder.file(7, under: "B")
        builder.file(3, under: "A")
        builder.file(1, under: "A")
        builder.file(3, under: "A")
        let table = builder.build()
        #expect(table.candidates("A") == [1, 3])
        #expect(table.candidates("B") == [7])
        #expect(table.candidates("C").isEmpty)
        #expect(table.count == 3)
    }

    @Test func theIndexFindsInvoicesByEveryKeyAndChecksTheKey() {
        let invoices = (0..<2_000).map { MatchingFixture.invoice("I\($0)", number: "FA-2025-\(100_000 + $0)", open: 10_00,
                                                                 reference: $0.isMultiple(of: 2) ? MatchingFixture.rf("FA2025\(100_000 + $0)") : nil) }
        let index = OpenItemIndex(invoices: invoices, payers: [])
        for probe in [0, 1, 999, 1_998] {
            let number = "FA-2025-\(100_000 + probe)"
            let key = InvoiceNumberKey(number)
            let position = index.position(ofInvoice: "I\(probe)")
            #expect(position != nil)
            #expect(index.invoices(withNumberKey: key.compact) == position.map { [$0] })
            #expect(index.invoices(withFoldedKey: key.folded) == position.map { [$0] })
            #expect(index.invoices(withDigits: key.digits) == position.map { [$0] })
            #expect(index.invoices(withReference: MatchingFixture.rf("FA2025\(100_000 + probe)")) == (probe.isMultiple(of: 2) ? position.map { [$0] } : nil))
        }
        #expect(index.invoices(withNumberKey: "FA2025999999") == nil)
        #expect(index.position(ofInvoice: "I2000") == nil)
    }
}
