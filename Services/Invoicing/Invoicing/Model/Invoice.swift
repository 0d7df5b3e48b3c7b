import Events
import Foundation
import Money

/// An invoice as the API shows it, with its balance and status.
public struct Invoice: Codable, Sendable, Hashable {
    public var id: String
    public var number: String
    public var customerId: String
    public var customerNumber: String
    public var issueDate: CalendarDate
    public var dueDate: CalendarDate
    public var currency: Currency
    /// Amount due, VAT included.
    public var totalAmount: Money
    public var netAmount: Money?
    public var vatAmount: Money?
    public var lines: [InvoiceLine]
    public var orderReference: String?
    /// ISO 11649 reference for the payer, electronic form (`RF18...`).
    public var paymentReference: String
    /// The same, in groups of four for printing.
    public var paymentReferencePrinted: String
    /// What is still owed.
    public var balance: Money
    public var paidAmount: Money
    public var creditedAmount: Money
    public var writtenOffAmount: Money
    public var status: InvoiceStatus
    public var disputed: Bool
    public var disputeReason: String?
    public var factorName: String?
    public var creditInsurer: String?
    /// Value date of the payment that settled it.
    public var paidOn: CalendarDate?
    public var createdAt: Date

    /// Whether the invoice is open and past its due date on `day` (the customer's calendar day).
    public func isOverdue(on day: CalendarDate) -> Bool {
        status.isOpen && day > dueDate
    }
}

/// A credit note issued against an invoice.
public struct CreditNote: Codable, Sendable, Hashable {
    public var id: String
    public var number: String
    public var invoiceId: String
    public var amount: Money
    public var reason: String
    public var issueDate: CalendarDate
}

/// What the API takes to issue a credit note.
public struct CreditNoteDraft: Codable, Sendable, Hashable {
    public var number: String
    public var amount: Money
    public var reason: String
    /// Default: today.
    public var issueDate: CalendarDate?

    public init(number: String, amount: Money, reason: String, issueDate: CalendarDate? = nil) {
        self.number = number
        self.amount = amount
        self.reason = reason
        self.issueDate = issueDate
    }
}
