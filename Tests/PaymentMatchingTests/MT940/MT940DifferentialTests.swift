import Events
import Foundation
import Money
import PaymentMatching
import Testing

/// Reads every MT940 file of the corpus with this reader and with the Python reference parser
/// `mt-940` (PyPI, run through ``MT940ReferenceScript``) and compares what both read per `:61:`:
/// value date, entry date, amount, currency, direction and reversal.
///
/// Deliberate differences, checked as such:
/// - `mt-940` gives an `RC` (reversal of a credit) a positive amount by default (its
///   `reversal_sign` option is off); here the amount is always positive and `RC` is a debit,
///   so amounts are compared as magnitudes and the mark against `creditDebit` + `reversal`.
/// - `mt-940` cannot read ASN Bank's file (0708271685_09022020_164516.940.txt): its `:61:`
///   lines carry an 18-character counterparty account as the customer reference, longer than
///   the standard's 16; this reader accepts it (banks do write that), so the file is expected
///   to fail there and read here.
/// - `mt-940` leaves the entry date empty when the `:61:` has none; here the booking date is
///   then the value date.
@Suite struct MT940DifferentialTests {
    struct ReferenceEntry: Decodable {
        var amount: String
        var currency: String
        var date: String?
        var entry_date: String?
        var status: String?
    }

    struct ReferenceOutput: Decodable {
        var entries: [ReferenceEntry]
    }

    static func writeScript() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("relance-mt940-reference-\(UUID().uuidString).py")
        try Data(MT940ReferenceScript.source.utf8).write(to: url)
        return url
    }
    static let filesPythonCannotRead: Set<String> = ["0708271685_09022020_164516.940.txt"]

    /// `RELANCE_PYTHON`, else the project's venv (.deps/venv/bin/python).
    static var python: URL? {
        if let configured = ProcessInfo.processInfo.environment["RELANCE_PYTHON"], !configured.isEmpty {
            return FileManager.default.isExecutableFile(atPath: configured) ? URL(fileURLWithPath: configured) : nil
        }
        let venv = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent(".deps/venv/bin/python")
        return FileManager.default.isExecutableFile(atPath: venv.path) ? venv : nil
    }

    static func runReference(_ python: URL, script: URL, on file: URL) throws -> (status: Int32, output: Data, error: String) {
        let process = Process()
        process.executableURL = python
        process.arguments = [script.path, file.path]
        let output = Pipe()
        let error = Pipe()
        process.standardOutput = output
        process.standardError = error
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        let errorData = error.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, data, String(decoding: errorData, as: UTF8.self))
    }

    /// Minor units of the magnitude of a decimal string like "-25.03" or "500".
    static func minorUnits(_ decimal: String, currency: Currency) throws -> Int64 {
        let magnitude = decimal.hasPrefix("-") ? String(decimal.dropFirst()) : decimal
        let parts = magnitude.split(separator: ".", omittingEmptySubsequences: false)
        let whole = try #require(Int64(parts[0]))
        var fraction = parts.count > 1 ? String(parts[1]) : ""
        while fraction.count < currency.minorUnitDigits { fraction += "0" }
        return whole * currency.minorUnitsPerMajor + (try #require(Int64(fraction.isEmpty ? "0" : fraction)))
    }

    /// Skipped, saying so, only when there is no Python at all; with Python but without
    /// `mt-940` it fails (bootstrap.sh installs it).
    @Test(.enabled(if: MT940DifferentialTests.python != nil,
                   "no Python: set RELANCE_PYTHON or run Deploy/local/bootstrap.sh (it installs mt-940 into .deps/venv)"))
    func theReaderAgreesWithThePythonMt940LibraryOnEveryCorpusFile() throws {
        let python = try #require(Self.python)
        let script = try Self.writeScript()
        defer { try? FileManager.default.removeItem(at: script) }
        let probe = try Self.runReference(python, script: script, on: StatementTestFiles.corpusFile("mt940/WoLpH-mt940/triodos.sta"))
        try #require(probe.status == 0, "the reference parser does not run: \(probe.error); install it with \(python.path) -m pip install mt-940")
        let files = StatementTestFiles.corpusFiles(in: "mt940")
        #expect(files.count >= 15)
        var compared = 0
        for file in files {
            let name = file.lastPathComponent
            let ours = try MT940Reader().read(file).statements.flatMap(\.entries)
            let reference = try Self.runReference(python, script: script, on: file)
            if Self.filesPythonCannotRead.contains(name) {
                #expect(reference.status != 0, "\(name): mt-940 now reads it; compare it")
                #expect(!ours.isEmpty)
                continue
            }
            try #require(reference.status == 0, "\(name): \(reference.error)")
            let theirs = try JSONDecoder().decode(ReferenceOutput.self, from: reference.output).entries
            #expect(ours.count == theirs.count, "\(name): entry counts differ")
            for (index, (mine, their)) in zip(ours, theirs).enumerated() {
                let label = "\(name) entry \(index + 1)"
                #expect(mine.amount.currency.code == their.currency, "\(label)")
                #expect(mine.amount.minorUnits == (try Self.minorUnits(their.amount, currency: mine.amount.currency)), "\(label)")
                #expect(mine.valueDate?.description == their.date, "\(label)")
                if let entryDate = their.entry_date {
                    #expect(mine.bookingDate?.description == entryDate, "\(label)")
                }
                let mark = switch (mine.creditDebit, mine.reversal) {
                case (.credit, false): "C"
                case (.debit, false): "D"
                case (.debit, true): "RC"
                case (.credit, true): "RD"
                }
                #expect(mark == their.status, "\(label)")
                compared += 1
            }
        }
        #expect(compared > 150)
    }
}
