import Money

/// `relance.customer.vetted.v1`: a credit manager vetted a prospect (or a customer again) and
/// decided: `approved`, `limited` (within the suggested limit and terms) or `refused`.
/// Identifiers are checked (SIREN/SIRET Luhn, French VAT key); scores are on their source's scale.
public struct CustomerVetted: CustomerEvent, Hashable {
    public static let eventType = "relance.customer.vetted.v1"
    public static let topic = Topic.customers
    public var customerId: String
    public var customerNumber: String
    /// `prospect` or `customer` when vetted.
    public var relationship: String
    /// `approved`, `limited` or `refused` (an open set: treat an unknown one as `refused`).
    public var decision: String
    public var decidedBy: String
    public var registrationId: String?
    public var vatId: String?
    public var legalForm: String?
    public var creationDate: CalendarDate?
    public var creditScore: Int?
    public var ratingSource: String?
    public var rating: String?
    public var suggestedCreditLimit: Money?
    /// Payment terms as text (`net:30`).
    public var suggestedPaymentTerms: String?

    public init(customerId: String, customerNumber: String, relationship: String, decision: String, decidedBy: String,
                registrationId: String? = nil, vatId: String? = nil, legalForm: String? = nil, creationDate: CalendarDate? = nil,
                creditScore: Int? = nil, ratingSource: String? = nil, rating: String? = nil, suggestedCreditLimit: Money? = nil,
                suggestedPaymentTerms: String? = nil) {
        self.customerId = customerId
        self.customerNumber = customerNumber
        self.relationship = relationship
        self.decision = decision
        self.decidedBy = decidedBy
        self.registrationId = registrationId
        self.vatId = vatId
        self.legalForm = legalForm
        self.creationDate = creationDate
        self.creditScore = creditScore
        self.ratingSource = ratingSource
        self.rating = rating
        self.suggestedCreditLimit = suggestedCreditLimit
        self.suggestedPaymentTerms = suggestedPaymentTerms
    }

    public var subject: String? { customerId }
}
