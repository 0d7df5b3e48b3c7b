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

    /// Runs the executable's command line (without the program name), collecting the output:
    /// for tests and small files.
    public static func run(arguments: [String]) -> Outcome {
        var output = Data()
        let (code, error) = run(arguments: arguments) { output.append($0) }
        return Outcome(exitCode: code, standardOutput: code == ExitCode.ok ? output : Data(), standardError: error)
    }

    /// Runs the executable's command line (without the program name), handing the JSON to
    /// `write` as the file is read (``StatementJSONWriter``): memory stays bounded whatever
    /// the file's size. On an error what was written is incomplete: only exit status 0 means
    /// a whole document.
    /// - Returns: The exit status and what to print on standard error.
    public static func run(arguments: [String], write: @escaping (Data) -> Void) -> (exitCode: Int32, standardError: String) {
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
        do throws(StatementError) {
            let url = URL(fileURLWithPath: file)
            let (reader, detected) = try reader(for: url, format: format, mappingFile: mappingPath.map { URL(fileURLWithPath: $0) })
            var writer = StatementJSONWriter(format: detected, write: write)
            try reader.read(url, into: &writer)
            writer.finish()
            return (ExitCode.ok, "")
        } catch {
            let code = error.code == .io ? ExitCode.noInput : error.code == .unsupported && error.location == nil ? ExitCode.usage : ExitCode.dataError
            return (code, "payment-matching parse: \(file): \(error)\n")
        }
    }

    /// The reader for a file and the format it reads: `format` when given, else detected.
    /// - Parameter mappingFile: A JSON ``CSVStatementMapping``, required for CSV.
    public static func reader(for file: URL, format: StatementFormat?, mappingFile: URL?) throws(StatementError)
        -> (reader: any StatementReader, format: StatementFormat)
    {
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
        return (try reader(for: detected, mapping: mapping), detected)
    }

    /// Reads a bank file whole, with each statement's balances checked.
    /// - Parameters:
    ///   - format: The format, or nil to detect it.
    ///   - mappingFile: A JSON ``CSVStatementMapping``, required for CSV.
    public static func parse(file: URL, format: StatementFormat? = nil, mappingFile: URL? = nil) throws(StatementError) -> StatementFile {
        let (reader, _) = try reader(for: file, format: format, mappingFile: mappingFile)
        let read = try reader.read(file)
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

    private static func usageError(_ problem: String?) -> (exitCode: Int32, standardError: String) {
        (ExitCode.usage, (problem.map { "payment-matching: \($0)\n" } ?? "") + usage)
    }
}
