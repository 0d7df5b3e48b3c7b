import Foundation
import Money
@testable import PaymentMatching
import Testing

/// The camt reader takes an element's text as a slice of the tokenizer's read buffer when it is
/// one run, and copies it only when it must (references, CDATA, comments, Latin-1, a refill):
/// the text is the same either way.
@Suite struct CAMTInPlaceTextTests {
    private static let limits = XMLPullTokenizer.Limits(maxDepth: 64, maxTextBytes: 100_000, maxAttributes: 64, maxNameBytes: 1_000)

    private static let document = """
        <?xml version="1.0" encoding="UTF-8"?>
        <Document><A>plain value</A><B>one &amp; two</B><C>x<!-- c -->y</C><D><![CDATA[<z>]]>w</D>
        <E>Caf\u{E9} cr\u{E8}me</E><F/><G>  spaced  </G><H>a&#233;b</H><I>tail<?pi x?>end</I></Document>
        """

    private static let expected: [String: String] = [
        "A": "plain value", "B": "one & two", "C": "xy", "D": "<z>w", "E": "Caf\u{E9} cr\u{E8}me", "F": "", "G": "  spaced  ", "H": "a\u{E9}b", "I": "tailend",
    ]

    /// Each leaf's text at its end, read through ``XMLPullTokenizer/textBytes`` and ``XMLPullTokenizer/text``.
    private static func leafTexts(_ tokenizer: inout XMLPullTokenizer) throws -> [String: String] {
        var texts: [String: String] = [:]
        while true {
            switch try tokenizer.next() {
            case .start:
                tokenizer.discardText()
            case .text:
                continue
            case .end:
                let slice = String(decoding: tokenizer.textBytes, as: UTF8.self)
                #expect(slice == String(decoding: tokenizer.text, as: UTF8.self))
                #expect(tokenizer.textCount == tokenizer.text.count)
                if tokenizer.name != "Document" { texts[tokenizer.name] = slice }
                tokenizer.discardText()
            case .endOfDocument:
                return texts
            }
        }
    }

    @Test func textIsTheSameWhetherReferencedOrCopied() throws {
        var inMemory = XMLPullTokenizer(bytes: Array(Self.document.utf8), limits: Self.limits, coalescesText: true)
        #expect(try Self.leafTexts(&inMemory) == Self.expected)
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("pending-\(UUID().uuidString).xml")
        try Data(Self.document.utf8).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        // Every chunk size up to 40 bytes puts a boundary inside some value.
        for chunkSize in 1...40 {
            let handle = try FileHandle(forReadingFrom: url)
            defer { try? handle.close() }
            var tokenizer = XMLPullTokenizer(handle: handle, limits: Self.limits, coalescesText: true, chunkSize: chunkSize)
            #expect(try Self.leafTexts(&tokenizer) == Self.expected, "chunk size \(chunkSize)")
        }
    }

    @Test func latin1TextIsTranscoded() throws {
        let bytes = Array("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><Document><A>Caf".utf8) + [0xE9] + Array("</A></Document>".utf8)
        var tokenizer = XMLPullTokenizer(bytes: bytes, limits: Self.limits, coalescesText: true)
        #expect(try Self.leafTexts(&tokenizer) == ["A": "Caf\u{E9}"])
    }

    @Test func textOverTheLimitIsRefusedWhetherReferencedOrNot() throws {
        let limits = XMLPullTokenizer.Limits(maxDepth: 64, maxTextBytes: 10, maxAttributes: 64, maxNameBytes: 1_000)
        for text in ["12345678901", "1234&amp;567890", "12345<!---->678901"] {
            var tokenizer = XMLPullTokenizer(bytes: Array("<Document><A>\(text)</A></Document>".utf8), limits: limits, coalescesText: true)
            let error = try #require(throws: StatementError.self) { _ = try Self.leafTexts(&tokenizer) }
            #expect(error.code == .unsafe, "\(text)")
        }
    }

    @Test func oneTransactionDetailIsFoldedAndSeveralAreABatch() throws {
        var single = CAMTEntryBuilder(location: "Ntry[1]")
        single.amount = Money(minorUnits: 100, currency: .eur)
        single.creditDebit = .credit
        single.beginDetail()
        single.detail.addUnstructured("one")
        single.detail.addUnstructured("two")
        #expect(single.detail.remittance.unstructured == "one two")
        let folded = try single.build(transactionCode: nil)
        #expect(folded.remittance.unstructured == "one two" && folded.details.isEmpty)
        var batch = single
        batch.beginDetail()
        #expect(batch.detail.remittance.unstructured == nil)
        batch.detail.addUnstructured("three")
        let split = try batch.build(transactionCode: "PMNT")
        #expect(split.remittance.unstructured == nil && split.transactionCode == "PMNT")
        #expect(split.details.map { $0.remittance.unstructured } == ["one two", "three"])
    }

    @Test func aTransactionCodeIsReusedOnlyForTheSameParts() {
        var last: (domain: String?, family: String?, subFamily: String?, code: String?) = (nil, nil, nil, nil)
        var entry = CAMTEntryBuilder(location: "Ntry[1]")
        entry.domain = "PMNT"
        entry.family = "RCDT"
        entry.subFamily = "ESCT"
        #expect(entry.transactionCode(reusing: &last) == "PMNT/RCDT/ESCT")
        #expect(last.code == "PMNT/RCDT/ESCT")
        #expect(entry.transactionCode(reusing: &last) == "PMNT/RCDT/ESCT")
        entry.subFamily = "DMCT"
        #expect(entry.transactionCode(reusing: &last) == "PMNT/RCDT/DMCT")
        entry.family = nil
        #expect(entry.transactionCode(reusing: &last) == "PMNT/DMCT")
        entry.subFamily = nil
        #expect(entry.transactionCode(reusing: &last) == "PMNT")
        entry.domain = nil
        entry.proprietaryCode = "NTRF"
        #expect(entry.transactionCode(reusing: &last) == "NTRF")
    }
}
