/// Which of the customer's contacts a step addresses: the roles of invoicing's contacts
/// (`ContactSnapshot.role`).
public enum RecipientRole: String, Sendable, Hashable, Codable, CaseIterable {
    /// Accounts payable: who pays the invoices.
    case accounting
    /// The operational contact: who ordered.
    case operational
    /// Management: for the last steps before formal notice.
    case management
}
