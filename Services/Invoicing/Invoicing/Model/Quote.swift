import Events
import Foundation
import Money

/// A quote as the API shows it.
public struct Quote: Codable, Sendable, Hashable {
    public var id: String
    public var number: String
    public var customerId: String
    public var customerNumber: String
    public var status: QuoteStatus
    public var issueDate: CalendarDate
    /// The last day it can be accepted.
    public var validUntil: CalendarDate
    public var currency: Currency
    public var lines: [InvoiceLine]
    public var netAmount: Money
    public var vatAmount: Money
    /// VAT included.
    public var totalAmount: Money
    /// The payment terms printed on it (`net:30`).
    public var paymentTerms: String
    /// The late-payment terms printed on it: the contractual rate, or the French legal default
    /// (ECB rate + 10 points) and the 40 EUR recovery indemnity.
    public var latePaymentTerms: LatePaymentTerms
    /// Terms beyond the French legal maximum (`paymentTermsExceedLegalMaximum`), when they are.
    public var warnings: [InvoiceWarning]?
    public var note: String?
    /// The order its acceptance created.
    public var orderId: String?
    public var sentAt: Date?
    /// When it was accepted, refused or found expired.
    public var closedAt: Date?
    public var createdAt: Date
    public var updatedAt: Date
}
