import Events
import Foundation
import Money
import ScenarioScheduler
import Testing

@Suite struct ChargesCommandTests {
    static let example = ["charges", "--amount", "1234.56", "--currency", "EUR", "--due", "2025-03-10", "--as-of", "2025-09-15"]

    /// The first worked example (LatePaymentChargesTests): 49.82 + 31.64 = 81.46 EUR, 40 EUR.
    @Test("--json prints the issue's shape: interest, indemnity, periods with annualRate as a number")
    func json() throws {
        let outcome = ChargesCommand.run(arguments: Self.example + ["--json"])
        #expect(outcome.exitCode == 0)
        #expect(outcome.standardError == "")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(outcome.standardOutput.utf8)) as? [String: Any])
        #expect(Set(object.keys) == ["interest", "indemnity", "periods", "notes"])
        let result = try JSONDecoder().decode(ChargesResult.self, from: Data(outcome.standardOutput.utf8))
        #expect(result.interest == Money(minorUnits: 81_46, currency: .eur))
        #expect(result.indemnity == Money(minorUnits: 40_00, currency: .eur))
        #expect(result.periods.map(\.interest.minorUnits) == [49_82, 31_64])
        #expect(result.periods.map(\.days) == [112, 77])
        let periods = try #require(object["periods"] as? [[String: Any]])
        #expect(periods.first.map { Set($0.keys) } == ["from", "to", "days", "base", "annualRate", "interest"])
        // The rate is written from integers: the exact digits, no binary rounding.
        #expect(outcome.standardOutput.contains(#""annualRate" : 13.15"#))
        #expect(outcome.standardOutput.contains(#""annualRate" : 12.15"#))
        #expect(outcome.standardOutput.contains(#""from" : "2025-03-11""#))
        #expect(outcome.standardOutput.contains(#""minorUnits" : 8146"#))
    }

    @Test("without --json, one readable line per period with the rate's origin, then the totals")
    func text() {
        let outcome = ChargesCommand.run(arguments: Self.example)
        #expect(outcome.exitCode == 0)
        #expect(outcome.standardOutput == """
            Late-payment charges on 1234.56 EUR due 2025-03-10, as of 2025-09-15
              2025-03-11 .. 2025-06-30  112 days on 1234.56 EUR at 13.15 % (ECB 3.15 % in force on 2025-01-01 + 10): 49.82 EUR
              2025-07-01 .. 2025-09-15   77 days on 1234.56 EUR at 12.15 % (ECB 2.15 % in force on 2025-07-01 + 10): 31.64 EUR
            Interest:  81.46 EUR (actual days / 365, each period rounded half-up to the minor unit)
            Indemnity: 40.00 EUR (fixed recovery indemnity, no VAT)
            Total:     121.46 EUR

            """)
    }

    /// The partial-payment and contractual examples: 58.01 EUR and 95.89 EUR.
    @Test("--paid and --annual-rate feed the computation; the leading 'charges' is optional")
    func paymentsAndContractualRate() throws {
        let paid = ChargesCommand.run(arguments: Self.example + ["--paid", "2025-05-02:500.00", "--json"])
        #expect(paid.exitCode == 0)
        #expect(try JSONDecoder().decode(ChargesResult.self, from: Data(paid.standardOutput.utf8)).interest.minorUnits == 58_01)
        let contractual = ChargesCommand.run(arguments: Array(Self.example.dropFirst()) + ["--annual-rate=15", "--json"])
        #expect(contractual.exitCode == 0)
        #expect(try JSONDecoder().decode(ChargesResult.self, from: Data(contractual.standardOutput.utf8)).interest.minorUnits == 95_89)
        // Two payments in French notation, the second settling the rest: 1234.56 - 500 - 734.56.
        let settled = ChargesCommand.run(arguments: Self.example + ["--paid", "2025-05-02:500,00", "--paid", "2025-05-10:734,56"])
        #expect(settled.exitCode == 0)
        #expect(settled.standardOutput.contains("Note: paid in full on 2025-05-10"))
        #expect(ChargesCommand.run(arguments: Self.example + ["--annual-rate", "15"]).standardOutput.contains("(contractual rate)"))
    }

    @Test("--no-indemnity drops the 40 EUR; --help prints the usage")
    func flags() {
        let consumer = ChargesCommand.run(arguments: Self.example + ["--no-indemnity"])
        #expect(consumer.standardOutput.contains("Indemnity: 0.00 EUR\n"))
        #expect(consumer.standardOutput.contains("Total:     81.46 EUR"))
        let help = ChargesCommand.run(arguments: ["charges", "--help"])
        #expect(help.exitCode == 0)
        #expect(help.standardOutput == ChargesCommand.usage)
    }

    @Test("usage errors exit 64 with the reason and the usage")
    func usageErrors() {
        let cases: [([String], String)] = [
            ([], "--amount is required"),
            (["charges", "--amount", "10", "--due", "2025-03-10"], "--as-of is required"),
            (Self.example + ["--frobnicate"], "unknown option '--frobnicate'"),
            (Self.example + ["extra"], "unexpected argument 'extra'"),
            (Self.example + ["--paid"], "--paid needs a value"),
            (Self.example + ["--amount", "5"], "--amount is given twice"),
            (Self.example + ["--json=yes"], "--json takes no value"),
        ]
        for (arguments, reason) in cases {
            let outcome = ChargesCommand.run(arguments: arguments)
            #expect(outcome.exitCode == 64, "\(arguments)")
            #expect(outcome.standardOutput == "")
            #expect(outcome.standardError.contains(reason), "\(outcome.standardError)")
            #expect(outcome.standardError.hasSuffix(ChargesCommand.usage))
        }
    }

    @Test("bad values exit 65 naming the option and the value")
    func badValues() {
        let base = ["--due", "2025-03-10", "--as-of", "2025-09-15"]
        let cases: [([String], [String])] = [
            (["--amount", "12,34.5"] + base, ["--amount", "12,34.5"]),
            (["--amount", "1.5"] + base + ["--currency", "JPY"], ["--amount", "JPY allows 0"]),
            (["--amount", "10", "--currency", "EUE"] + base, ["--currency", "EUE"]),
            (["--amount", "10", "--due", "2025-02-30", "--as-of", "2025-09-15"], ["--due", "2025-02-30"]),
            (["--amount", "10", "--due", "2025-03-10", "--as-of", "15/09/2025"], ["--as-of", "15/09/2025"]),
            (["--amount", "10", "--annual-rate", "12.155"] + base, ["--annual-rate", "12.155"]),
            (["--amount", "10", "--paid", "2025-05-02"] + base, ["--paid", "YYYY-MM-DD:AMOUNT"]),
            (["--amount", "10", "--paid", "2025-05-32:5"] + base, ["--paid", "2025-05-32"]),
            (["--amount", "10", "--paid", "2025-05-02:-5"] + base, ["not positive"]),
            (["--amount", "-10"] + base, ["amount due", "zero or more"]),
            (["--amount", "10", "--due", "2014-08-01", "--as-of", "2014-09-01"], ["no rate in force on 2014-07-01"]),
        ]
        for (arguments, words) in cases {
            let outcome = ChargesCommand.run(arguments: arguments)
            #expect(outcome.exitCode == 65, "\(arguments): \(outcome.standardError)")
            #expect(outcome.standardOutput == "")
            for word in words {
                #expect(outcome.standardError.contains(word), "\(word) in \(outcome.standardError)")
            }
        }
    }

    @Test("a half-year after the table's end says the rate is the last known one, in the line and in a note")
    func extrapolatedRate() {
        let outcome = ChargesCommand.run(arguments: ["--amount", "1234.56", "--due", "2026-12-20", "--as-of", "2027-01-05"])
        #expect(outcome.exitCode == 0)
        #expect(outcome.standardOutput.contains("(ECB 2.15 % in force on 2026-07-01 + 10)"))
        #expect(outcome.standardOutput.contains("(ECB 2.15 % last known, effective 2025-06-11 + 10)"))
        #expect(outcome.standardOutput.contains("Note: no ECB rate known for the half-year from 2027-01-01"))
    }

    @Test("a USD invoice: interest in USD, no indemnity, and the note printed")
    func otherCurrency() {
        let outcome = ChargesCommand.run(arguments: ["--amount", "1234.56", "--currency", "usd", "--due", "2025-03-10", "--as-of", "2025-09-15"])
        #expect(outcome.exitCode == 0)
        #expect(outcome.standardOutput.contains("Interest:  81.46 USD"))
        #expect(outcome.standardOutput.contains("Indemnity: 0.00 USD\n"))
        #expect(outcome.standardOutput.contains("Note: no recovery indemnity"))
    }
}
