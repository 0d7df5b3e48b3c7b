import Foundation

/// An IANA time zone identifier (`Europe/Paris`, `America/New_York`, `UTC`): where a customer
/// is, so reminders go out in their business hours.
///
/// Abbreviations and raw offsets (`CET`, `EST`, `GMT+1`) are refused: they do not follow
/// daylight saving time the way the customer's clock does. Encodes as the identifier.
public struct TimeZoneIdentifier: Hashable, Sendable, CustomStringConvertible {
    /// The IANA identifier, as given (`"Europe/Paris"`).
    public let identifier: String

    /// Validates an identifier, ignoring surrounding spaces.
    /// - Throws: `InvoicingError` `.invalidTimeZone` (field `timeZone`) when the system's time
    ///   zone database does not know it, or it is neither a `Area/City` form nor `UTC`.
    public init(_ text: String) throws(InvoicingError) {
        let trimmed = TextNormalisation.trimmed(text)
        guard trimmed == "UTC" || trimmed.contains("/"), TimeZone(identifier: trimmed) != nil else {
            throw InvoicingError(.invalidTimeZone,
                                 "'\(text)' is not an IANA time zone; use an identifier like Europe/Paris or UTC",
                                 field: "timeZone")
        }
        self.identifier = trimmed
    }

    /// The time zone, for converting instants to the customer's calendar days and hours.
    public var timeZone: TimeZone {
        TimeZone(identifier: identifier) ?? TimeZone(secondsFromGMT: 0) ?? .current
    }

    /// Europe/Paris.
    public static let paris = TimeZoneIdentifier(unchecked: "Europe/Paris")
    /// UTC.
    public static let utc = TimeZoneIdentifier(unchecked: "UTC")

    /// The usual time zone of a country that has only one, for imports that give none;
    /// nil for countries with several zones or not listed.
    public static func `default`(for country: CountryCode) -> TimeZoneIdentifier? {
        countryDefaults[country.code].map(TimeZoneIdentifier.init(unchecked:))
    }

    /// The identifier.
    public var description: String { identifier }

    private init(unchecked identifier: String) { self.identifier = identifier }

    private static let countryDefaults: [String: String] = [
        "FR": "Europe/Paris", "MC": "Europe/Monaco", "BE": "Europe/Brussels", "LU": "Europe/Luxembourg",
        "CH": "Europe/Zurich", "DE": "Europe/Berlin", "AT": "Europe/Vienna", "IT": "Europe/Rome",
        "NL": "Europe/Amsterdam", "GB": "Europe/London", "IE": "Europe/Dublin", "PL": "Europe/Warsaw",
        "CZ": "Europe/Prague", "SE": "Europe/Stockholm", "DK": "Europe/Copenhagen", "NO": "Europe/Oslo",
        "FI": "Europe/Helsinki", "GR": "Europe/Athens", "RO": "Europe/Bucharest", "HU": "Europe/Budapest",
        "MA": "Africa/Casablanca", "TN": "Africa/Tunis", "DZ": "Africa/Algiers", "SN": "Africa/Dakar",
        "CI": "Africa/Abidjan", "JP": "Asia/Tokyo", "SG": "Asia/Singapore", "IN": "Asia/Kolkata",
    ]
}

extension TimeZoneIdentifier: Codable {
    /// Decodes and validates the identifier.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        do {
            try self.init(text)
        } catch {
            throw error.decodingError(decoder)
        }
    }

    /// Encodes the identifier.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(identifier)
    }
}
