import Money

/// `relance.quote.created.v1`: a quote was drafted for a customer or a prospect. Published on
/// the invoices topic, keyed by the customer id like the customer's invoices.
public struct QuoteCreated: CustomerEvent, Hashable {
    public static let eventType = "relance.quote.created.v1"
    public static let topic = Topic.invoices
    public var customerId: String
    public var customerNumber: String
    public var quoteId: String
    public var number: String
    public var issueDate: CalendarDate
    public var validUntil: CalendarDate
    public var netAmount: Money
    public var vatAmount: Money
    public var totalAmount: Money
    /// The payment terms printed on the quote (`net:30`).
    public var paymentTerms: String
    public var latePaymentTerms: LatePaymentTerms
    /// E.g. `paymentTermsExceedLegalMaximum`; absent when none.
    public var warnings: [InvoiceWarning]?

    public init(customerId: String, customerNumber: String, quoteId: String, number: String, issueDate: CalendarDate, validUntil: CalendarDate,
                netAmount: Money, vatAmount: Money, totalAmount: Money, paymentTerms: String, latePaymentTerms: LatePaymentTerms,
                warnings: [InvoiceWarning]? = nil) {
        self.customerId = customerId
        self.customerNumber = customerNumber
        self.quoteId = quoteId
        self.number = number
        self.issueDate = issueDate
        self.validUntil = validUntil
        self.netAmount = netAmount
        self.vatAmount = vatAmount
        self.totalAmount = totalAmount
        self.paymentTerms = paymentTerms
        self.latePaymentTerms = latePaymentTerms
        self.warnings = warnings
    }

    public var subject: String? { quoteId }
}
