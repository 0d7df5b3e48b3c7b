import Events
import Foundation
@testable import PaymentMatching
import Testing

/// The byte helpers behind the camt reader's fast paths: packed names and their cache, the
/// one-step tags of the tokenizer, text lent in place, entry locations and dates made from bytes.
/// Each fast path must give exactly what the general path gives.
@Suite struct XMLPackedNameTests {
    private static let limits = XMLPullTokenizer.Limits(maxDepth: 64, maxTextBytes: 100_000, maxAttributes: 64, maxNameBytes: 1_000)

    /// `name` packed from a buffer where it is followed by other name bytes (as in a document).
    private static func loaded(_ name: String) -> XMLPackedName {
        let bytes = Array(name.utf8) + Array(repeating: UInt8(ascii: "x"), count: XMLPackedName.maxBytes)
        return bytes.withUnsafeBytes { XMLPackedName(loading: $0.baseAddress!, count: name.utf8.count) }
    }

    private static func packed(_ name: String) -> XMLPackedName {
        Array(name.utf8).withUnsafeBufferPointer { XMLPackedName(bytes: $0) }
    }

    @Test func loadedAndCopiedPackingsAgreeAndDifferByAnyByte() {
        var names = ["a", "Id", "Amt", "Ntry", "ns2:Ntry", "TxDtls", "1234567", "12345678", "123456789", "BkToCstmrAcctRpt", "Caf\u{E9}"]
        names += (1...16).map { String(repeating: "N", count: $0) }
        for name in names {
            #expect(Self.loaded(name) == Self.packed(name), "\(name)")
            #expect(Self.packed(name).count == name.utf8.count)
        }
        // Every pair of distinct names packs differently, whatever byte or length differs.
        let variants = names + names.map { String($0.dropLast()) + "y" } + names.map { "y" + String($0.dropFirst()) }
        let distinct = Array(Set(variants)).filter { !$0.isEmpty && $0.utf8.count <= 16 }
        for (index, first) in distinct.enumerated() {
            for second in distinct[(index + 1)...] {
                #expect(Self.packed(first) != Self.packed(second), "\(first) \(second)")
            }
        }
    }

    @Test func namesOutsideOneToSixteenBytesAreNotPacked() {
        #expect(Self.packed("") == .none)
        #expect(Self.packed("BkToCstmrDbtCdtNtfctn") == .none)
        #expect(Self.packed(String(repeating: "a", count: 17)).count == 0)
    }

    @Test func theCacheGivesTheRememberedIDOrNothingNeverAnotherOne() {
        var cache = XMLPackedName.Cache()
        // More names than slots: collisions replace, and a lookup never answers a wrong id.
        let names = (0..<5_000).map { "n\($0)" }
        for (id, name) in names.enumerated() { cache.remember(Self.packed(name), id: Int32(id)) }
        var remembered = 0
        for (id, name) in names.enumerated() {
            if let found = cache.id(of: Self.packed(name)) {
                #expect(found == Int32(id), "\(name)")
                remembered += 1
            }
        }
        #expect(remembered > 0)
        #expect(cache.id(of: Self.packed("never")) == nil)
        #expect(cache.id(of: .none) == nil)
        cache.remember(.none, id: 7)
        #expect(cache.id(of: .none) == nil)
        // The last name remembered is always found.
        #expect(cache.id(of: Self.packed(names[names.count - 1])) == Int32(names.count - 1))
    }

    /// Start and end names with the text an end closes, as a reader sees them.
    private static func events(_ text: String) throws -> [String] {
        var tokenizer = XMLPullTokenizer(bytes: Array(text.utf8), limits: limits, knownNames: CAMTName.spellings, coalescesText: true)
        var seen: [String] = []
        while true {
            switch try tokenizer.next() {
            case .start:
                tokenizer.discardText()
                seen.append("<\(tokenizer.name)>")
            case .text:
                continue
            case .end:
                let lent = tokenizer.withTextBytes { String(decoding: $0, as: UTF8.self) }
                #expect(lent == String(decoding: tokenizer.textBytes, as: UTF8.self))
                if !lent.isEmpty { seen.append("\"\(lent)\"") }
                tokenizer.discardText()
                seen.append("</\(tokenizer.name)>")
            case .endOfDocument:
                return seen
            }
        }
    }

    /// Room after the tags, so that the tokenizer's one-step path (which needs 19 bytes ahead) runs.
    private static let tail = String(repeating: " ", count: 64)

    @Test func oneStepTagsGiveWhatTheGeneralPathGives() throws {
        // The same names many times (cached after the first), 8-, 16- and 17-byte names, prefixes.
        var body = ""
        for index in 0..<50 {
            body += "<Ntry><Amt>\(index)</Amt><p:TxDtls>t</p:TxDtls><ABCDEFGH>8</ABCDEFGH><ABCDEFGHIJKLMNOP>16</ABCDEFGHIJKLMNOP>"
            body += "<ABCDEFGHIJKLMNOPQ>17</ABCDEFGHIJKLMNOPQ><Empty/><Ntry2 a=\"1\">x</Ntry2></Ntry>"
        }
        let events = try Self.events("<Document>" + body + Self.tail + "</Document>")
        var expected: [String] = ["<Document>"]
        for index in 0..<50 {
            expected += ["<Ntry>", "<Amt>", "\"\(index)\"", "</Amt>", "<TxDtls>", "\"t\"", "</TxDtls>", "<ABCDEFGH>", "\"8\"", "</ABCDEFGH>"]
            expected += ["<ABCDEFGHIJKLMNOP>", "\"16\"", "</ABCDEFGHIJKLMNOP>", "<ABCDEFGHIJKLMNOPQ>", "\"17\"", "</ABCDEFGHIJKLMNOPQ>"]
            expected += ["<Empty>", "</Empty>", "<Ntry2>", "\"x\"", "</Ntry2>", "</Ntry>"]
        }
        expected += ["\"\(Self.tail)\"", "</Document>"]
        #expect(events == expected)
    }

    @Test func oneStepEndTagsStillRefuseWrongNames() throws {
        // Warm the cache, then close with a name one byte apart, longer, shorter or prefixed.
        let warm = String(repeating: "<Ntry>1</Ntry>", count: 3)
        for broken in ["<Ntry></Ntrx>", "<Ntry></NtryDtls>", "<Ntry></Ntr>", "<a:Ntry></b:Ntry>", "<Ntry></a:Ntry>", "<a:Ntry></Ntry>"] {
            let error = try #require(throws: StatementError.self, "\(broken)") {
                _ = try Self.events("<Document>" + warm + broken + Self.tail + "</Document>")
            }
            #expect(error.code == .malformed, "\(broken)")
        }
        #expect(try Self.events("<Document>" + warm + "<Ntry></Ntry >" + Self.tail + "</Document>").suffix(4) == ["<Ntry>", "</Ntry>", "\"\(Self.tail)\"", "</Document>"])
    }

    @Test func oneStepStartTagsKeepTheDepthLimit() throws {
        let limits = XMLPullTokenizer.Limits(maxDepth: 3, maxTextBytes: 100_000, maxAttributes: 64, maxNameBytes: 1_000)
        // The fourth level is a name met before, so the one-step path sees it first.
        let text = "<a><b><c></c></b><b><c><c></c></c></b></a>" + Self.tail
        var tokenizer = XMLPullTokenizer(bytes: Array(text.utf8), limits: limits, coalescesText: true)
        let error = try #require(throws: StatementError.self) {
            while try tokenizer.next() != .endOfDocument {}
        }
        #expect(error.code == .unsafe)
        #expect(error.reason.contains("deeper than 3"))
    }

    @Test func entryLocationsAreTheHeadTheIndexAndABracket() {
        let head = Array("BkToCstmrStmt/Stmt[1]/Ntry[".utf8)
        for index in [0, 1, 9, 10, 99, 100, 12_345, Int.max, -1, -907, Int.min] {
            #expect(CAMTDocumentParser.indexedLocation(head, index) == "BkToCstmrStmt/Stmt[1]/Ntry[\(index)]")
        }
        #expect(CAMTDocumentParser.indexedLocation([], 3) == "3]")
        #expect(CAMTDocumentParser.indexedLocation(Array("Caf\u{E9}[".utf8), 3) == "Caf\u{E9}[3]")
    }

    @Test func datesFromBytesFollowCalendarDateISO8601() {
        let samples = [
            "2025-06-10", "2024-02-29", "2025-02-29", "2025-02-30", "2025-13-01", "2025-00-10", "2025-06-00", "0000-01-01",
            "9999-12-31", "2025-6-10", "2025/06/10", "20250610", "2025-06-1a", "2025-06-10Z", "", "2025-06-1", "+025-06-10",
        ]
        for sample in samples {
            let fromBytes = CAMTDocumentParser.isoDateParts(Array(sample.utf8)[...]).flatMap { try? CalendarDate(year: $0.year, month: $0.month, day: $0.day) }
            #expect(fromBytes == (try? CalendarDate(iso8601: sample)), "\(sample)")
        }
    }
}
