/// A request or file the payment-matching service refuses: what is wrong, where, and what to do.
public struct PaymentMatchingError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The kind of failure. Every case is a client error: the input or the state must change.
    public enum Code: String, Sendable, Hashable, Codable {
        /// The URL names a payment, import or invoice that does not exist (404), or the body
        /// names one (422 `unknown-reference`, with `field`).
        case notFound
        /// A field's value is not acceptable (422).
        case invalidField
        /// The payment is not in a state that allows the action: already allocated in full,
        /// marked as not a customer payment, reversed by the bank (409).
        case invalidState
        /// The allocation is more than the payment has left, or than the invoice has open (422).
        case amountExceeded
        /// Currencies differ: never allocated across currencies (422).
        case currencyMismatch
        /// The bank file cannot be read: unknown format, malformed, unsafe XML, too large, wrong
        /// encoding (400, with the location in the file).
        case unreadableStatement
    }

    public let code: Code
    /// What went wrong and what to do.
    public let reason: String
    /// The field, query parameter or location in the file the error is about.
    public let field: String?

    public init(_ code: Code, _ reason: String, field: String? = nil) {
        self.code = code
        self.reason = reason
        self.field = field
    }

    public var description: String { field.map { "\(code.rawValue) at \($0): \(reason)" } ?? "\(code.rawValue): \(reason)" }
}
