import Money

/// `relance.payment.reversed.v1`: an allocation was undone (returned payment, wrong match).
public struct PaymentReversed: DomainEvent, Hashable {
    public static let eventType = "relance.payment.reversed.v1"
    public static let topic = Topic.payments
    public var customerId: String
    public var paymentId: String
    /// The allocation being undone.
    public var allocationId: String
    public var invoiceId: String
    public var reason: String

    public init(customerId: String, paymentId: String, allocationId: String, invoiceId: String, reason: String) {
        self.customerId = customerId
        self.paymentId = paymentId
        self.allocationId = allocationId
        self.invoiceId = invoiceId
        self.reason = reason
    }

    public var subject: String? { invoiceId }
}
