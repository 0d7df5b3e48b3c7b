import Events
import Foundation
import Invoicing
import Testing

@Suite("French legal cap on payment terms (L441-10)")
struct LegalPaymentTermsCapTests {
    typealias F = DomainFixture

    @Test("the latest due date is the later of issue + 60 days and (issue + 45 days) end of month", arguments: [
        ("2025-01-01", "2025-03-02"),  // +60 = 03-02; +45 = 02-15 → 02-28
        ("2025-01-20", "2025-03-31"),  // +60 = 03-21; +45 = 03-06 → 03-31
        ("2024-01-01", "2024-03-01"),  // leap: +60 = 03-01; +45 = 02-15 → 02-29
        ("2024-01-15", "2024-03-15"),  // leap: +60 = 03-15; +45 = 02-29 → 02-29
        ("2025-12-31", "2026-03-01"),  // +60 = 03-01; +45 = 02-14 → 02-28
        ("2025-11-17", "2026-01-31"),  // +60 = 01-16; +45 = 01-01 → 01-31
    ])
    func latestDueDate(issued: String, latest: String) throws {
        #expect(LegalPaymentTermsCap.latestDueDate(issuedOn: try F.day(issued)).description == latest)
    }

    @Test("a due date after the cap gets a warning naming the cap and the dates; on the cap, none")
    func warning() throws {
        let issued = try F.day("2025-01-20")
        #expect(LegalPaymentTermsCap.warning(issuedOn: issued, dueOn: try F.day("2025-03-31")) == nil)
        let warning = try #require(LegalPaymentTermsCap.warning(issuedOn: issued, dueOn: try F.day("2025-04-01")))
        #expect(warning.code == "paymentTermsExceedLegalMaximum")
        for text in ["2025-04-01", "2025-01-20", "2025-03-21", "2025-03-31", "L441-10", "71 days"] {
            #expect(warning.message.contains(text), "\(text) missing in \(warning.message)")
        }
    }

    @Test("terms within or beyond the cap", arguments: [
        ("net:60", false), ("net:61", true), ("45eom", false), ("eom+45", true), ("30eom:10", false), ("60eom:10", true),
        ("instalments:30/60", false), ("instalments:30/90", true),
    ])
    func terms(text: String, warns: Bool) throws {
        // Issued on the 1st: 45 days end of month (02-28) is earlier than 60 days (03-02).
        let issued = try F.day("2025-01-01")
        let due = try PaymentTerms(parsing: text).dueDate(issuedOn: issued)
        #expect((LegalPaymentTermsCap.warning(issuedOn: issued, dueOn: due) != nil) == warns, "\(text) due \(due)")
    }
}
