import Money

/// `relance.payment.reversed.v1`: money received is taken back (returned payment, wrong match):
/// either one allocation of a payment to an invoice (``allocationId`` and ``invoiceId``), or
/// what of the payment was received on account (neither: `payment.received-on-account`).
public struct PaymentReversed: CustomerEvent, Hashable {
    public static let eventType = "relance.payment.reversed.v1"
    public static let topic = Topic.payments
    public var customerId: String
    public var paymentId: String
    /// The allocation being undone, as in `payment.allocated`; `nil` when the part of the
    /// payment received on account is reversed.
    public var allocationId: String?
    /// The allocation's invoice; present exactly when ``allocationId`` is.
    public var invoiceId: String?
    /// What is reversed: the allocation's whole amount, or the whole amount received on
    /// account. A reversal undoes all of what it names, never part of it.
    public var amount: Money
    public var reason: String

    public init(customerId: String, paymentId: String, allocationId: String?, invoiceId: String?, amount: Money, reason: String) {
        self.customerId = customerId
        self.paymentId = paymentId
        self.allocationId = allocationId
        self.invoiceId = invoiceId
        self.amount = amount
        self.reason = reason
    }

    /// The invoice for an allocation, the payment for money received on account.
    public var subject: String? { invoiceId ?? paymentId }
}
