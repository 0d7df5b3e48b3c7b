import Events
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
        /// The largest part of a balance `POST /v1/invoices/{id}/write-off` writes off with an
        /// `amount` (bank fees, rounding), in minor units of the invoice's currency (500 is
        /// 5.00 EUR). Key `writeoff.tolerance`. Default: 500.
        public var writeOffTolerance: Int64 = 500
        /// The `dunningStartsOn` of imported invoices whose CSV row gives none. Key
        /// `import.dunning.start`: `importDay` or a `YYYY-MM-DD` day. Default: the import day.
        public var importDunningStart: InvoicingDatabase.DunningStartDefault = .importDay
        /// Whether sent quotes still valid count in a customer's exposure (credit checks and
        /// the outstanding report), beside open invoices and orders not invoiced. Accepted
        /// quotes always count, through the order their acceptance creates. Key
        /// `exposure.quotes`. Default: false.
        public var exposureIncludesSentQuotes = false
        /// How often quotes past their validity are expired (``QuoteExpirySweeper``). Key
        /// `quotes.expiry.interval`. Default: 15 min.
        public var quoteExpiryInterval: Duration = .seconds(900)

        /// Creates a configuration.
        public init(maximumImportSize: Int64 = 2 << 30, temporaryDirectory: URL = FileManager.default.temporaryDirectory) {
            self.maximumImportSize = maximumImportSize
            self.temporaryDirectory = temporaryDirectory
        }

        /// Reads `import.max.bytes`, `import.temp.dir`, `business.timezone`, `writeoff.tolerance`,
        /// `import.dunning.start`, `exposure.quotes` and `quotes.expiry.interval`.
        /// - Throws: `ConfigurationError` when the size is not a positive integer, the time
        ///   zone is not an IANA identifier, the tolerance is negative or the dunning start is
        ///   neither `importDay` nor a day.
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
            let tolerance = try reader.int("writeoff.tolerance", default: 500)
            guard tolerance >= 0 else {
                throw ConfigurationError(key: "writeoff.tolerance", reason: "give a number of minor units, 0 or more (500 is 5.00 EUR)")
            }
            writeOffTolerance = Int64(tolerance)
            exposureIncludesSentQuotes = try reader.bool("exposure.quotes", default: false)
            quoteExpiryInterval = try reader.duration("quotes.expiry.interval", default: .seconds(900))
            guard quoteExpiryInterval > .zero else {
                throw ConfigurationError(key: "quotes.expiry.interval", reason: "give a positive duration, like 15m")
            }
            if let start = reader.string("import.dunning.start"), start != "importDay" {
                guard let day = try? CalendarDate(iso8601: start) else {
                    throw ConfigurationError(key: "import.dunning.start", reason: "give importDay or a day as YYYY-MM-DD, not '\(start)'")
                }
                importDunningStart = .fixed(day)
            }
        }
    }
}
