import Events
import Foundation

/// How a customer has paid lately: over invoices paid in the 12 months up to an as-of date,
/// the average days late and the share paid late. Used to move a customer to a stricter
/// dunning scenario.
///
/// Days late = paid date − due date, with early and on-time payments counting 0. An invoice
/// is paid late when paid after its due date. The window is the paid dates after
/// `asOf − 12 months` up to and including `asOf`.
public struct PaymentBehaviour: Hashable, Sendable, Codable {
    /// The day the window ends on.
    public let asOf: CalendarDate
    /// Invoices paid in the window.
    public let paidCount: Int
    /// Of those, the ones paid after their due date.
    public let paidLateCount: Int
    /// The sum of days late (early payments count 0).
    public let totalDaysLate: Int

    /// Measures payments in the 12 months up to `asOf`.
    /// - Parameters:
    ///   - asOf: The last day of the window (included).
    ///   - payments: Each fully paid invoice's due date and the day it was paid; those
    ///     outside the window are ignored.
    public init(asOf: CalendarDate, payments: some Sequence<(dueDate: CalendarDate, paidOn: CalendarDate)>) {
        let windowStart = asOf.adding(months: -12) // excluded
        var count = 0
        var lateCount = 0
        var daysLate = 0
        for payment in payments where payment.paidOn > windowStart && payment.paidOn <= asOf {
            count += 1
            let late = payment.paidOn.days(from: payment.dueDate)
            if late > 0 {
                lateCount += 1
                daysLate += late
            }
        }
        self.asOf = asOf
        self.paidCount = count
        self.paidLateCount = lateCount
        self.totalDaysLate = daysLate
    }

    /// Average days late per paid invoice; 0 when none was paid.
    public var averageDaysLate: Double {
        paidCount == 0 ? 0 : Double(totalDaysLate) / Double(paidCount)
    }

    /// The share of paid invoices paid late, 0...1; 0 when none was paid.
    public var shareLate: Double {
        paidCount == 0 ? 0 : Double(paidLateCount) / Double(paidCount)
    }
}
