import Events
import Foundation
import Money

/// One invoice under dunning: what the ledger last said about it and where its schedule
/// stands. The store keeps one per invoice; the planner reads and updates it.
public struct DunningInvoice: Sendable, Hashable {
    public var invoiceId: String
    public var customerId: String
    public var number: String
    public var paymentReference: String?
    public var issueDate: CalendarDate
    /// The due date the scenario's offsets count from.
    public var dueDate: CalendarDate
    public var total: Money
    /// What is still owed, as invoicing last published it.
    public var balance: Money
    /// The part under dispute: never reminded until the dispute is resolved.
    public var disputed: Money
    public var status: InvoiceStatus
    /// Assigned to a factor who collects it (notified factoring): not ours to remind.
    public var factorCollects: Bool
    /// Imported items are not reminded before this day.
    public var dunningStartsOn: CalendarDate?
    /// Under a promise to pay until this day (inclusive).
    public var promiseUntil: CalendarDate?
    /// The open collection case holding it, if any.
    public var caseId: String?
    /// The scenario version its schedule runs on (pinned when dunning started).
    public var scenario: ScenarioReference
    /// How many of the scenario's steps are behind it (executed, skipped or handed to a task).
    public var stepsDone: Int
    /// No step before this day: set by a partial payment or a broken promise, which
    /// re-anchor the schedule.
    public var notBefore: CalendarDate?
    /// Payments received, dated: the periods of late interest.
    public var payments: [LatePaymentCharges.Payment]
    /// The invoice's contractual late-interest rate (basis points), replacing ECB + 10.
    public var contractualRateBasisPoints: Int?
    /// Who is owed, from the invoice.
    public var payee: PayeeSnapshot?
    /// Whether the freshness guard holds it now (so the hold is recorded once, not per tick).
    public var held: Bool

    public init(
        invoiceId: String, customerId: String, number: String, paymentReference: String? = nil, issueDate: CalendarDate,
        dueDate: CalendarDate, total: Money, balance: Money, disputed: Money? = nil, status: InvoiceStatus = .open,
        factorCollects: Bool = false, dunningStartsOn: CalendarDate? = nil, promiseUntil: CalendarDate? = nil, caseId: String? = nil,
        scenario: ScenarioReference, stepsDone: Int = 0, notBefore: CalendarDate? = nil, payments: [LatePaymentCharges.Payment] = [],
        contractualRateBasisPoints: Int? = nil, payee: PayeeSnapshot? = nil, held: Bool = false
    ) {
        self.invoiceId = invoiceId
        self.customerId = customerId
        self.number = number
        self.paymentReference = paymentReference
        self.issueDate = issueDate
        self.dueDate = dueDate
        self.total = total
        self.balance = balance
        self.disputed = disputed ?? .zero(total.currency)
        self.status = status
        self.factorCollects = factorCollects
        self.dunningStartsOn = dunningStartsOn
        self.promiseUntil = promiseUntil
        self.caseId = caseId
        self.scenario = scenario
        self.stepsDone = stepsDone
        self.notBefore = notBefore
        self.payments = payments
        self.contractualRateBasisPoints = contractualRateBasisPoints
        self.payee = payee
        self.held = held
    }

    public var currency: Currency { total.currency }

    /// What may be reminded: the balance less the disputed part, never below zero.
    public var remindableAmount: Money {
        let amount = balance.minorUnits - disputed.minorUnits
        return Money(minorUnits: max(0, amount), currency: currency)
    }
}
