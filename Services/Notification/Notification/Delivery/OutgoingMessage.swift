import Events
import NotificationTemplates

/// One rendered message for one recipient, as a transport delivers it.
public struct OutgoingMessage: Sendable {
    public var notificationId: String
    public var customerId: String
    /// The recipient's position in the command (0-based): part of provider idempotency keys.
    public var recipientIndex: Int
    public var recipient: NotificationRecipient
    public var sender: CreditorSnapshot
    public var rendered: RenderedNotification

    /// The key a provider deduplicates this message by: the notification id and recipient.
    public var idempotencyKey: String { "\(notificationId).\(recipientIndex)" }
}
