import Money

/// One instalment of an invoice's payment plan: what is due on which day.
public struct Instalment: Codable, Sendable, Hashable {
    public var dueDate: CalendarDate
    public var amount: Money

    public init(dueDate: CalendarDate, amount: Money) {
        self.dueDate = dueDate
        self.amount = amount
    }
}
