import Foundation

/// How a contact prefers to be reached.
public enum Channel: String, Hashable, Sendable, Codable, CaseIterable, CustomStringConvertible {
    /// E-mail; needs the contact's e-mail address.
    case email
    /// Text message; needs the contact's phone number.
    case sms
    /// Postal letter; needs the customer's billing address.
    case letter
    /// A call made by a person (a manual task); needs the contact's phone number.
    case phone

    /// Reads a channel name, case-insensitively.
    /// - Throws: `InvoicingError` `.invalidField` (field `preferredChannel`) for other names.
    public init(parsing text: String) throws(InvoicingError) {
        self = try parseCase(text, field: "preferredChannel")
    }

    /// The channel name (`email`).
    public var description: String { rawValue }
}
