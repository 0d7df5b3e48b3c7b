/// What happens when accepting a quote or creating an order would take a customer's
/// exposure in its limit's currency above its credit limit (``CustomerExposure``).
///
/// Default: `warn`: an order is never refused unless the credit manager chose so for that
/// customer, and every crossing is announced (`customer.exposure-exceeded`) with the figures.
public enum CreditPolicy: String, Hashable, Sendable, Codable, CaseIterable {
    /// Refuse the quote acceptance or the order (409 `creditLimitExceeded` with the figures);
    /// `customer.exposure-exceeded` is still published, with `outcome` `refused`.
    case block
    /// Accept it, and publish `customer.exposure-exceeded` with `outcome` `accepted`.
    case warn
    /// Accept it without any event (the credit-limit flag still follows invoices).
    case allow
}
