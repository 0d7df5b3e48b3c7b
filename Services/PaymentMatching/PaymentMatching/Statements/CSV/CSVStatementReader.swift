import Events
import Foundation
import Money

/// Reads a bank's CSV export with a ``CSVStatementMapping``, streaming record by record
/// (quoted fields may span lines). The whole file is one statement per currency, without
/// balances: CSV exports rarely give them in a form worth trusting.
public struct CSVStatementReader: StatementReader {
    public let mapping: CSVStatementMapping

    public var format: StatementFormat { .csv }

    public init(mapping: CSVStatementMapping) {
        self.mapping = mapping
    }

    public func read(_ file: URL, into visitor: inout some StatementVisitor) throws(StatementError) {
        try mapping.validate()
        let delimiter = mapping.delimiterCharacter ?? ";"
        let lines = try StatementLineReader(file)
        var columns: [String: Int]?
        var state = CSVStatementState(mapping: mapping)
        while let (fields, line) = try Self.nextRecord(lines, delimiter: delimiter) {
            let location = "line \(line)"
            guard let header = columns else {
                columns = try Self.header(fields, mapping: mapping)
                continue
            }
            try state.row(fields, columns: header, location: location, visitor: &visitor)
        }
        guard columns != nil else {
            let wanted = [mapping.date, mapping.amount, mapping.credit, mapping.debit].compactMap { $0 }.map { "'\($0)'" }.joined(separator: ", ")
            throw StatementError(.malformed, "no header row with the mapped columns \(wanted); check the mapping's column names and delimiter",
                                 location: "line 1")
        }
        try state.finish(visitor: &visitor)
    }

    /// Column indexes by name when `fields` is the header row (it names every mapped column),
    /// nil for a preamble row.
    private static func header(_ fields: [String], mapping: CSVStatementMapping) throws(StatementError) -> [String: Int]? {
        var columns: [String: Int] = [:]
        for (index, name) in fields.enumerated() where columns[name.trimmingSpaces] == nil {
            columns[name.trimmingSpaces] = index
        }
        let required = [mapping.date] + [mapping.amount, mapping.credit, mapping.debit].compactMap { $0 }
        return required.allSatisfy({ columns[$0] != nil }) ? columns : nil
    }

    /// The next record's fields and its first line number; a quoted field may hold line breaks
    /// and doubled quotes.
    static func nextRecord(_ lines: StatementLineReader, delimiter: Character) throws(StatementError) -> ([String], Int)? {
        guard let first = try lines.nextLine() else { return nil }
        let start = lines.lineNumber
        var fields: [String] = []
        var field = ""
        var inQuotes = false
        var text = first
        var continuationLines = 0
        while true {
            var iterator = text.makeIterator()
            var pendingQuote = false
            while let character = iterator.next() {
                if inQuotes {
                    if pendingQuote {
                        pendingQuote = false
                        if character == "\"" {
                            field.append("\"")
                            continue
                        }
                        inQuotes = false
                    } else if character == "\"" {
                        pendingQuote = true
                        continue
                    } else {
                        field.append(character)
                        continue
                    }
                }
                if character == delimiter {
                    fields.append(field)
                    field = ""
                } else if character == "\"" && field.trimmingSpaces.isEmpty {
                    field = ""
                    inQuotes = true
                } else {
                    field.append(character)
                }
            }
            if pendingQuote { inQuotes = false }
            guard inQuotes else { break }
            continuationLines += 1
            guard continuationLines <= 1000, let next = try lines.nextLine() else {
                throw StatementError(.malformed, "a quoted field that starts on line \(start) is never closed; the file is truncated or a quote is missing",
                                     location: "line \(start)")
            }
            field.append("\n")
            text = next
        }
        fields.append(field)
        return (fields, start)
    }
}

/// The statement being built from the rows.
private struct CSVStatementState {
    let mapping: CSVStatementMapping
    let dateFormat: CSVDateFormat
    var currency: Currency?
    var pending: StatementEntry?

    init(mapping: CSVStatementMapping) {
        self.mapping = mapping
        dateFormat = CSVDateFormat(mapping.dateFormat)
    }

    mutating func row(_ fields: [String], columns: [String: Int], location: String, visitor: inout some StatementVisitor) throws(StatementError) {
        func cell(_ name: String?) -> String {
            guard let name, let index = columns[name], index < fields.count else { return "" }
            return fields[index].trimmingSpaces
        }
        guard fields.contains(where: { !$0.trimmingSpaces.isEmpty }) else { return }
        let separator: Character = mapping.decimalSeparator == "," ? "," : "."
        let dateText = cell(mapping.date)
        let rowCurrency: Currency
        let currencyText = cell(mapping.currency)
        if !currencyText.isEmpty {
            rowCurrency = try StatementAmountParser.currency(currencyText, location: "\(location), column '\(mapping.currency ?? "")'")
        } else if let fixed = mapping.fixedCurrency {
            rowCurrency = try StatementAmountParser.currency(fixed, location: nil)
        } else {
            throw StatementError(.malformed, "the currency column '\(mapping.currency ?? "")' is empty and the mapping has no fixedCurrency", location: location)
        }
        if dateText.isEmpty {
            let detailText = cell(mapping.detailAmount)
            if mapping.detailAmount != nil, !detailText.isEmpty, var entry = pending {
                let minor = try StatementAmountParser.minorUnits(detailText, decimalSeparator: separator, currency: rowCurrency, allowSign: true,
                                                                 allowGrouping: true, location: "\(location), column '\(mapping.detailAmount ?? "")'")
                entry.details.append(TransactionDetail(
                    amount: Money(minorUnits: minor.magnitude.clampedInt64, currency: rowCurrency), creditDebit: entry.creditDebit,
                    bankReference: cell(mapping.bankReference).nonEmpty, remittance: remittance(cell)))
                pending = entry
                return
            }
            let amounts = [mapping.amount, mapping.credit, mapping.debit].map { cell($0) }
            guard amounts.allSatisfy(\.isEmpty) else {
                throw StatementError(.malformed, "a row with an amount but no date in column '\(mapping.date)'", location: location)
            }
            return // a total or comment line
        }
        guard let bookingDate = dateFormat.date(dateText) else {
            throw StatementError(.malformed, "'\(dateText)' in column '\(mapping.date)' is not a date in the format \(mapping.dateFormat)", location: location)
        }
        var valueDate: CalendarDate?
        let valueText = cell(mapping.valueDate)
        if !valueText.isEmpty {
            guard let date = dateFormat.date(valueText) else {
                throw StatementError(.malformed, "'\(valueText)' in column '\(mapping.valueDate ?? "")' is not a date in the format \(mapping.dateFormat)",
                                     location: location)
            }
            valueDate = date
        }
        func amount(_ column: String?) throws(StatementError) -> Int64? {
            let text = cell(column)
            guard !text.isEmpty else { return nil }
            return try StatementAmountParser.minorUnits(text, decimalSeparator: separator, currency: rowCurrency, allowSign: true, allowGrouping: true,
                                                        location: "\(location), column '\(column ?? "")'")
        }
        var signed: Int64
        if mapping.amount != nil {
            guard let value = try amount(mapping.amount) else {
                throw StatementError(.malformed, "no amount in column '\(mapping.amount ?? "")'", location: location)
            }
            signed = value
        } else {
            let credit = try amount(mapping.credit)
            let debit = try amount(mapping.debit)
            if let credit, credit < 0 {
                throw StatementError(.invalidAmount, "a negative amount in the credit column '\(mapping.credit ?? "")'; debits belong in '\(mapping.debit ?? "the debit column")'",
                                     location: location)
            }
            if let credit, credit != 0 || debit == nil {
                signed = credit
            } else if let debit {
                signed = -debit.magnitude.clampedInt64
            } else {
                throw StatementError(.malformed, "neither column '\(mapping.credit ?? "")' nor '\(mapping.debit ?? "")' has an amount", location: location)
            }
        }
        try flush(visitor: &visitor)
        if currency != rowCurrency {
            if currency != nil { try visitor.endStatement(closingBalance: nil) }
            currency = rowCurrency
            try visitor.beginStatement(BankStatement(account: StatementAccount(iban: mapping.accountIBAN.flatMap { IBANText.normalised($0) }),
                                                     currency: rowCurrency))
        }
        let name = cell(mapping.payerName).collapsingSpaces.nonEmpty
        let iban = IBANText.normalised(cell(mapping.iban))
        pending = StatementEntry(
            bookingDate: bookingDate, valueDate: valueDate ?? bookingDate, amount: Money(minorUnits: signed.magnitude.clampedInt64, currency: rowCurrency),
            creditDebit: signed < 0 ? .debit : .credit, bankReference: cell(mapping.bankReference).nonEmpty, remittance: remittance(cell),
            counterparty: name == nil && iban == nil ? nil : Counterparty(name: name, iban: iban), location: location)
    }

    private func remittance(_ cell: (String?) -> String) -> Remittance {
        let text = mapping.remittance.map { cell($0).replacingOccurrences(of: "\n", with: " ") }.filter { !$0.isEmpty }.joined(separator: " ")
        return Remittance(unstructured: text.collapsingSpaces.nonEmpty)
    }

    mutating func flush(visitor: inout some StatementVisitor) throws(StatementError) {
        guard let entry = pending else { return }
        pending = nil
        try visitor.visit(entry)
    }

    mutating func finish(visitor: inout some StatementVisitor) throws(StatementError) {
        try flush(visitor: &visitor)
        if currency != nil { try visitor.endStatement(closingBalance: nil) }
    }
}

extension UInt64 {
    /// The value as an `Int64` (callers pass magnitudes of `Int64` values).
    fileprivate var clampedInt64: Int64 { Int64(clamping: self) }
}
