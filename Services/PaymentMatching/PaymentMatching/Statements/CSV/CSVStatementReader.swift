import CSV
import Events
import Foundation
import Money

/// Reads a bank's CSV export with a ``CSVStatementMapping``, streaming record by record
/// (quoted fields may span lines) through the package's one CSV parser, `CSV.CSVReader`,
/// made lenient the way bank exports need: spaces before an opening quote are padding, and a
/// field that is not UTF-8 is read as Windows-1252 (as the MT940 reader reads lines). The
/// whole file is one statement per currency, without balances: CSV exports rarely give them
/// in a form worth trusting.
public struct CSVStatementReader: StatementReader {
    public let mapping: CSVStatementMapping

    public var format: StatementFormat { .csv }

    public init(mapping: CSVStatementMapping) {
        self.mapping = mapping
    }

    public func read(_ file: URL, into visitor: inout some StatementVisitor) throws(StatementError) {
        try mapping.validate()
        let reader = try Self.open(file, mapping: mapping)
        var columns: [String: Int]?
        var state = CSVStatementState(mapping: mapping)
        while let record = try Self.nextRecord(reader) {
            let fields = record.fields
            let location = "line \(record.line)"
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

    /// Opens the file with the mapping's delimiter (`;` by default).
    /// - Throws: `StatementError` `.io` when the file cannot be opened or read.
    static func open(_ file: URL, mapping: CSVStatementMapping) throws(StatementError) -> CSVReader {
        let delimiter = mapping.delimiterCharacter?.asciiValue.flatMap(CSVReader.Delimiter.init(rawValue:)) ?? .semicolon
        let options = CSVReader.Options(quoteAfterSpaces: true, fallbackDecoding: { bytes in StatementLineReader.decode(bytes) })
        do {
            return try CSVReader(url: file, delimiter: delimiter, options: options)
        } catch {
            throw StatementError(error)
        }
    }

    /// The next record (its fields and the line it starts on); a quoted field may hold line
    /// breaks and doubled quotes.
    /// - Throws: `StatementError` `.malformed` (a quote never closed, a record over 1 MiB),
    ///   `.io` when reading fails.
    static func nextRecord(_ reader: CSVReader) throws(StatementError) -> CSVRecord? {
        do {
            return try reader.nextRecord()
        } catch {
            throw StatementError(error)
        }
    }
}

extension StatementError {
    /// The statement error for a CSV file the shared reader cannot read, located at its line.
    init(_ error: CSVError) {
        let location = error.line.map { "line \($0)" }
        switch error.code {
        case .malformed: self.init(.malformed, error.reason, location: location)
        case .unreadable: self.init(.io, error.reason, location: location)
        }
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
