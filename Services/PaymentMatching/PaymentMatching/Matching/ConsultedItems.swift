import Money

/// What one decision of the engine read of the part of an ``OpenItemIndex`` that changes as
/// allocations are recorded (the open amounts). Invoices paid in full are left out: they stay
/// paid, so what the decision saw of them cannot change.
///
/// A decision made against one state of the index is the decision against a later state when
/// no invoice changed in between is among ``invoices``, and none of a customer of
/// ``customers`` was left with an open amount in that customer's currency and limit (see
/// ``isAffected(by:)``): the engine is deterministic and reads nothing else that changes.
struct ConsultedItems: Sendable {
    /// A customer whose open invoices the payer-and-amount rule went through: of those it did
    /// not use (they are in ``invoices``), only one left with an open amount of at most
    /// `amountLimit` (the payment plus the tolerance), in `currency`, could have been used.
    struct Customer: Sendable, Hashable {
        let id: String
        let currency: Currency
        let amountLimit: Int64
    }

    /// Positions in the index, possibly repeated.
    var invoices: [Int] = []
    var customers: [Customer] = []

    /// Whether one of `changes` may change the decision.
    func isAffected(by changes: Changes) -> Bool {
        if !changes.invoices.isEmpty && invoices.contains(where: changes.invoices.contains) { return true }
        return customers.contains { customer in
            changes.byCustomer[customer.id]?.contains {
                $0.currency == customer.currency && $0.openAmount > 0 && $0.openAmount <= customer.amountLimit
            } ?? false
        }
    }

    /// The invoices changed since some state of the index, filed for ``isAffected(by:)``.
    struct Changes: Sendable {
        fileprivate(set) var invoices = Set<Int>()
        /// Customer id → what each change left open (several for an invoice changed twice).
        fileprivate(set) var byCustomer: [String: [(currency: Currency, openAmount: Int64)]] = [:]

        /// Notes that the invoice at `position` changed and now has `open` open.
        mutating func record(position: Int, customer: String, open: Money) {
            invoices.insert(position)
            byCustomer[customer, default: []].append((open.currency, open.minorUnits))
        }
    }
}
