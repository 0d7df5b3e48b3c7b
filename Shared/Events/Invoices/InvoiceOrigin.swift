/// Where an invoice comes from. An open set of values (a struct, not an enum), encoded as its
/// raw string: later versions of v1 may add origins, which readers must accept.
public struct InvoiceOrigin: RawRepresentable, Codable, Sendable, Hashable, CustomStringConvertible {
    /// The value as published.
    public var rawValue: String

    /// Wraps a published value, known or not.
    public init(rawValue: String) {
        self.rawValue = rawValue
    }

    /// Issued through Relance's API.
    public static let issued = InvoiceOrigin(rawValue: "issued")
    /// Brought in by a CSV import (a sync of the creditor's ERP), possibly already paid.
    public static let imported = InvoiceOrigin(rawValue: "imported")

    /// The values this version of the code publishes.
    public static let known: [InvoiceOrigin] = [.issued, .imported]

    public var description: String { rawValue }
}
