import Money

/// Checks that a statement's balances reconcile: opening + credits - debits = closing. Works
/// entry by entry, so an importer can check while streaming.
public struct StatementBalanceCheck: Sendable {
    private var running: Money?
    private var checkable: Bool

    /// Starts at the statement's opening balance (nothing to check without one).
    public init(opening: Money?) {
        running = opening
        checkable = opening != nil
    }

    /// Adds an entry: credits add, debits subtract (a reversal's direction is already in
    /// `creditDebit`). An entry in another currency makes the statement uncheckable.
    public mutating func add(_ entry: StatementEntry) {
        guard checkable, let current = running else { return }
        do {
            running = try entry.creditDebit == .credit ? current.adding(entry.amount) : current.subtracting(entry.amount)
        } catch {
            checkable = false
        }
    }

    /// The difference closing - computed, or nil when they agree or cannot be compared.
    public func mismatch(closing: Money?) -> Money? {
        guard checkable, let closing, let running, let difference = try? closing.subtracting(running) else { return nil }
        return difference.isZero ? nil : difference
    }

    /// `statement` with ``BankStatement/balanceMismatch`` set from its entries and balances.
    public static func checked(_ statement: BankStatement) -> BankStatement {
        var check = StatementBalanceCheck(opening: statement.openingBalance)
        for entry in statement.entries { check.add(entry) }
        var result = statement
        result.balanceMismatch = check.mismatch(closing: statement.closingBalance)
        return result
    }
}
