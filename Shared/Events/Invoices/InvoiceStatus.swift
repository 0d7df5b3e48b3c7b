/// Where an invoice stands. Overdue is not a status: it derives from the due date and the
/// day asked about, in the customer's time zone.
public enum InvoiceStatus: String, Codable, Sendable, Hashable, CaseIterable {
    case open
    case partiallyPaid
    case paid
    case cancelled
    case writtenOff

    /// Whether money is still expected on the invoice.
    public var isOpen: Bool { self == .open || self == .partiallyPaid }
}
