import Money

/// `relance.invoice.issued.v1`: everything matching and dunning need about a new invoice.
public struct InvoiceIssued: DomainEvent, Hashable {
    public static let eventType = "relance.invoice.issued.v1"
    public static let topic = Topic.invoices
    public var customerId: String
    public var customerNumber: String
    public var invoiceId: String
    public var number: String
    /// ISO 11649 creditor reference printed on the invoice, electronic form (`RF18...`).
    public var paymentReference: String
    public var issueDate: CalendarDate
    public var dueDate: CalendarDate
    /// Amount due, VAT included.
    public var totalAmount: Money
    /// Net amount, when the invoice has lines.
    public var netAmount: Money?
    /// VAT amount, when the invoice has lines.
    public var vatAmount: Money?
    public var orderReference: String?

    public init(
        customerId: String, customerNumber: String, invoiceId: String, number: String, paymentReference: String,
        issueDate: CalendarDate, dueDate: CalendarDate, totalAmount: Money, netAmount: Money?, vatAmount: Money?,
        orderReference: String?
    ) {
        self.customerId = customerId
        self.customerNumber = customerNumber
        self.invoiceId = invoiceId
        self.number = number
        self.paymentReference = paymentReference
        self.issueDate = issueDate
        self.dueDate = dueDate
        self.totalAmount = totalAmount
        self.netAmount = netAmount
        self.vatAmount = vatAmount
        self.orderReference = orderReference
    }

    public var subject: String? { invoiceId }
}
