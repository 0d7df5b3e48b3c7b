import Foundation
import Money
@testable import PaymentMatching
import Testing

/// The byte-level MT940 amount reader agrees with the general text one, results and errors.
@Suite struct MT940AmountTests {
    static let cases = ["0,01", "9,", "500", ",5", "1234,56", "12,500", "12,345", "1.234,56", "1,2,3", ",", "123456789012345,67", "1234.5", ""]

    @Test(arguments: cases) func bytesAndTextAgree(_ text: String) {
        let viaText = Result { () throws(StatementError) -> Int64 in
            try StatementAmountParser.minorUnits(text.replacingOccurrences(of: ".", with: ","), decimalSeparator: ",", currency: .eur, location: "line 1")
        }
        let viaBytes = Result { () throws(StatementError) -> Int64 in
            try StatementAmountParser.minorUnits(mt940: Array(text.utf8)[...], currency: .eur, location: "line 1")
        }
        switch (viaText, viaBytes) {
        case (.success(let a), .success(let b)): #expect(a == b)
        case (.failure(let a), .failure(let b)): #expect(a == b)
        default: Issue.record("'\(text)': text gives \(viaText), bytes give \(viaBytes)")
        }
    }

    @Test func aCommaAmountIsReadInMinorUnits() throws {
        #expect(try StatementAmountParser.minorUnits(mt940: Array("1234,5".utf8)[...], currency: .eur, location: nil) == 123_450)
        #expect(try StatementAmountParser.minorUnits(mt940: Array("7,".utf8)[...], currency: .jpy, location: nil) == 7)
    }
}
