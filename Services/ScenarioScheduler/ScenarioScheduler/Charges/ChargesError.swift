/// Why late-payment charges cannot be computed, and what to do about it.
public struct ChargesError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The kind of failure, stable for programs to switch over.
    public enum Code: String, Sendable, Hashable {
        /// An amount is negative, zero where it must be positive, or in another currency.
        case invalidAmount
        /// An annual rate is outside 0 %...1000 % or has more than two decimals.
        case invalidRate
        /// The reference rate table has no rate in force on a half-year's first day.
        case noReferenceRate
        /// A reference rate table is empty, has two changes on one day or a rate out of range.
        case invalidRateTable
        /// The interest does not fit in 64-bit minor units.
        case overflow
    }

    public let code: Code
    /// A sentence for people: what was wrong, where, and how to fix it.
    public let reason: String

    public init(_ code: Code, _ reason: String) {
        self.code = code
        self.reason = reason
    }

    public var description: String { reason }
}
