import Events
import Foundation
import Invoicing
import Money
import Testing

@Suite("Aging report")
struct AgingReportTests {
    typealias F = DomainFixture

    @Test("bucket boundaries", arguments: [
        (-5, "notDue"), (0, "notDue"), (1, "1-30"), (30, "1-30"), (31, "31-60"), (60, "31-60"),
        (61, "61-90"), (90, "61-90"), (91, "over90"), (400, "over90"),
    ])
    func boundaries(daysOverdue: Int, bucket: String) throws {
        let asOf = try F.day("2025-03-31")
        let report = try AgingReport(asOf: asOf, items: [(dueDate: asOf.adding(days: -daysOverdue), openAmount: F.eur(100))])
        let row = try #require(report[.eur])
        let amounts = ["notDue": row.notDue, "1-30": row.days1to30, "31-60": row.days31to60, "61-90": row.days61to90, "over90": row.over90]
        for (name, amount) in amounts {
            #expect(amount == F.eur(name == bucket ? 100 : 0), "\(name) for \(daysOverdue) days")
        }
        #expect(row.totalOpen == F.eur(100))
        #expect(row.overdue == F.eur(daysOverdue > 0 ? 100 : 0))
    }

    @Test("sums per currency, ignores zero, counts credits")
    func perCurrency() throws {
        let asOf = try F.day("2025-03-31")
        let items: [(dueDate: CalendarDate, openAmount: Money)] = [
            (try F.day("2025-04-30"), F.eur(1_000)),
            (try F.day("2025-03-30"), F.eur(2_000)),
            (try F.day("2025-03-01"), F.eur(4_000)),  // 30 days
            (try F.day("2025-01-30"), F.eur(8_000)),  // 60 days
            (try F.day("2024-12-31"), F.eur(16_000)), // 90 days
            (try F.day("2024-12-30"), F.eur(32_000)), // 91 days
            (try F.day("2025-03-01"), F.eur(-500)),   // a credit
            (try F.day("2025-03-01"), F.eur(0)),
            (try F.day("2025-02-01"), Money(minorUnits: 700, currency: .usd)), // 58 days
        ]
        let report = try AgingReport(asOf: asOf, items: items)
        #expect(report.rows.map(\.currency) == [.eur, .usd])
        let eur = try #require(report[.eur])
        #expect(eur.notDue == F.eur(1_000))
        #expect(eur.days1to30 == F.eur(5_500))
        #expect(eur.days31to60 == F.eur(8_000))
        #expect(eur.days61to90 == F.eur(16_000))
        #expect(eur.over90 == F.eur(32_000))
        #expect(eur.totalOpen == F.eur(62_500))
        #expect(eur.overdue == F.eur(61_500))
        #expect(eur.itemCount == 7)
        let usd = try #require(report.byCurrency[.usd])
        #expect(usd.days31to60 == Money(minorUnits: 700, currency: .usd))
        #expect(usd.overdue == usd.totalOpen)
    }

    @Test("nothing open gives no rows; overflow is an error")
    func emptyAndOverflow() throws {
        let asOf = try F.day("2025-03-31")
        #expect(try AgingReport(asOf: asOf, items: []).rows.isEmpty)
        let error = #expect(throws: InvoicingError.self) {
            try AgingReport(asOf: asOf, items: [(dueDate: asOf, openAmount: F.eur(.max)), (dueDate: asOf, openAmount: F.eur(1))])
        }
        #expect(error?.code == .overflow)
    }
}
