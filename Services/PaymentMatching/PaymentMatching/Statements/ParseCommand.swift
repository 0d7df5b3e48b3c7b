import Foundation

/// `payment-matching parse FILE [--format F] [--csv-mapping FILE]`: reads a bank file and
/// prints it as JSON (``StatementFile``) without importing anything, so that a person can
/// inspect a file before trusting it. The executable only forwards its arguments here.
public struct ParseCommand: Sendable {
    /// What the process prints and its exit status.
    public struct Outcome: Sendable, Equatable {
        public var exitCode: Int32
        public var standardOutput: Data
        public var standardError: String
    }

    /// Exit statuses (sysexits.h).
    public enum ExitCode {
        public static let ok: Int32 = 0
        /// EX_USAGE: bad arguments.
        public static let usage: Int32 = 64
        /// EX_DATAERR: the file is not a readable statement.
        public static let dataError: Int32 = 65
        /// EX_NOINPUT: the file cannot be opened.
        public static let noInput: Int32 = 66
    }

    public static let usage = """
        usage: payment-matching parse FILE [--format camt.052|camt.053|camt.054|mt940|cfonb120|csv] [--csv-mapping MAPPING.json]

        """

    /// Runs the executable's command line (without the program name).
    public static func run(arguments: [String]) -> Outcome {
        guard arguments.first == "parse" else { return usageError(arguments.isEmpty ? nil : "unknown command '\(arguments[0])'") }
        var file: String?
        var format: StatementFormat?
        var mappingPath: String?
        var index = 1
        while index < arguments.count {
            let argument = arguments[index]
            switch argument {
            case "--format", "--csv-mapping":
                guard index + 1 < arguments.count else { return usageError("\(argument) needs a value") }
                let value = arguments[index + 1]
                if argument == "--format" {
                    guard let parsed = StatementFormat(rawValue: value.lowercased()) else { return usageError("unknown format '\(value)'") }
                    format = parsed
                } else {
                    mappingPath = value
                }
                index += 2
            default:
                guard !argument.hasPrefix("--"), file == nil else { return usageError("unexpected argument '\(argument)'") }
                file = argument
                index += 1
            }
        }
        guard let file else { return usageError("no FILE given") }
        do {
            let parsed = try parse(file: URL(fileURLWithPath: file), format: format, mappingFile: mappingPath.map { URL(fileURLWithPath: $0) })
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            var json = try encoder.encode(parsed)
            json.append(0x0A)
            return Outcome(exitCode: ExitCode.ok, standardOutput: json, standardError: "")
        } catch let error as StatementError {
            let code = error.code == .io ? ExitCode.noInput : error.code == .unsupported && error.location == nil ? ExitCode.usage : ExitCode.dataError
            return Outcome(exitCode: code, standardOutput: Data(), standardError: "payment-matching parse: \(file): \(error)\n")
        } catch {
            return Outcome(exitCode: ExitCode.dataError, standardOutput: Data(), standardError: "payment-matching parse: \(file): \(error)\n")
        }
    }

    /// Reads a bank file whole, with each statement's balances checked.
    /// - Parameters:
    ///   - format: The format, or nil to detect it.
    ///   - mappingFile: A JSON ``CSVStatementMapping``, required for CSV.
    public static func parse(file: URL, format: StatementFormat? = nil, mappingFile: URL? = nil) throws(StatementError) -> StatementFile {
        var mapping: CSVStatementMapping?
        if let mappingFile {
            do {
                mapping = try JSONDecoder().decode(CSVStatementMapping.self, from: Data(contentsOf: mappingFile))
            } catch {
                throw StatementError(.unsupported, "cannot read the CSV mapping \(mappingFile.path): \(error)", location: nil)
            }
        }
        let detected: StatementFormat
        if let format {
            detected = format
        } else {
            detected = try StatementFormatDetector.detect(file: file, hasCSVMapping: mapping != nil)
        }
        let read = try reader(for: detected, mapping: mapping).read(file)
        return StatementFile(format: read.format, statements: read.statements.map(StatementBalanceCheck.checked))
    }

    /// The reader for a format.
    public static func reader(for format: StatementFormat, mapping: CSVStatementMapping?) throws(StatementError) -> any StatementReader {
        switch format {
        case .mt940: return MT940Reader()
        case .cfonb120: return CFONB120Reader()
        case .csv:
            guard let mapping else {
                throw StatementError(.unsupported, "reading CSV needs a column mapping: pass --csv-mapping MAPPING.json", location: nil)
            }
            return CSVStatementReader(mapping: mapping)
        case .camt052, .camt053, .camt054: return CAMTReader(format: format)
        }
    }

    private static func usageError(_ problem: String?) -> Outcome {
        Outcome(exitCode: ExitCode.usage, standardOutput: Data(), standardError: (problem.map { "payment-matching: \($0)\n" } ?? "") + usage)
    }
}
