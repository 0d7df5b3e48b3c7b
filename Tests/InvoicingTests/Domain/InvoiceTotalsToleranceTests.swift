import Events
import Foundation
import Invoicing
import Money
import Testing

@Suite("Invoice totals: per-line rounding tolerance")
struct InvoiceTotalsToleranceTests {
    typealias F = DomainFixture

    /// Three lines of 10.03 at 20 %: 36.11 computed once per rate, 36.12 rounded per line.
    static func lines() throws -> [InvoiceLine] {
        [try F.line("1", "10.03"), try F.line("1", "10.03"), try F.line("1", "10.03")]
    }

    @Test("the tolerance is one minor unit per line")
    func tolerance() {
        #expect(InvoiceTotals.roundingTolerancePerLine == 1)
        #expect(InvoiceTotals.roundingTolerance(lineCount: 3) == 3)
        #expect(InvoiceTotals.roundingTolerance(lineCount: 0) == 0)
    }

    @Test("a given total within the tolerance keeps the net and takes the difference into VAT", arguments: [36_08, 36_12, 36_14])
    func reconciled(total: Int64) throws {
        let computed = try InvoiceTotals(lines: try Self.lines(), currency: .eur)
        #expect(computed.gross == F.eur(36_11))
        let reconciled = try #require(computed.reconciled(withGivenTotal: F.eur(total), lineCount: 3))
        #expect(reconciled.gross == F.eur(total))
        #expect(reconciled.net == F.eur(30_09))
        #expect(reconciled.vat == F.eur(total - 30_09))
        #expect(reconciled.breakdown == computed.breakdown)
    }

    @Test("beyond the tolerance, or in another currency, nothing is reconciled", arguments: [36_07, 36_15])
    func beyond(total: Int64) throws {
        let computed = try InvoiceTotals(lines: try Self.lines(), currency: .eur)
        #expect(computed.reconciled(withGivenTotal: F.eur(total), lineCount: 3) == nil)
        #expect(computed.reconciled(withGivenTotal: Money(minorUnits: 36_11, currency: .usd), lineCount: 3) == nil)
    }

    @Test("the draft stores the given total within tolerance and explains the refusal beyond it")
    func draftValidation() throws {
        var draft = InvoiceDraft(number: "ERP-1", customerNumber: "C-1", issueDate: try F.day("2026-05-01"), currency: .eur,
                                 lines: try Self.lines(), total: F.eur(36_12))
        let invoice = try draft.validate(terms: .netDays(30))
        #expect(invoice.total == F.eur(36_12))
        #expect(invoice.totals?.gross == F.eur(36_12))
        #expect(invoice.totals?.vat == F.eur(6_03))

        draft.total = F.eur(36_15)
        let error = #expect(throws: InvoicingError.self) { try draft.validate(terms: .netDays(30)) }
        #expect(error?.code == .totalsMismatch)
        #expect(error?.field == "total")
        #expect(error?.reason.contains("1 per line") == true)
    }
}
