/// What a collector's task asks for. An open set (a struct, not an enum), encoded as its raw
/// string: later releases of v1 may add kinds; show an unknown one as is.
public struct DunningTaskKind: RawRepresentable, Codable, Sendable, Hashable, CustomStringConvertible {
    /// The value as published.
    public var rawValue: String

    /// Wraps a published value, known or not.
    public init(rawValue: String) {
        self.rawValue = rawValue
    }

    /// Call the customer's contact.
    public static let phoneCall = DunningTaskKind(rawValue: "phoneCall")
    /// Approve the next step (a formal notice, an agency hand-over) before it goes out.
    public static let approval = DunningTaskKind(rawValue: "approval")
    /// File the claims with the court's mandataire (collective proceedings).
    public static let claimFiling = DunningTaskKind(rawValue: "claimFiling")
    /// Declare the overdue invoices to the credit insurer.
    public static let insuranceDeclaration = DunningTaskKind(rawValue: "insuranceDeclaration")

    /// The values this version of the code publishes.
    public static let known: [DunningTaskKind] = [.phoneCall, .approval, .claimFiling, .insuranceDeclaration]

    public var description: String { rawValue }
}
