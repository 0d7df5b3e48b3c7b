import Foundation
import PaymentMatching
import Testing

@Suite struct StatementFormatDetectorTests {
    static func detect(_ text: String, csv: Bool = false) throws(StatementError) -> StatementFormat {
        try StatementFormatDetector.detect(prefix: Array(text.utf8), hasCSVMapping: csv)
    }

    @Test func mt940BySwiftBlockOrTag() throws {
        #expect(try Self.detect("{1:F01ASNBNL21XXXX0000000000}{2:O940ASNBNL21XXXXN}{3:}{4:\n:20:X\n") == .mt940)
        #expect(try Self.detect(":20:STARTUMS\n:25:1234\n") == .mt940)
        #expect(try Self.detect("ABNANL2A\n940\nABNANL2A\n:20:ABN AMRO BANK NV\n") == .mt940)
        #expect(try Self.detect("\u{01}\r\n:20:ST170119CYC/1\r\n") == .mt940)
    }

    @Test func xmlIsTheCAMTMessageItsNamespaceNames() throws {
        let camt053 = #"<?xml version="1.0"?><Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt>"#
        #expect(try Self.detect(camt053) == .camt053)
        let camt054 = camt053.replacingOccurrences(of: "053", with: "054").replacingOccurrences(of: "BkToCstmrStmt", with: "BkToCstmrDbtCdtNtfctn")
        #expect(try StatementFormatDetector.detect(prefix: [0xEF, 0xBB, 0xBF] + Array(camt054.utf8)) == .camt054)
        // The message element decides when namespace and element disagree.
        #expect(try Self.detect(camt053.replacingOccurrences(of: "053", with: "054")) == .camt053)
        #expect(try Self.detect(#"<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.052.001.08">"#) == .camt052)
        #expect(throws: StatementError.self) { try Self.detect("<?xml version=\"1.0\"?><html></html>") }
    }

    @Test func cfonbByItsRecordLayout() throws {
        let record = "0130003    01234EUR2 01234567890  120124" + String(repeating: " ", count: 50) + "0000010173118I" + String(repeating: " ", count: 16)
        #expect(record.count == 120)
        #expect(try Self.detect(record + "\n" + record) == .cfonb120)
        #expect(try Self.detect(record + record) == .cfonb120)
    }

    @Test func csvOnlyWithAMappingOtherwiseAClearUnknownFormat() throws {
        #expect(try Self.detect("date;amount\n2025-01-01;10.00\n", csv: true) == .csv)
        do {
            _ = try Self.detect("date;amount\n2025-01-01;10.00\n")
            Issue.record("a CSV without a mapping was detected")
        } catch {
            #expect(error.code == .unknownFormat)
            #expect(error.reason.contains("--csv-mapping"))
        }
    }

    @Test func binaryEmptyAndUTF16FilesAreRefused() {
        var generator = SystemRandomNumberGenerator()
        let garbage = [0x00, 0x17] + (0..<2000).map { _ in UInt8.random(in: 0...255, using: &generator) }
        #expect(throws: StatementError.self) { try StatementFormatDetector.detect(prefix: garbage, hasCSVMapping: true) }
        #expect(throws: StatementError.self) { try StatementFormatDetector.detect(prefix: []) }
        #expect(throws: StatementError.self) { try StatementFormatDetector.detect(prefix: [0xFF, 0xFE, 0x3C, 0x00]) }
    }

    @Test func everyNonXMLCorpusFileIsDetected() throws {
        for file in StatementTestFiles.corpusFiles(in: "mt940") {
            #expect(try StatementFormatDetector.detect(file: file) == .mt940, "\(file.lastPathComponent)")
        }
        for file in StatementTestFiles.corpusFiles(in: "cfonb120") {
            #expect(try StatementFormatDetector.detect(file: file) == .cfonb120, "\(file.lastPathComponent)")
        }
        for file in StatementTestFiles.corpusFiles(in: "camt053") {
            #expect(try StatementFormatDetector.detect(file: file) == .camt053, "\(file.lastPathComponent)")
        }
        for file in StatementTestFiles.corpusFiles(in: "camt054") {
            #expect(try StatementFormatDetector.detect(file: file) == .camt054, "\(file.lastPathComponent)")
        }
        for file in StatementTestFiles.corpusFiles(in: "csv") {
            #expect(try StatementFormatDetector.detect(file: file, hasCSVMapping: true) == .csv, "\(file.lastPathComponent)")
        }
    }
}
