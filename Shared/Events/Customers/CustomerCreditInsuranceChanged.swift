import Money

/// `relance.customer.credit-insurance-changed.v1`: a customer's credit insurance policy was
/// set, changed or ended (`insured` false, no policy fields). Consumers compute each invoice's
/// declaration deadline as its due date plus `declarationDeadlineDays`, for invoices whose due
/// date is within `startsOn`...`endsOn` (each bound optional).
public struct CustomerCreditInsuranceChanged: CustomerEvent, Hashable {
    public static let eventType = "relance.customer.credit-insurance-changed.v1"
    public static let topic = Topic.customers
    /// The customer: the record key.
    public var customerId: String
    /// The creditor's own number for the customer.
    public var customerNumber: String
    /// Whether a policy covers the customer now; the fields below are set exactly when it does.
    public var insured: Bool
    /// The insurer (`Allianz Trade`, `Coface`).
    public var insurer: String?
    /// The policy or contract reference at the insurer.
    public var policyReference: String?
    /// The cover the insurer grants on this customer.
    public var coverAmount: Money?
    /// Days after an invoice's due date by which it must be declared overdue to the insurer.
    public var declarationDeadlineDays: Int?
    /// First day of cover (by due date); absent: from any date.
    public var startsOn: CalendarDate?
    /// Last day of cover (by due date); absent: open-ended.
    public var endsOn: CalendarDate?

    public init(
        customerId: String, customerNumber: String, insurer: String? = nil, policyReference: String? = nil,
        coverAmount: Money? = nil, declarationDeadlineDays: Int? = nil, startsOn: CalendarDate? = nil, endsOn: CalendarDate? = nil
    ) {
        self.customerId = customerId
        self.customerNumber = customerNumber
        self.insured = insurer != nil
        self.insurer = insurer
        self.policyReference = policyReference
        self.coverAmount = coverAmount
        self.declarationDeadlineDays = declarationDeadlineDays
        self.startsOn = startsOn
        self.endsOn = endsOn
    }

    /// `ce_subject`: the customer id.
    public var subject: String? { customerId }
}
