import Foundation
import Money

/// One line of an invoice: what was sold, how many, at what unit price, at which VAT rate.
///
/// JSON: `{"description": "Audit", "quantity": 1.5, "unitPrice": {"minorUnits": 12000,
/// "currency": "EUR"}, "vatRateBasisPoints": 2000}`.
public struct InvoiceLine: Hashable, Sendable, Codable {
    /// What was sold, for people.
    public let description: String
    /// How many, to three decimals.
    public let quantity: Quantity
    /// The price of one unit, excluding VAT.
    public let unitPrice: Money
    /// The VAT rate in basis points: 2000 is 20 %, 550 is 5.5 %, 0 is exempt. 0...10000.
    public let vatRateBasisPoints: Int

    /// The largest VAT rate accepted, 100 %.
    public static let maximumVATRateBasisPoints = 10_000

    /// Creates a line, checking the VAT rate.
    /// - Throws: `InvoicingError` `.invalidField` (field `vatRateBasisPoints`) when the rate
    ///   is outside 0...10000.
    public init(description: String, quantity: Quantity, unitPrice: Money, vatRateBasisPoints: Int) throws(InvoicingError) {
        guard (0...InvoiceLine.maximumVATRateBasisPoints).contains(vatRateBasisPoints) else {
            throw InvoicingError(.invalidField,
                                 "VAT rate \(vatRateBasisPoints) basis points is outside 0...10000; write 20 % as 2000 and 5.5 % as 550",
                                 field: "vatRateBasisPoints")
        }
        self.description = description
        self.quantity = quantity
        self.unitPrice = unitPrice
        self.vatRateBasisPoints = vatRateBasisPoints
    }

    /// The line's net amount: quantity × unit price, rounded half away from zero to the
    /// currency's minor unit (1.5 × 0.05 EUR = 0.075 → 0.08).
    /// - Throws: `InvoicingError` `.overflow` when the result does not fit 64 bits.
    public func netAmount() throws(InvoicingError) -> Money {
        let product = Int128(quantity.thousandths) * Int128(unitPrice.minorUnits)
        guard let minorUnits = InvoiceLine.roundedQuotient(product, 1000) else {
            throw InvoicingError(.overflow, "\(quantity) × \(unitPrice) is too large an amount", field: "lines")
        }
        return Money(minorUnits: minorUnits, currency: unitPrice.currency)
    }

    /// `numerator / denominator` rounded half away from zero, or nil when it does not fit
    /// `Int64`. `denominator` must be positive.
    static func roundedQuotient(_ numerator: Int128, _ denominator: Int128) -> Int64? {
        var quotient = numerator / denominator
        let remainder = numerator % denominator // same sign as the numerator
        if remainder.magnitude * 2 >= denominator.magnitude {
            quotient += numerator < 0 ? -1 : 1
        }
        return Int64(exactly: quotient)
    }

    private enum CodingKeys: String, CodingKey {
        case description, quantity, unitPrice, vatRateBasisPoints
    }

    /// Decodes a line, checking the VAT rate like ``init(description:quantity:unitPrice:vatRateBasisPoints:)``.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        do {
            try self.init(
                description: try container.decodeIfGiven(String.self, forKey: .description) ?? "",
                quantity: try container.decode(Quantity.self, forKey: .quantity),
                unitPrice: try container.decode(Money.self, forKey: .unitPrice),
                vatRateBasisPoints: try container.decode(Int.self, forKey: .vatRateBasisPoints))
        } catch let error as InvoicingError {
            throw error.decodingError(decoder)
        }
    }
}
