import Foundation
import PaymentMatching
import RelanceTestSupport

/// Files for the camt tests: the shared corpus and temporary files written from literals.
enum CAMTFixtures {
    /// The shared bank-statement corpus (`TestPaths.sharedTestData`).
    static let corpus: URL = TestPaths.sharedTestData.appendingPathComponent("statements")

    static func corpusFile(_ relative: String) -> URL {
        corpus.appendingPathComponent(relative)
    }

    /// Writes `text` to a fresh temporary file.
    static func file(_ text: String) throws -> URL {
        try file(Data(text.utf8))
    }

    static func file(_ data: Data) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("camt-\(UUID().uuidString).xml")
        try data.write(to: url)
        return url
    }

    /// Reads `text` as a file with a fresh reader.
    static func read(_ text: String, format: StatementFormat? = nil) throws -> StatementFile {
        let url = try file(text)
        defer { try? FileManager.default.removeItem(at: url) }
        return try CAMTReader(format: format).read(url)
    }

    /// The error reading `text` gives, or nil when it reads.
    static func error(_ text: String, format: StatementFormat? = nil) throws -> StatementError? {
        let url = try file(text)
        defer { try? FileManager.default.removeItem(at: url) }
        do {
            _ = try CAMTReader(format: format).read(url)
            return nil
        } catch {
            return error
        }
    }

    /// A camt.053 document around `statementBody` (what goes inside `Stmt`).
    static func camt053(_ statementBody: String, namespace: String = "urn:iso:std:iso:20022:tech:xsd:camt.053.001.02") -> String {
        """
        <?xml version="1.0" encoding="UTF-8"?>
        <Document xmlns="\(namespace)">
          <BkToCstmrStmt>
            <GrpHdr><MsgId>M1</MsgId><CreDtTm>2025-03-01T10:00:00</CreDtTm></GrpHdr>
            <Stmt>
              <Id>S1</Id>
              <Acct><Id><IBAN>FR7630006000011234567890189</IBAN></Id><Ccy>EUR</Ccy></Acct>
              \(statementBody)
            </Stmt>
          </BkToCstmrStmt>
        </Document>
        """
    }

    /// An entry with `amount` EUR, CRDT unless told.
    static func entry(_ amount: String, _ direction: String = "CRDT", extra: String = "") -> String {
        "<Ntry><Amt Ccy=\"EUR\">\(amount)</Amt><CdtDbtInd>\(direction)</CdtDbtInd><Sts>BOOK</Sts>\(extra)</Ntry>"
    }
}
