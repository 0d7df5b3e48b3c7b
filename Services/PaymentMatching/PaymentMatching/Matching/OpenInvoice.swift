import Events
import Money

/// An invoice with something left to pay, as the service knows it from the invoices topic.
public struct OpenInvoice: Sendable, Hashable {
    public var id: String
    /// The number printed on the invoice ("FA-2025-0042").
    public var number: String
    /// The ISO 11649 reference printed on the invoice, electronic form (`RF18539007547034`).
    public var paymentReference: String?
    public var customerId: String
    /// What is still to be paid, in the invoice's currency; only positive amounts are open.
    public var openAmount: Money
    public var issueDate: CalendarDate
    public var dueDate: CalendarDate

    public init(id: String, number: String, paymentReference: String? = nil, customerId: String, openAmount: Money,
                issueDate: CalendarDate, dueDate: CalendarDate) {
        self.id = id
        self.number = number
        self.paymentReference = paymentReference
        self.customerId = customerId
        self.openAmount = openAmount
        self.issueDate = issueDate
        self.dueDate = dueDate
    }

    /// The invoice's currency (that of its open amount).
    public var currency: Currency { openAmount.currency }

    /// The engine's stable order of invoices: oldest due date first, then number, then id.
    static func isOrderedBefore(_ lhs: OpenInvoice, _ rhs: OpenInvoice) -> Bool {
        if lhs.dueDate != rhs.dueDate { return lhs.dueDate < rhs.dueDate }
        if lhs.number != rhs.number { return lhs.number < rhs.number }
        return lhs.id < rhs.id
    }
}
