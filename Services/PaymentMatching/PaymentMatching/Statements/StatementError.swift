/// A bank file could not be read, or not safely: what is wrong, where, and what to do.
public struct StatementError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The kind of problem.
    public enum Code: String, Sendable, Hashable, Codable {
        /// Not any format Relance reads, or not the one given.
        case unknownFormat
        /// The file breaks its format's rules (truncated, missing field, bad date, bad amount).
        case malformed
        /// Valid but not supported (e.g. a camt version or an MT940 feature Relance does not read).
        case unsupported
        /// Refused for safety: DTD or external entity, nesting or a field beyond the limits.
        case unsafe
        /// Larger than the configured limit.
        case tooLarge
        /// Not in a readable text encoding.
        case encoding
        /// A currency code that is not ISO 4217, or an amount with more decimals than its currency has.
        case invalidAmount
        /// The file could not be opened or read.
        case io
    }

    public let code: Code
    /// What is wrong, for a person, including what to do when there is something to do.
    public let reason: String
    /// Where: "line 12", "line 12, column 5", or an element path "Document/BkToCstmrStmt/Stmt[1]/Ntry[3]/Amt".
    public let location: String?

    public init(_ code: Code, _ reason: String, location: String?) {
        self.code = code
        self.reason = reason
        self.location = location
    }

    public var description: String {
        (location.map { "\($0): " } ?? "") + reason + " (\(code.rawValue))"
    }
}
