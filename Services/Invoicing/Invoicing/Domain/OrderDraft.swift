import Events
import Foundation
import Money

/// An order taken directly (not from a quote), as given by the API or a CSV import.
///
/// JSON: `number`, `customerNumber`, `orderDate`, `currency`, `lines` (at least one),
/// `customerReference`? (the customer's purchase order number).
public struct OrderDraft: Hashable, Sendable, Codable {
    public var number: String
    public var customerNumber: String
    public var orderDate: CalendarDate
    public var currency: Currency
    public var lines: [InvoiceLine]
    public var customerReference: String?

    public init(number: String, customerNumber: String, orderDate: CalendarDate, currency: Currency, lines: [InvoiceLine],
                customerReference: String? = nil) {
        self.number = number
        self.customerNumber = customerNumber
        self.orderDate = orderDate
        self.currency = currency
        self.lines = lines
        self.customerReference = customerReference
    }

    /// The draft checked, with its totals.
    /// - Throws: `InvoicingError` with the field, like ``QuoteDraft/validated()``.
    public func validated() throws(InvoicingError) -> (draft: OrderDraft, totals: InvoiceTotals) {
        var copy = self
        copy.number = try CustomerDraft.identifier(number, field: "number", maximumLength: InvoiceDraft.maximumNumberLength)
        copy.customerNumber = try CustomerDraft.identifier(customerNumber, field: "customerNumber", maximumLength: CustomerDraft.maximumNumberLength)
        if let customerReference {
            try InputLimits.check(customerReference, atMost: InvoiceDraft.maximumOrderReferenceLength, field: "customerReference",
                                  "the customer's reference")
        }
        copy.customerReference = CustomerDraft.blankToNil(customerReference)
        return (copy, try QuoteDraft.totals(of: lines, currency: currency))
    }

    private enum CodingKeys: String, CodingKey {
        case number, customerNumber, orderDate, currency, lines, customerReference
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            number: try container.decode(String.self, forKey: .number),
            customerNumber: try container.decode(String.self, forKey: .customerNumber),
            orderDate: try container.decode(CalendarDate.self, forKey: .orderDate),
            currency: try container.decode(Currency.self, forKey: .currency),
            lines: try container.decodeIfGiven([InvoiceLine].self, forKey: .lines) ?? [],
            customerReference: try container.decodeIfGiven(String.self, forKey: .customerReference))
    }
}
