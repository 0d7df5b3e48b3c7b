import Events
import Foundation
import Invoicing
import Money
import Testing

@Suite("Payment behaviour")
struct PaymentBehaviourTests {
    typealias F = DomainFixture

    static func paid(_ issued: String, _ due: String, _ paidOn: String, _ cents: Int64, _ currency: Currency = .eur) throws -> PaymentBehaviour.Paid {
        PaymentBehaviour.Paid(issueDate: try F.day(issued), dueDate: try F.day(due), paidOn: try F.day(paidOn),
                              amount: Money(minorUnits: cents, currency: currency))
    }

    static func open(_ due: String, _ cents: Int64, _ currency: Currency = .eur) throws -> PaymentBehaviour.Open {
        PaymentBehaviour.Open(dueDate: try F.day(due), openAmount: Money(minorUnits: cents, currency: currency))
    }

    @Test("paid invoices of the last 12 months, weighted by amount; early and on time count 0 days late")
    func lastTwelveMonths() throws {
        let paid = [
            try Self.paid("2025-02-01", "2025-03-01", "2025-02-20", 100), // early: 0 late, 19 to pay
            try Self.paid("2025-03-02", "2025-04-01", "2025-04-01", 100), // on time: 0 late, 30 to pay
            try Self.paid("2025-04-01", "2025-05-01", "2025-05-11", 200), // 10 late, 40 to pay
            try Self.paid("2025-05-02", "2025-06-01", "2025-07-01", 100), // 30 late, 60 to pay
            try Self.paid("2024-11-01", "2024-12-01", "2025-01-01", 500), // 31 late, first day of the window, 61 to pay
            try Self.paid("2024-10-01", "2024-11-01", "2024-12-31", 999), // exactly 12 months before: outside
            try Self.paid("2025-11-01", "2025-12-01", "2026-01-01", 999), // after as-of: outside
        ]
        let behaviour = try PaymentBehaviour(asOf: try F.day("2025-12-31"), paid: paid, open: [])
        #expect(behaviour.paidCount == 5)
        #expect(behaviour.paidLateCount == 3)
        #expect(behaviour.overdueCount == 0)
        // (200 × 10 + 100 × 30 + 500 × 31) / 1000 = 20.5
        #expect(behaviour.averageDaysLateTenths == 205)
        #expect(behaviour.averageDaysLate == 20.5)
        // (100 × 19 + 100 × 30 + 200 × 40 + 100 × 60 + 500 × 61) / 1000 = 49.4
        #expect(behaviour.averageDaysToPayTenths == 494)
        #expect(behaviour.averageDaysDelinquentTenths == 0)
        #expect(behaviour.shareLate == 0.6)
        #expect(behaviour.byCurrency.first?.paidAmount == F.eur(1000))
    }

    @Test("a customer who never pays: open overdue items count their days delinquent up to the report day")
    func neverPays() throws {
        let open = [
            try Self.open("2025-11-30", 300), // 31 days
            try Self.open("2025-12-21", 100), // 10 days
            try Self.open("2025-12-31", 999), // due on the report day: not overdue
            try Self.open("2026-01-15", 999), // not due
            try Self.open("2025-01-01", -50), // a credit: ignored
        ]
        let behaviour = try PaymentBehaviour(asOf: try F.day("2025-12-31"), paid: [], open: open)
        #expect(behaviour.paidCount == 0)
        #expect(behaviour.overdueCount == 2)
        // (300 × 31 + 100 × 10) / 400 = 25.75 → 25.8
        #expect(behaviour.averageDaysLateTenths == 258)
        #expect(behaviour.averageDaysDelinquentTenths == 258)
        #expect(behaviour.averageDaysToPay == nil)
        #expect(behaviour.shareLate == 1)
        #expect(behaviour.byCurrency.first?.overdueAmount == F.eur(400))
    }

    @Test("an overdue item weighs its open amount against the paid ones")
    func paidAndOverdueTogether() throws {
        let behaviour = try PaymentBehaviour(
            asOf: try F.day("2026-03-17"),
            paid: [try Self.paid("2026-01-01", "2026-01-31", "2026-02-10", 100_00)],
            open: [try Self.open("2026-02-15", 300_00)])
        #expect(behaviour.averageDaysLate == 25) // (100 × 10 + 300 × 30) / 400
        #expect(behaviour.averageDaysDelinquent == 30)
        #expect(behaviour.averageDaysToPay == 40)
        #expect(behaviour.shareLate == 1)
    }

    @Test("grouped items count as many invoices as they stand for")
    func groupedItems() throws {
        let grouped = PaymentBehaviour.Open(dueDate: try F.day("2025-12-21"), openAmount: F.eur(300), count: 3)
        let behaviour = try PaymentBehaviour(asOf: try F.day("2025-12-31"), paid: [], open: [grouped])
        #expect(behaviour.overdueCount == 3)
        #expect(behaviour.averageDaysDelinquent == 10)
    }

    @Test("currencies are weighed separately, never converted, and combined by item count")
    func currencies() throws {
        let behaviour = try PaymentBehaviour(
            asOf: try F.day("2025-12-31"), paid: [],
            open: [
                try Self.open("2025-12-21", 100), // EUR: 10 days
                try Self.open("2025-12-01", 1_000_000, .jpy), // JPY: 30 days
                try Self.open("2025-12-11", 1_000_000, .jpy), // JPY: 20 days
            ])
        #expect(behaviour.byCurrency.map(\.currency) == [.eur, .jpy])
        #expect(behaviour.byCurrency.map(\.averageDaysDelinquentTenths) == [100, 250])
        // Headline: (1 × 10 + 2 × 25) / 3 = 20, not the yen amounts swamping the euro one.
        #expect(behaviour.averageDaysDelinquentTenths == 200)
    }

    @Test("no items gives zeros and no days to pay")
    func nothing() throws {
        let behaviour = try PaymentBehaviour(asOf: try F.day("2025-12-31"), paid: [], open: [])
        #expect(behaviour.paidCount == 0)
        #expect(behaviour.averageDaysLate == 0)
        #expect(behaviour.averageDaysDelinquent == 0)
        #expect(behaviour.averageDaysToPay == nil)
        #expect(behaviour.shareLate == 0)
        #expect(behaviour.byCurrency.isEmpty)
    }
}
