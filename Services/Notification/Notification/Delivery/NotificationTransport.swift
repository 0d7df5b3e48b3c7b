/// Hands one message to a provider (an SMTP server, an SMS or print-and-post API, a folder).
public protocol NotificationTransport: Sendable {
    /// Delivers one message.
    /// - Returns: the provider's message id.
    /// - Throws: ``DeliveryError``: transient (retried with backoff) or permanent.
    func deliver(_ message: OutgoingMessage) async throws(DeliveryError) -> String
}
