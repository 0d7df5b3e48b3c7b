/// `relance.notification.failed.v1`: a requested notification could not be delivered, for
/// good: retries are over or the failure is permanent. Transient failures are retried and
/// never published. When the request had a `fallbackChannel`, the notification service
/// tries it next and publishes its own outcome; the scheduler may also react (a letter
/// after a bounced e-mail).
public struct NotificationFailed: CustomerEvent, Hashable {
    public static let eventType = "relance.notification.failed.v1"
    public static let topic = Topic.notifications

    /// The `notificationId` of the `notification.requested` it answers.
    public var notificationId: String
    public var customerId: String
    /// The channel that failed.
    public var channel: NotificationChannel
    /// Why, as a code.
    public var reason: NotificationFailureReason
    /// Why, for people (the provider's answer, without personal data beyond the address).
    public var detail: String
    /// Always true in v1: only permanent failures are published.
    public var permanent: Bool

    public init(notificationId: String, customerId: String, channel: NotificationChannel, reason: NotificationFailureReason, detail: String) {
        self.notificationId = notificationId
        self.customerId = customerId
        self.channel = channel
        self.reason = reason
        self.detail = detail
        self.permanent = true
    }

    public var subject: String? { notificationId }
}
