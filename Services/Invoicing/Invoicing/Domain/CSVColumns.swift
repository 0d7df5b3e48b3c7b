import CSV
import Events
import Foundation
import Money

/// Where each known column is in a CSV header. Names match case-insensitively, ignoring
/// spaces, `_` and `-` (`Customer Number`, `customer_number` and `customerNumber` are one).
/// Unknown columns are ignored.
struct CSVColumns: Sendable {
    private let indexByName: [String: Int]
    let headerCount: Int

    /// Maps a header, checking the required columns are present.
    /// - Throws: `InvoicingError` `.missingColumn` naming every missing column.
    init(header: CSVRecord, required: [String], aliases: [String: String] = [:]) throws(InvoicingError) {
        var indexByName: [String: Int] = [:]
        for (index, name) in header.fields.enumerated() {
            var key = CSVColumns.normalise(name)
            if let canonical = aliases[key] { key = canonical }
            if indexByName[key] == nil { indexByName[key] = index }
        }
        let missing = required.filter { indexByName[CSVColumns.normalise($0)] == nil }
        guard missing.isEmpty else {
            throw InvoicingError(.missingColumn,
                                 "the header lacks the column\(missing.count > 1 ? "s" : "") \(missing.joined(separator: ", ")); found: \(header.fields.joined(separator: ", "))",
                                 field: missing[0])
        }
        self.indexByName = indexByName
        self.headerCount = header.fields.count
    }

    /// The index of a column, nil when the header lacks it.
    func index(_ name: String) -> Int? {
        indexByName[CSVColumns.normalise(name)]
    }

    static func normalise(_ name: String) -> String {
        String(String.UnicodeScalarView(name.lowercased().unicodeScalars.filter {
            $0 != " " && $0 != "_" && $0 != "-" && $0 != "\u{FEFF}"
        }))
    }

    /// The trimmed value of an optional column, nil when absent or blank.
    static func value(_ record: CSVRecord, _ index: Int?) -> String? {
        guard let index, index < record.fields.count else { return nil }
        let raw = record.fields[index]
        // Fast path: most fields have no surrounding spaces.
        if let first = raw.utf8.first, let last = raw.utf8.last, first > 0x20, last > 0x20 { return raw }
        let trimmed = TextNormalisation.trimmed(raw)
        return trimmed.isEmpty ? nil : trimmed
    }

    /// Refuses records with values beyond the header (a delimiter inside an unquoted field).
    static func checkWidth(_ record: CSVRecord, headerCount: Int) throws(InvoicingError) {
        guard record.fields.count > headerCount else { return }
        if record.fields[headerCount...].contains(where: { !TextNormalisation.trimmed($0).isEmpty }) {
            throw InvoicingError(.malformedCSV,
                                 "the record has \(record.fields.count) fields but the header has \(headerCount); quote values that contain the delimiter")
        }
    }

    /// Reads a date written `YYYY-MM-DD` or, as French spreadsheets do, `DD/MM/YYYY`.
    static func date(_ text: String, column: String) throws(InvoicingError) -> CalendarDate {
        do {
            if text.utf8.count == 10, text.utf8[text.utf8.index(text.utf8.startIndex, offsetBy: 2)] == UInt8(ascii: "/") {
                let parts = text.split(separator: "/")
                if parts.count == 3, let day = Int(parts[0]), let month = Int(parts[1]), let year = Int(parts[2]) {
                    return try CalendarDate(year: year, month: month, day: day)
                }
            }
            return try CalendarDate(iso8601: text)
        } catch {
            throw InvoicingError(.invalidDate, "'\(text)' is not a date; write it as YYYY-MM-DD or DD/MM/YYYY", field: column)
        }
    }

    /// A currency, reusing the previous row's when the code is the same (most files have one).
    static func currency(_ code: String, column: String, cache: inout Currency?) throws(InvoicingError) -> Currency {
        if let cached = cache, cached.code == code { return cached }
        do {
            let currency = try Currency(code: code)
            cache = currency
            return currency
        } catch {
            throw InvoicingError(error, field: column)
        }
    }

    /// Reads a required value; blank is `.missingField` on the column.
    static func required(_ record: CSVRecord, _ index: Int?, column: String) throws(InvoicingError) -> String {
        guard let value = value(record, index) else {
            throw InvoicingError(.missingField, "\(column) is empty", field: column)
        }
        return value
    }
}
