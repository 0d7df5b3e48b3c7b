import Foundation
import ScenarioScheduler
import Testing

@Suite struct AnnualRateTests {
    @Test("rates in percent parse to exact basis points")
    func parsing() throws {
        let cases: [(String, Int)] = [("12.15", 1215), ("12,15", 1215), ("15", 1500), ("12.5", 1250), ("12.15 %", 1215),
                                      ("12.15%", 1215), (" 0.05 ", 5), ("0", 0), ("1000", 100_000)]
        for (text, basisPoints) in cases {
            #expect(try AnnualRate(percent: text).basisPoints == basisPoints, "\(text)")
        }
    }

    @Test("more than two decimals, a sign, junk or a rate above 1000 % is refused")
    func refusals() {
        for text in ["12.155", "-1", "abc", "", "12.", ".5", "1000.01", "12.1.5", "1e2", "12 15"] {
            let error = #expect(throws: ChargesError.self, "\(text)") { try AnnualRate(percent: text) }
            #expect(error?.code == .invalidRate)
        }
        #expect(throws: ChargesError.self) { try AnnualRate(basisPoints: -1) }
        #expect(throws: ChargesError.self) { try AnnualRate(basisPoints: 100_001) }
    }

    @Test("a rate prints with two decimals")
    func description() throws {
        #expect(try AnnualRate(basisPoints: 1215).description == "12.15")
        #expect(try AnnualRate(basisPoints: 1000).description == "10.00")
        #expect(try AnnualRate(basisPoints: 5).description == "0.05")
        #expect(try AnnualRate(basisPoints: 1250).description == "12.50")
        #expect(try AnnualRate(basisPoints: 215).adding(points: 10).description == "12.15")
    }

    @Test("JSON writes the exact digits as a number and reads them back")
    func json() throws {
        let rates = try [1215, 1000, 5, 1250, 0, 100_000].map { try AnnualRate(basisPoints: $0) }
        let data = try JSONEncoder().encode(rates)
        #expect(String(decoding: data, as: UTF8.self) == "[12.15,10,0.05,12.5,0,1000]")
        #expect(try JSONDecoder().decode([AnnualRate].self, from: data) == rates)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode([AnnualRate].self, from: Data("[12.155]".utf8)) }
        #expect(throws: DecodingError.self) { try JSONDecoder().decode([AnnualRate].self, from: Data("[-1]".utf8)) }
    }
}
