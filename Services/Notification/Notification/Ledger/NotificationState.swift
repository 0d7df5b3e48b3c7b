/// Where one notification id stands. The ledger holds one row per id; its unique key is what
/// makes a redelivered or replayed command a no-op.
public enum NotificationState: String, Sendable, Hashable, Codable, CaseIterable {
    /// Taken in; not sent yet (waiting for a retry after a transient failure, when `attempts` > 0).
    case received
    /// Handed to the provider, outcome not recorded: recorded before the provider call.
    case sending
    /// The provider accepted it.
    case sent
    /// Permanently failed (invalid address, hard bounce, rejected, attempts exhausted).
    case failed
    /// Found `sending` by an instance that did not send it (the sender stopped between the
    /// provider call and recording its outcome): never sent again automatically, for a person
    /// to check (see docs/operations.md).
    case unconfirmed
    /// Not sent: its paid channel's daily spending cap was reached. Neither sent nor failed;
    /// released the next day, when the cap allows it again, or by an operator
    /// (`POST /v1/notifications/{id}/release`).
    case parked

    /// Whether a command with this id is done with (a redelivery does nothing).
    public var isFinal: Bool { self == .sent || self == .failed || self == .unconfirmed }
}
