import Foundation
import Money
import PaymentMatching
import Testing

@Suite struct StatementJSONWriterTests {
    /// Every CAMT, MT940 and CFONB file of the corpus: streamed JSON decodes to what reading
    /// the file whole gives (balance check included).
    static let files = ["camt053", "camt054", "mt940", "cfonb120"].flatMap { StatementTestFiles.corpusFiles(in: $0) }

    @Test(arguments: files)
    func streamedJSONIsTheWholeFile(file: URL) throws {
        let whole = try ParseCommand.parse(file: file)
        var output = Data()
        let (code, problem) = ParseCommand.run(arguments: ["parse", file.path]) { output.append($0) }
        #expect(code == ParseCommand.ExitCode.ok, "\(problem)")
        let streamed = try JSONDecoder().decode(StatementFile.self, from: output)
        #expect(streamed == whole)
    }

    @Test func theCorpusIsThere() {
        #expect(Self.files.count >= 30, "found \(Self.files.count) files under \(StatementTestFiles.corpus.path)")
    }

    @Test func aStatementWithoutEntriesAndAFileWithoutStatementsAreValidJSON() throws {
        var output = Data()
        var writer = StatementJSONWriter(format: .mt940) { output.append($0) }
        try writer.beginStatement(BankStatement(account: StatementAccount(other: "123"), currency: .eur,
                                                openingBalance: Money(minorUnits: 500, currency: .eur)))
        try writer.endStatement(closingBalance: Money(minorUnits: 700, currency: .eur))
        writer.finish()
        let file = try JSONDecoder().decode(StatementFile.self, from: output)
        #expect(file.statements.count == 1 && file.statements[0].entries.isEmpty)
        #expect(file.statements[0].balanceMismatch == Money(minorUnits: 200, currency: .eur))

        var empty = Data()
        StatementJSONWriter(format: .camt053) { empty.append($0) }.finish()
        #expect(try JSONDecoder().decode(StatementFile.self, from: empty).statements.isEmpty)
    }

    @Test func onBadInputNothingIsPrintedAndTheStatusSaysWhy() throws {
        let notAStatement = try StatementTestFiles.temporary("hello, this is no bank statement\n")
        let outcome = ParseCommand.run(arguments: ["parse", notAStatement.path])
        #expect(outcome.exitCode == ParseCommand.ExitCode.dataError)
        #expect(outcome.standardOutput.isEmpty)
        #expect(!outcome.standardError.isEmpty)
    }
}
