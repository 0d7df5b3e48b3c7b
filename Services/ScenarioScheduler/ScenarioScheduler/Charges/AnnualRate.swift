import Foundation

/// A yearly interest rate in integer basis points: 1215 is 12.15 %.
///
/// Basis points, not a `Double` or a `Decimal`, because French late-payment rates are
/// published with two decimals (ECB 2.15 % + 10 points) and the interest is computed in
/// integers (`base × basisPoints × days / (365 × 10_000)`): no binary rounding can creep into
/// an amount. Encodes as a JSON number in percent (`12.15`), written from the integer through
/// `Decimal`, so the bytes are exactly the digits (never `12.149999999999999`).
public struct AnnualRate: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The rate in hundredths of a percent, 0...100_000 (0 %...1000 %).
    public let basisPoints: Int

    /// The largest rate accepted: 1000 %, far above any late-payment rate, so that a typo
    /// ("1215" for 12.15) is refused rather than claimed.
    public static let maximumBasisPoints = 100_000

    /// Creates a rate from basis points.
    /// - Throws: `ChargesError` `.invalidRate` when outside 0...100_000.
    public init(basisPoints: Int) throws(ChargesError) {
        guard (0...AnnualRate.maximumBasisPoints).contains(basisPoints) else {
            throw ChargesError(.invalidRate, "an annual rate of \(basisPoints) basis points is outside 0 %...1000 %; write 12.15 % as 1215 basis points")
        }
        self.basisPoints = basisPoints
    }

    /// Parses a rate in percent as people write it: "12.15", "12,15", "15", "12.5", "12.15%".
    /// - Throws: `ChargesError` `.invalidRate` for anything else, more than two decimals
    ///   ("12.155": basis points are the unit) or a rate outside 0 %...1000 %.
    public init(percent text: String) throws(ChargesError) {
        var body = Substring(text.trimmingCharacters(in: .whitespaces))
        if body.hasSuffix("%") { body = body.dropLast().drop(while: { $0 == " " }) }
        body = Substring(body.trimmingCharacters(in: .whitespaces))
        let parts = body.split(separator: body.contains(",") ? "," : ".", maxSplits: 1, omittingEmptySubsequences: false)
        let whole = parts.first ?? ""
        let fraction = parts.count > 1 ? parts[1] : ""
        let isDigits = { (part: Substring) in part.allSatisfy { $0.isASCII && $0.isNumber } }
        guard !whole.isEmpty, whole.count <= 4, isDigits(whole), isDigits(fraction), parts.count == 1 || !fraction.isEmpty else {
            throw ChargesError(.invalidRate, "'\(text)' is not an annual rate in percent; write it like 12.15")
        }
        guard fraction.count <= 2 else {
            throw ChargesError(.invalidRate, "'\(text)' has \(fraction.count) decimals; a rate has at most two (basis points), like 12.15")
        }
        let padded = fraction + String(repeating: "0", count: 2 - fraction.count)
        guard let wholeValue = Int(whole), let fractionValue = Int(padded) else {
            throw ChargesError(.invalidRate, "'\(text)' is not an annual rate in percent; write it like 12.15")
        }
        try self.init(basisPoints: wholeValue * 100 + fractionValue)
    }

    /// The rate in percent with two decimals: "12.15", "10.00".
    public var description: String {
        let cents = basisPoints % 100
        return "\(basisPoints / 100).\(cents < 10 ? "0" : "")\(cents)"
    }

    /// This rate plus `points` percentage points (the ECB rate + 10).
    /// - Throws: `ChargesError` `.invalidRate` when the sum leaves 0 %...1000 %.
    public func adding(points: Int) throws(ChargesError) -> AnnualRate {
        try AnnualRate(basisPoints: basisPoints + points * 100)
    }

    public static func < (lhs: AnnualRate, rhs: AnnualRate) -> Bool { lhs.basisPoints < rhs.basisPoints }
}

extension AnnualRate: Codable {
    /// Decodes a JSON number in percent with at most two decimals (`12.15`).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let value = try container.decode(Decimal.self)
        do {
            try self.init(percent: value.description)
        } catch {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: error.reason)
        }
    }

    /// Encodes a JSON number in percent (`12.15`), exact: built from the integer basis points.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(Decimal(sign: .plus, exponent: -2, significand: Decimal(basisPoints)))
    }
}
