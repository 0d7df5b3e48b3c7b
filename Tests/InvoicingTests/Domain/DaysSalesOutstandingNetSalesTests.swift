import Events
import Foundation
import Invoicing
import Money
import Testing

@Suite("Days sales outstanding on net sales")
struct DaysSalesOutstandingNetSalesTests {
    typealias F = DomainFixture

    static func invoice(_ day: String, total: Int64, credited: Int64 = 0) throws -> DaysSalesOutstanding.Invoiced {
        DaysSalesOutstanding.Invoiced(issueDate: try F.day(day), total: F.eur(total), credited: F.eur(credited))
    }

    @Test("a partial credit note reduces the month's sales to total − credited")
    func partialCredit() throws {
        // March: 100 000 − 40 000 credited = 60 000, covered (31 days, 90 000 left); February
        // 80 000 covered (28 days, 10 000 left); January: 10 000 of 90 000 × 31 = 3.4 days.
        let invoices = [
            try Self.invoice("2025-03-03", total: 100_000, credited: 40_000),
            try Self.invoice("2025-02-10", total: 80_000),
            try Self.invoice("2025-01-15", total: 90_000),
        ]
        let dso = try DaysSalesOutstanding(receivables: F.eur(150_000), asOf: try F.day("2025-03-31"), invoices: invoices)
        #expect(dso.tenthsOfDays == 310 + 280 + 34)
        #expect(dso.monthsCounted == 3)
    }

    @Test("a fully credited invoice is zero net sales and keeps its month in the history")
    func fullCredit() throws {
        let credited = try DaysSalesOutstanding(
            receivables: F.eur(25_000), asOf: try F.day("2025-03-31"),
            invoices: [try Self.invoice("2025-03-10", total: 20_000), try Self.invoice("2025-01-20", total: 9_000, credited: 9_000)])
        // March 20 000 (31 days, 5 000 left), February nothing (28), January zero net sales
        // (31): the walk reaches January as it would with the invoice uncredited.
        #expect(credited.tenthsOfDays == (31 + 28 + 31) * 10)
        #expect(credited.monthsCounted == 3)
        #expect(credited.unattributed == F.eur(5_000))
    }

    @Test("net sales never go below zero, and credit notes must be in the invoice currency")
    func netSalesEdges() throws {
        let over = try Self.invoice("2025-03-01", total: 100, credited: 150)
        #expect(over.netSales == F.eur(0))
        let foreign = DaysSalesOutstanding.Invoiced(issueDate: try F.day("2025-03-01"), total: F.eur(100), credited: Money(minorUnits: 10, currency: .usd))
        let error = #expect(throws: InvoicingError.self) {
            try DaysSalesOutstanding(receivables: F.eur(100), asOf: try F.day("2025-03-31"), invoices: [foreign])
        }
        #expect(error?.code == .currencyMismatch)
    }
}
