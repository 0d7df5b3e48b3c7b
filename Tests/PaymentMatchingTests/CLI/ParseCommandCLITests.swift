import Foundation
import Money
import PaymentMatching
import Testing

/// Runs the built `payment-matching` executable, as a person would.
@Suite struct ParseCommandCLITests {
    /// The executable next to the test bundle (`.build/<triple>/debug`), else `.build/debug`.
    static var executable: URL? {
        let testBinary = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        var candidates: [URL] = []
        var directory = testBinary.deletingLastPathComponent()
        for _ in 0..<4 {
            candidates.append(directory.appendingPathComponent("payment-matching"))
            directory = directory.deletingLastPathComponent()
        }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        candidates.append(root.appendingPathComponent(".build/debug/payment-matching"))
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }

    struct Run {
        var status: Int32
        var output: Data
        var error: String
    }

    static func run(_ arguments: [String]) throws -> Run {
        let binary = try #require(executable, "payment-matching is not built: run swift build --build-tests")
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        let output = Pipe()
        let error = Pipe()
        process.standardOutput = output
        process.standardError = error
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        let errorData = error.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Run(status: process.terminationStatus, output: data, error: String(decoding: errorData, as: UTF8.self))
    }

    @Test func parsePrintsTheStatementAsJSONWithSortedKeysAndExitsZero() throws {
        let run = try Self.run(["parse", StatementTestFiles.corpusFile("mt940/WoLpH-mt940/knab.sta").path])
        #expect(run.status == 0, "\(run.error)")
        #expect(run.error.isEmpty)
        let text = String(decoding: run.output, as: UTF8.self)
        #expect(text.contains(#""format" : "mt940""#))
        #expect(text.contains(#""bookingDate":"2014-07-29""#))
        // Money as {"currency", "minorUnits"} with sorted keys; one entry per line.
        #expect(text.contains(#"{"amount":{"currency":"EUR","minorUnits":50000},"#))
        let parsed = try JSONDecoder().decode(StatementFile.self, from: run.output)
        #expect(parsed.statements.count == 2)
        #expect(parsed.statements[1].entries.map(\.amount.minorUnits) == [726_000, 50_000])
        #expect(parsed.statements[1].entries.map(\.creditDebit) == [.debit, .credit])
    }

    @Test func parseWithAGivenFormatAndACSVMappingFile() throws {
        let cfonb = try Self.run(["parse", "--format", "cfonb120", StatementTestFiles.corpusFile("cfonb120/OCA-l10n-france/cfonb_classic.cfo").path])
        #expect(cfonb.status == 0, "\(cfonb.error)")
        #expect(try JSONDecoder().decode(StatementFile.self, from: cfonb.output).statements.first?.entries.count == 13)
        let mapping = try StatementTestFiles.temporary(
            #"{"date": "Buchung", "dateFormat": "dd.MM.yyyy", "credit": "Gutschrift", "debit": "Belastung", "fixedCurrency": "CHF", "remittance": ["Buchungstext"]}"#,
            name: "mapping.json")
        let csv = try Self.run(["parse", StatementTestFiles.corpusFile("csv/BananaAccounting-Switzerland/csv_akb_example_format3_20241018.csv").path,
                                "--csv-mapping", mapping.path])
        #expect(csv.status == 0, "\(csv.error)")
        let parsed = try JSONDecoder().decode(StatementFile.self, from: csv.output)
        #expect(parsed.format == .csv)
        #expect(parsed.statements.first?.entries.count == 17)
    }

    @Test func badInputExitsWithDataErrorAndTheLocatedReason() throws {
        let tooPrecise = try StatementTestFiles.temporary(":20:X\n:60F:C200101EUR10,00\n:61:200101C5,001NTRFNONREF\n")
        let run = try Self.run(["parse", tooPrecise.path])
        #expect(run.status == 65)
        // Printed as read: what came before the error is there, never as a whole document.
        #expect((try? JSONDecoder().decode(StatementFile.self, from: run.output)) == nil)
        #expect(run.error.contains("line 3"))
        #expect(run.error.contains("invalidAmount"))
        let garbage = try StatementTestFiles.temporary([0x00, 0xFF, 0x13, 0x37, 0x00, 0x42, 0x00, 0x01])
        let binary = try Self.run(["parse", garbage.path])
        #expect(binary.status == 65)
        #expect(binary.error.contains("binary"))
    }

    @Test func usageErrorsExitWith64() throws {
        // Without arguments (or with only `--flags`) the executable runs the service.
        for arguments in [["import", "x"], ["serve"], ["parse"], ["parse", "a.sta", "--format", "pdf"], ["parse", "a.sta", "--format"]] {
            let run = try Self.run(arguments)
            #expect(run.status == 64, "\(arguments)")
            #expect(run.error.contains("usage: payment-matching parse FILE"), "\(arguments)")
        }
    }

    @Test func aMissingFileExitsWithNoInput() throws {
        let outcome = ParseCommand.run(arguments: ["parse", "/nonexistent/statement.sta"])
        #expect(outcome.exitCode == 66)
        #expect(outcome.standardError.contains("/nonexistent/statement.sta"))
    }

    @Test func csvWithoutAMappingIsAUsageError() {
        let outcome = ParseCommand.run(arguments: ["parse", StatementTestFiles.corpusFile("csv/BananaAccounting-Switzerland/csv_akb_example_format3_20241018.csv").path,
                                                   "--format", "csv"])
        #expect(outcome.exitCode == 64)
        #expect(outcome.standardError.contains("--csv-mapping"))
    }

    @Test func aBalanceMismatchIsInTheJSON() throws {
        let file = try StatementTestFiles.temporary(":20:X\n:60F:C200101EUR10,00\n:61:200101C5,00NTRFNONREF\n:62F:C200101EUR16,00\n-\n")
        let outcome = ParseCommand.run(arguments: ["parse", file.path])
        #expect(outcome.exitCode == 0)
        let parsed = try JSONDecoder().decode(StatementFile.self, from: outcome.standardOutput)
        #expect(parsed.statements.first?.balanceMismatch == Money(minorUnits: 100, currency: .eur))
    }
}
