import Foundation

/// What a customer's contact does for them, which decides who gets which reminder.
public enum ContactRole: String, Hashable, Sendable, Codable, CaseIterable, CustomStringConvertible {
    /// Accounts payable: receives invoices and usual reminders.
    case accounting
    /// The people who ordered or use what was sold: asked to unblock approval.
    case operational
    /// Management: receives escalations and formal notices.
    case management

    /// Reads a role name, case-insensitively.
    /// - Throws: `InvoicingError` `.invalidField` (field `role`) for other names.
    public init(parsing text: String) throws(InvoicingError) {
        self = try parseCase(text, field: "role")
    }

    /// The role name (`accounting`).
    public var description: String { rawValue }
}

/// Case-insensitive parsing shared by the string enums of the domain.
func parseCase<Value: RawRepresentable & CaseIterable>(_ text: String, field: String) throws(InvoicingError) -> Value
where Value.RawValue == String {
    let wanted = TextNormalisation.trimmed(text).lowercased()
    if let value = Value.allCases.first(where: { $0.rawValue.lowercased() == wanted }) {
        return value
    }
    let allowed = Value.allCases.map(\.rawValue).joined(separator: ", ")
    throw InvoicingError(.invalidField, "'\(text)' is not a valid \(field); use one of \(allowed)", field: field)
}
