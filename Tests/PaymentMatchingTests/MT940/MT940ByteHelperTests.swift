import Foundation
import Money
@testable import PaymentMatching
import Testing

/// The MT940 reader's byte-level shortcuts give what the `String` operations they replace give.
@Suite struct MT940ByteHelperTests {
    @Test func caseInsensitiveComparisonMatchesUppercasing() {
        let samples = ["NONREF", "nonref", "NonRef", "NONREF ", "NONRE", "N0NREF", "NOTPROVIDED", "notprovided", "NOTPROV\u{131}DED",
                       "NONR\u{C9}F", "", "N\u{0}NREF", "@ONREF", "NONREF\u{301}"]
        for sample in samples {
            for upper: StaticString in ["NONREF", "NOTPROVIDED"] {
                let expected = sample.uppercased() == "\(upper)"
                #expect(MT940Bytes.equalsIgnoringCase(sample, upper) == expected, "\(sample) vs \(upper)")
            }
        }
    }

    /// The definition: runs of spaces and tabs as one space, trimmed.
    private func collapsedByWords(_ text: String) -> String {
        text.split(whereSeparator: { $0 == " " || $0 == "\t" }).joined(separator: " ")
    }

    @Test func collapsingSpacesMatchesSplittingIntoWords() {
        let samples = ["", " ", "a", "a b", "a  b", " a", "a ", "a\tb", "\t", "a \t b", "Caf\u{E9}  cr\u{E8}me", "RE FA-2025-000123",
                       "x  ", "  x", "a b c d", "a\u{A0}\u{A0}b"]
        for sample in samples {
            #expect(sample.collapsingSpaces == collapsedByWords(sample), "'\(sample)'")
        }
    }

    @Test func bicShapesAreRecognisedAsBefore() {
        let bics = ["COBADEFFXXX": true, "COBADEFF": true, "COBADEFF12X": true, "cobadeffxxx": false, "COBAD1FFXXX": false, "COBADE1FXXX": true,
                    "COBADEFFXX": false, "COBADEFFXXXX": false, "CÖBADEFFXXX": false, "COBADEFF\u{0661}2X": false, "": false]
        for (text, expected) in bics {
            #expect(IBANText.isBIC(text) == expected, "\(text)")
        }
    }

    @Test func germanPurposeTakesTheFirstEndToEndIDAndTheTextUpToTheNextKeyword() {
        let information = MT940Information(lines: [Array("166?00GUTSCHRIFT?20EREF+E2E-1?21SVWZ+RE FA-1  EREF+X?22ABWA+Atlas".utf8)])
        #expect(information.endToEndId == "E2E-1")
        #expect(information.remittance.unstructured == "RE FA-1")
        let notProvided = MT940Information(lines: [Array("166?20EREF+notprovided?21SVWZ+RE FA-2".utf8)])
        #expect(notProvided.endToEndId == nil)
        #expect(notProvided.remittance.unstructured == "RE FA-2")
        let noKeywords = MT940Information(lines: [Array("166?20RE FA-3?21 Kd K-1".utf8)])
        #expect(noKeywords.endToEndId == nil)
        #expect(noKeywords.remittance.unstructured == "RE FA-3 Kd K-1")
    }

    @Test func tagsArePackedAndSpelledBack() throws {
        let reader = MT940Reader()
        let text = ":20:S1\r\n:25:DE89370400440532013000\r\n:28C:1/1\r\n:60F:C250601EUR0,00\r\n:61:2506010601C1,00NTRFNONREF//B1\r\n:86:text\r\n:61:2506010601C2,00NTRF\r\n:62F:C250601EUR3,00\r\n-\r\n:61:2506010601C1,00NTRF\r\n"
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("mt940-\(UUID().uuidString).sta")
        try Data(text.utf8).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        var collector = StatementCollector()
        let error = try #require(throws: StatementError.self) { try reader.read(url, into: &collector) }
        // The tag in the message is spelled from its packed code.
        #expect(error.reason.contains(":61: before the statement's :20: tag"), "\(error)")
        #expect(collector.statements.first?.entries.map(\.amount.minorUnits) == [100, 200])
        #expect(collector.statements.first?.entries.first?.remittance.unstructured == "text")
    }
}
