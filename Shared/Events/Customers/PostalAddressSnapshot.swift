/// A postal address as published in customer events: where letters and formal notices go.
public struct PostalAddressSnapshot: Codable, Sendable, Hashable {
    /// Street lines, first to last.
    public var lines: [String]
    public var postalCode: String
    public var city: String
    /// ISO 3166-1 alpha-2.
    public var country: String

    public init(lines: [String], postalCode: String, city: String, country: String) {
        self.lines = lines
        self.postalCode = postalCode
        self.city = city
        self.country = country
    }
}
