import Foundation
@testable import PaymentMatching
import Testing

/// The MT940 reader reads lines in place (slices of the line reader's buffer, one reused field
/// buffer) and makes a value's `String` from its bytes in one step: each shortcut gives what
/// the `String` operations it replaces give.
@Suite struct MT940InPlaceReadingTests {
    private static let samples = ["", " ", "\t", "a", " a", "a ", " a b ", "a  b", "\ta\t", "RE FA-2025-000123  ", "  Caf\u{E9}  cr\u{E8}me ",
                                  " \u{301}x", "x \u{301}", "\u{600} ", " \u{600}x", "a\u{A0}", "\u{A0} a", " DE89 3704 0044 0532 0130 00 ",
                                  "\tde89370400440532013000", "DE89370400440532013000\t", "DE89 3704\t0044", "D\u{C9}89370400440532013000",
                                  "NL91ABNA0417164300", "nl91abna0417164300 ", "DE8937040044053201300012345678901234"]

    @Test func scanFindsControlBytesAndNonASCII() {
        let samples: [([UInt8], hasControl: Bool, isASCII: Bool)] = [
            (Array("ab\tc".utf8), false, true), (Array("a\u{0}b".utf8), true, true), (Array("Caf\u{E9}".utf8), false, false), ([0x0C, 0xE9], true, false), ([], false, true),
        ]
        for (bytes, hasControl, isASCII) in samples {
            let scanned = MT940Bytes.scan(bytes[...])
            #expect(scanned.hasControl == hasControl && scanned.isASCII == isASCII, "\(bytes)")
        }
    }

    @Test func trimmedStringMatchesTrimmingTheDecodedString() {
        for sample in Self.samples {
            let bytes = Array(sample.utf8)
            #expect(MT940Bytes.trimmedString(bytes[...]) == String(decoding: bytes, as: UTF8.self).trimmingSpaces, "'\(sample)'")
            // A slice that does not start at 0, as the reader passes them.
            let shifted = Array("xx".utf8) + bytes
            #expect(MT940Bytes.trimmedString(shifted[2...]) == sample.trimmingSpaces, "'\(sample)'")
        }
    }

    /// The definition of `trimmingSpaces`: spaces and tabs dropped at both ends, by `Character`.
    @Test func trimmingSpacesMatchesDroppingSpaceCharacters() {
        for sample in Self.samples {
            var slice = Substring(sample)
            while let first = slice.first, first == " " || first == "\t" { slice = slice.dropFirst() }
            while let last = slice.last, last == " " || last == "\t" { slice = slice.dropLast() }
            #expect(sample.trimmingSpaces == String(slice), "'\(sample)'")
        }
    }

    @Test func collapsedStringMatchesCollapsingTheDecodedString() {
        for sample in Self.samples {
            let bytes = Array("?2".utf8) + Array(sample.utf8)
            #expect(MT940Bytes.collapsedString(bytes[2...]) == sample.collapsingSpaces.nonEmpty, "'\(sample)'")
            #expect(MT940Bytes.collapsedString(bytes[2...]) == sample.trimmingSpaces.collapsingSpaces.nonEmpty, "'\(sample)'")
        }
    }

    @Test func ibanFromBytesMatchesTheStringPath() {
        for sample in Self.samples {
            let bytes = Array("?31".utf8) + Array(sample.utf8)
            let expected = sample.trimmingSpaces.nonEmpty.flatMap { IBANText.normalised($0) }
            #expect(IBANText.normalised(trimmed: bytes[3...]) == expected, "'\(sample)'")
        }
        #expect(IBANText.normalised(trimmed: Array(" de89 3704 0044 0532 0130 00\t".utf8)[...]) == "DE89370400440532013000")
    }

    @Test func fieldTextKeepsLinesBackToBack() {
        var field = MT940FieldText()
        field.append(Array("166?20EREF+".utf8)[...], isASCII: true)
        field.append(Array("E2E?21SVWZ+Caf\u{E9}".utf8)[...], isASCII: false)
        #expect(field.lineCount == 2)
        #expect(String(decoding: field.line(1), as: UTF8.self) == "E2E?21SVWZ+Caf\u{E9}")
        #expect(String(decoding: field.bytes, as: UTF8.self) == "166?20EREF+E2E?21SVWZ+Caf\u{E9}")
        #expect(!field.isASCII)
        field.removeAll()
        #expect(field.lineCount == 0 && field.bytes.isEmpty && field.isASCII)
    }

    @Test func germanFieldWithLatin1LinesReadsTheSameAsUTF8() {
        // "Café  crème" and "Müller" in Windows-1252, split mid-value across lines as banks wrap.
        let latin1: [[UInt8]] = [Array("166?00GUTSCHRIFT?20EREF+E2E-9?21SVWZ+Caf".utf8) + [0xE9], Array("  cr".utf8) + [0xE8] + Array("me?30 COBADEFFXXX ?31 de02 1203 0000 0000 2020 51?32M".utf8) + [0xFC] + Array("ller ?33 GmbH".utf8)]
        let information = MT940Information(lines: latin1)
        #expect(information.transactionCode == "166")
        #expect(information.endToEndId == "E2E-9")
        #expect(information.remittance.unstructured == "Caf\u{E9} cr\u{E8}me")
        #expect(information.counterparty == Counterparty(name: "M\u{FC}ller GmbH", iban: "DE02120300000000202051", bic: "COBADEFFXXX"))
        let utf8 = MT940Information(lines: latin1.map { Array(StatementLineReader.decode($0).utf8) })
        #expect(utf8 == information)
        // The buffers are reused from field to field: a second field leaves nothing of the first.
        var scratch = MT940Information.Scratch()
        _ = MT940Information(MT940FieldText(lines: latin1), scratch: &scratch)
        let next = MT940Information(MT940FieldText(lines: [Array("166?20SVWZ+RE 1?32Bo".utf8)]), scratch: &scratch)
        #expect(next.remittance.unstructured == "RE 1")
        #expect(next.counterparty == Counterparty(name: "Bo"))
        #expect(next.endToEndId == nil)
    }

    @Test func germanSubFieldsRepeatedOrEmptyKeepTheLastValue() {
        let information = MT940Information(lines: [Array("166?30COBADEFFXXX?30?31DE02120300000000202051?20a?20?21 b".utf8)])
        #expect(information.counterparty == Counterparty(iban: "DE02120300000000202051"))
        #expect(information.remittance.unstructured == "a b")
        let lone = MT940Information(lines: [Array("166?20price? 3?2x?21end?".utf8)])
        #expect(lone.remittance.unstructured == "price? 3?2xend?")
    }

    /// Lines as slices of the reader's buffer, across its 64 KiB chunks: a CR LF split by a
    /// chunk boundary, a lone CR, LF, and a last line without a break.
    @Test func lineSlicesAcrossChunkBoundaries() throws {
        let chunk = StatementLineReader.chunkSize
        var text: [UInt8] = Array(repeating: UInt8(ascii: "a"), count: chunk - 1) + [0x0D] + [0x0A] // CR last in chunk 1, LF first in chunk 2
        text += Array("b\rc\nd\r\n\r\n".utf8)
        text += Array(repeating: UInt8(ascii: "e"), count: chunk + 10) + Array("\nlast".utf8)
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("lines-\(UUID().uuidString).txt")
        try Data(text).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        let reader = try StatementLineReader(url)
        var lines: [String] = []
        while let line = try reader.nextLineSlice() { lines.append(String(decoding: line, as: UTF8.self)) }
        #expect(lines == [String(repeating: "a", count: chunk - 1), "b", "c", "d", "", String(repeating: "e", count: chunk + 10), "last"])
        #expect(reader.lineNumber == 7)
    }
}
