import Events
import Foundation
import Money

/// Reads French CFONB 120 "relevés de compte": 120-character records `01` (opening
/// balance), `04` (movement), `05` (complement of the movement before it: label, payer,
/// references), `07` (closing balance), with or without line breaks between records.
///
/// Amounts are "signed overpunch": the last of the 14 digits is a letter carrying the sign
/// (`{` and `A`...`I` for +0...+9, `}` and `J`...`R` for -0...-9); the record gives the
/// number of decimals. A positive movement is a credit.
public struct CFONB120Reader: StatementReader {
    public var format: StatementFormat { .cfonb120 }

    public init() {}

    public func read(_ file: URL, into visitor: inout some StatementVisitor) throws(StatementError) {
        // Records back to back (no line break in the first 120 bytes) are read 120 bytes at a
        // time; otherwise line by line (a line may be shorter when a bank trims spaces).
        let prefix = try StatementLineReader.prefix(of: file, count: 122)
        let body = prefix.starts(with: [0xEF, 0xBB, 0xBF]) ? Array(prefix.dropFirst(3)) : prefix
        let fixedWidth = body.count > 120 && !body.prefix(121).contains(where: { $0 == 0x0A || $0 == 0x0D })
        let reader = try StatementLineReader(file, maxLineLength: 4096)
        var parser = CFONB120Parser()
        while true {
            let record: String?
            if fixedWidth {
                record = try reader.nextRecordBytes(width: 120).map { StatementLineReader.decode($0) }
            } else {
                record = try reader.nextLine()
            }
            guard let record else { break }
            try parser.consume(record, location: fixedWidth ? "record \(reader.lineNumber)" : "line \(reader.lineNumber)", visitor: &visitor)
        }
        try parser.finish(visitor: &visitor)
    }
}

/// The reader's state between records.
private struct CFONB120Parser {
    var statementLine: String?
    var currency: Currency?
    var pending: (entry: StatementEntry, label: String, complements: [String])?
    var statementsSeen = 0

    mutating func consume(_ text: String, location: String, visitor: inout some StatementVisitor) throws(StatementError) {
        guard !text.trimmingSpaces.isEmpty else { return }
        var record = Array(text)
        guard record.count >= 2 else {
            throw StatementError(.malformed, "'\(text)' is not a CFONB 120 record: too short", location: location)
        }
        if record.count < 120 { record += Array(repeating: " ", count: 120 - record.count) }
        func field(_ from: Int, _ to: Int) -> String { String(record[(from - 1)..<to]) }
        let code = field(1, 2)
        switch code {
        case "01":
            if statementLine != nil {
                throw StatementError(.malformed, "wrong record order: an opening balance (01) while the statement of \(statementLine ?? "") has no closing balance (07)",
                                     location: location)
            }
            let currency = try StatementAmountParser.currency(field(17, 19), location: location)
            let opening = try Self.amount(field(91, 104), decimals: field(20, 20), currency: currency, location: location)
            _ = try Self.date(field(35, 40), location: location)
            let account = [field(3, 7), field(12, 16), field(22, 32)].map(\.trimmingSpaces).joined(separator: " ")
            self.currency = currency
            statementLine = location
            statementsSeen += 1
            try visitor.beginStatement(BankStatement(account: StatementAccount(other: account), currency: currency, openingBalance: opening))
        case "04":
            guard let currency, statementLine != nil else {
                throw StatementError(.malformed, "wrong record order: a movement (04) before the opening balance (01)", location: location)
            }
            try flush(visitor: &visitor)
            let recordCurrency = try StatementAmountParser.currency(field(17, 19), location: location)
            let signed = try Self.amount(field(91, 104), decimals: field(20, 20), currency: recordCurrency, location: location)
            guard recordCurrency == currency else {
                throw StatementError(.invalidAmount, "a movement in \(recordCurrency.code) in a statement in \(currency.code)", location: location)
            }
            let booking = try Self.date(field(35, 40), location: location)
            let valueText = field(43, 48)
            let value = try valueText.trimmingSpaces.isEmpty ? booking : Self.date(valueText, location: location)
            let reference = field(105, 120).trimmingSpaces
            let entryNumber = field(82, 88).trimmingSpaces
            let entry = StatementEntry(
                bookingDate: booking, valueDate: value, amount: Money(minorUnits: signed.minorUnits.magnitude.int64, currency: currency),
                creditDebit: signed.minorUnits < 0 ? .debit : .credit, bankReference: reference.nonEmpty,
                entryReference: entryNumber.allSatisfy({ $0 == "0" }) ? nil : entryNumber,
                transactionCode: field(33, 34).trimmingSpaces.nonEmpty, location: location)
            pending = (entry, field(49, 79).trimmingSpaces.collapsingSpaces, [])
        case "05":
            guard var current = pending else {
                throw StatementError(.malformed, "wrong record order: a complement (05) without the movement (04) it completes", location: location)
            }
            let qualifier = field(46, 48)
            let value = field(49, 118).trimmingSpaces.collapsingSpaces
            var counterparty = current.entry.counterparty ?? Counterparty()
            switch qualifier {
            case "LIB", "LCC", "LC2", "LCS": current.complements.append(value)
            case "NPY": if current.entry.creditDebit == .credit { counterparty.name = value.nonEmpty }
            case "NBE": if current.entry.creditDebit == .debit { counterparty.name = value.nonEmpty }
            case "IPY": if current.entry.creditDebit == .credit { counterparty.iban = IBANText.normalised(value) }
            case "IBE": if current.entry.creditDebit == .debit { counterparty.iban = IBANText.normalised(value) }
            case "RCN": current.entry.endToEndId = value.nonEmpty
            case "REF": if current.entry.bankReference == nil { current.entry.bankReference = value.nonEmpty }
            default:
                // Older files write the complement with no qualifier: free text.
                if qualifier.trimmingSpaces.isEmpty || !qualifier.allSatisfy({ $0.isUppercase }) {
                    current.complements.append(field(46, 118).trimmingSpaces.collapsingSpaces)
                }
            }
            if counterparty != Counterparty() { current.entry.counterparty = counterparty }
            pending = current
        case "07":
            guard let currency, statementLine != nil else {
                throw StatementError(.malformed, "wrong record order: a closing balance (07) before the opening balance (01)", location: location)
            }
            try flush(visitor: &visitor)
            let recordCurrency = try StatementAmountParser.currency(field(17, 19), location: location)
            let closing = try Self.amount(field(91, 104), decimals: field(20, 20), currency: recordCurrency, location: location)
            guard recordCurrency == currency else {
                throw StatementError(.invalidAmount, "a closing balance in \(recordCurrency.code) for a statement in \(currency.code)", location: location)
            }
            _ = try Self.date(field(35, 40), location: location)
            statementLine = nil
            self.currency = nil
            try visitor.endStatement(closingBalance: closing)
        default:
            throw StatementError(.malformed, "'\(code)' is not a CFONB 120 record code: expected 01, 04, 05 or 07 at the start of each 120-character record",
                                 location: location)
        }
    }

    mutating func finish(visitor: inout some StatementVisitor) throws(StatementError) {
        if let statementLine {
            throw StatementError(.malformed, "the file ends inside the statement opened at \(statementLine): no closing balance (07); the file is truncated",
                                 location: statementLine)
        }
        guard statementsSeen > 0 else {
            throw StatementError(.unknownFormat, "no CFONB 120 statement in the file (no 01 record)", location: "line 1")
        }
    }

    private mutating func flush(visitor: inout some StatementVisitor) throws(StatementError) {
        guard var current = pending else { return }
        pending = nil
        let text = current.complements.filter { !$0.isEmpty }.joined(separator: " ")
        current.entry.remittance.unstructured = text.nonEmpty ?? current.label.nonEmpty
        try visitor.visit(current.entry)
    }

    /// A 14-character signed overpunch amount with `decimals` decimals.
    static func amount(_ text: String, decimals: String, currency: Currency, location: String) throws(StatementError) -> Money {
        guard let places = Int(decimals), (0...9).contains(places) else {
            throw StatementError(.malformed, "'\(decimals)' is not a number of decimals (column 20)", location: location)
        }
        let characters = Array(text)
        guard let last = characters.last, characters.dropLast().allSatisfy({ $0.isASCII && $0.isNumber }) else {
            throw StatementError(.malformed, "'\(text)' is not a CFONB amount: 13 digits and a sign letter (columns 91-104)", location: location)
        }
        let positive = "{ABCDEFGHI"
        let negative = "}JKLMNOPQR"
        let lastDigit: Int
        let isNegative: Bool
        if let index = positive.firstIndex(of: last) {
            lastDigit = positive.distance(from: positive.startIndex, to: index)
            isNegative = false
        } else if let index = negative.firstIndex(of: last) {
            lastDigit = negative.distance(from: negative.startIndex, to: index)
            isNegative = true
        } else if last.isASCII, let digit = last.wholeNumberValue {
            lastDigit = digit
            isNegative = false
        } else {
            throw StatementError(.malformed, "'\(text)' ends with '\(last)', not a sign letter ({, A-I, }, J-R)", location: location)
        }
        var digits = String(characters.dropLast()) + String(lastDigit)
        var decimalText = ""
        if places > 0 {
            decimalText = String(digits.suffix(places))
            digits = String(digits.dropLast(places))
        }
        let minor = try StatementAmountParser.minorUnits(places > 0 ? "\(digits),\(decimalText)" : digits, decimalSeparator: ",", currency: currency,
                                                         location: location)
        return Money(minorUnits: isNegative ? -minor : minor, currency: currency)
    }

    /// `DDMMYY`.
    static func date(_ text: String, location: String) throws(StatementError) -> CalendarDate {
        let digits = text.compactMap { $0.isASCII ? $0.wholeNumberValue : nil }
        guard digits.count == 6, text.count == 6 else {
            throw StatementError(.malformed, "'\(text)' is not a date DDMMYY", location: location)
        }
        let shortYear = digits[4] * 10 + digits[5]
        do {
            return try CalendarDate(year: shortYear >= 80 ? 1900 + shortYear : 2000 + shortYear, month: digits[2] * 10 + digits[3],
                                    day: digits[0] * 10 + digits[1])
        } catch {
            throw StatementError(.malformed, "'\(text)' is not a date: \(error.reason)", location: location)
        }
    }
}

extension UInt64 {
    /// The value as an `Int64` (callers pass magnitudes of `Int64` values other than `.min`).
    fileprivate var int64: Int64 { Int64(clamping: self) }
}
