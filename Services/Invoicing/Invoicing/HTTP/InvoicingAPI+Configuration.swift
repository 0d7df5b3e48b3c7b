import Foundation
import ServiceKit

extension InvoicingAPI {
    /// Limits of the invoicing API.
    public struct Configuration: Sendable {
        /// The largest CSV upload accepted, in bytes; larger uploads get 413. Key
        /// `import.max.bytes`. Default: 2 GiB.
        public var maximumImportSize: Int64
        /// Where uploads are spooled while they are imported (deleted afterwards). Key
        /// `import.temp.dir`. Default: the system's temporary directory.
        public var temporaryDirectory: URL

        /// Creates a configuration.
        public init(maximumImportSize: Int64 = 2 << 30, temporaryDirectory: URL = FileManager.default.temporaryDirectory) {
            self.maximumImportSize = maximumImportSize
            self.temporaryDirectory = temporaryDirectory
        }

        /// Reads `import.max.bytes` and `import.temp.dir`.
        /// - Throws: `ConfigurationError` when the size is not a positive integer.
        public init(reader: ConfigurationReader) throws(ConfigurationError) {
            let size = try reader.int("import.max.bytes", default: 2 << 30)
            guard size > 0 else { throw ConfigurationError(key: "import.max.bytes", reason: "give a positive number of bytes") }
            self.init(
                maximumImportSize: Int64(size),
                temporaryDirectory: reader.string("import.temp.dir").map { URL(fileURLWithPath: $0, isDirectory: true) }
                    ?? FileManager.default.temporaryDirectory)
        }
    }
}
