import Events
import Foundation
import Money

/// A credit note: issued against an invoice, or standalone (it then only gives the customer
/// credit).
///
/// `appliedToInvoice + addedToCredit = amount`: what the invoice's open balance absorbed, and
/// the rest, which became a credit item (``creditItemId``) the customer can use on other
/// invoices. A note against a paid invoice, or beyond its open balance, is allowed for that.
public struct CreditNote: Codable, Sendable, Hashable {
    public var id: String
    public var number: String
    public var customerId: String
    /// The invoice it was issued against; `nil` for a standalone credit note.
    public var invoiceId: String?
    /// The total, VAT included.
    public var amount: Money
    /// Without VAT, when the split was given (`netAmount + vatAmount = amount`).
    public var netAmount: Money?
    /// The VAT, when the split was given.
    public var vatAmount: Money?
    public var reason: String
    public var issueDate: CalendarDate
    /// What reduced the invoice's open balance.
    public var appliedToInvoice: Money
    /// What became customer credit.
    public var addedToCredit: Money
    /// The credit item holding ``addedToCredit`` when it is above zero.
    public var creditItemId: String?
}

/// What the API takes to issue a credit note against an invoice; with `customerId`, a
/// standalone one (``StandaloneCreditNoteDraft``).
public struct CreditNoteDraft: Codable, Sendable, Hashable {
    public var number: String
    /// The total, VAT included.
    public var amount: Money
    /// Optional split: both or neither, in the note's currency, not negative, adding up to
    /// ``amount``.
    public var netAmount: Money?
    public var vatAmount: Money?
    public var reason: String
    /// Default: today.
    public var issueDate: CalendarDate?

    public init(number: String, amount: Money, netAmount: Money? = nil, vatAmount: Money? = nil, reason: String, issueDate: CalendarDate? = nil) {
        self.number = number
        self.amount = amount
        self.netAmount = netAmount
        self.vatAmount = vatAmount
        self.reason = reason
        self.issueDate = issueDate
    }

    /// Checks the number, the amount and the optional net/VAT split.
    /// - Returns: The draft with its number trimmed.
    /// - Throws: `InvoicingError` `.missingField` (blank number, half a split),
    ///   `.nonPositiveTotal`, `.currencyMismatch` (split in another currency), `.invalidField`
    ///   (negative net or VAT), `.totalsMismatch` (net + VAT ≠ amount).
    func validated() throws(InvoicingError) -> CreditNoteDraft {
        var copy = self
        copy.number = number.trimmingCharacters(in: .whitespaces)
        guard !copy.number.isEmpty else { throw InvoicingError(.missingField, "a credit note needs a number", field: "number") }
        guard amount.isPositive else {
            throw InvoicingError(.nonPositiveTotal, "a credit note amount must be above zero", field: "amount")
        }
        switch (netAmount, vatAmount) {
        case (nil, nil):
            break
        case (nil, .some):
            throw InvoicingError(.missingField, "give netAmount with vatAmount, or neither", field: "netAmount")
        case (.some, nil):
            throw InvoicingError(.missingField, "give vatAmount with netAmount, or neither", field: "vatAmount")
        case (let net?, let vat?):
            for (value, field) in [(net, "netAmount"), (vat, "vatAmount")] {
                guard value.currency == amount.currency else {
                    throw InvoicingError(.currencyMismatch, "\(field) is in \(value.currency.code), the amount in \(amount.currency.code)", field: "\(field).currency")
                }
                guard !value.isNegative else {
                    throw InvoicingError(.invalidField, "\(field) \(value) is negative", field: field)
                }
            }
            let (sum, overflow) = net.minorUnits.addingReportingOverflow(vat.minorUnits)
            guard !overflow, sum == amount.minorUnits else {
                throw InvoicingError(.totalsMismatch, "netAmount (\(net)) + vatAmount (\(vat)) is not the amount (\(amount))", field: "amount")
            }
        }
        return copy
    }
}

/// A standalone credit note: the draft plus the customer it is for. JSON: the
/// ``CreditNoteDraft`` fields and `customerId`.
public struct StandaloneCreditNoteDraft: Decodable, Sendable, Hashable {
    public var customerId: String
    public var note: CreditNoteDraft

    public init(customerId: String, note: CreditNoteDraft) {
        self.customerId = customerId
        self.note = note
    }

    private enum CodingKeys: String, CodingKey { case customerId }

    public init(from decoder: any Decoder) throws {
        customerId = try decoder.container(keyedBy: CodingKeys.self).decode(String.self, forKey: .customerId)
        note = try CreditNoteDraft(from: decoder)
    }
}
