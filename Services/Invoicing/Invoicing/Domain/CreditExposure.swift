import Events
import Foundation
import Money

/// What a customer owes against its credit limit.
///
/// The limit is in the customer's currency (``CustomerDraft/validated()`` requires it) and
/// applies to that currency only: exposure = open balance of the customer's open invoices in
/// the limit's currency − the customer's unapplied credit in that currency (overpayments not
/// yet used; a negative credit is not credit and is ignored). Invoices in other currencies
/// are never converted and never count against the limit; the outstanding report shows their
/// exposure separately. The customer is over the limit when exposure > limit (a limit of
/// zero: anything owed exceeds it).
public struct CreditExposure: Hashable, Sendable {
    /// The credit limit, `nil` when the customer has none.
    public let limit: Money?
    /// Open balance − unapplied credit, in the limit's currency; may be negative.
    public let exposure: Money

    /// What a change of exposure means for the customer's flag.
    public enum Transition: Hashable, Sendable {
        /// Nothing to do: the flag already says the right thing.
        case unchanged
        /// Over the limit and not flagged yet: flag it and publish `customer.credit-limit-exceeded`.
        case exceeded
        /// Flagged but no longer over (back under the limit, or the limit removed): clear the
        /// flag and publish `customer.credit-limit-cleared`.
        case cleared(CustomerCreditLimitCleared.Reason)
    }

    /// Computes the exposure in the limit's currency.
    /// - Parameters:
    ///   - limit: The credit limit, if any.
    ///   - open: The open balance in the limit's (the customer's) currency.
    ///   - unappliedCredit: The customer's credit in that currency.
    /// - Throws: `InvoicingError` `.currencyMismatch` when the amounts are not all in one
    ///   currency, `.overflow` when the difference exceeds 64 bits.
    public init(limit: Money?, open: Money, unappliedCredit: Money) throws(InvoicingError) {
        guard unappliedCredit.currency == open.currency, limit.map({ $0.currency == open.currency }) ?? true else {
            throw InvoicingError(.currencyMismatch, "the credit limit, the open balance and the credit must be in one currency; other currencies are not converted",
                                 field: "creditLimit")
        }
        let (value, overflow) = open.minorUnits.subtractingReportingOverflow(max(unappliedCredit.minorUnits, 0))
        guard !overflow else { throw InvoicingError(.overflow, "the credit exposure exceeds the representable range") }
        self.limit = limit
        self.exposure = Money(minorUnits: value, currency: open.currency)
    }

    /// Whether exposure is above the limit; `false` without a limit.
    public var isOverLimit: Bool {
        guard let limit else { return false }
        return exposure.minorUnits > limit.minorUnits
    }

    /// Exposure as a share of the limit, in per mille, i.e. tenths of a percent (855 = 85.5 %),
    /// rounded half away from zero, 0 at least; `nil` without a positive limit.
    public var usagePerMille: Int? {
        guard let limit, limit.isPositive else { return nil }
        return InvoiceLine.roundedQuotient(Int128(max(exposure.minorUnits, 0)) * 1000, Int128(limit.minorUnits)).map { Int($0) }
    }

    /// What to do with the customer's flag, given whether it is set now.
    public func transition(wasExceeded: Bool) -> Transition {
        if isOverLimit {
            return wasExceeded ? .unchanged : .exceeded
        }
        guard wasExceeded else { return .unchanged }
        return .cleared(limit == nil ? .limitRemoved : .underLimit)
    }
}

extension CreditExposure {
    /// What a customer's exposure in one currency is made of, as the outstanding report shows
    /// it beside aging: open invoices + orders not invoiced yet (+ sent quotes still valid, when
    /// `exposure.quotes` is on) − unapplied credit. Currencies are never converted.
    ///
    /// Accepted quotes are counted through the order their acceptance created (same
    /// transaction), so they are never counted twice.
    public struct Breakdown: Codable, Sendable, Hashable {
        public var currency: Currency
        /// The open balance of open and partly paid invoices.
        public var openInvoices: Money
        /// What is not invoiced yet of open and partly invoiced orders, VAT included.
        public var uninvoicedOrders: Money
        /// Sent quotes still valid; present only when `exposure.quotes` is on.
        public var sentQuotes: Money?
        /// Open customer credit (overpayments, credit notes' excess, payments on account).
        public var unappliedCredit: Money
        /// The sum: what counts against the credit limit in the limit's currency.
        public var exposure: Money

        /// Adds the parts up.
        /// - Throws: `InvoicingError` `.overflow` beyond 64 bits, `.currencyMismatch` when a
        ///   part is in another currency.
        public init(openInvoices: Money, uninvoicedOrders: Money, sentQuotes: Money?, unappliedCredit: Money) throws(InvoicingError) {
            let currency = openInvoices.currency
            let parts = [uninvoicedOrders, unappliedCredit] + (sentQuotes.map { [$0] } ?? [])
            guard parts.allSatisfy({ $0.currency == currency }) else {
                throw InvoicingError(.currencyMismatch, "the parts of an exposure must be in one currency; currencies are not converted")
            }
            var total = openInvoices.minorUnits
            for addend in [uninvoicedOrders.minorUnits, sentQuotes?.minorUnits ?? 0, -max(unappliedCredit.minorUnits, 0)] {
                let (sum, overflow) = total.addingReportingOverflow(addend)
                guard !overflow else { throw InvoicingError(.overflow, "the credit exposure exceeds the representable range") }
                total = sum
            }
            self.currency = currency
            self.openInvoices = openInvoices
            self.uninvoicedOrders = uninvoicedOrders
            self.sentQuotes = sentQuotes
            self.unappliedCredit = unappliedCredit
            self.exposure = Money(minorUnits: total, currency: currency)
        }

        /// Whether adding `amount` to this exposure takes it above `limit` (same currency).
        public func wouldExceed(_ limit: Money, adding amount: Money) -> Bool {
            let (after, overflow) = exposure.minorUnits.addingReportingOverflow(amount.minorUnits)
            return overflow || after > limit.minorUnits
        }
    }
}
