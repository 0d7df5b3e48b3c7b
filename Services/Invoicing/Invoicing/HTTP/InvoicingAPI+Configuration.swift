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
        /// The time zone of the business: "today" for portfolio-level figures (`GET
        /// /v1/outstanding` without `asOf`). Customer-level figures keep the customer's own
        /// zone. Key `business.timezone`, an IANA identifier. Default: Europe/Paris.
        public var businessTimeZone: TimeZoneIdentifier = .paris

        /// Creates a configuration.
        public init(maximumImportSize: Int64 = 2 << 30, temporaryDirectory: URL = FileManager.default.temporaryDirectory) {
            self.maximumImportSize = maximumImportSize
            self.temporaryDirectory = temporaryDirectory
        }

        /// Reads `import.max.bytes`, `import.temp.dir` and `business.timezone`.
        /// - Throws: `ConfigurationError` when the size is not a positive integer or the time
        ///   zone is not an IANA identifier.
        public init(reader: ConfigurationReader) throws(ConfigurationError) {
            let size = try reader.int("import.max.bytes", default: 2 << 30)
            guard size > 0 else { throw ConfigurationError(key: "import.max.bytes", reason: "give a positive number of bytes") }
            self.init(
                maximumImportSize: Int64(size),
                temporaryDirectory: reader.string("import.temp.dir").map { URL(fileURLWithPath: $0, isDirectory: true) }
                    ?? FileManager.default.temporaryDirectory)
            if let zone = reader.string("business.timezone") {
                do throws(InvoicingError) {
                    businessTimeZone = try TimeZoneIdentifier(zone)
                } catch {
                    throw ConfigurationError(key: "business.timezone", reason: "give an IANA time zone like Europe/Paris or UTC, not '\(zone)'")
                }
            }
        }
    }
}
