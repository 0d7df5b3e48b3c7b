import Events
import Foundation
import Invoicing
import Money
import Testing

@Suite("Quantities, lines and invoice totals")
struct InvoiceTotalsTests {
    typealias F = DomainFixture

    @Test("parses quantities with up to three decimals", arguments: [
        ("2", 2000), ("1.5", 1500), ("0,250", 250), ("-1", -1000), ("0.001", 1), (" 12 ", 12_000), ("+3", 3000), ("7.", 7000),
    ] as [(String, Int64)])
    func parsesQuantities(text: String, thousandths: Int64) throws {
        #expect(try Quantity(parsing: text).thousandths == thousandths)
    }

    @Test("refuses malformed quantities", arguments: [
        ("1.2345", InvoicingError.Code.tooManyDecimals), ("1.2.3", .malformedAmount), ("", .malformedAmount),
        ("abc", .malformedAmount), ("1e3", .malformedAmount), ("1 000", .malformedAmount), ("99999999999999999", .overflow),
    ])
    func refusesQuantities(text: String, code: InvoicingError.Code) {
        let error = #expect(throws: InvoicingError.self) { try Quantity(parsing: text) }
        #expect(error?.code == code)
    }

    @Test("prints quantities in their shortest form")
    func quantityDescription() {
        #expect(Quantity(thousandths: 2000).description == "2")
        #expect(Quantity(thousandths: 1500).description == "1.5")
        #expect(Quantity(thousandths: 250).description == "0.25")
        #expect(Quantity(thousandths: -1).description == "-0.001")
        #expect(Quantity(thousandths: 1_010).description == "1.01")
    }

    @Test("line net rounds half away from zero", arguments: [
        ("1.5", "0.05", 8),     // 7.5 cents
        ("-1.5", "0.05", -8),   // -7.5 cents
        ("0.333", "1.00", 33),  // 33.3 cents
        ("2.5", "0.01", 3),     // 2.5 cents
        ("0.125", "0.04", 1),   // 0.5 cent
        ("0.124", "0.04", 0),   // 0.496 cent
        ("3", "19.99", 5997),
    ] as [(String, String, Int64)])
    func lineNetRounding(quantity: String, price: String, cents: Int64) throws {
        #expect(try F.line(quantity, price).netAmount() == F.eur(cents))
    }

    @Test("totals with several VAT rates, VAT rounded once per rate")
    func severalRates() throws {
        let lines = [
            try F.line("2", "100.00", vat: 2000),
            try F.line("1.5", "33.33", vat: 550),  // 49.995 -> 50.00
            try F.line("1", "10.00", vat: 0),
        ]
        let totals = try InvoiceTotals(lines: lines, currency: .eur)
        #expect(totals.net == F.eur(26_000))
        #expect(totals.vat == F.eur(4_275))     // 40.00 + 2.75
        #expect(totals.gross == F.eur(30_275))
        #expect(totals.breakdown.map(\.vatRateBasisPoints) == [0, 550, 2000])
        #expect(totals.breakdown.map(\.net) == [F.eur(1_000), F.eur(5_000), F.eur(20_000)])
        #expect(totals.breakdown.map(\.vat) == [F.eur(0), F.eur(275), F.eur(4_000)])
    }

    @Test("VAT is computed on the sum of a rate's lines, not line by line")
    func vatOnSum() throws {
        // Three lines of 0.10 at 5.5 %: 0.55 cent each would round to 3 cents; on 0.30 it is 1.65 -> 2.
        let lines = try (0..<3).map { _ in try F.line("1", "0.10", vat: 550) }
        let totals = try InvoiceTotals(lines: lines, currency: .eur)
        #expect(totals.vat == F.eur(2))
        #expect(totals.gross == F.eur(32))
    }

    @Test("VAT rounds half away from zero", arguments: [(100, 6), (90, 5), (-100, -6), (10, 1), (9, 0)] as [(Int64, Int64)])
    func vatRounding(netCents: Int64, vatCents: Int64) throws {
        let line = try InvoiceLine(description: "x", quantity: Quantity(thousandths: 1000), unitPrice: F.eur(netCents), vatRateBasisPoints: 550)
        #expect(try InvoiceTotals(lines: [line], currency: .eur).vat == F.eur(vatCents))
    }

    @Test("currencies without minor units")
    func yen() throws {
        let totals = try InvoiceTotals(lines: [try F.line("3", "333", .jpy, vat: 800)], currency: .jpy)
        #expect(totals.net == Money(minorUnits: 999, currency: .jpy))
        #expect(totals.vat == Money(minorUnits: 80, currency: .jpy)) // 79.92
    }

    @Test("refuses lines in another currency")
    func mixedCurrency() throws {
        let lines = [try F.line("1", "10.00"), try F.line("1", "10.00", .usd)]
        let error = #expect(throws: InvoicingError.self) { try InvoiceTotals(lines: lines, currency: .eur) }
        #expect(error?.code == .currencyMismatch)
        #expect(error?.field == "lines[1].unitPrice")
    }

    @Test("reports overflow instead of trapping")
    func overflow() throws {
        let huge = try InvoiceLine(description: "x", quantity: Quantity(thousandths: 3000),
                                   unitPrice: F.eur(Int64.max / 2), vatRateBasisPoints: 0)
        let lineError = #expect(throws: InvoicingError.self) { try huge.netAmount() }
        #expect(lineError?.code == .overflow)
        let half = try InvoiceLine(description: "x", quantity: Quantity(thousandths: 1000),
                                   unitPrice: F.eur(Int64.max / 2 + 1), vatRateBasisPoints: 0)
        let sumError = #expect(throws: InvoicingError.self) { try InvoiceTotals(lines: [half, half], currency: .eur) }
        #expect(sumError?.code == .overflow)
        let vatError = #expect(throws: InvoicingError.self) {
            try InvoiceTotals(lines: [try InvoiceLine(description: "x", quantity: Quantity(thousandths: 1000),
                                                      unitPrice: F.eur(Int64.max / 2 + 1), vatRateBasisPoints: 10_000)],
                              currency: .eur)
        }
        #expect(vatError?.code == .overflow)
    }

    @Test("VAT rate must be 0...10000 basis points", arguments: [-1, 10_001])
    func vatRateRange(rate: Int) {
        let error = #expect(throws: InvoicingError.self) {
            try InvoiceLine(description: "x", quantity: Quantity(thousandths: 1000), unitPrice: F.eur(100), vatRateBasisPoints: rate)
        }
        #expect(error?.field == "vatRateBasisPoints")
    }

    @Test("lines decode quantities from numbers or strings and encode them as numbers")
    func lineCodable() throws {
        let json = #"[{"description":"Audit","quantity":1.5,"unitPrice":{"minorUnits":12000,"currency":"EUR"},"vatRateBasisPoints":2000},"#
            + #"{"description":"Bolts","quantity":"0,250","unitPrice":{"minorUnits":400,"currency":"EUR"},"vatRateBasisPoints":550}]"#
        let lines = try JSONDecoder().decode([InvoiceLine].self, from: Data(json.utf8))
        #expect(lines.map(\.quantity.thousandths) == [1500, 250])
        let encoded = String(decoding: try JSONEncoder().encode(lines[0]), as: UTF8.self)
        #expect(encoded.contains(#""quantity":1.5"#))
        #expect(try JSONDecoder().decode(InvoiceLine.self, from: Data(encoded.utf8)) == lines[0])
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(InvoiceLine.self, from: Data(#"{"quantity":1.2345,"unitPrice":{"minorUnits":1,"currency":"EUR"},"vatRateBasisPoints":0}"#.utf8))
        }
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(InvoiceLine.self, from: Data(#"{"quantity":1,"unitPrice":{"minorUnits":1,"currency":"EUR"},"vatRateBasisPoints":20000}"#.utf8))
        }
    }
}
