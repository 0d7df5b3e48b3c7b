/// `relance.order.cancelled.v1`: an order nothing was invoiced of was cancelled.
public struct OrderCancelled: CustomerEvent, Hashable {
    public static let eventType = "relance.order.cancelled.v1"
    public static let topic = Topic.invoices
    public var customerId: String
    public var orderId: String
    public var number: String
    public var reason: String?

    public init(customerId: String, orderId: String, number: String, reason: String? = nil) {
        self.customerId = customerId
        self.orderId = orderId
        self.number = number
        self.reason = reason
    }

    public var subject: String? { orderId }
}
