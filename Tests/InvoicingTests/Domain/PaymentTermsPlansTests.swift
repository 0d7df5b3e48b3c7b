import Events
import Foundation
import Invoicing
import Money
import Testing

@Suite("Payment terms: end of month on a day, instalments")
struct PaymentTermsPlansTests {
    typealias F = DomainFixture

    @Test("N days end of month on the Xth: issue + N, end of that month, then the Xth of the next", arguments: [
        ("30eom:10", "2025-01-15", "2025-03-10"),  // +30 = 02-14 → end 02-28 → 03-10
        ("30eom:10", "2025-01-31", "2025-04-10"),  // +30 = 03-02 → end 03-31 → 04-10
        ("30eom:10", "2024-01-31", "2024-04-10"),  // leap: +30 = 03-01
        ("30eom:10", "2024-01-30", "2024-03-10"),  // leap: +30 = 02-29 → end 02-29 → 03-10
        ("0eom:5", "2025-12-31", "2026-01-05"),    // across the year
        ("45eom:31", "2025-01-01", "2025-03-31"),  // +45 = 02-15 → end 02-28 → 03-31
        ("0eom:31", "2025-01-20", "2025-02-28"),   // February has no 31st: its last day
        ("0eom:30", "2024-01-20", "2024-02-29"),   // leap February
        ("60eom:15", "2025-11-15", "2026-02-15"),  // +60 = 01-14 → end 01-31 → 02-15
    ])
    func endOfMonthOnDay(terms: String, issued: String, due: String) throws {
        let parsed = try PaymentTerms(parsing: terms)
        #expect(parsed.dueDate(issuedOn: try F.day(issued)).description == due)
    }

    @Test("equal instalments: each share rounded down, the remainder on the last, due on the last one")
    func equalInstalments() throws {
        let terms = try PaymentTerms(parsing: "instalments:30/60/90")
        let plan = try #require(terms.instalments(of: F.eur(100_00), issuedOn: try F.day("2024-01-31")))
        #expect(plan.map(\.amount.minorUnits) == [33_33, 33_33, 33_34])
        #expect(plan.map(\.dueDate.description) == ["2024-03-01", "2024-03-31", "2024-04-30"])
        #expect(terms.dueDate(issuedOn: try F.day("2024-01-31")).description == "2024-04-30")
        #expect(plan.reduce(0) { $0 + $1.amount.minorUnits } == 100_00)
    }

    @Test("instalments with percentages, sums exact for awkward totals and the largest amounts")
    func percentageInstalments() throws {
        let terms = try PaymentTerms(parsing: "INSTALMENTS:30=50/60=30/90=20")
        #expect(terms == .instalments([.init(days: 30, percent: 50), .init(days: 60, percent: 30), .init(days: 90, percent: 20)]))
        let plan = try #require(terms.instalments(of: F.eur(999), issuedOn: try F.day("2025-02-28")))
        #expect(plan.map(\.amount.minorUnits) == [499, 299, 201])
        for total in [Int64(1), 7, 101, 1_000_001, Int64.max] {
            for text in ["instalments:0/1", "instalments:10/20/30/40/50/60/70/80/90/100/110/120", "instalments:30=1/60=99", "instalments:1=33/2=33/3=34"] {
                let amounts = try #require(try PaymentTerms(parsing: text).instalments(of: F.eur(total), issuedOn: try F.day("2025-01-01")))
                #expect(amounts.reduce(Int64(0)) { $0 &+ $1.amount.minorUnits } == total, "\(text) of \(total)")
                #expect(amounts.allSatisfy { $0.amount.minorUnits >= 0 })
            }
        }
        #expect(PaymentTerms.netDays(30).instalments(of: F.eur(100), issuedOn: try F.day("2025-01-01")) == nil)
    }

    @Test("new forms format back to their text; the old ones are unchanged", arguments: [
        "30eom:10", "instalments:30/60/90", "instalments:30=50/60=50", "net:30", "eom+10", "45eom", "receipt",
    ])
    func roundTrip(text: String) throws {
        #expect(try PaymentTerms(parsing: text).description == text)
        #expect(try PaymentTerms(parsing: text.uppercased()).description == text)
    }

    @Test("refuses malformed or out-of-range new forms", arguments: [
        "30eom:0", "30eom:32", "366eom:10", "eom:10", "30eom:", "30eom:1:2", "instalments:", "instalments:30",
        "instalments:60/30", "instalments:30/30", "instalments:30=50/60", "instalments:30=60/60=60", "instalments:30=0/60=100",
        "instalments:30/60/", "instalments:1/2/3/4/5/6/7/8/9/10/11/12/13", "instalments:30/400", "instalments:30=50=50/60",
        "instalment:30/60",
    ])
    func refusesInvalid(text: String) {
        let error = #expect(throws: InvoicingError.self) { try PaymentTerms(parsing: text) }
        #expect(error?.code == .invalidPaymentTerms)
    }

    @Test("an invoice issued under instalment terms gets their plan; a given due date gets none")
    func draftPlan() throws {
        let terms = try PaymentTerms(parsing: "instalments:30/60")
        let draft = InvoiceDraft(number: "INV-1", customerNumber: "C-1", issueDate: try F.day("2025-01-31"), currency: .eur, total: F.eur(1001))
        let validated = try draft.validate(terms: terms)
        #expect(validated.instalments == [Instalment(dueDate: try F.day("2025-03-02"), amount: F.eur(500)),
                                          Instalment(dueDate: try F.day("2025-04-01"), amount: F.eur(501))])
        #expect(validated.dueDate.description == "2025-04-01")
        #expect(validated.paymentTerms == terms)
        var given = draft
        given.dueDate = try F.day("2025-02-28")
        #expect(try given.validate(terms: terms).instalments.isEmpty)
    }

    @Test("a document URL must be an absolute http(s) URL")
    func documentURL() throws {
        var draft = InvoiceDraft(number: "INV-1", customerNumber: "C-1", issueDate: try F.day("2025-01-31"), currency: .eur, total: F.eur(1001))
        draft.documentUrl = "https://files.example.com/INV-1.pdf"
        #expect(try draft.validate(terms: .netDays(30)).documentURL == "https://files.example.com/INV-1.pdf")
        for bad in ["ftp://files.example.com/a.pdf", "/relative/a.pdf", "https://", "https://files.example.com/a b.pdf", " ", ""] {
            draft.documentUrl = bad
            let error = #expect(throws: InvoicingError.self) { try draft.validate(terms: .netDays(30)) }
            #expect(error?.field == "documentUrl", "\(bad)")
        }
        draft.documentUrl = "https://x.example/" + String(repeating: "a", count: 2048)
        #expect((#expect(throws: InvoicingError.self) { try draft.validate(terms: .netDays(30)) })?.code == .limitExceeded)
    }
}
