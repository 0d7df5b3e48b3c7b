import Money

/// `relance.order.invoiced.v1`: what was invoiced of an order changed: an invoice of it was
/// issued (after its `invoice.issued`, same transaction) or cancelled. Carries the new status
/// (`open`, `partlyInvoiced`, `invoiced`) and the figures.
public struct OrderInvoiced: CustomerEvent, Hashable {
    public static let eventType = "relance.order.invoiced.v1"
    public static let topic = Topic.invoices
    public var customerId: String
    public var orderId: String
    public var number: String
    public var status: String
    public var invoiceId: String
    public var invoiceNumber: String
    /// `issued` or `cancelled`: what happened to the invoice.
    public var change: String
    public var invoicedNetAmount: Money
    public var invoicedAmount: Money
    public var uninvoicedAmount: Money

    public init(customerId: String, orderId: String, number: String, status: String, invoiceId: String, invoiceNumber: String,
                change: String, invoicedNetAmount: Money, invoicedAmount: Money, uninvoicedAmount: Money) {
        self.customerId = customerId
        self.orderId = orderId
        self.number = number
        self.status = status
        self.invoiceId = invoiceId
        self.invoiceNumber = invoiceNumber
        self.change = change
        self.invoicedNetAmount = invoicedNetAmount
        self.invoicedAmount = invoicedAmount
        self.uninvoicedAmount = uninvoicedAmount
    }

    public var subject: String? { orderId }
}
