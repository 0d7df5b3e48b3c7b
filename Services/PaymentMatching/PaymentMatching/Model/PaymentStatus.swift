/// Where a received payment stands.
public enum PaymentStatus: String, Sendable, Hashable, Codable, CaseIterable {
    /// All of it is allocated to invoices or kept as the customer's credit.
    case allocated
    /// Part of it is allocated; the rest waits in the unmatched queue.
    case partlyAllocated
    /// Nothing allocated yet: in the unmatched queue, with suggestions.
    case unmatched
    /// A person said it is not a customer payment (a refund, a transfer between own accounts).
    case notCustomer
    /// The bank reversed it: its allocations were reversed too.
    case reversed

    /// Whether the payment waits for a person.
    public var isQueued: Bool { self == .unmatched || self == .partlyAllocated }
}
