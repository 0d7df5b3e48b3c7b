import Events
import Foundation
import Money

/// One piece of a customer's credit: an overpayment's excess, a payment on account, or what a
/// credit note gave beyond its invoice's open balance.
///
/// `amount = openAmount + appliedAmount + withdrawnAmount`: what is still usable, what was
/// applied to invoices (net of applications a payment reversal re-opened), and what a payment
/// reversal took back. `openAmount` is never negative.
public struct CreditItem: Codable, Sendable, Hashable {
    public var id: String
    public var customerId: String
    public var source: CreditItemSource
    /// The payment (`overpayment`, `paymentOnAccount`) or credit note (`creditNote`) behind
    /// it; `nil` for credit migrated from the former per-currency total that no allocation
    /// explained.
    public var reference: String?
    /// On-account credit imported from the ERP (`POST /v1/imports/customer-credit`): the
    /// ERP's reference, unique per customer; `nil` otherwise.
    public var externalReference: String?
    public var amount: Money
    public var openAmount: Money
    public var appliedAmount: Money
    public var withdrawnAmount: Money
    /// The day the credit appeared (the payment's value date, the credit note's date).
    public var createdOn: CalendarDate
    public var createdAt: Date
}

/// Where a credit item came from.
public enum CreditItemSource: String, Codable, Sendable, Hashable, CaseIterable {
    /// The part of a payment above its invoice's open balance.
    case overpayment
    /// A payment received without an invoice (`payment.received-on-account`), or on-account
    /// credit imported from the ERP.
    case paymentOnAccount
    /// A credit note beyond its invoice's open balance, or a standalone one.
    case creditNote

    /// Whether the credit is money received: applied to an invoice it counts as paid, not as
    /// credited.
    var isPayment: Bool { self != .creditNote }
}

/// Credit applied to an invoice: what `POST /v1/invoices/{id}/apply-credit` answers.
public struct CreditApplicationResult: Codable, Sendable, Hashable {
    /// The invoice afterwards.
    public var invoice: Invoice
    /// The total applied.
    public var applied: Money
    /// One entry per credit item used, oldest first.
    public var applications: [CreditApplication]
}

/// One credit item's contribution to an invoice.
public struct CreditApplication: Codable, Sendable, Hashable {
    public var id: String
    public var creditItemId: String
    public var invoiceId: String
    public var amount: Money
    public var appliedOn: CalendarDate
}
