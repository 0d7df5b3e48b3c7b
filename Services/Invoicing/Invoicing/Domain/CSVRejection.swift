import Foundation

/// A CSV record that could not be imported: the line it starts on and why.
public struct CSVRejection: Error, Hashable, Sendable, Codable, CustomStringConvertible {
    /// The physical line where the record starts (the header is line 1).
    public let line: Int
    /// What was wrong; ``InvoicingError/field`` is the CSV column name.
    public let error: InvoicingError

    /// Creates a rejection.
    public init(line: Int, error: InvoicingError) {
        self.line = line
        self.error = error
    }

    /// `line 12: total: '12,3,4' is not an amount...`.
    public var description: String { "line \(line): \(error)" }
}
