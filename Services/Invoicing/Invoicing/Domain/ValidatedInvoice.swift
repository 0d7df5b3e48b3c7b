import Events
import Foundation
import Money

/// An invoice that passed ``InvoiceDraft/validate(terms:)``: due date known and not before
/// the issue date, a positive total in the invoice currency, an RF creditor reference.
///
/// Build new ones with ``InvoiceDraft/validate(terms:)``; the memberwise initialiser and
/// `Codable` are for rebuilding stored invoices.
public struct ValidatedInvoice: Hashable, Sendable, Codable {
    /// The invoice number, trimmed.
    public let number: String
    /// The customer's number (or id) as the caller gave it, trimmed.
    public let customerNumber: String
    /// The day the invoice was issued.
    public let issueDate: CalendarDate
    /// The day payment is due (given, or computed from the payment terms).
    public let dueDate: CalendarDate
    /// The invoice currency.
    public let currency: Currency
    /// The lines; empty when only a total was given.
    public let lines: [InvoiceLine]
    /// Net, VAT and breakdown, when the invoice has lines.
    public let totals: InvoiceTotals?
    /// What the customer owes, VAT included: the opening balance of the invoice.
    public let total: Money
    /// The customer's purchase order number.
    public let orderReference: String?
    /// The ISO 11649 reference to print on the invoice and match payments with.
    public let creditorReference: CreditorReference
    /// The customer's payment terms the invoice was issued under (also when its due date was
    /// given).
    public var paymentTerms: PaymentTerms?
    /// The instalment plan from instalment terms (empty otherwise, and when a due date was
    /// given); the last instalment is due on ``dueDate``.
    public var instalments: [Instalment] = []
    /// Where the invoice document (PDF) can be fetched, when given.
    public var documentURL: String?
    /// The order the invoice invoices (part of), when given.
    public var orderId: String?

    /// Rebuilds a stored invoice. New invoices come from ``InvoiceDraft/validate(terms:)``.
    public init(number: String, customerNumber: String, issueDate: CalendarDate, dueDate: CalendarDate,
                currency: Currency, lines: [InvoiceLine], totals: InvoiceTotals?, total: Money,
                orderReference: String?, creditorReference: CreditorReference) {
        self.number = number
        self.customerNumber = customerNumber
        self.issueDate = issueDate
        self.dueDate = dueDate
        self.currency = currency
        self.lines = lines
        self.totals = totals
        self.total = total
        self.orderReference = orderReference
        self.creditorReference = creditorReference
    }

    /// The same invoice with another RF creditor reference.
    public func with(creditorReference reference: CreditorReference) -> ValidatedInvoice {
        var copy = ValidatedInvoice(
            number: number, customerNumber: customerNumber, issueDate: issueDate, dueDate: dueDate, currency: currency,
            lines: lines, totals: totals, total: total, orderReference: orderReference, creditorReference: reference)
        copy.paymentTerms = paymentTerms
        copy.instalments = instalments
        copy.documentURL = documentURL
        copy.orderId = orderId
        return copy
    }
}
