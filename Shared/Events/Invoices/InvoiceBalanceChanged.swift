import Money

/// `relance.invoice.balance-changed.v1`: the open balance moved (allocation, reversal, credit note, write-off).
public struct InvoiceBalanceChanged: CustomerEvent, Hashable {
    public static let eventType = "relance.invoice.balance-changed.v1"
    public static let topic = Topic.invoices
    public var customerId: String
    public var invoiceId: String
    public var number: String
    /// The open balance before and after.
    public var previousBalance: Money
    public var balance: Money
    public var status: InvoiceStatus
    /// What moved it: `allocation`, `reversal`, `creditNote` or `writeOff`.
    public var cause: String
    /// The payment behind an allocation or reversal.
    public var paymentId: String?

    public init(customerId: String, invoiceId: String, number: String, previousBalance: Money, balance: Money, status: InvoiceStatus, cause: String, paymentId: String?) {
        self.customerId = customerId
        self.invoiceId = invoiceId
        self.number = number
        self.previousBalance = previousBalance
        self.balance = balance
        self.status = status
        self.cause = cause
        self.paymentId = paymentId
    }

    public var subject: String? { invoiceId }
}
