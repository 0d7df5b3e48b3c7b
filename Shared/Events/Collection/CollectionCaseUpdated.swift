import Money

/// `relance.collection.case-updated.v1`: the collection agency reports on a case it was
/// handed (`collection.case-opened`): accepted, collecting, or closed, with what it collected
/// so far. Published by the agency (its own `ce_source`) on `collection-updates`; the
/// scenario scheduler applies it (a closed case lets its invoices out of the case).
public struct CollectionCaseUpdated: CustomerEvent, Hashable {
    public static let eventType = "relance.collection.case-updated.v1"
    public static let topic = Topic.collectionUpdates

    public var customerId: String
    /// The case, as in its `collection.case-opened`.
    public var caseId: String
    /// Where the case stands.
    public var status: Status
    /// What the agency collected on the case so far, in the case's currency (cumulative).
    public var collected: Money?
    /// How a closed case ended: `collected`, `partiallyCollected`, `uncollectible`,
    /// `withdrawn` (an open set).
    public var outcome: String?
    /// The agency's words.
    public var note: String?

    public init(customerId: String, caseId: String, status: Status, collected: Money? = nil, outcome: String? = nil, note: String? = nil) {
        self.customerId = customerId
        self.caseId = caseId
        self.status = status
        self.collected = collected
        self.outcome = outcome
        self.note = note
    }

    public var subject: String? { caseId }

    /// A case's status as the agency reports it.
    public enum Status: String, Codable, Sendable, Hashable, CaseIterable {
        case accepted, collecting, closed
    }
}
