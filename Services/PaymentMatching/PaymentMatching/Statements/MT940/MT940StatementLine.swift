import Foundation
import Events
import Money

/// Reads an MT940 `:61:` statement line: value date `YYMMDD`, optional entry date `MMDD`,
/// mark `C`/`D` (`RC`/`RD`: reversal), optional funds code, amount with a decimal comma,
/// transaction type (`N` and three characters, or `F`/`S`), the customer reference,
/// `//` and the bank's reference, and supplementary details on the next line.
enum MT940StatementLine {
    /// - Parameters:
    ///   - first: The field's first line (after the tag).
    ///   - second: Its second line (supplementary details), if any.
    ///   - location: Where the line is (`line 12`): the entry keeps it.
    static func entry(first: ArraySlice<UInt8>, second: ArraySlice<UInt8>?, currency: Currency, location: @autoclosure () -> String) throws(StatementError) -> StatementEntry {
        // A slice of the field's buffer, read in place: `at(n)` is the n-th byte.
        let bytes = MT940Bytes.trimmed(first)
        let base = bytes.startIndex
        var index = base
        func at(_ offset: Int) -> UInt8 { bytes[base + offset] }
        func isDigit(_ offset: Int) -> Bool { offset < bytes.count && MT940Bytes.isDigit(at(offset)) }
        func hasMark(_ first: UInt8, _ second: UInt8) -> Bool { MT940Bytes.hasPrefix(bytes[index...], first, second) }
        func fail(_ what: String) -> StatementError {
            StatementError(.malformed, "':61:\(MT940Bytes.decode(Array(bytes)))' is not a statement line: \(what) (column \(index - base + 5)); expected like :61:2001050105C1000,00NTRFREF//BANKREF",
                           location: location())
        }
        func number(_ offset: Int) -> Int { Int(at(offset) - UInt8(ascii: "0")) * 10 + Int(at(offset + 1) - UInt8(ascii: "0")) }
        guard (0..<6).allSatisfy({ isDigit($0) }) else { throw fail("it does not start with the value date YYMMDD") }
        let valueDate = try calendarDate(year: number(0) >= 80 ? 1900 + number(0) : 2000 + number(0), month: number(2), day: number(4),
                                         text: MT940Bytes.decode(bytes[base..<(base + 6)]), location: location())
        index = base + 6
        var bookingDate = valueDate
        if (6..<10).allSatisfy({ isDigit($0) }) {
            let month = number(6)
            var year = valueDate.year
            // The year that puts the entry date closest to the value date (an entry booked on
            // 31 December for a value date of 2 January is in the year before).
            if month - valueDate.month > 6 { year -= 1 } else if valueDate.month - month > 6 { year += 1 }
            bookingDate = try calendarDate(year: year, month: month, day: number(8), text: MT940Bytes.decode(bytes[(base + 6)..<(base + 10)]), location: location())
            index = base + 10
        } else if bytes.count > 10, bytes[(base + 6)..<(base + 10)].allSatisfy({ $0 == UInt8(ascii: " ") }) {
            index = base + 10 // some banks write spaces for no entry date
        }
        var reversal = false
        var creditDebit: CreditDebit
        let (r, e, c, d) = (UInt8(ascii: "R"), UInt8(ascii: "E"), UInt8(ascii: "C"), UInt8(ascii: "D"))
        let end = bytes.endIndex
        if hasMark(r, c) || hasMark(r, d) {
            reversal = true
            // RC reverses a credit: money goes out; RD reverses a debit: money comes back.
            creditDebit = hasMark(r, c) ? .debit : .credit
            index += 2
        } else if hasMark(e, c) || hasMark(e, d) {
            creditDebit = hasMark(e, c) ? .credit : .debit
            index += 2
        } else if index < end, bytes[index] == UInt8(ascii: "C") || bytes[index] == UInt8(ascii: "D") {
            creditDebit = bytes[index] == UInt8(ascii: "C") ? .credit : .debit
            index += 1
        } else {
            throw fail("expected the mark C, D, RC or RD")
        }
        if index < end, MT940Bytes.isLetter(bytes[index]) { index += 1 } // funds code
        let amountStart = index
        while index < end, MT940Bytes.isDigit(bytes[index]) || bytes[index] == UInt8(ascii: ",") || bytes[index] == UInt8(ascii: ".") { index += 1 }
        guard index > amountStart else { throw fail("expected the amount") }
        // The standard's decimal mark is ','; a few exports write '.'.
        let minor = try StatementAmountParser.minorUnits(mt940: bytes[amountStart..<index], currency: currency, location: location())
        var transactionType: String?
        if index < end {
            // Four characters: bytes while they are ASCII.
            var typeEnd = index
            var characters = 0
            while typeEnd < end, characters < 4 {
                typeEnd += 1
                while typeEnd < end, bytes[typeEnd] & 0xC0 == 0x80 { typeEnd += 1 } // continuation bytes of UTF-8
                characters += 1
            }
            transactionType = MT940Bytes.decode(bytes[index..<typeEnd]).trimmingSpaces.nonEmpty
            index = typeEnd
        }
        let references = bytes[index...]
        let customerReference: String
        var bankReference: String?
        if let separator = MT940Bytes.firstIndex(of: doubleSlash, in: references) {
            customerReference = MT940Bytes.decode(bytes[index..<separator])
            bankReference = MT940Bytes.decode(bytes[(separator + 2)...]).trimmingSpaces.nonEmpty
        } else {
            customerReference = MT940Bytes.decode(references)
        }
        var entry = StatementEntry(
            bookingDate: bookingDate, valueDate: valueDate, amount: Money(minorUnits: minor, currency: currency), creditDebit: creditDebit,
            reversal: reversal, bankReference: bankReference.flatMap(meaningful), entryReference: meaningful(customerReference.trimmingSpaces),
            transactionCode: transactionType, location: location())
        // Supplementary details (Rabobank) or the customer reference (ASN, SNS) hold the
        // counterparty's IBAN at some banks.
        if let second, let iban = IBANText.normalised(MT940Bytes.decode(second).trimmingSpaces) {
            entry.counterparty = Counterparty(iban: iban)
        } else if let reference = entry.entryReference, let iban = IBANText.normalised(reference) {
            entry.counterparty = Counterparty(iban: iban)
        }
        return entry
    }

    private static let doubleSlash: [UInt8] = Array("//".utf8)

    /// A reference, or nil for an empty one or the "no reference" placeholder.
    private static func meaningful(_ reference: String) -> String? {
        reference.isEmpty || MT940Bytes.equalsIgnoringCase(reference, "NONREF") ? nil : reference
    }

    /// `YYMMDD`; years 80-99 are 1980-1999. A day past the month's end ("30 February", written
    /// by some German banks) is the month's last day.
    static func date(_ text: String, location: String) throws(StatementError) -> CalendarDate {
        let digits = text.compactMap { $0.isASCII ? $0.wholeNumberValue : nil }
        guard digits.count == 6 else {
            throw StatementError(.malformed, "'\(text)' is not a date YYMMDD", location: location)
        }
        let shortYear = digits[0] * 10 + digits[1]
        return try calendarDate(year: shortYear >= 80 ? 1900 + shortYear : 2000 + shortYear, month: digits[2] * 10 + digits[3],
                                day: digits[4] * 10 + digits[5], text: text, location: location)
    }

    /// - Parameter text: The date as written, for the error (made only then).
    static func calendarDate(year: Int, month: Int, day: Int, text: @autoclosure () -> String, location: @autoclosure () -> String) throws(StatementError) -> CalendarDate {
        guard (1...12).contains(month), (1...31).contains(day) else {
            throw StatementError(.malformed, "'\(text())' is not a date: month \(month), day \(day)", location: location())
        }
        let clamped = min(day, CalendarDate.daysIn(month: month, year: year))
        do {
            return try CalendarDate(year: year, month: month, day: clamped)
        } catch {
            throw StatementError(.malformed, "'\(text())' is not a date: \(error.reason)", location: location())
        }
    }
}
