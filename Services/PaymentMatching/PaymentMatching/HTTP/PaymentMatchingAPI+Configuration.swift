import Foundation
import ServiceKit

extension PaymentMatchingAPI {
    /// Limits and defaults of statement imports, over HTTP and from the watched folder.
    public struct Configuration: Sendable {
        /// The largest bank file accepted, in bytes; larger uploads get 413 and larger files in
        /// the watched folder are moved to `failed/`. Key `statement.max.bytes`. Default: 512 MiB.
        public var maximumStatementSize: Int64
        /// Where uploads are spooled while they are imported (deleted afterwards). Key
        /// `import.temp.dir`. Default: the system's temporary directory.
        public var temporaryDirectory: URL
        /// The column mapping CSV statements are read with (a JSON ``CSVStatementMapping``).
        /// Key `statement.csv.mapping`, a file path. Default: none (CSV files are refused with a
        /// message saying so).
        public var csvMapping: CSVStatementMapping?

        /// Creates a configuration.
        public init(
            maximumStatementSize: Int64 = 512 << 20, temporaryDirectory: URL = FileManager.default.temporaryDirectory,
            csvMapping: CSVStatementMapping? = nil
        ) {
            self.maximumStatementSize = maximumStatementSize
            self.temporaryDirectory = temporaryDirectory
            self.csvMapping = csvMapping
        }

        /// Reads `statement.max.bytes`, `import.temp.dir` and `statement.csv.mapping`.
        /// - Throws: `ConfigurationError` when the size is not positive or the mapping file
        ///   cannot be read as a mapping.
        public init(reader: ConfigurationReader) throws(ConfigurationError) {
            let size = try reader.int("statement.max.bytes", default: 512 << 20)
            guard size > 0 else { throw ConfigurationError(key: "statement.max.bytes", reason: "give a positive number of bytes") }
            var mapping: CSVStatementMapping?
            if let path = reader.string("statement.csv.mapping") {
                do {
                    mapping = try JSONDecoder().decode(CSVStatementMapping.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
                } catch {
                    throw ConfigurationError(key: "statement.csv.mapping", reason: "cannot read \(path) as a CSV column mapping: \(error)")
                }
            }
            self.init(
                maximumStatementSize: Int64(size),
                temporaryDirectory: reader.string("import.temp.dir").map { URL(fileURLWithPath: $0, isDirectory: true) }
                    ?? FileManager.default.temporaryDirectory,
                csvMapping: mapping)
        }
    }
}
