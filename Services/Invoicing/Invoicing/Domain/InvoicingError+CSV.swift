import CSV
import Foundation

extension InvoicingError {
    /// Invoicing's error for a CSV file that cannot be read (400 `malformedCSV`, or
    /// `unreadableInput`), with the shared reader's reason.
    public init(_ error: CSVError) {
        switch error.code {
        case .malformed: self.init(.malformedCSV, error.reason)
        case .unreadable: self.init(.unreadableInput, error.reason)
        }
    }
}

extension CSVReader {
    /// Opens an import file, with invoicing's errors.
    /// - Throws: `InvoicingError` `.unreadableInput`, or `.malformedCSV` for a header line
    ///   over 1 MiB.
    static func importFile(_ url: URL) throws(InvoicingError) -> CSVReader {
        do {
            return try CSVReader(url: url)
        } catch {
            throw InvoicingError(error)
        }
    }

    /// ``CSVReader/nextRecord()`` with invoicing's errors, so an unusable file is a 400.
    /// - Throws: `InvoicingError` `.malformedCSV` or `.unreadableInput`.
    func nextImportRecord() throws(InvoicingError) -> CSVRecord? {
        do {
            return try nextRecord()
        } catch {
            throw InvoicingError(error)
        }
    }
}
