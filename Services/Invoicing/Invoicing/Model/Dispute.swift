import Events
import Money

/// A customer's dispute of an invoice, or of part of it. An invoice may have several; resolved
/// ones stay, with their resolution, as the invoice's history.
public struct Dispute: Codable, Sendable, Hashable {
    public var id: String
    public var invoiceId: String
    /// What is contested, in the invoice's currency: its total or a part of it.
    public var amount: Money
    /// The kind of disagreement (``DisputeDraft/knownCategories`` or another lowerCamelCase word).
    public var category: String
    /// What the customer disputes.
    public var reason: String
    public var openedOn: CalendarDate
    /// `nil` while the dispute is open.
    public var resolvedOn: CalendarDate?
    /// How it ended; set with `resolvedOn`.
    public var resolution: String?

    /// Whether the dispute is still open (it holds the invoice's reminders).
    public var isOpen: Bool { resolvedOn == nil }
}

/// The answer to opening or resolving a dispute: the dispute and the invoice as it is afterwards.
public struct DisputeChange: Codable, Sendable, Hashable {
    public var dispute: Dispute
    public var invoice: Invoice
}

/// An invoice's disputes, open and resolved, oldest first.
public struct DisputeList: Codable, Sendable, Hashable {
    public var items: [Dispute]
}
