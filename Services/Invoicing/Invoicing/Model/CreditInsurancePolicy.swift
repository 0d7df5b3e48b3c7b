import Events
import Money

/// A customer's credit insurance policy.
public struct CreditInsurancePolicy: Codable, Hashable, Sendable {
    /// The insurer (`Allianz Trade`, `Coface`).
    public var insurer: String
    /// The policy or contract reference at the insurer.
    public var policyReference: String
    /// The cover (the credit limit the insurer grants on this customer).
    public var coverAmount: Money
    /// The policy's deadline for declaring an overdue debt, in days after the due date: an
    /// invoice must be declared by its due date plus this many days.
    public var declarationDeadlineDays: Int
    /// First day of cover; absent: from any date.
    public var startsOn: CalendarDate?
    /// Last day of cover; absent: open-ended.
    public var endsOn: CalendarDate?

    public init(
        insurer: String, policyReference: String, coverAmount: Money, declarationDeadlineDays: Int,
        startsOn: CalendarDate? = nil, endsOn: CalendarDate? = nil
    ) {
        self.insurer = insurer
        self.policyReference = policyReference
        self.coverAmount = coverAmount
        self.declarationDeadlineDays = declarationDeadlineDays
        self.startsOn = startsOn
        self.endsOn = endsOn
    }

    /// Whether the policy covers an invoice due on `dueDate` (the date is within the start
    /// and end dates, when given).
    public func covers(dueDate: CalendarDate) -> Bool {
        (startsOn.map { $0 <= dueDate } ?? true) && (endsOn.map { dueDate <= $0 } ?? true)
    }

    /// The last day to declare an invoice due on `dueDate` as overdue to the insurer, or
    /// `nil` when the policy does not cover that due date.
    public func declarationDeadline(dueDate: CalendarDate) -> CalendarDate? {
        covers(dueDate: dueDate) ? dueDate.adding(days: declarationDeadlineDays) : nil
    }
}

extension CustomerCreditInsuranceChanged {
    /// The event announcing `policy` (`nil`: the policy ended) for a customer.
    init(customerId: String, customerNumber: String, policy: CreditInsurancePolicy?) {
        self.init(
            customerId: customerId, customerNumber: customerNumber, insurer: policy?.insurer, policyReference: policy?.policyReference,
            coverAmount: policy?.coverAmount, declarationDeadlineDays: policy?.declarationDeadlineDays,
            startsOn: policy?.startsOn, endsOn: policy?.endsOn)
    }
}
