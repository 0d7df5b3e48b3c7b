import Foundation
import Invoicing
import Testing

/// Issue 7 #12 for quantities: one decimal separator, no thousands separators.
@Suite("Quantity parsing: a table of accepted and refused notations")
struct QuantityParsingTests {
    @Test("accepted quantities", arguments: [
        ("2", 2_000), ("1.5", 1_500), ("1,5", 1_500), ("0,250", 250), ("1234.5", 1_234_500), ("1,234", 1_234),
        ("-1", -1_000), ("+3", 3_000), (" 12 ", 12_000), ("7.", 7_000), (".5", 500),
    ] as [(String, Int64)])
    func accepted(text: String, thousandths: Int64) throws {
        #expect(try Quantity(parsing: text).thousandths == thousandths)
    }

    @Test("refused quantities", arguments: [
        ("1.2.3", InvoicingError.Code.malformedAmount), ("1,2,3", .malformedAmount), ("1.234,5", .malformedAmount),
        ("1,234.5", .malformedAmount), ("1 234,5", .malformedAmount), ("1'000", .malformedAmount), ("1..2", .malformedAmount),
        (".", .malformedAmount), ("", .malformedAmount), ("1.2345", .tooManyDecimals),
    ])
    func refused(text: String, code: InvoicingError.Code) {
        let error = #expect(throws: InvoicingError.self) { try Quantity(parsing: text) }
        #expect(error?.code == code)
        #expect(error?.field == "quantity")
    }

    @Test("two separators are named in the error")
    func clearError() {
        let error = #expect(throws: InvoicingError.self) { try Quantity(parsing: "1.2.3") }
        #expect(error?.reason.contains("more than one decimal separator") == true)
    }

    @Test("a quantity in a JSON body is refused the same way")
    func decoding() {
        #expect(throws: DecodingError.self) { try JSONDecoder().decode([Quantity].self, from: Data(#"["1.2.3"]"#.utf8)) }
    }
}
