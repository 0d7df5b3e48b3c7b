import Events
import Foundation
import Money

/// An order as the API shows it, with what was invoiced of it.
public struct Order: Codable, Sendable, Hashable {
    /// How the order came in.
    public enum Origin: String, Codable, Sendable, Hashable, CaseIterable {
        /// `POST /v1/orders`.
        case direct
        /// Accepting a quote.
        case quote
        /// A CSV import of open orders.
        case imported
    }

    public var id: String
    public var number: String
    public var customerId: String
    public var customerNumber: String
    public var status: OrderStatus
    public var origin: Origin
    public var quoteId: String?
    public var orderDate: CalendarDate
    public var currency: Currency
    public var lines: [InvoiceLine]
    public var netAmount: Money
    public var vatAmount: Money
    /// VAT included.
    public var totalAmount: Money
    /// The net amount of the invoices issued against it (not cancelled): what over-invoicing is
    /// measured on.
    public var invoicedNetAmount: Money
    /// Their gross amount.
    public var invoicedAmount: Money
    /// What is not invoiced yet, VAT included: `totalAmount − invoicedAmount`, 0 once the order
    /// is invoiced or cancelled. What the order adds to the customer's exposure.
    public var uninvoicedAmount: Money
    /// The customer's purchase order number.
    public var customerReference: String?
    /// Set when the order took the customer over its credit limit under the `warn` policy.
    public var creditWarning: ExposureCheck?
    public var createdAt: Date
    public var updatedAt: Date
}
