/// Why a notification could not be delivered, for good. An open set (a struct, not an enum),
/// encoded as its raw string: treat an unknown reason like `other`.
public struct NotificationFailureReason: RawRepresentable, Codable, Sendable, Hashable, CustomStringConvertible {
    /// The value as published.
    public var rawValue: String

    /// Wraps a published value, known or not.
    public init(rawValue: String) {
        self.rawValue = rawValue
    }

    /// The recipients' address for the channel is missing or malformed (no e-mail, a phone
    /// number that is not E.164, a postal address the print provider refuses).
    public static let invalidAddress = NotificationFailureReason(rawValue: "invalidAddress")
    /// The receiving mail server refused the address for good (SMTP 5xx on the recipient).
    public static let hardBounce = NotificationFailureReason(rawValue: "hardBounce")
    /// The provider, or the notification service itself, refused the message (content,
    /// unknown template or channel, spending cap, retries exhausted).
    public static let rejected = NotificationFailureReason(rawValue: "rejected")
    /// Anything else; `detail` says what.
    public static let other = NotificationFailureReason(rawValue: "other")

    /// The values this version of the code publishes.
    public static let known: [NotificationFailureReason] = [.invalidAddress, .hardBounce, .rejected, .other]

    public var description: String { rawValue }
}
