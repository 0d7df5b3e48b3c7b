/// Why a CSV input cannot be read: the file itself, not one of its values (those are the
/// caller's to judge). Each service maps it to its own error (invoicing's `malformedCSV` /
/// `unreadableInput`, payment matching's `StatementError`).
public struct CSVError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What kind of failure.
    public enum Code: String, Sendable, Hashable {
        /// The bytes are not CSV the reader accepts: a quote never closed, a record or header
        /// line over 1 MiB, a field that is not UTF-8 (without a fallback decoding).
        case malformed
        /// The file cannot be opened or read.
        case unreadable
    }

    /// What kind of failure.
    public let code: Code
    /// What went wrong and what to do, for people.
    public let reason: String
    /// The physical line (1-based) where it went wrong, when known.
    public let line: Int?

    /// Creates an error.
    public init(_ code: Code, _ reason: String, line: Int? = nil) {
        self.code = code
        self.reason = reason
        self.line = line
    }

    public var description: String { reason }
}
