import Testing
@testable import PaymentMatching

@Suite struct PositionTableTests {
    @Test func neighbourhoodHashesAreTheHashesOfTheNeighbourhoodStrings() {
        for key in ["FA20250042", "FA2025000118", "AABBA", "X"] {
            #expect(PositionTable.deletionNeighbourhoodHashes(key) == InvoiceNumberKey.deletionNeighbourhood(key).map { PositionTable.hash($0.utf8) })
        }
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
