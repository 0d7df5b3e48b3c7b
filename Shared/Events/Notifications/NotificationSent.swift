import Foundation

/// `relance.notification.sent.v1`: the provider accepted a requested notification (the SMTP
/// server took the e-mail, the SMS or print provider acknowledged it). Once per notification
/// id; "accepted" is not "read": a later hard bounce is reported as `notification.failed`.
public struct NotificationSent: CustomerEvent, Hashable {
    public static let eventType = "relance.notification.sent.v1"
    public static let topic = Topic.notifications

    /// The `notificationId` of the `notification.requested` it answers.
    public var notificationId: String
    public var customerId: String
    /// The channel it went through: the requested one, or its fallback.
    public var channel: NotificationChannel
    /// The provider's id for the message (the SMTP `Message-ID`, the SMS or letter
    /// provider's id), for tracing it with them.
    public var providerMessageId: String
    /// When the provider accepted it.
    public var sentAt: Date

    public init(notificationId: String, customerId: String, channel: NotificationChannel, providerMessageId: String, sentAt: Date) {
        self.notificationId = notificationId
        self.customerId = customerId
        self.channel = channel
        self.providerMessageId = providerMessageId
        self.sentAt = sentAt
    }

    public var subject: String? { notificationId }
}
