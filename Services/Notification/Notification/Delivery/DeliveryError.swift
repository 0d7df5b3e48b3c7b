import Events

/// Why a delivery did not go through, and whether trying again can help.
public struct DeliveryError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Transient (retry later) or permanent (with the reason `notification.failed` carries).
    public enum Kind: Sendable, Hashable {
        case transient
        case permanent(NotificationFailureReason)
    }

    public var kind: Kind
    public var reason: String

    public init(_ kind: Kind, _ reason: String) {
        self.kind = kind
        self.reason = reason
    }

    public var isTransient: Bool { kind == .transient }
    public var description: String { reason }
}
