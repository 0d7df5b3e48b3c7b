import Events
import Foundation
import Invoicing
import Testing

@Suite("ISO 11649 creditor reference")
struct CreditorReferenceTests {
    @Test("reads the standard example in printed and electronic forms", arguments: [
        "RF18 5390 0754 7034", "RF18539007547034", "rf18 5390 0754 7034", " RF18539007547034 ",
    ])
    func standardExample(text: String) throws {
        let reference = try CreditorReference(validating: text)
        #expect(reference.electronicFormat == "RF18539007547034")
        #expect(reference.printFormat == "RF18 5390 0754 7034")
        #expect(reference.checkDigits == "18")
        #expect(reference.reference == "539007547034")
    }

    @Test("reads the 25-character form with leading zeros")
    func longForm() throws {
        let reference = try CreditorReference(validating: "RF18000000000539007547034")
        #expect(reference.printFormat == "RF18 0000 0000 0539 0075 4703 4")
        #expect(try CreditorReference(invoiceNumber: "000000000539007547034") == reference)
    }

    // Numbers written only with upper-case letters and digits are their own reference;
    // others get a disambiguator (PaymentReferenceTests).
    @Test("builds check digits from invoice numbers", arguments: [
        ("539007547034", "RF18539007547034"),
        ("INV20250042", "RF25INV20250042"),
        ("INV000123", "RF73INV000123"),
        ("A", "RF25A"),
        ("ABCDEFGHIJKLMNOPQRSTU", "RF95ABCDEFGHIJKLMNOPQRSTU"),
        ("2025000001", "RF922025000001"),
    ])
    func buildsFromInvoiceNumber(number: String, expected: String) throws {
        let reference = try CreditorReference(invoiceNumber: number)
        #expect(reference.electronicFormat == expected)
        #expect(try CreditorReference(validating: reference.printFormat) == reference)
    }

    @Test("refuses corrupted check digits, changed and swapped characters", arguments: [
        "RF19539007547034", // check digit changed
        "RF81539007547034", // check digits swapped
        "RF18539007547035", // last digit changed
        "RF18359007547034", // two digits swapped
        "RF18539007574034", // two digits swapped
        "RF18539007547043", // last two swapped
        "RF1853900754703",  // a digit dropped
    ])
    func refusesCorrupted(text: String) {
        let error = #expect(throws: InvoicingError.self) { try CreditorReference(validating: text) }
        #expect(error?.code == .invalidCreditorReference)
    }

    @Test("refuses bad shapes", arguments: [
        "RF18-5390-0754-7034", "RF18539007547034é", "XX18539007547034", "RF18", "RF", "",
        "RFAB539007547034", "RF18 0000 0000 0000 0539 0075 4703 4",
    ])
    func refusesBadShapes(text: String) {
        let error = #expect(throws: InvoicingError.self) { try CreditorReference(validating: text) }
        #expect(error?.code == .invalidCreditorReference)
    }

    @Test("refuses invoice numbers without a letter or digit")
    func refusesUnusableNumbers() throws {
        let empty = #expect(throws: InvoicingError.self) { try CreditorReference(invoiceNumber: "--/--") }
        #expect(empty?.code == .invalidCreditorReference)
        #expect(empty?.field == "number")
    }

    @Test("every built reference validates, and one changed digit is caught")
    func roundTrip() throws {
        for index in 0..<2_000 {
            let reference = try CreditorReference(invoiceNumber: "INV\(index * 7919)")
            #expect(try CreditorReference(validating: reference.electronicFormat) == reference)
            var bytes = Array(reference.electronicFormat.utf8)
            let position = 7 + index % (bytes.count - 7) // a digit of the number, after "RFccINV"
            bytes[position] = bytes[position] == UInt8(ascii: "9") ? UInt8(ascii: "0") : UInt8(ascii: "9")
            #expect(throws: InvoicingError.self) { try CreditorReference(validating: String(decoding: bytes, as: UTF8.self)) }
        }
    }

    @Test("codes as the electronic format")
    func codable() throws {
        let reference = try CreditorReference(validating: "RF18 5390 0754 7034")
        #expect(String(decoding: try JSONEncoder().encode([reference]), as: UTF8.self) == #"["RF18539007547034"]"#)
        #expect(try JSONDecoder().decode([CreditorReference].self, from: Data(#"["RF18 5390 0754 7034"]"#.utf8)) == [reference])
        #expect(throws: DecodingError.self) { try JSONDecoder().decode([CreditorReference].self, from: Data(#"["RF19539007547034"]"#.utf8)) }
    }
}
