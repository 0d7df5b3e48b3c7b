import Money

/// An overdue (or soon due) invoice as a reminder or a collection case states it: what it
/// was, what is still owed, and the late-payment charges claimed on it. All amounts are in
/// the invoice's currency.
public struct ClaimedInvoice: Codable, Sendable, Hashable {
    public var invoiceId: String
    /// The number the customer knows it by, e.g. `FA-2025-0042`.
    public var invoiceNumber: String
    public var issueDate: CalendarDate
    /// The due date the reminder refers to (the instalment's, for a payment plan).
    public var dueDate: CalendarDate
    /// The invoice's total, taxes included.
    public var total: Money
    /// What is still owed on it (more than zero).
    public var balance: Money
    /// Days since the due date on the day the step was executed, in the customer's time
    /// zone; negative before the due date (a courtesy reminder).
    public var daysOverdue: Int
    /// The structured creditor reference (RF) to quote on payment, when the invoice has one.
    public var paymentReference: String?
    /// Late-payment interest claimed on this invoice (zero when none is claimed).
    public var lateInterest: Money
    /// Fixed recovery indemnity claimed on this invoice (40 EUR in France; zero when none).
    public var recoveryIndemnity: Money

    public init(
        invoiceId: String, invoiceNumber: String, issueDate: CalendarDate, dueDate: CalendarDate, total: Money, balance: Money,
        daysOverdue: Int, paymentReference: String? = nil, lateInterest: Money, recoveryIndemnity: Money
    ) {
        self.invoiceId = invoiceId
        self.invoiceNumber = invoiceNumber
        self.issueDate = issueDate
        self.dueDate = dueDate
        self.total = total
        self.balance = balance
        self.daysOverdue = daysOverdue
        self.paymentReference = paymentReference
        self.lateInterest = lateInterest
        self.recoveryIndemnity = recoveryIndemnity
    }
}
