import Events
import Foundation
import Invoicing
import Money

/// Small builders shared by the domain tests.
enum DomainFixture {
    /// A calendar date from `YYYY-MM-DD`.
    static func day(_ text: String) throws -> CalendarDate {
        try CalendarDate(iso8601: text)
    }

    /// An amount in euro cents.
    static func eur(_ cents: Int64) -> Money {
        Money(minorUnits: cents, currency: .eur)
    }

    /// An invoice line; `quantity` and `price` as people write them.
    static func line(_ quantity: String, _ price: String, _ currency: Currency = .eur, vat: Int = 2000) throws -> InvoiceLine {
        try InvoiceLine(description: "item", quantity: Quantity(parsing: quantity),
                        unitPrice: Money(parsing: price, currency: currency), vatRateBasisPoints: vat)
    }
}
