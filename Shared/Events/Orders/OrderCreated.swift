import Money

/// `relance.order.created.v1`: an order was taken (directly, from a quote, or imported).
/// Published on the invoices topic, keyed by the customer id.
public struct OrderCreated: CustomerEvent, Hashable {
    public static let eventType = "relance.order.created.v1"
    public static let topic = Topic.invoices
    public var customerId: String
    public var customerNumber: String
    public var orderId: String
    public var number: String
    /// `direct`, `quote` or `imported` (an open set).
    public var origin: String
    public var quoteId: String?
    public var orderDate: CalendarDate
    public var netAmount: Money
    public var totalAmount: Money
    /// The customer's purchase order number.
    public var customerReference: String?

    public init(customerId: String, customerNumber: String, orderId: String, number: String, origin: String, quoteId: String?,
                orderDate: CalendarDate, netAmount: Money, totalAmount: Money, customerReference: String? = nil) {
        self.customerId = customerId
        self.customerNumber = customerNumber
        self.orderId = orderId
        self.number = number
        self.origin = origin
        self.quoteId = quoteId
        self.orderDate = orderDate
        self.netAmount = netAmount
        self.totalAmount = totalAmount
        self.customerReference = customerReference
    }

    public var subject: String? { orderId }
}
