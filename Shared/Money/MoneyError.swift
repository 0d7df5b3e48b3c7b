/// What went wrong with an amount or a currency, and what to do about it.
public struct MoneyError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The kind of failure, stable for programs to switch over.
    public enum Code: String, Sendable, Hashable {
        case unknownCurrency
        case currencyMismatch
        case tooManyDecimals
        case malformedAmount
        case overflow
    }

    public let code: Code
    /// A sentence for people: what was wrong and how to fix it.
    public let reason: String

    public init(_ code: Code, _ reason: String) {
        self.code = code
        self.reason = reason
    }

    public var description: String { reason }
}
