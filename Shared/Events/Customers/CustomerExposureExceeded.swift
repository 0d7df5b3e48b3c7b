import Money

/// `relance.customer.exposure-exceeded.v1`: accepting a quote or creating an order would take
/// the customer's exposure in its limit's currency (open invoices + orders not invoiced −
/// unapplied credit) above its credit limit. Published under the `block` policy (`outcome`
/// `refused`: nothing was created) and the `warn` policy (`outcome` `accepted`); never under `allow`.
public struct CustomerExposureExceeded: CustomerEvent, Hashable {
    public static let eventType = "relance.customer.exposure-exceeded.v1"
    public static let topic = Topic.customers
    public var customerId: String
    public var customerNumber: String
    public var creditLimit: Money
    /// Exposure before the document, in the limit's currency.
    public var exposureBefore: Money
    /// What the document adds, VAT included.
    public var amount: Money
    /// `exposureBefore + amount`, above `creditLimit`.
    public var exposureAfter: Money
    /// `block` or `warn`.
    public var policy: String
    /// `refused` (block) or `accepted` (warn).
    public var outcome: String
    /// `quote` (its acceptance) or `order` (created directly or imported).
    public var documentType: String
    public var documentNumber: String
    /// The quote's id; the order's when it was created (absent when a direct order was refused).
    public var documentId: String?

    public init(customerId: String, customerNumber: String, creditLimit: Money, exposureBefore: Money, amount: Money, exposureAfter: Money,
                policy: String, outcome: String, documentType: String, documentNumber: String, documentId: String?) {
        self.customerId = customerId
        self.customerNumber = customerNumber
        self.creditLimit = creditLimit
        self.exposureBefore = exposureBefore
        self.amount = amount
        self.exposureAfter = exposureAfter
        self.policy = policy
        self.outcome = outcome
        self.documentType = documentType
        self.documentNumber = documentNumber
        self.documentId = documentId
    }

    public var subject: String? { documentId ?? customerId }
}
