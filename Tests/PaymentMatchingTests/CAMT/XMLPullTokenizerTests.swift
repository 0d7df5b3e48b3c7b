import Foundation
@testable import PaymentMatching
import Testing

/// The byte-level tokenizer: interned names, coalesced text and chunked reading give the same
/// events, names and text as the XML says, on the inputs that trip byte scanners.
@Suite struct XMLPullTokenizerTests {
    private static let limits = XMLPullTokenizer.Limits(maxDepth: 64, maxTextBytes: 100_000, maxAttributes: 64, maxNameBytes: 1_000)

    /// What a reader sees: `<name a=v>` starts, `</name>` ends, `"text"` the text an end closes
    /// (as the camt reader takes it: the text since the last start or end).
    private static func events(_ tokenizer: inout XMLPullTokenizer) throws -> [String] {
        var seen: [String] = []
        while true {
            switch try tokenizer.next() {
            case .start:
                tokenizer.discardText()
                let attributes = tokenizer.attributes.map { " \(tokenizer.names.localName($0.name))=\($0.value)" }.joined()
                seen.append("<\(tokenizer.name)\(attributes)>")
            case .text:
                continue
            case .end:
                if !tokenizer.text.isEmpty { seen.append("\"\(String(decoding: tokenizer.text, as: UTF8.self))\"") }
                tokenizer.discardText()
                seen.append("</\(tokenizer.name)>")
            case .endOfDocument:
                return seen
            }
        }
    }

    private static func events(_ text: String, coalescing: Bool = false) throws -> [String] {
        var tokenizer = XMLPullTokenizer(bytes: Array(text.utf8), limits: limits, coalescesText: coalescing)
        return try events(&tokenizer)
    }

    /// The same read from a file in chunks of `chunkSize` bytes (every name, tag and reference
    /// then straddles a chunk boundary somewhere).
    private static func events(_ text: String, chunkSize: Int, coalescing: Bool) throws -> [String] {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("tokenizer-\(UUID().uuidString).xml")
        try Data(text.utf8).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        let handle = try FileHandle(forReadingFrom: url)
        defer { try? handle.close() }
        var tokenizer = XMLPullTokenizer(handle: handle, limits: limits, coalescesText: coalescing, chunkSize: chunkSize)
        return try events(&tokenizer)
    }

    private static let tricky = """
        <?xml version="1.0" encoding="UTF-8"?>
        <!-- a comment with <Ntry> and -- inside -->
        <ns2:Document xmlns:ns2="urn:x" ns2:kind = 'a>b' >
          <ns2:Ustrd>one &amp; two <![CDATA[<three> & ]]]> four&#233;&#x41;&lt;</ns2:Ustrd>
          <Nm  Ccy="EUR"   >Caf\u{E9}   </Nm  >
          <?pi ignored?><Empty/><Empty a="1" />
          <ns3:Ntry><ns3:Amt>1.00</ns3:Amt></ns3:Ntry  >
        </ns2:Document>
        """

    private static let trickyEvents = [
        "<Document ns2=urn:x kind=a>b>",
        "<Ustrd>", "\"one & two <three> & ] fouréA<\"", "</Ustrd>",
        "<Nm Ccy=EUR>", "\"Café   \"", "</Nm>",
        "<Empty>", "</Empty>", "<Empty a=1>", "</Empty>",
        "<Ntry>", "<Amt>", "\"1.00\"", "</Amt>", "</Ntry>",
        "\"\n\"", "</Document>",
    ]

    @Test func trickyMarkupGivesTheNamesTextAndAttributesItSpells() throws {
        #expect(try Self.events(Self.tricky) == Self.trickyEvents)
    }

    @Test func coalescedTextIsTheSameTextWithoutTextEvents() throws {
        #expect(try Self.events(Self.tricky, coalescing: true) == Self.trickyEvents)
        var tokenizer = XMLPullTokenizer(bytes: Array(Self.tricky.utf8), limits: Self.limits, coalescesText: true)
        while true {
            let event = try tokenizer.next()
            #expect(event != .text)
            if event == .endOfDocument { break }
        }
    }

    @Test func chunkBoundariesAnywhereGiveTheSameEvents() throws {
        for chunkSize in [1, 2, 3, 5, 7, 11, 64, 4_096] {
            for coalescing in [false, true] {
                #expect(try Self.events(Self.tricky, chunkSize: chunkSize, coalescing: coalescing) == Self.trickyEvents,
                        "chunks of \(chunkSize), coalescing \(coalescing)")
            }
        }
    }

    @Test func latinOneTextIsTranscodedOnceAcrossTextAndCDATA() throws {
        var bytes = Array("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><a>".utf8)
        bytes += [0xE9] + Array("<![CDATA[".utf8) + [0xFC] + Array("]]>&#233;".utf8) + [0xE0] + Array("</a>".utf8)
        var tokenizer = XMLPullTokenizer(bytes: bytes, limits: Self.limits, coalescesText: true)
        #expect(try Self.events(&tokenizer) == ["<a>", "\"éüéà\"", "</a>"])
    }

    @Test func knownNamesHaveTheirFixedIDsWhateverThePrefix() throws {
        var tokenizer = XMLPullTokenizer(bytes: Array("<p:Document><Ntry/><q:Ntry/></p:Document>".utf8), limits: Self.limits,
                                         knownNames: CAMTName.spellings)
        var ids: [Int32] = []
        while true {
            let event = try tokenizer.next()
            if event == .start { ids.append(tokenizer.nameID) }
            if event == .endOfDocument { break }
        }
        #expect(ids == [CAMTName.Document.rawValue, CAMTName.Ntry.rawValue, CAMTName.Ntry.rawValue])
        for name in CAMTName.allCases {
            #expect(CAMTName.spellings[Int(name.rawValue)] == "\(name)")
        }
    }

    @Test func endTagsAreCheckedAgainstTheOpenElementByBytes() throws {
        // Same length, one byte apart; a longer name that starts with the open one.
        for broken in ["<a><Ntry></Ntrx></a>", "<a><Ntry></NtryDtls></a>", "<a><Ntry></Ntr></a>"] {
            var tokenizer = XMLPullTokenizer(bytes: Array(broken.utf8), limits: Self.limits)
            #expect(throws: StatementError.self) { _ = try Self.events(&tokenizer) }
        }
        #expect(try Self.events("<a><Ntry></Ntry ></a>") == ["<a>", "<Ntry>", "</Ntry>", "</a>"])
    }

    @Test func nameBytesAreLettersDigitsPunctuationAndMultiByteCharacters() {
        let punctuation = Set("_:-.".utf8)
        for byte in UInt8.min...UInt8.max {
            let scalar = Unicode.Scalar(byte)
            let expected = byte >= 0x80 || punctuation.contains(byte)
                || ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar)
            #expect(XMLPullTokenizer.isNameByte(byte) == expected, "byte \(byte)")
        }
    }

    @Test func tooManyDistinctNamesAreRefused() throws {
        var text = "<a>"
        for index in 0...XMLNameTable.maxNames { text += "<n\(index)/>" }
        text += "</a>"
        var tokenizer = XMLPullTokenizer(bytes: Array(text.utf8), limits: Self.limits)
        let error = try #require(throws: StatementError.self) { _ = try Self.events(&tokenizer) }
        #expect(error.code == .unsafe)
        #expect(error.reason.contains("distinct"))
    }

    @Test func distinctNamesBeyondAMebibyteAreRefused() throws {
        // 1,100 distinct names of 1,000 bytes: far fewer names than the limit, more bytes.
        var text = "<a>"
        for index in 0..<1_100 { text += "<" + String(repeating: "n", count: 990) + "\(index + 1_000_000)/>" }
        text += "</a>"
        var tokenizer = XMLPullTokenizer(bytes: Array(text.utf8), limits: Self.limits)
        let error = try #require(throws: StatementError.self) { _ = try Self.events(&tokenizer) }
        #expect(error.code == .unsafe)
        #expect(error.reason.contains("bytes of them"))
    }
}

/// The name table behind the tokenizer: ids are stable, lookups exact, growth keeps them.
@Suite struct XMLNameTableTests {
    private func lookup(_ table: XMLNameTable, _ name: String) -> Int32? {
        Array(name.utf8).withUnsafeBufferPointer { table.lookup($0) }
    }

    private func insert(_ table: inout XMLNameTable, _ name: String) -> Int32? {
        Array(name.utf8).withUnsafeBufferPointer { table.insert($0, qualified: name) }
    }

    @Test func namesKeepTheirIDsAndPrefixesShareTheLocalID() throws {
        var table = XMLNameTable(known: ["Ntry", "Amt"])
        #expect(lookup(table, "Ntry") == nil) // known local names are not yet qualified ones
        let plain = try #require(insert(&table, "Ntry"))
        let prefixed = try #require(insert(&table, "ns2:Ntry"))
        let other = try #require(insert(&table, "Other"))
        #expect(plain != prefixed)
        #expect(table.localID(ofQualified: plain) == 0)
        #expect(table.localID(ofQualified: prefixed) == 0)
        #expect(table.localID(ofQualified: other) == 2)
        #expect(table.qualifiedName(prefixed) == "ns2:Ntry")
        #expect(table.localName(2) == "Other")
        #expect(lookup(table, "ns2:Ntry") == prefixed)
        #expect(lookup(table, "ns2:Ntr") == nil)
        #expect(lookup(table, "Ntryx") == nil)
    }

    @Test func growingKeepsEveryLookupExact() throws {
        var table = XMLNameTable(known: [])
        var ids: [String: Int32] = [:]
        for index in 0..<3_000 {
            let name = "e\(index)"
            let id = try #require(insert(&table, name))
            ids[name] = id
        }
        for (name, id) in ids {
            #expect(lookup(table, name) == id)
            #expect(table.qualifiedName(id) == name)
        }
        #expect(lookup(table, "e3000") == nil)
    }
}
