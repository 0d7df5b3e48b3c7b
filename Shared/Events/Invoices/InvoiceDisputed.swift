import Money

/// `relance.invoice.disputed.v1`: the customer disputes the invoice, or part of it; it is not
/// reminded while any dispute on it is open.
///
/// An invoice may carry several disputes; each opening publishes one event. Events published
/// before disputes had ids (and those of the deprecated whole-invoice route before the
/// migration) lack the optional fields: read such an event as a dispute of the whole invoice,
/// category `other`.
public struct InvoiceDisputed: CustomerEvent, Hashable {
    public static let eventType = "relance.invoice.disputed.v1"
    public static let topic = Topic.invoices
    public var customerId: String
    public var invoiceId: String
    public var number: String
    public var reason: String
    /// The dispute's id (the subject of `invoice.dispute-resolved`).
    public var disputeId: String?
    /// The amount disputed: the invoice total, or the part of it the customer contests.
    public var amount: Money?
    /// What kind of disagreement (`pricing`, `quantity`, `quality`, `notReceived`,
    /// `duplicate`, `other`; an open set).
    public var category: String?
    /// The day the customer raised the dispute.
    public var openedOn: CalendarDate?

    public init(
        customerId: String, invoiceId: String, number: String, reason: String,
        disputeId: String? = nil, amount: Money? = nil, category: String? = nil, openedOn: CalendarDate? = nil
    ) {
        self.customerId = customerId
        self.invoiceId = invoiceId
        self.number = number
        self.reason = reason
        self.disputeId = disputeId
        self.amount = amount
        self.category = category
        self.openedOn = openedOn
    }

    public var subject: String? { invoiceId }
}
