import Events
import Foundation
import Invoicing
import Money
import Testing

@Suite("Days sales outstanding (countback)")
struct DaysSalesOutstandingTests {
    typealias F = DomainFixture

    static func sales(_ entries: [(String, Int64)]) throws -> [(issueDate: CalendarDate, amount: Money)] {
        try entries.map { (issueDate: try F.day($0.0), amount: F.eur($0.1)) }
    }

    @Test("worked example: a month and a half of sales")
    func workedExample() throws {
        // 150 000 open; March sales 100 000 cover 31 days; 50 000 of February's 80 000 is 17.5 of 28 days.
        let sales = try Self.sales([
            ("2025-03-03", 60_000_00), ("2025-03-28", 40_000_00), ("2025-02-10", 80_000_00), ("2025-01-15", 90_000_00),
        ])
        let dso = try DaysSalesOutstanding(receivables: F.eur(150_000_00), asOf: try F.day("2025-03-31"), sales: sales)
        #expect(dso.tenthsOfDays == 485)
        #expect(dso.days == 48.5)
        #expect(dso.monthsCounted == 2)
        #expect(dso.unattributed == F.eur(0))
    }

    @Test("mid-month as-of counts the current month's days so far")
    func midMonth() throws {
        // 1-15 March: 50 000 over 15 days; then 70 000 of February's 80 000 = 24.5 days.
        let sales = try Self.sales([("2025-03-10", 50_000_00), ("2025-03-20", 999_000_00), ("2025-02-01", 80_000_00)])
        let dso = try DaysSalesOutstanding(receivables: F.eur(120_000_00), asOf: try F.day("2025-03-15"), sales: sales)
        #expect(dso.tenthsOfDays == 395)
    }

    @Test("rounds to a tenth of a day, half away from zero")
    func rounding() throws {
        // 1/3 of 31 January days = 10.333... -> 10.3; 1/8 of 28 February days = 3.5.
        let thirds = try DaysSalesOutstanding(receivables: F.eur(100), asOf: try F.day("2025-01-31"), sales: try Self.sales([("2025-01-05", 300)]))
        #expect(thirds.tenthsOfDays == 103)
        let eighths = try DaysSalesOutstanding(receivables: F.eur(1), asOf: try F.day("2025-02-28"), sales: try Self.sales([("2025-02-05", 8)]))
        #expect(eighths.tenthsOfDays == 35)
    }

    @Test("months without sales count fully; what no sale explains is reported")
    func beyondSales() throws {
        let sales = try Self.sales([("2025-01-20", 10_000)])
        let dso = try DaysSalesOutstanding(receivables: F.eur(25_000), asOf: try F.day("2025-03-31"), sales: sales)
        #expect(dso.tenthsOfDays == (31 + 28 + 31) * 10)
        #expect(dso.monthsCounted == 3)
        #expect(dso.unattributed == F.eur(15_000))
    }

    @Test("nothing open is zero days; later sales and other currencies")
    func edges() throws {
        let sales = try Self.sales([("2025-03-01", 10_000), ("2025-04-01", 10_000)])
        #expect(try DaysSalesOutstanding(receivables: F.eur(0), asOf: try F.day("2025-03-31"), sales: sales).tenthsOfDays == 0)
        #expect(try DaysSalesOutstanding(receivables: F.eur(5_000), asOf: try F.day("2025-03-31"), sales: sales).tenthsOfDays == 155)
        let error = #expect(throws: InvoicingError.self) {
            try DaysSalesOutstanding(receivables: Money(minorUnits: 1, currency: .usd), asOf: try F.day("2025-03-31"), sales: sales)
        }
        #expect(error?.code == .currencyMismatch)
    }
}
