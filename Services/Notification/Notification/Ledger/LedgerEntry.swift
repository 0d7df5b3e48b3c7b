import Events
import Foundation

/// One notification's ledger row, as the changelog carries it (key: the notification id,
/// partition: the command's partition of `notification-requests`). The changelog is what a
/// new owner of a partition restores the ledger from.
public struct LedgerEntry: Codable, Sendable, Hashable {
    public var notificationId: String
    public var customerId: String
    /// The partition of `notification-requests` the command came from.
    public var partition: Int32
    public var channel: String
    public var state: NotificationState
    /// Delivery attempts made (transient failures retried).
    public var attempts: Int
    /// Recipients already delivered to (a retry skips them): e-mail, phone or contact ids.
    public var delivered: [String]
    /// The provider's message ids, when sent.
    public var providerMessageIds: [String]
    /// The last error, in words.
    public var lastError: String?
    /// The channel actually used when the fallback channel replaced the requested one.
    public var fallbackUsed: String?
    /// What the provider calls of this id cost on paid channels, in minor units of the
    /// spending cap's currency (every attempt that reached the provider counts).
    public var cost: Int64?
    /// The day (`YYYY-MM-DD`, in the spending time zone) of the last charge: the partition's
    /// spending of a day is the sum of its rows' costs of that day.
    public var spentOn: String?
    /// The command, kept while `parked` (so that a release, on this instance or on the
    /// partition's next owner, can send it without the record).
    public var command: NotificationRequested?
    /// An operator released the parked command: sent even above the daily cap.
    public var releasedByOperator: Bool?
    public var updatedAt: Date

    public init(notificationId: String, customerId: String, partition: Int32, channel: String, state: NotificationState,
                attempts: Int = 0, delivered: [String] = [], providerMessageIds: [String] = [], lastError: String? = nil,
                fallbackUsed: String? = nil, updatedAt: Date) {
        self.notificationId = notificationId
        self.customerId = customerId
        self.partition = partition
        self.channel = channel
        self.state = state
        self.attempts = attempts
        self.delivered = delivered
        self.providerMessageIds = providerMessageIds
        self.lastError = lastError
        self.fallbackUsed = fallbackUsed
        self.updatedAt = updatedAt
    }
}
