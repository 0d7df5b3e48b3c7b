/// What assignment reads of a customer: invoicing's `CustomerSnapshot` fields.
public struct CustomerDunningProfile: Sendable, Hashable, Codable {
    /// The customer's id (the record key of customer events).
    public var customerID: String
    /// The free segment name, if any.
    public var segment: String?
    /// The credit manager's risk category, if any.
    public var risk: RiskCategory?
    /// Whether the customer is strategic (gets the softer scenario by the usual rules).
    public var strategic: Bool

    /// Creates a profile.
    public init(customerID: String, segment: String? = nil, risk: RiskCategory? = nil, strategic: Bool = false) {
        self.customerID = customerID
        self.segment = segment
        self.risk = risk
        self.strategic = strategic
    }
}
