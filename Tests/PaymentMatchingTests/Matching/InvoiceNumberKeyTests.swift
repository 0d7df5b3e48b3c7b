import Testing
@testable import PaymentMatching

@Suite struct InvoiceNumberKeyTests {
    @Test func spacingSeparatorsAndCaseGiveTheSameCompactKey() {
        let keys = ["FA-2025-0042", "fa 2025 0042", "FA/2025/0042", "FA20250042", "Fa.2025_0042"].map { InvoiceNumberKey($0).compact }
        #expect(Set(keys) == ["FA20250042"])
    }

    @Test func leadingZerosOfDigitGroupsAreIgnoredInTheSegmentedKey() {
        #expect(InvoiceNumberKey("FA-2025-0042").segmented == "FA-2025-42")
        #expect(InvoiceNumberKey("FA 2025 42").segmented == "FA-2025-42")
        #expect(InvoiceNumberKey("FA2025/00042").segmented == "FA-2025-42")
        #expect(InvoiceNumberKey("FA-20-25042").segmented != InvoiceNumberKey("FA-2025-042").segmented)
    }

    @Test func lettersConfusedWithDigitsFoldTogether() {
        #expect(InvoiceNumberKey("FA-2O25-OO42").folded == InvoiceNumberKey("FA-2025-0042").folded)
        #expect(InvoiceNumberKey("INV-l0I").folded == InvoiceNumberKey("1NV-101").folded)
    }

    @Test func editDistanceCountsOneSubstitutionInsertionDeletionOrSwapAsOne() {
        #expect(InvoiceNumberKey.editDistance("FA20250042", "FA20250043") == 1)
        #expect(InvoiceNumberKey.editDistance("FA20250042", "FA20250024") == 1)
        #expect(InvoiceNumberKey.editDistance("FA20250042", "FA2025042") == 1)
        #expect(InvoiceNumberKey.editDistance("FA20250042", "FA202500420") == 1)
        #expect(InvoiceNumberKey.editDistance("FA20250042", "FA20250042") == 0)
        #expect(InvoiceNumberKey.editDistance("FA20250042", "FA20251143") == 2)
    }

    @Test func oneEditApartAgreesWithTheEditDistanceOnEveryShortPair() {
        // Every string of up to 4 characters over "AB1" against every other: the fast check
        // must say "one edit" exactly where the distance is 1.
        var words = [""]
        var level = [""]
        for _ in 0..<4 {
            level = level.flatMap { word in ["A", "B", "1"].map { word + $0 } }
            words += level
        }
        var disagreements: [String] = []
        for a in words {
            for b in words where InvoiceNumberKey.isOneEditApart(a, b) != (InvoiceNumberKey.editDistance(a, b) == 1) {
                disagreements.append("\(a)/\(b)")
            }
        }
        #expect(disagreements.isEmpty)
        #expect(InvoiceNumberKey.isOneEditApart("FA20250042", "FA20250024"))
        #expect(!InvoiceNumberKey.isOneEditApart("FA20250042", "FA20250042"))
        #expect(!InvoiceNumberKey.isOneEditApart("FA20250042", "FA20251143"))
    }

    @Test func theDeletionNeighbourhoodsOfKeysOneEditApartMeet() {
        let a = Set(InvoiceNumberKey.deletionNeighbourhood("FA20250042"))
        #expect(!a.isDisjoint(with: InvoiceNumberKey.deletionNeighbourhood("FA20250024")))
        #expect(!a.isDisjoint(with: InvoiceNumberKey.deletionNeighbourhood("FA20259042")))
        #expect(a.isDisjoint(with: InvoiceNumberKey.deletionNeighbourhood("FB20259042")))
    }
}
