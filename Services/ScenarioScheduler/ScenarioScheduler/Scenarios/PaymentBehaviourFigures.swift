/// How a customer pays, as behaviour-based tightening reads it: the figures of invoicing's
/// `PaymentBehaviour` (12 months of paid invoices plus the overdue ones) and the broken
/// promises to pay the scheduler counted. Integers, so thresholds compare exactly.
public struct PaymentBehaviourFigures: Sendable, Hashable, Codable {
    /// Amount-weighted average days late, in tenths of a day (`PaymentBehaviour.averageDaysLateTenths`).
    public var averageDaysLateTenths: Int
    /// Invoices measured: paid in the window plus overdue (`paidCount + overdueCount`).
    public var invoices: Int
    /// Of those, paid late or still overdue (`paidLateCount + overdueCount`).
    public var lateInvoices: Int
    /// Promises to pay broken over the same 12 months.
    public var brokenPromises: Int

    /// Creates figures.
    public init(averageDaysLateTenths: Int, invoices: Int, lateInvoices: Int, brokenPromises: Int) {
        self.averageDaysLateTenths = averageDaysLateTenths
        self.invoices = invoices
        self.lateInvoices = lateInvoices
        self.brokenPromises = brokenPromises
    }

    /// Whether the share of late invoices is at least `basisPoints` / 10,000, compared exactly
    /// (late × 10,000 ≥ basis points × invoices); false without invoices.
    func shareLate(atLeast basisPoints: Int) -> Bool {
        invoices > 0 && lateInvoices * 10_000 >= basisPoints * invoices
    }

    /// The share of late invoices as "45.5%", rounded down to a tenth of a percent.
    var shareLateText: String {
        let permille = invoices > 0 ? lateInvoices * 1_000 / invoices : 0
        return "\(permille / 10).\(permille % 10)%"
    }
}
