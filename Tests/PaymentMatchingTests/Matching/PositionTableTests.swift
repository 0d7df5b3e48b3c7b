import Testing
@testable import PaymentMatching

@Suite struct PositionTableTests {
    @Test func neighbourhoodHashesAreTheHashesOfTheNeighbourhoodStrings() {
        for key in ["FA20250042", "FA2025000118", "AABBA", "X"] {
            #expect(PositionTable.deletionNeighbourhoodHashes(key) == InvoiceNumberKey.deletionNeighbourhood(key).map { PositionTable.hash($0.utf8) })
        }
    }

    /// Packed entries keep only part of the hash: every position filed under a key is found,
    /// ascending, once, and few others come with it.
    @Test func thePackedTableFindsWhatWasFiledUnderEachKey() {
        var random = MatchingRandom(seed: 11)
        for count in [1, 70, 5_000, 120_000] {
            var builder = PositionTable.Builder(capacity: count)
            var filed: [String: Set<Int>] = [:]
            let keys = max(1, count / 3)
            for _ in 0..<count {
                let key = "K\(Int.random(in: 0..<keys, using: &random))"
                let position = Int.random(in: 0..<(count * 2), using: &random)
                builder.file(position, under: key)
                filed[key, default: []].insert(position)
            }
            let table = builder.build()
            // Two keys of one position meet in an entry only when their hashes agree on the packed bits.
            let pairs = filed.values.reduce(0) { $0 + $1.count }
            #expect(table.count <= pairs && table.count * 100 >= pairs * 99, "count \(count): \(table.count) entries for \(pairs) pairs")
            var extra = 0
            for (key, positions) in filed {
                let found = table.candidates(key)
                #expect(found == found.sorted() && Set(found).count == found.count, "count \(count), key \(key)")
                #expect(positions.isSubset(of: found), "count \(count), key \(key)")
                extra += found.count - positions.count
            }
            #expect(extra * 100 <= count, "count \(count): \(extra) positions of other keys")
        }
    }

    /// The two-pass construction (count, then place) files what a builder files.
    @Test func theTwoPassTableIsTheBuildersTable() {
        let keys = (0..<3_000).map { "FA2025\(100_000 + $0 * 7)" }
        var builder = PositionTable.Builder(capacity: keys.count * 13)
        for (position, key) in keys.enumerated() {
            for hash in PositionTable.deletionNeighbourhoodHashes(key) { builder.file(position, hash: hash) }
        }
        let built = builder.build()
        let twoPass = PositionTable(expectedCount: keys.count * 13, largestPosition: keys.count - 1) { file in
            for (position, key) in keys.enumerated() { PositionTable.forEachDeletionNeighbourhoodHash(key) { file($0, position) } }
        }
        #expect(built.count == twoPass.count)
        for key in keys.prefix(200) {
            for hash in PositionTable.deletionNeighbourhoodHashes(key) {
                #expect(built.candidates(hash: hash) == twoPass.candidates(hash: hash))
                #expect(!built.candidates(hash: hash).isEmpty)
            }
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
