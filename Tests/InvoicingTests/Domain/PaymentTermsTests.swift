import Events
import Foundation
import Invoicing
import Testing

@Suite("Payment terms")
struct PaymentTermsTests {
    typealias F = DomainFixture

    @Test("due dates of every kind of terms", arguments: [
        // net: plain days, across month ends and leap days
        ("net:30", "2025-01-15", "2025-02-14"),
        ("net:30", "2025-01-31", "2025-03-02"),
        ("net:30", "2024-01-31", "2024-03-01"),
        ("net:0", "2025-06-30", "2025-06-30"),
        ("net:60", "2024-12-31", "2025-03-01"),
        // fin de mois + N: end of issue month, then N days
        ("eom+10", "2025-02-10", "2025-03-10"),
        ("eom+10", "2024-02-10", "2024-03-10"),
        ("eom+0", "2024-02-05", "2024-02-29"),
        ("eom+30", "2025-01-31", "2025-03-02"),
        ("eom+45", "2025-12-15", "2026-02-14"),
        // N jours fin de mois: issue + N days, then end of that month
        ("45eom", "2025-01-15", "2025-03-31"),
        ("45eom", "2025-01-10", "2025-02-28"),
        ("45eom", "2024-01-10", "2024-02-29"),
        ("30eom", "2025-01-31", "2025-03-31"),
        ("0eom", "2025-04-01", "2025-04-30"),
        // on receipt
        ("receipt", "2025-03-31", "2025-03-31"),
    ])
    func dueDates(terms: String, issued: String, due: String) throws {
        let parsed = try PaymentTerms(parsing: terms)
        #expect(parsed.dueDate(issuedOn: try F.day(issued)).description == due)
    }

    @Test("parses and formats the textual form")
    func textualForm() throws {
        #expect(try PaymentTerms(parsing: "net:30") == .netDays(30))
        #expect(try PaymentTerms(parsing: "eom+10") == .endOfMonthPlusDays(10))
        #expect(try PaymentTerms(parsing: "45eom") == .daysEndOfMonth(45))
        #expect(try PaymentTerms(parsing: "receipt") == .onReceipt)
        #expect(try PaymentTerms(parsing: " NET:30 ") == .netDays(30))
        #expect(try PaymentTerms(parsing: "45EOM") == .daysEndOfMonth(45))
        #expect(PaymentTerms.netDays(30).description == "net:30")
        #expect(PaymentTerms.endOfMonthPlusDays(10).description == "eom+10")
        #expect(PaymentTerms.daysEndOfMonth(45).description == "45eom")
        #expect(PaymentTerms.onReceipt.description == "receipt")
    }

    @Test("refuses malformed or out-of-range terms", arguments: [
        "net:-1", "net:366", "eom+400", "400eom", "net30", "net:", "eom", "eom+", "abc", "net:+5", "net: 5", "net:99999999999999999999", "",
    ])
    func refusesInvalid(text: String) {
        let error = #expect(throws: InvoicingError.self) { try PaymentTerms(parsing: text) }
        #expect(error?.code == .invalidPaymentTerms)
        #expect(error?.field == "paymentTerms")
    }

    @Test("range limits are 0 and 365 days")
    func rangeLimits() throws {
        try PaymentTerms.netDays(365).validate()
        try PaymentTerms.daysEndOfMonth(0).validate()
        #expect(throws: InvoicingError.self) { try PaymentTerms.netDays(-1).validate() }
        #expect(throws: InvoicingError.self) { try PaymentTerms.endOfMonthPlusDays(366).validate() }
    }

    @Test("codes as its textual form")
    func codable() throws {
        struct Box: Codable, Equatable { var terms: PaymentTerms }
        let json = try JSONEncoder().encode(Box(terms: .endOfMonthPlusDays(10)))
        #expect(String(decoding: json, as: UTF8.self) == #"{"terms":"eom+10"}"#)
        #expect(try JSONDecoder().decode(Box.self, from: Data(#"{"terms":"45eom"}"#.utf8)) == Box(terms: .daysEndOfMonth(45)))
        do {
            _ = try JSONDecoder().decode(Box.self, from: Data(#"{"terms":"net:400"}"#.utf8))
            Issue.record("net:400 decoded")
        } catch let DecodingError.dataCorrupted(context) {
            #expect((context.underlyingError as? InvoicingError)?.code == .invalidPaymentTerms)
        }
    }
}
