import Events
import Foundation
import Invoicing
import Money
import Testing

@Suite("Invoice drafts")
struct InvoiceDraftTests {
    typealias F = DomainFixture

    static func withLines() throws -> InvoiceDraft {
        InvoiceDraft(number: " INV-2025-0042 ", customerNumber: "C-1", issueDate: try F.day("2025-01-15"), currency: .eur,
                     lines: [try F.line("2", "100.00"), try F.line("1.5", "33.33", vat: 550)], orderReference: " ")
    }

    @Test("computes the due date from the terms, the totals and the RF reference")
    func validatesLines() throws {
        let invoice = try Self.withLines().validate(terms: .daysEndOfMonth(45))
        #expect(invoice.number == "INV-2025-0042")
        #expect(invoice.dueDate.description == "2025-03-31")
        #expect(invoice.total == F.eur(29_275))
        #expect(invoice.totals?.net == F.eur(25_000))
        #expect(invoice.totals?.vat == F.eur(4_275))
        #expect(invoice.creditorReference.reference.hasPrefix("INV20250042")) // + a disambiguator: the number has dashes
        #expect(try CreditorReference(validating: invoice.creditorReference.electronicFormat) == invoice.creditorReference)
        #expect(invoice.orderReference == nil)
    }

    @Test("keeps a given due date and accepts a total alone")
    func givenDueDateAndTotal() throws {
        let draft = InvoiceDraft(number: "7", customerNumber: "C-1", issueDate: try F.day("2025-01-15"),
                                 dueDate: try F.day("2025-01-15"), currency: .eur, total: F.eur(1))
        let invoice = try draft.validate(terms: .netDays(400)) // terms are not used
        #expect(invoice.dueDate.description == "2025-01-15")
        #expect(invoice.total == F.eur(1))
        #expect(invoice.totals == nil)
    }

    @Test("a total that matches the lines is accepted")
    func matchingTotal() throws {
        var draft = try Self.withLines()
        draft.total = F.eur(29_275)
        #expect(try draft.validate(terms: .netDays(30)).dueDate.description == "2025-02-14")
    }

    @Test("each broken rule gives its code and field", arguments: [
        ("due before issue", InvoicingError.Code.dueBeforeIssue, "dueDate"),
        ("zero total", .nonPositiveTotal, "total"),
        ("negative total", .nonPositiveTotal, "total"),
        ("lines summing to zero", .nonPositiveTotal, "total"),
        ("total disagrees with lines", .totalsMismatch, "total"),
        ("total in another currency", .currencyMismatch, "total"),
        ("line in another currency", .currencyMismatch, "lines[1].unitPrice"),
        ("neither lines nor total", .missingField, "lines"),
        ("blank number", .missingField, "number"),
        ("blank customer", .missingField, "customerNumber"),
        ("number without letters or digits", .invalidCreditorReference, "number"),
        ("terms out of range", .invalidPaymentTerms, "paymentTerms"),
    ])
    func brokenRules(rule: String, code: InvoicingError.Code, field: String) throws {
        var draft = try Self.withLines()
        switch rule {
        case "due before issue": draft.dueDate = try F.day("2025-01-14")
        case "zero total": draft.lines = []; draft.total = F.eur(0)
        case "negative total": draft.lines = []; draft.total = F.eur(-100)
        case "lines summing to zero": draft.lines = [try F.line("1", "10.00"), try F.line("-1", "10.00")]
        case "total disagrees with lines": draft.total = F.eur(29_272) // 3 cents off 2 lines: beyond the rounding tolerance
        case "total in another currency": draft.total = Money(minorUnits: 29_275, currency: .usd)
        case "line in another currency": draft.lines[1] = try F.line("1", "1.00", .usd)
        case "neither lines nor total": draft.lines = []
        case "blank number": draft.number = " "
        case "blank customer": draft.customerNumber = ""
        case "number without letters or digits": draft.number = "--/--"
        case "terms out of range": break
        default: Issue.record("unknown rule \(rule)")
        }
        let terms: PaymentTerms = rule == "terms out of range" ? .netDays(-3) : .netDays(30)
        let error = #expect(throws: InvoicingError.self) { try draft.validate(terms: terms) }
        #expect(error?.code == code)
        #expect(error?.field == field)
    }

    @Test("decodes a camelCase JSON body")
    func decodesJSON() throws {
        let json = #"""
        {"number":"INV-1","customerNumber":"C-1","issueDate":"2025-03-31","currency":"EUR",
         "lines":[{"description":"Audit","quantity":"1,5","unitPrice":{"minorUnits":10000,"currency":"EUR"},"vatRateBasisPoints":2000}],
         "orderReference":"PO-9"}
        """#
        let draft = try JSONDecoder().decode(InvoiceDraft.self, from: Data(json.utf8))
        let invoice = try draft.validate(terms: .endOfMonthPlusDays(10))
        #expect(invoice.dueDate.description == "2025-04-10")
        #expect(invoice.total == F.eur(18_000))
        #expect(invoice.orderReference == "PO-9")
        let encoded = try JSONEncoder().encode(invoice)
        #expect(try JSONDecoder().decode(ValidatedInvoice.self, from: encoded) == invoice)
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(InvoiceDraft.self, from: Data(json.replacingOccurrences(of: "2025-03-31", with: "2025-02-30").utf8))
        }
    }
}
