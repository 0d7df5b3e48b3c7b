import Events
import Foundation
import Invoicing
import Testing

@Suite("Payment behaviour")
struct PaymentBehaviourTests {
    typealias F = DomainFixture

    @Test("average days late and share paid late over the last 12 months")
    func lastTwelveMonths() throws {
        let payments: [(dueDate: CalendarDate, paidOn: CalendarDate)] = [
            (try F.day("2025-03-01"), try F.day("2025-02-20")), // early: 0
            (try F.day("2025-04-01"), try F.day("2025-04-01")), // on time: 0
            (try F.day("2025-05-01"), try F.day("2025-05-11")), // 10 late
            (try F.day("2025-06-01"), try F.day("2025-07-01")), // 30 late
            (try F.day("2024-12-01"), try F.day("2025-01-01")), // 31 late, first day of the window
            (try F.day("2024-11-01"), try F.day("2024-12-31")), // exactly 12 months before: outside
            (try F.day("2025-12-01"), try F.day("2026-01-01")), // after as-of: outside
        ]
        let behaviour = PaymentBehaviour(asOf: try F.day("2025-12-31"), payments: payments)
        #expect(behaviour.paidCount == 5)
        #expect(behaviour.paidLateCount == 3)
        #expect(behaviour.totalDaysLate == 71)
        #expect(behaviour.averageDaysLate == 14.2)
        #expect(behaviour.shareLate == 0.6)
    }

    @Test("no payments gives zeros")
    func noPayments() throws {
        let behaviour = PaymentBehaviour(asOf: try F.day("2025-12-31"), payments: [])
        #expect(behaviour.paidCount == 0)
        #expect(behaviour.averageDaysLate == 0)
        #expect(behaviour.shareLate == 0)
    }
}
