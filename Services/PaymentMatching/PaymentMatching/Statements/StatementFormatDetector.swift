import Foundation

/// Tells a bank file's format from its first bytes: ISO 20022 XML (CAMT), SWIFT MT940,
/// CFONB 120, or CSV when a column mapping is given (CSV has no signature of its own).
public enum StatementFormatDetector {
    /// How many bytes of the file ``detect(prefix:hasCSVMapping:)`` looks at.
    public static let prefixLength = 4096

    /// The format of `file`.
    /// - Throws: `StatementError` `.unknownFormat` saying what the file looks like and what
    ///   to do, or `.io`.
    public static func detect(file: URL, hasCSVMapping: Bool = false) throws(StatementError) -> StatementFormat {
        try detect(prefix: StatementLineReader.prefix(of: file, count: prefixLength), hasCSVMapping: hasCSVMapping)
    }

    /// The format of a file that starts with `prefix` (its first few KB).
    public static func detect(prefix: [UInt8], hasCSVMapping: Bool = false) throws(StatementError) -> StatementFormat {
        var bytes = prefix[...]
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = bytes.dropFirst(3) }
        if bytes.starts(with: [0xFE, 0xFF]) || bytes.starts(with: [0xFF, 0xFE]) {
            throw StatementError(.encoding, "the file is UTF-16; bank statements are read as UTF-8 or Latin-1: convert it to UTF-8", location: "line 1")
        }
        guard !bytes.isEmpty else {
            throw StatementError(.unknownFormat, "the file is empty", location: "line 1")
        }
        // Binary data: NUL bytes or mostly control characters are no bank statement.
        let controls = bytes.filter { $0 < 0x20 && $0 != 0x0A && $0 != 0x0D && $0 != 0x09 && $0 != 0x01 && $0 != 0x03 }.count
        if bytes.contains(0) || controls * 20 > bytes.count {
            throw StatementError(.unknownFormat, "the file is binary, not a bank statement (CAMT XML, MT940, CFONB 120 or CSV)", location: "line 1")
        }
        let body = bytes.drop { $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D || $0 == 0x01 }
        if body.starts(with: Array("<?xml".utf8)) || body.starts(with: Array("<Document".utf8)) || body.first == UInt8(ascii: "<") {
            return try xmlFormat(prefix: Array(bytes))
        }
        let lines = body.split(omittingEmptySubsequences: true) { $0 == 0x0A || $0 == 0x0D }
        if body.starts(with: Array("{1:".utf8)) || body.starts(with: Array("{4:".utf8))
            || lines.contains(where: { $0.starts(with: Array(":20:".utf8)) }) {
            return .mt940
        }
        if isCFONB120(Array(body)) { return .cfonb120 }
        if hasCSVMapping { return .csv }
        throw StatementError(.unknownFormat,
                             "not a bank statement format Relance recognises (CAMT XML, MT940 with :20:, CFONB 120 records starting with 01); for a CSV export pass --format csv with --csv-mapping FILE",
                             location: "line 1")
    }

    /// The CAMT message an XML file holds: the element under `Document`, else its namespace
    /// (``CAMTReader/looksLikeCAMT(prefix:)``).
    private static func xmlFormat(prefix: [UInt8]) throws(StatementError) -> StatementFormat {
        if let format = CAMTReader.looksLikeCAMT(prefix: prefix) { return format }
        throw StatementError(.unknownFormat, "an XML file that is not an ISO 20022 camt.052, camt.053 or camt.054 message (no camt document in its first \(prefixLength) bytes)",
                             location: "line 1")
    }

    /// Whether the bytes are CFONB 120 records: `01`, a bank code, a currency, and 120
    /// characters to the line break or to the next record.
    private static func isCFONB120(_ body: [UInt8]) -> Bool {
        guard body.count >= 120, body.starts(with: Array("01".utf8)) else { return false }
        let isDigit: (UInt8) -> Bool = { (0x30...0x39).contains($0) }
        let isLetter: (UInt8) -> Bool = { (0x41...0x5A).contains($0) }
        guard body[2..<7].allSatisfy(isDigit), body[16..<19].allSatisfy(isLetter) else { return false }
        if body.count == 120 { return true }
        let next = body[120]
        return next == 0x0A || next == 0x0D || (next == 0x30 && body.count > 121 && isDigit(body[121]))
    }
}
