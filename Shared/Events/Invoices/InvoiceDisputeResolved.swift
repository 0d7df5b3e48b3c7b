import Money

/// `relance.invoice.dispute-resolved.v1`: a dispute is over; reminders may resume once no
/// other dispute on the invoice is open.
///
/// Events without `disputeId` (published before disputes had ids) ended every dispute of the
/// invoice.
public struct InvoiceDisputeResolved: CustomerEvent, Hashable {
    public static let eventType = "relance.invoice.dispute-resolved.v1"
    public static let topic = Topic.invoices
    public var customerId: String
    public var invoiceId: String
    public var number: String
    public var resolution: String
    /// The dispute that ended.
    public var disputeId: String?
    /// The amount that was disputed.
    public var amount: Money?
    /// The dispute's category.
    public var category: String?
    /// The day the dispute was opened.
    public var openedOn: CalendarDate?
    /// The day it was resolved.
    public var resolvedOn: CalendarDate?

    public init(
        customerId: String, invoiceId: String, number: String, resolution: String,
        disputeId: String? = nil, amount: Money? = nil, category: String? = nil,
        openedOn: CalendarDate? = nil, resolvedOn: CalendarDate? = nil
    ) {
        self.customerId = customerId
        self.invoiceId = invoiceId
        self.number = number
        self.resolution = resolution
        self.disputeId = disputeId
        self.amount = amount
        self.category = category
        self.openedOn = openedOn
        self.resolvedOn = resolvedOn
    }

    public var subject: String? { invoiceId }
}
