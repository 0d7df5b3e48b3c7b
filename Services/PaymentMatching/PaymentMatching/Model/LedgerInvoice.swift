import Events
import Money

/// An invoice as this service knows it from the invoices topic: what a person allocating a
/// payment by hand picks from.
public struct LedgerInvoice: Sendable, Hashable, Codable {
    public var id: String
    public var number: String
    public var paymentReference: String?
    public var customerId: String
    public var totalAmount: Money
    /// The balance invoicing last published.
    public var balance: Money
    /// What may still be allocated: the balance less this service's allocations invoicing has
    /// not reflected yet.
    public var allocatable: Money
    public var issueDate: CalendarDate
    public var dueDate: CalendarDate
    public var status: String

    public init(
        id: String, number: String, paymentReference: String?, customerId: String, totalAmount: Money, balance: Money,
        allocatable: Money, issueDate: CalendarDate, dueDate: CalendarDate, status: String
    ) {
        self.id = id
        self.number = number
        self.paymentReference = paymentReference
        self.customerId = customerId
        self.totalAmount = totalAmount
        self.balance = balance
        self.allocatable = allocatable
        self.issueDate = issueDate
        self.dueDate = dueDate
        self.status = status
    }
}
