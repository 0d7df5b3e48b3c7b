import Foundation
import Events
import Money

/// Reads an MT940 `:61:` statement line: value date `YYMMDD`, optional entry date `MMDD`,
/// mark `C`/`D` (`RC`/`RD`: reversal), optional funds code, amount with a decimal comma,
/// transaction type (`N` and three characters, or `F`/`S`), the customer reference,
/// `//` and the bank's reference, and supplementary details on the next line.
enum MT940StatementLine {
    static func entry(lines: [String], currency: Currency, location: String) throws(StatementError) -> StatementEntry {
        let text = lines.first?.trimmingSpaces ?? ""
        let characters = Array(text)
        var index = 0
        func isDigit(_ offset: Int) -> Bool { offset < characters.count && characters[offset].isASCII && characters[offset].isNumber }
        func fail(_ what: String) -> StatementError {
            StatementError(.malformed, "':61:\(text)' is not a statement line: \(what) (column \(index + 5)); expected like :61:2001050105C1000,00NTRFREF//BANKREF",
                           location: location)
        }
        guard (0..<6).allSatisfy({ isDigit($0) }) else { throw fail("it does not start with the value date YYMMDD") }
        let valueDate = try date(String(characters[0..<6]), location: location)
        index = 6
        var bookingDate = valueDate
        if (6..<10).allSatisfy({ isDigit($0) }) {
            bookingDate = try entryDate(String(characters[6..<10]), near: valueDate, location: location)
            index = 10
        } else if characters.count > 10, characters[6..<10].allSatisfy({ $0 == " " }) {
            index = 10 // some banks write spaces for no entry date
        }
        var reversal = false
        var creditDebit: CreditDebit
        let rest = String(characters[index...])
        if rest.hasPrefix("RC") || rest.hasPrefix("RD") {
            reversal = true
            // RC reverses a credit: money goes out; RD reverses a debit: money comes back.
            creditDebit = rest.hasPrefix("RC") ? .debit : .credit
            index += 2
        } else if rest.hasPrefix("EC") || rest.hasPrefix("ED") {
            creditDebit = rest.hasPrefix("EC") ? .credit : .debit
            index += 2
        } else if rest.hasPrefix("C") || rest.hasPrefix("D") {
            creditDebit = rest.hasPrefix("C") ? .credit : .debit
            index += 1
        } else {
            throw fail("expected the mark C, D, RC or RD")
        }
        if index < characters.count, characters[index].isLetter { index += 1 } // funds code
        let amountStart = index
        while index < characters.count, isDigit(index) || characters[index] == "," || characters[index] == "." { index += 1 }
        guard index > amountStart else { throw fail("expected the amount") }
        // The standard's decimal mark is ','; a few exports write '.'.
        let amountText = String(characters[amountStart..<index]).replacingOccurrences(of: ".", with: ",")
        let minor = try StatementAmountParser.minorUnits(amountText, decimalSeparator: ",", currency: currency, location: location)
        var transactionType: String?
        if index < characters.count {
            let end = min(characters.count, index + 4)
            transactionType = String(characters[index..<end]).trimmingSpaces.nonEmpty
            index = end
        }
        let references = String(characters[index...])
        var customerReference = references
        var bankReference: String?
        if let separator = references.range(of: "//") {
            customerReference = String(references[..<separator.lowerBound])
            bankReference = String(references[separator.upperBound...]).trimmingSpaces.nonEmpty
        }
        var entry = StatementEntry(
            bookingDate: bookingDate, valueDate: valueDate, amount: Money(minorUnits: minor, currency: currency), creditDebit: creditDebit,
            reversal: reversal, bankReference: bankReference.flatMap(meaningful), entryReference: meaningful(customerReference.trimmingSpaces),
            transactionCode: transactionType, location: location)
        // Supplementary details (Rabobank) or the customer reference (ASN, SNS) hold the
        // counterparty's IBAN at some banks.
        if lines.count > 1, let iban = IBANText.normalised(lines[1].trimmingSpaces) {
            entry.counterparty = Counterparty(iban: iban)
        } else if let reference = entry.entryReference, let iban = IBANText.normalised(reference) {
            entry.counterparty = Counterparty(iban: iban)
        }
        return entry
    }

    /// A reference, or nil for an empty one or the "no reference" placeholder.
    private static func meaningful(_ reference: String) -> String? {
        reference.isEmpty || reference.uppercased() == "NONREF" ? nil : reference
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

    /// An entry date `MMDD` in the year that puts it closest to the value date (an entry
    /// booked on 31 December for a value date of 2 January is in the year before).
    static func entryDate(_ text: String, near valueDate: CalendarDate, location: String) throws(StatementError) -> CalendarDate {
        let digits = text.compactMap { $0.wholeNumberValue }
        let month = digits[0] * 10 + digits[1]
        var year = valueDate.year
        if month - valueDate.month > 6 { year -= 1 } else if valueDate.month - month > 6 { year += 1 }
        return try calendarDate(year: year, month: month, day: digits[2] * 10 + digits[3], text: text, location: location)
    }

    private static func calendarDate(year: Int, month: Int, day: Int, text: String, location: String) throws(StatementError) -> CalendarDate {
        guard (1...12).contains(month), (1...31).contains(day) else {
            throw StatementError(.malformed, "'\(text)' is not a date: month \(month), day \(day)", location: location)
        }
        let clamped = min(day, CalendarDate.daysIn(month: month, year: year))
        do {
            return try CalendarDate(year: year, month: month, day: clamped)
        } catch {
            throw StatementError(.malformed, "'\(text)' is not a date: \(error.reason)", location: location)
        }
    }
}
