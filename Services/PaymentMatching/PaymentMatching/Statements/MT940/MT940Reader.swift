import Events
import Foundation
import Money

/// Reads SWIFT MT940 customer statements (and MT942 interim reports), streaming line by line.
///
/// Liberal in what it accepts, as banks' exports vary: SWIFT blocks `{1:}{2:}{4:...-}` or bare
/// tag lines, header and trailer lines around statements, CRLF or LF, UTF-8 or Latin-1,
/// amounts like `9,`, `0,01` or `500`, a value date's day beyond the month's end ("30
/// February", clamped to the last day). Exact in what it reports: every entry keeps its line,
/// and anything it cannot read is an error naming the line.
public struct MT940Reader: StatementReader {
    public var format: StatementFormat { .mt940 }

    public init() {}

    public func read(_ file: URL, into visitor: inout some StatementVisitor) throws(StatementError) {
        let lines = try StatementLineReader(file)
        var parser = MT940Parser()
        // Lines are slices of the reader's buffer: the parser copies what it keeps into its
        // own reused buffers, so no line costs an allocation.
        while let line = try lines.nextLineSlice() {
            try parser.consume(line, lineNumber: lines.lineNumber, visitor: &visitor)
        }
        try parser.finish(visitor: &visitor)
    }
}

/// The reader's state between lines. Works on the lines' bytes: every mark MT940 uses is
/// ASCII, so a line is decoded to a `String` (UTF-8, else Windows-1252) only for the values kept.
private struct MT940Parser {
    /// A tag's value with its continuation lines, as bytes: one buffer reused from field to
    /// field (``MT940FieldText``), so that reading a field allocates nothing.
    struct Field {
        /// The tag's bytes packed big-endian (`"61"` is 0x3631): compared as an integer.
        var code: UInt32 = 0
        var text = MT940FieldText()
        var line = 0

        /// The tag as written (`61`, `28C`), for messages.
        var tag: String { MT940Tag.name(code) }

        /// The first line decoded, without surrounding spaces.
        var first: String { text.lineCount == 0 ? "" : MT940Bytes.decode(text.line(0)).trimmingSpaces }
    }

    struct OpenStatement {
        var header: BankStatement
        var line: Int
        var currency: Currency?
        var begun = false
        var closing: Money?
        var closingLine: Int?
    }

    /// The field being read; meaningful only while ``hasField``.
    var field = Field()
    var hasField = false
    /// Buffers the `:86:` reading reuses from entry to entry.
    var informationScratch = MT940Information.Scratch()
    var statement: OpenStatement?
    var pending: (entry: StatementEntry, hasInformation: Bool)?
    var statementsSeen = 0
    /// "-" lines and {5: blocks that ended a statement, and closing balances read: how this
    /// file ends its statements.
    var terminatorsSeen = 0
    var closingsSeen = 0
    /// Continuation lines kept per field: an `:86:` has at most 6 lines of 65 characters in
    /// the standard; some banks write more, none this many.
    static let maxFieldLines = 200

    mutating func consume(_ rawLine: ArraySlice<UInt8>, lineNumber: Int, visitor: inout some StatementVisitor) throws(StatementError) {
        // Control characters are dropped (a stray NUL or form feed); bytes of UTF-8 sequences are all >= 0x80.
        let (hasControl, isASCII) = MT940Bytes.scan(rawLine)
        var line = hasControl ? ArraySlice(rawLine.filter { $0 >= 0x20 || $0 == 0x09 }) : rawLine
        if line.first == UInt8(ascii: "{") {
            // SWIFT envelope: only block 4 holds the statement, maybe on this same line.
            guard let start = MT940Bytes.firstIndex(of: MT940Bytes.block4, in: line) else {
                if MT940Bytes.hasPrefix(line, "{5:") || MT940Bytes.hasPrefix(line, "{S:") { try endBlock(visitor: &visitor, terminator: true) }
                return
            }
            line = line[(start + 3)...]
            if MT940Bytes.isBlank(line) { return }
        }
        if line.first == UInt8(ascii: "-") {
            let inEntryText = hasField && field.code == MT940Tag.t86 && statement?.closing == nil && pending != nil
            if !inEntryText || MT940Bytes.trimmed(line).elementsEqual([UInt8(ascii: "-")]) || MT940Bytes.hasPrefix(line, "-}") {
                try flushField(visitor: &visitor)
                try endBlock(visitor: &visitor, terminator: true)
                return
            }
        }
        if let (code, valueStart) = Self.tag(of: line) {
            try flushField(visitor: &visitor)
            field.code = code
            field.line = lineNumber
            field.text.removeAll()
            field.text.append(line[(line.startIndex + valueStart)...], isASCII: isASCII)
            hasField = true
        } else if hasField, field.code != MT940Tag.t62F, field.code != MT940Tag.t62M {
            if field.text.lineCount < Self.maxFieldLines { field.text.append(line, isASCII: isASCII) }
        }
        // Other lines outside fields are headers and trailers ("ABNANL2A", "940", "-XXX").
    }

    mutating func finish(visitor: inout some StatementVisitor) throws(StatementError) {
        try flushField(visitor: &visitor)
        if let open = statement {
            // A statement ends with its closing balance and, in SWIFT files, a "-" line. When
            // the file's other statements end that way, one that does not is cut short; a
            // lone statement of bare tags without :62F: is read as is (such files exist,
            // gv_codes.sta of the mt940 project for one) with no closing balance.
            guard open.closing != nil || (terminatorsSeen == 0 && closingsSeen == 0) else {
                throw StatementError(.malformed, "the file ends inside the statement that starts at line \(open.line): it has no closing balance (:62F:); the file is truncated",
                                     location: "line \(open.line)")
            }
            try endBlock(visitor: &visitor)
        }
        guard statementsSeen > 0 else {
            throw StatementError(.unknownFormat, "no MT940 statement in the file (no :20: tag); check that this is an MT940 file", location: "line 1")
        }
    }

    /// `:TAG:` at the start of a line (two digits or letters and an optional letter): the tag
    /// and where its value starts.
    /// - Returns: The packed tag and the offset of its value from the line's start.
    static func tag(of line: ArraySlice<UInt8>) -> (UInt32, Int)? {
        let start = line.startIndex
        guard line.count >= 4, line[start] == UInt8(ascii: ":") else { return nil }
        func isTagByte(_ byte: UInt8) -> Bool { MT940Bytes.isDigit(byte) || MT940Bytes.isUpper(byte) }
        guard isTagByte(line[start + 1]), isTagByte(line[start + 2]) else { return nil }
        var length = 3
        if line[start + 3] == UInt8(ascii: ":") {
            length = 4
        } else if line.count >= 5, MT940Bytes.isUpper(line[start + 3]), line[start + 4] == UInt8(ascii: ":") {
            length = 5
        } else {
            return nil
        }
        return (line[(start + 1)..<(start + length - 1)].reduce(UInt32(0)) { $0 << 8 | UInt32($1) }, length)
    }

    private mutating func flushField(visitor: inout some StatementVisitor) throws(StatementError) {
        guard hasField else { return }
        hasField = false
        try process(visitor: &visitor)
    }

    private func requireStatement(_ field: Field) throws(StatementError) -> OpenStatement {
        guard let statement else {
            throw StatementError(.malformed, "wrong tag order: :\(field.tag): before the statement's :20: tag", location: "line \(field.line)")
        }
        return statement
    }

    /// Handles ``field``, just read whole.
    private mutating func process(visitor: inout some StatementVisitor) throws(StatementError) {
        let line = field.line
        var location: String { "line \(line)" }
        // Fields decode only what they keep (`Field.first`); :61: reads its bytes.
        switch field.code {
        case MT940Tag.t20:
            if statement != nil { try endBlock(visitor: &visitor) }
            statement = OpenStatement(header: BankStatement(id: field.first.nonEmpty, account: StatementAccount(), currency: .eur), line: field.line)
            statementsSeen += 1
        case MT940Tag.t25:
            var open = try requireStatement(field)
            let iban = IBANText.normalised(field.first)
            open.header.account = StatementAccount(iban: iban, other: iban == nil ? field.first.nonEmpty : nil)
            statement = open
        case MT940Tag.t28C, MT940Tag.t28:
            var open = try requireStatement(field)
            if let number = field.first.nonEmpty { open.header.id = [open.header.id, number].compactMap { $0 }.joined(separator: "/") }
            statement = open
        case MT940Tag.t60F, MT940Tag.t60M, MT940Tag.t60:
            var open = try requireStatement(field)
            guard !open.begun else {
                throw StatementError(.malformed, "wrong tag order: a second opening balance :\(field.tag): in the statement that starts at line \(open.line)", location: location)
            }
            let balance = try Self.balance(field.first, location: location)
            open.currency = balance.currency
            open.header.openingBalance = balance
            statement = open
            try begin(visitor: &visitor)
        case MT940Tag.t34F:
            // MT942 floor limit "PLN0" or "DPLN0": the report's currency when there is no balance.
            var open = try requireStatement(field)
            let letters = field.first.drop { $0 == "C" || $0 == "D" }.prefix(3)
            if open.currency == nil, letters.count == 3, letters.allSatisfy({ $0.isLetter }) {
                open.currency = try StatementAmountParser.currency(letters, location: location)
            }
            statement = open
        case MT940Tag.t61:
            // Read in place: copying the open statement per entry costs a retain per field.
            if statement == nil { _ = try requireStatement(field) }
            if statement?.closing != nil, let open = statement {
                throw StatementError(.malformed, "wrong tag order: an entry :61: after the closing balance :62F: of line \(open.closingLine ?? open.line)", location: location)
            }
            if statement?.begun == false {
                guard statement?.currency != nil else {
                    throw StatementError(.malformed, "wrong tag order: an entry :61: before the opening balance :60F:", location: location)
                }
                try begin(visitor: &visitor)
            }
            try flushEntry(visitor: &visitor)
            guard let currency = statement?.currency else { return }
            let entry = try MT940StatementLine.entry(first: field.text.line(0), second: field.text.lineCount > 1 ? field.text.line(1) : nil,
                                                     currency: currency, location: location)
            pending = (entry, false)
        case MT940Tag.t86:
            guard let hasInformation = pending?.hasInformation, !hasInformation else { return } // statement-level information
            let information = MT940Information(field.text, scratch: &informationScratch)
            // The pending entry is changed in place (a copy out and back costs a retain per field).
            pending?.entry.remittance = information.remittance
            if let counterparty = information.counterparty {
                var merged = counterparty
                if merged.iban == nil { merged.iban = pending?.entry.counterparty?.iban }
                pending?.entry.counterparty = merged
            }
            pending?.entry.endToEndId = information.endToEndId
            if pending?.entry.transactionCode == nil { pending?.entry.transactionCode = information.transactionCode }
            pending?.hasInformation = true
        case MT940Tag.t62F, MT940Tag.t62M, MT940Tag.t62:
            var open = try requireStatement(field)
            try flushEntry(visitor: &visitor)
            let balance = try Self.balance(field.first, location: location)
            if let currency = open.currency, currency != balance.currency {
                throw StatementError(.invalidAmount, "the closing balance is in \(balance.currency.code) but the statement in \(currency.code)", location: location)
            }
            open.currency = balance.currency
            open.closing = balance
            open.closingLine = field.line
            closingsSeen += 1
            statement = open
            if !open.begun { try begin(visitor: &visitor) }
        default:
            // :21:, :64:, :65:, :13D:, :90C:, :NS: and others carry nothing an import needs.
            if statement != nil, field.code == MT940Tag.t64 || field.code == MT940Tag.t65 { try flushEntry(visitor: &visitor) }
        }
    }

    private mutating func begin(visitor: inout some StatementVisitor) throws(StatementError) {
        guard var open = statement, let currency = open.currency else { return }
        open.header.currency = currency
        open.begun = true
        statement = open
        try visitor.beginStatement(open.header)
    }

    private mutating func flushEntry(visitor: inout some StatementVisitor) throws(StatementError) {
        // Moved out, not copied: a copy costs a retain and a release per string of the entry.
        guard let current = pending.take() else { return }
        try visitor.visit(current.entry)
    }

    /// Ends the open statement (a `-` line, `{5:`, the next `:20:` or the end of the file).
    private mutating func endBlock(visitor: inout some StatementVisitor, terminator: Bool = false) throws(StatementError) {
        guard let open = statement else { return }
        if terminator { terminatorsSeen += 1 }
        try flushEntry(visitor: &visitor)
        if !open.begun {
            guard open.currency != nil else {
                throw StatementError(.malformed, "the statement that starts at line \(open.line) has neither balances nor entries", location: "line \(open.line)")
            }
            try begin(visitor: &visitor)
        }
        statement = nil
        try visitor.endStatement(closingBalance: open.closing)
    }

    /// A balance `C200101EUR444,29`: mark, date, currency, amount. Debit balances are negative.
    static func balance(_ text: String, location: String) throws(StatementError) -> Money {
        let characters = Array(text)
        guard characters.count >= 11, characters[0] == "C" || characters[0] == "D" else {
            throw StatementError(.malformed, "'\(text)' is not a balance: expected C or D, the date YYMMDD, the currency and the amount, like C200101EUR444,29",
                                 location: location)
        }
        _ = try MT940StatementLine.date(String(characters[1..<7]), location: location)
        let currency = try StatementAmountParser.currency(String(characters[7..<10]), location: location)
        let amountText = String(characters[10...]).trimmingSpaces.replacingOccurrences(of: ".", with: ",")
        let minor = try StatementAmountParser.minorUnits(amountText, decimalSeparator: ",", currency: currency, location: location)
        return Money(minorUnits: characters[0] == "D" ? -minor : minor, currency: currency)
    }
}

/// MT940 tags packed big-endian into integers, as ``MT940Parser/tag(of:)`` reads them.
private enum MT940Tag {
    static let t20: UInt32 = 0x3230
    static let t25: UInt32 = 0x3235
    static let t28: UInt32 = 0x3238
    static let t28C: UInt32 = 0x32_3843
    static let t34F: UInt32 = 0x33_3446
    static let t60: UInt32 = 0x3630
    static let t60F: UInt32 = 0x36_3046
    static let t60M: UInt32 = 0x36_304D
    static let t61: UInt32 = 0x3631
    static let t62: UInt32 = 0x3632
    static let t62F: UInt32 = 0x36_3246
    static let t62M: UInt32 = 0x36_324D
    static let t64: UInt32 = 0x3634
    static let t65: UInt32 = 0x3635
    static let t86: UInt32 = 0x3836

    /// The tag as written.
    static func name(_ code: UInt32) -> String {
        let bytes = [UInt8(truncatingIfNeeded: code >> 16), UInt8(truncatingIfNeeded: code >> 8), UInt8(truncatingIfNeeded: code)]
        return String(decoding: bytes.drop(while: { $0 == 0 }), as: UTF8.self)
    }
}
