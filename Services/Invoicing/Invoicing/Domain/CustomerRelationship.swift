/// Whether a company is a prospect (not signed yet) or a customer.
///
/// A prospect is vetted (``Vetting``) and may receive quotes; it is never invoiced and has
/// no orders, so the scheduler never reminds it. Signing makes it a customer.
public enum CustomerRelationship: String, Hashable, Sendable, Codable, CaseIterable {
    case prospect
    case customer
}
