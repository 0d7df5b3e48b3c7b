import Money

/// What a late payer owes besides the invoice, as reminders must state it (French B2B:
/// Code de commerce L441-10).
public struct LatePaymentTerms: Codable, Sendable, Hashable {
    /// How late-payment interest is computed. An open set: `contractual` (the customer's
    /// contract sets `annualRateBasisPoints`) or `ecbRefinancingRatePlusPoints` (the legal
    /// default: the ECB's most recent main refinancing rate plus `pointsAboveReference`
    /// points; the ECB rate changes, so it is not carried). Show an unknown rule by name.
    public var interestRule: String
    /// The contractual annual rate in basis points (1250 = 12.50 %), with rule `contractual`.
    public var annualRateBasisPoints: Int?
    /// Percentage points added to the reference rate, with rule `ecbRefinancingRatePlusPoints`.
    public var pointsAboveReference: Int?
    /// The fixed indemnity for recovery costs owed per late invoice (40 EUR in France).
    public var recoveryIndemnity: Money

    public init(interestRule: String, annualRateBasisPoints: Int?, pointsAboveReference: Int?, recoveryIndemnity: Money) {
        self.interestRule = interestRule
        self.annualRateBasisPoints = annualRateBasisPoints
        self.pointsAboveReference = pointsAboveReference
        self.recoveryIndemnity = recoveryIndemnity
    }

    /// The rule name of the contractual rate.
    public static let contractualRule = "contractual"
    /// The rule name of the French legal default.
    public static let legalDefaultRule = "ecbRefinancingRatePlusPoints"

    /// The terms for a customer with `contractualRateBasisPoints`, or the French legal
    /// default (ECB refinancing rate + 10 points) without one; the 40 EUR indemnity either way.
    public static func forCustomer(contractualRateBasisPoints: Int?) -> LatePaymentTerms {
        let indemnity = Money(minorUnits: 4000, currency: .eur)
        if let contractualRateBasisPoints {
            return LatePaymentTerms(interestRule: contractualRule, annualRateBasisPoints: contractualRateBasisPoints,
                                    pointsAboveReference: nil, recoveryIndemnity: indemnity)
        }
        return LatePaymentTerms(interestRule: legalDefaultRule, annualRateBasisPoints: nil, pointsAboveReference: 10,
                                recoveryIndemnity: indemnity)
    }
}
