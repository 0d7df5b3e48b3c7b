import Events
import Foundation
import Invoicing
import Money
import Testing

/// Issue 7 #5: RF references are unique per invoice and any invoice number gets one.
@Suite("RF references: unique, valid, for any number")
struct PaymentReferenceTests {
    typealias F = DomainFixture

    @Test("numbers that differ only by separators or case get different valid references")
    func separatorsAndCaseDisambiguate() throws {
        let numbers = ["FA-2025/1", "FA2025-1", "fa-2025-1"]
        let references = try numbers.map { try CreditorReference(invoiceNumber: $0) }
        #expect(Set(references).count == 3)
        for reference in references {
            #expect(try CreditorReference(validating: reference.electronicFormat) == reference)
            #expect(try CreditorReference(validating: reference.printFormat) == reference)
            #expect(reference.reference.hasPrefix("FA20251"))
            #expect(reference.electronicFormat.count <= 25)
        }
        // The derivation is a pure function of the number: the same number, the same reference
        // (re-imports and the migration rely on it). Values checked against an independent
        // implementation of the documented rule.
        #expect(references.map(\.electronicFormat) == ["RF33FA20251Y2K7", "RF38FA20251PBEE", "RF03FA202513JCA"])
    }

    @Test("a 40-character invoice number is accepted and gets a valid 25-character reference")
    func longNumber() throws {
        let number = "ACME-FRANCE-SAS/INVOICE-2025-00000000042"
        #expect(number.count == 40)
        let reference = try CreditorReference(invoiceNumber: number)
        #expect(reference.electronicFormat.count == 25)
        #expect(reference.reference.hasPrefix("2500000000042")) // its last 13 letters and digits
        #expect(try CreditorReference(validating: reference.printFormat) == reference)

        let draft = InvoiceDraft(number: number, customerNumber: "C-1", issueDate: try F.day("2025-01-15"), currency: .eur,
                                 total: F.eur(100))
        #expect(try draft.validate(terms: .netDays(30)).creditorReference == reference)
        // Numbers sharing their last 13 letters and digits still differ.
        #expect(try CreditorReference(invoiceNumber: "BETA-FRANCE-SAS/INVOICE-2025-00000000042") != reference)
    }

    @Test("the longest invoice number accepted still fits an RF reference")
    func longestNumber() throws {
        let number = String(repeating: "9Z-", count: 21) + "X"
        #expect(number.count == InvoiceDraft.maximumNumberLength)
        let reference = try CreditorReference(invoiceNumber: number)
        #expect(reference.electronicFormat.count <= 25)
        #expect(try CreditorReference(validating: reference.electronicFormat) == reference)
    }

    @Test("a number of upper-case letters and digits is its own reference, as before")
    func canonicalNumbersUnchanged() throws {
        #expect(try CreditorReference(invoiceNumber: "INV20250042").electronicFormat == "RF25INV20250042")
        #expect(try CreditorReference(invoiceNumber: "539007547034").electronicFormat == "RF18539007547034")
    }

    @Test("further attempts give other valid references, for every kind of number")
    func attempts() throws {
        for number in ["INV20250042", "FA-2025/1", "ACME-FRANCE-SAS/INVOICE-2025-00000000042", "7"] {
            let references = try (0..<10).map { try CreditorReference(invoiceNumber: number, attempt: $0) }
            #expect(Set(references).count == 10, "\(number)")
            for reference in references {
                #expect(try CreditorReference(validating: reference.electronicFormat) == reference)
                #expect(reference.electronicFormat.count <= 25)
            }
        }
    }

    @Test("check digits follow the published ISO 11649 examples", arguments: [
        ("539007547034", "RF18539007547034", "RF18 5390 0754 7034"),
        ("000000000539007547034", "RF18000000000539007547034", "RF18 0000 0000 0539 0075 4703 4"),
    ])
    func publishedExamples(reference: String, electronic: String, printed: String) throws {
        let parsed = try CreditorReference(validating: printed)
        #expect(parsed.electronicFormat == electronic)
        #expect(parsed.checkDigits == "18")
        #expect(parsed.reference == reference)
        #expect(try CreditorReference(invoiceNumber: reference) == parsed)
    }

    @Test("wrong check digits are refused", arguments: ["RF19539007547034", "RF17000000000539007547034", "RF00539007547034"])
    func wrongCheckDigits(text: String) {
        let error = #expect(throws: InvoicingError.self) { try CreditorReference(validating: text) }
        #expect(error?.code == .invalidCreditorReference)
    }

    @Test("ten thousand numbers in one series get ten thousand different references")
    func noCollisionsInASeries() throws {
        var seen: Set<CreditorReference> = []
        for index in 0..<10_000 {
            seen.insert(try CreditorReference(invoiceNumber: "FA-2025/\(index)"))
            seen.insert(try CreditorReference(invoiceNumber: "customer-acme-france-invoice-2025-\(index)"))
        }
        #expect(seen.count == 20_000)
    }
}
