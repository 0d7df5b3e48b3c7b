/// How a notification reaches its recipients. An open set (a struct, not an enum), encoded as
/// its raw string: later releases of v1 may add channels; a notification service that does
/// not handle a channel fails the request (`notification.failed`, reason `rejected`).
public struct NotificationChannel: RawRepresentable, Codable, Sendable, Hashable, CustomStringConvertible {
    /// The value as published.
    public var rawValue: String

    /// Wraps a published value, known or not.
    public init(rawValue: String) {
        self.rawValue = rawValue
    }

    /// An e-mail to each recipient's `email`.
    public static let email = NotificationChannel(rawValue: "email")
    /// A text message to each recipient's `phone`.
    public static let sms = NotificationChannel(rawValue: "sms")
    /// A printed letter to each recipient's `postalAddress`.
    public static let letter = NotificationChannel(rawValue: "letter")
    /// A registered letter with acknowledgement of receipt (the French formal notice).
    public static let registeredLetter = NotificationChannel(rawValue: "registeredLetter")

    /// The values this version of the code publishes.
    public static let known: [NotificationChannel] = [.email, .sms, .letter, .registeredLetter]

    public var description: String { rawValue }
}
