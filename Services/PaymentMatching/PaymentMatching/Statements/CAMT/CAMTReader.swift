import Foundation

/// Reads ISO 20022 cash-management files: camt.053 statements (`BkToCstmrStmt/Stmt`), camt.052
/// intraday reports (`BkToCstmrAcctRpt/Rpt`) and camt.054 notifications
/// (`BkToCstmrDbtCdtNtfctn/Ntfctn`), any version (001.02 to 001.08 and later): elements are
/// matched by local name, whatever the namespace.
///
/// The file is read in 256 KiB chunks by a tokenizer of its own (``XMLPullTokenizer`` says why
/// not libxml2), so memory stays bounded whatever the file's size, and hostile XML fails
/// fast: any `<!DOCTYPE` or entity declaration is refused (`unsafe`) before anything after it
/// is read, so billion-laughs, XXE and external-DTD files never expand anything; nesting beyond
/// ``Limits/maxDepth`` and text beyond ``Limits/maxTextBytes`` are refused too.
///
/// Mapping: `Stmt/Id` → ``BankStatement/id``; `Acct/Id/IBAN` (or `Othr/Id`), `Acct/Ccy` (else
/// the first balance's or entry's currency); balances `OPBD` (else `PRCD`) → opening, `CLBD` →
/// closing, negative when `DBIT`. Each booked `Ntry` (status `BOOK` or none; pending entries
/// of intraday reports are skipped) becomes a ``StatementEntry`` located like
/// `BkToCstmrStmt/Stmt[1]/Ntry[3]`; one `TxDtls` is folded into the entry, several are a batch
/// and become ``StatementEntry/details``.
public struct CAMTReader: StatementReader {
    /// Safety limits.
    public struct Limits: Sendable, Hashable {
        /// Deepest element nesting accepted. Default: 64 (camt documents nest about 12 deep).
        public var maxDepth: Int
        /// Longest text or attribute value, in bytes. Default: 100,000 (camt fields are at most
        /// a few hundred characters).
        public var maxTextBytes: Int

        public init(maxDepth: Int = 64, maxTextBytes: Int = 100_000) {
            self.maxDepth = maxDepth
            self.maxTextBytes = maxTextBytes
        }
    }

    /// The format given at creation; nil when detected from the document element.
    public let givenFormat: StatementFormat?
    public let limits: Limits

    /// The given format, or camt.053 when the format is detected from each file: use
    /// ``read(_:)`` (which reports the detected one) or give the format (from
    /// ``looksLikeCAMT(prefix:)``) when the format matters.
    public var format: StatementFormat { givenFormat ?? .camt053 }

    /// - Parameters:
    ///   - format: camt.052, camt.053 or camt.054: a file of another camt message is refused
    ///     (`unknownFormat`). Nil: whichever of the three the document is.
    ///   - limits: Safety limits.
    public init(format: StatementFormat? = nil, limits: Limits = Limits()) {
        self.givenFormat = format
        self.limits = limits
    }

    public func read(_ file: URL, into visitor: inout some StatementVisitor) throws(StatementError) {
        _ = try readDetectingFormat(file, into: &visitor)
    }

    /// Reads a whole file into memory, with the format found in it.
    public func read(_ file: URL) throws(StatementError) -> StatementFile {
        var collector = StatementCollector()
        let format = try readDetectingFormat(file, into: &collector)
        return StatementFile(format: format, statements: collector.statements)
    }

    /// Reads `file` into `visitor`.
    /// - Returns: The format of the document (camt.052, camt.053 or camt.054).
    /// - Throws: ``StatementError``: `unsafe` (DTD, entity declaration, limits), `malformed`
    ///   (broken or truncated XML, missing amount, non-positive entry amount, bad date),
    ///   `invalidAmount` (unknown currency, too many decimals), `unknownFormat` (not XML, not
    ///   camt, or not the format given), `encoding`, `io`; located by element path and line.
    public func readDetectingFormat(_ file: URL, into visitor: inout some StatementVisitor) throws(StatementError) -> StatementFormat {
        if let givenFormat, ![.camt052, .camt053, .camt054].contains(givenFormat) {
            throw StatementError(.unknownFormat, "the camt reader reads camt.052, camt.053 and camt.054, not \(givenFormat.rawValue)", location: nil)
        }
        let handle: FileHandle
        do {
            handle = try FileHandle(forReadingFrom: file)
        } catch {
            throw StatementError(.io, "cannot open \(file.path): \(error.localizedDescription)", location: nil)
        }
        defer { try? handle.close() }
        var tokenizer = XMLPullTokenizer(handle: handle, limits: tokenizerLimits, knownNames: CAMTName.spellings, coalescesText: true)
        var parser = CAMTDocumentParser(expected: givenFormat, maxTextBytes: limits.maxTextBytes)
        return try parser.run(&tokenizer, into: &visitor)
    }

    private var tokenizerLimits: XMLPullTokenizer.Limits {
        XMLPullTokenizer.Limits(maxDepth: limits.maxDepth, maxTextBytes: limits.maxTextBytes, maxAttributes: 64, maxNameBytes: 1_000)
    }

    /// The camt message a file's first bytes announce, for format detection.
    ///
    /// Give the first few kilobytes (4 KiB is plenty). The first element under the root
    /// (`Document/BkToCstmrStmt` → camt.053, `BkToCstmrAcctRpt` → camt.052,
    /// `BkToCstmrDbtCdtNtfctn` → camt.054, any namespace prefix) decides; when the prefix ends
    /// before it or the XML is refused (a `<!DOCTYPE`), the namespace URI
    /// (`urn:iso:std:iso:20022:tech:xsd:camt.053.001.02`) decides, so that such a file still
    /// reaches this reader and is refused with a clear `unsafe` error.
    /// - Returns: The format, or nil when the bytes are not a camt document.
    public static func looksLikeCAMT(prefix: [UInt8]) -> StatementFormat? {
        var tokenizer = XMLPullTokenizer(bytes: prefix, limits: .init(maxDepth: 64, maxTextBytes: 100_000, maxAttributes: 64, maxNameBytes: 1_000))
        var elements = 0
        while elements < 2, let event = try? tokenizer.next() {
            guard event == .start else {
                if event == .endOfDocument { break }
                continue
            }
            elements += 1
            if let message = CAMTDocumentParser.messages[tokenizer.name] { return message.format }
            if tokenizer.name != "Document" { return nil }
        }
        // Cut short or refused: fall back on the namespace, which every camt document declares.
        let text = String(decoding: prefix.prefix(8_192), as: UTF8.self)
        guard text.drop(while: { $0.isWhitespace || $0 == "\u{FEFF}" }).hasPrefix("<") else { return nil }
        for format in [StatementFormat.camt052, .camt053, .camt054] where text.contains("xsd:\(format.rawValue).") {
            return format
        }
        return nil
    }
}
