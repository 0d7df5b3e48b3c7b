/// `relance.customer.legal-status-changed.v1`: a customer entered, moved between or left
/// French collective proceedings. While `status` is not `none`, individual collection stops
/// (`individualCollectionSuspended`): the scheduler sends no reminder to the customer, and the
/// creditor files its claims with the court's mandataire by `claimFilingDeadline`.
public struct CustomerLegalStatusChanged: CustomerEvent, Hashable {
    public static let eventType = "relance.customer.legal-status-changed.v1"
    public static let topic = Topic.customers
    /// The customer: the record key.
    public var customerId: String
    /// The creditor's own number for the customer.
    public var customerNumber: String
    /// The status now.
    public var status: LegalProceedings
    /// The status before.
    public var previousStatus: LegalProceedings
    /// Whether reminders must stop (every status but `none`).
    public var individualCollectionSuspended: Bool
    /// The day of the court's judgment (absent for `none`).
    public var judgmentDate: CalendarDate?
    /// The day the judgment was published in the BODACC (absent for `none`).
    public var publicationDate: CalendarDate?
    /// The court and case reference, when known.
    public var courtReference: String?
    /// The last day to file claims: two months after the BODACC publication unless given
    /// otherwise (absent for `none`).
    public var claimFilingDeadline: CalendarDate?

    public init(
        customerId: String, customerNumber: String, status: LegalProceedings, previousStatus: LegalProceedings,
        judgmentDate: CalendarDate? = nil, publicationDate: CalendarDate? = nil, courtReference: String? = nil,
        claimFilingDeadline: CalendarDate? = nil
    ) {
        self.customerId = customerId
        self.customerNumber = customerNumber
        self.status = status
        self.previousStatus = previousStatus
        self.individualCollectionSuspended = status.suspendsIndividualCollection
        self.judgmentDate = judgmentDate
        self.publicationDate = publicationDate
        self.courtReference = courtReference
        self.claimFilingDeadline = claimFilingDeadline
    }

    /// `ce_subject`: the customer id.
    public var subject: String? { customerId }
}
