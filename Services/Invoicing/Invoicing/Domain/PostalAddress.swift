import Foundation

/// A postal address, for letters and formal notices.
///
/// JSON: `{"lines": ["12 rue de la Paix"], "postalCode": "75002", "city": "Paris", "country": "FR"}`.
public struct PostalAddress: Hashable, Sendable, Codable {
    /// Street lines, first to last (building, street, PO box...); 1 to 4 non-empty lines.
    public var lines: [String]
    /// The postal code; may be empty where the country has none.
    public var postalCode: String
    /// The city or locality.
    public var city: String
    /// The country.
    public var country: CountryCode

    /// The most street lines a letter's address block takes.
    public static let maximumLines = 4
    /// The longest street line accepted.
    public static let maximumLineLength = 100
    /// The longest postal code accepted.
    public static let maximumPostalCodeLength = 20
    /// The longest city accepted.
    public static let maximumCityLength = 100

    /// Creates an address; call ``validated()`` before storing it.
    public init(lines: [String], postalCode: String, city: String, country: CountryCode) {
        self.lines = lines
        self.postalCode = postalCode
        self.city = city
        self.country = country
    }

    private enum CodingKeys: String, CodingKey { case lines, postalCode, city, country }

    /// Decodes an address; a missing `postalCode` is empty.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(lines: try container.decode([String].self, forKey: .lines),
                  postalCode: try container.decodeIfGiven(String.self, forKey: .postalCode) ?? "",
                  city: try container.decode(String.self, forKey: .city),
                  country: try container.decode(CountryCode.self, forKey: .country))
    }

    /// The address with blank lines dropped and spaces trimmed.
    /// - Throws: `InvoicingError` `.limitExceeded` beyond ``maximumLines`` lines (blank ones
    ///   included) or a line, postal code or city longer than its limit (as given);
    ///   `.missingField` (`lines`, `city`) when no street line or no city is given.
    public func validated() throws(InvoicingError) -> PostalAddress {
        try InputLimits.check(count: lines.count, atMost: PostalAddress.maximumLines, field: "lines",
                              "street lines are (letters allow 4)")
        for (index, line) in lines.enumerated() {
            try InputLimits.check(line, atMost: PostalAddress.maximumLineLength, field: "lines[\(index)]", "street line \(index + 1)")
        }
        try InputLimits.check(postalCode, atMost: PostalAddress.maximumPostalCodeLength, field: "postalCode", "the postal code")
        try InputLimits.check(city, atMost: PostalAddress.maximumCityLength, field: "city", "the city")
        let cleanLines = lines.map { TextNormalisation.trimmed($0) }.filter { !$0.isEmpty }
        guard !cleanLines.isEmpty else {
            throw InvoicingError(.missingField, "the address has no street line; give at least one", field: "lines")
        }
        let cleanCity = TextNormalisation.trimmed(city)
        guard !cleanCity.isEmpty else {
            throw InvoicingError(.missingField, "the address has no city", field: "city")
        }
        return PostalAddress(lines: cleanLines,
                             postalCode: TextNormalisation.trimmed(postalCode),
                             city: cleanCity, country: country)
    }
}
