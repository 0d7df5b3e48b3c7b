import Foundation
import PaymentMatching
import Testing

/// Hostile and broken XML is refused quickly, with a clear, located error.
@Suite struct CAMTHostileXMLTests {
    private func expectRefused(_ text: String, code: StatementError.Code, mentioning words: [String] = [],
                               within seconds: Double = 2, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let clock = ContinuousClock()
        var error: StatementError?
        let elapsed = try clock.measure { error = try CAMTFixtures.error(text) }
        let refused = try #require(error, "the file was accepted", sourceLocation: sourceLocation)
        #expect(refused.code == code, "\(refused)", sourceLocation: sourceLocation)
        for word in words {
            #expect(refused.description.contains(word), "\(refused)", sourceLocation: sourceLocation)
        }
        #expect(elapsed < .seconds(seconds), "took \(elapsed)", sourceLocation: sourceLocation)
    }

    @Test func billionLaughsIsRefusedAtItsDoctype() throws {
        var entities = "<!ENTITY lol \"lol\">\n"
        for level in 1...9 {
            entities += "<!ENTITY lol\(level) \"" + String(repeating: "&lol\(level == 1 ? "" : String(level - 1));", count: 10) + "\">\n"
        }
        let text = "<?xml version=\"1.0\"?>\n<!DOCTYPE Document [\n\(entities)]>\n"
            + CAMTFixtures.camt053("<Ntry><Amt Ccy=\"EUR\">1.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><AddtlNtryInf>&lol9;</AddtlNtryInf></Ntry>")
                .replacingOccurrences(of: "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", with: "")
        try expectRefused(text, code: .unsafe, mentioning: ["DOCTYPE", "line 2"])
    }

    @Test func externalEntityIsRefusedBeforeAnyFileIsRead() throws {
        let text = """
            <?xml version="1.0"?>
            <!DOCTYPE Document [<!ENTITY x SYSTEM "file:///etc/passwd">]>
            <Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt><Stmt><Id>&x;</Id></Stmt></BkToCstmrStmt></Document>
            """
        try expectRefused(text, code: .unsafe, mentioning: ["DOCTYPE"])
    }

    @Test func externalDTDIsRefused() throws {
        let text = """
            <?xml version="1.0"?>
            <!DOCTYPE Document SYSTEM "http://attacker.example/camt.dtd">
            <Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt/></Document>
            """
        try expectRefused(text, code: .unsafe, mentioning: ["DOCTYPE"])
    }

    @Test func entityDeclarationInsideTheDocumentIsRefused() throws {
        try expectRefused(CAMTFixtures.camt053("<!ENTITY x \"y\">"), code: .unsafe, mentioning: ["ENTITY"])
    }

    @Test func undefinedEntityIsMalformed() throws {
        try expectRefused(CAMTFixtures.camt053(CAMTFixtures.entry("1.00", extra: "<AcctSvcrRef>&x;</AcctSvcrRef>")),
                          code: .malformed, mentioning: ["&x;"])
    }

    @Test func thirtyThousandDeepNestingIsRefusedQuickly() throws {
        let depth = 30_000
        let text = "<Document>" + String(repeating: "<a>", count: depth) + String(repeating: "</a>", count: depth) + "</Document>"
        // Nested below a camt message, so the depth limit, not the root check, refuses it.
        let nested = text.replacingOccurrences(of: "<Document>", with: "<Document><BkToCstmrStmt><Stmt>")
            .replacingOccurrences(of: "</Document>", with: "</Stmt></BkToCstmrStmt></Document>")
        let clock = ContinuousClock()
        var error: StatementError?
        let elapsed = try clock.measure { error = try CAMTFixtures.error(nested) }
        let refused = try #require(error)
        #expect(refused.code == .unsafe)
        #expect(refused.reason.contains("deeper than 64"))
        #expect(elapsed < .milliseconds(500), "took \(elapsed)")
        print("30,000-deep nesting refused in \(elapsed)")
    }

    @Test func nestingJustWithinTheLimitIsRead() throws {
        // 64 levels: Document/BkToCstmrStmt/Stmt/Ntry and 60 unknown elements.
        let padding = 64 - 4
        let body = CAMTFixtures.entry("1.00", extra: String(repeating: "<X>", count: padding) + String(repeating: "</X>", count: padding))
        let file = try CAMTFixtures.read(CAMTFixtures.camt053(body))
        #expect(file.statements.first?.entries.count == 1)
        #expect(throws: StatementError.self) {
            _ = try CAMTFixtures.read(CAMTFixtures.camt053(CAMTFixtures.entry("1.00", extra: String(repeating: "<X>", count: padding + 1) + String(repeating: "</X>", count: padding + 1))))
        }
    }

    @Test func hugeTextNodeIsRefused() throws {
        let huge = String(repeating: "A", count: 5_000_000)
        try expectRefused(CAMTFixtures.camt053(CAMTFixtures.entry("1.00", extra: "<AddtlNtryInf>\(huge)</AddtlNtryInf>")),
                          code: .unsafe, mentioning: ["longer than 100000 bytes", "Ntry"])
    }

    @Test func hugeAttributeIsRefused() throws {
        let huge = String(repeating: "B", count: 200_000)
        try expectRefused(CAMTFixtures.camt053("<Ntry><Amt Ccy=\"\(huge)\">1.00</Amt></Ntry>"), code: .unsafe, mentioning: ["longer than"])
    }

    @Test func truncatedFileNamesWhereItStops() throws {
        let full = CAMTFixtures.camt053(CAMTFixtures.entry("1.00") + CAMTFixtures.entry("2.00"))
        let cut = String(full[..<(full.range(of: "2.00")?.lowerBound ?? full.endIndex)])
        let error = try #require(try CAMTFixtures.error(cut))
        #expect(error.code == .malformed)
        #expect(error.reason.contains("truncated"))
        #expect(error.location?.contains("Document/BkToCstmrStmt/Stmt/Ntry/Amt") == true, "\(error)")
        #expect(error.location?.contains("line 8") == true, "\(error)")
    }

    @Test func truncatedInsideATagIsMalformed() throws {
        let error = try #require(try CAMTFixtures.error("<Document><BkToCstmrStmt><Stmt><Ntry><Amt Ccy=\"EU"))
        #expect(error.code == .malformed)
    }

    @Test func mismatchedClosingTagIsMalformed() throws {
        let error = try #require(try CAMTFixtures.error(CAMTFixtures.camt053("<Ntry><Amt Ccy=\"EUR\">1.00</Ntry></Amt>")))
        #expect(error.code == .malformed)
        #expect(error.reason.contains("</Ntry> closes <Amt>"))
    }

    @Test func notXMLIsAnUnknownFormat() throws {
        let error = try #require(try CAMTFixtures.error(":20:STATEMENT\n:25:NL77ABNA0574908765\n"))
        #expect(error.code == .unknownFormat)
        #expect(try CAMTFixtures.error("")?.code == .unknownFormat)
    }

    @Test func anotherXMLDocumentIsAnUnknownFormat() throws {
        let pain = try #require(try CAMTFixtures.error("<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:pain.001.001.03\"><CstmrCdtTrfInitn/></Document>"))
        #expect(pain.code == .unknownFormat)
        #expect(pain.reason.contains("CstmrCdtTrfInitn"))
        let html = try #require(try CAMTFixtures.error("<html><body>statement</body></html>"))
        #expect(html.code == .unknownFormat)
        #expect(html.reason.contains("<html>"))
    }

    @Test func utf16IsAnEncodingError() throws {
        var data = Data([0xFF, 0xFE])
        data.append(contentsOf: Array("<Document/>".utf16).flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] })
        let url = try CAMTFixtures.file(data)
        defer { try? FileManager.default.removeItem(at: url) }
        #expect(throws: StatementError(.encoding, "the file looks like UTF-16; convert it to UTF-8", location: "line 1")) {
            _ = try CAMTReader().read(url)
        }
    }

    @Test func invalidUTF8TextIsAnEncodingError() throws {
        var data = Data(CAMTFixtures.camt053("<Id>X</Id>").utf8)
        let range = try #require(data.range(of: Data("<Id>X".utf8)))
        data[range.upperBound - 1] = 0xE9 // Latin-1 é in a file declared UTF-8
        let url = try CAMTFixtures.file(data)
        defer { try? FileManager.default.removeItem(at: url) }
        #expect(throws: StatementError.self) { _ = try CAMTReader().read(url) }
        do {
            _ = try CAMTReader().read(url)
        } catch {
            #expect(error.code == .encoding)
        }
    }

    @Test func missingFileIsAnIOError() {
        do {
            _ = try CAMTReader().read(URL(fileURLWithPath: "/nonexistent/camt.xml"))
            Issue.record("read a missing file")
        } catch {
            #expect(error.code == .io)
        }
    }
}
