import Money

/// `relance.payment.allocated.v1`: part (or all) of a received payment was applied to an
/// invoice. An amount above the invoice's open balance becomes customer credit.
public struct PaymentAllocated: CustomerEvent, Hashable {
    public static let eventType = "relance.payment.allocated.v1"
    public static let topic = Topic.payments
    public var customerId: String
    public var paymentId: String
    /// Unique per allocation; a reversal names it.
    public var allocationId: String
    public var invoiceId: String
    public var invoiceNumber: String?
    public var amount: Money
    /// The payment's value date.
    public var valueDate: CalendarDate
    /// What the payer short-paid on the invoice within the payee's tolerance (bank fees
    /// deducted on the way), to be written off on it after ``amount`` is applied; nil when
    /// nothing is. Positive, in the invoice's currency; invoicing writes off at most what is
    /// still open.
    public var writeOff: Money?

    public init(
        customerId: String, paymentId: String, allocationId: String, invoiceId: String, invoiceNumber: String?, amount: Money, valueDate: CalendarDate,
        writeOff: Money? = nil
    ) {
        self.customerId = customerId
        self.paymentId = paymentId
        self.allocationId = allocationId
        self.invoiceId = invoiceId
        self.invoiceNumber = invoiceNumber
        self.amount = amount
        self.valueDate = valueDate
        self.writeOff = writeOff
    }

    public var subject: String? { invoiceId }
}
