/// How a dunning step was carried out: a notification channel, a collector's task or the
/// hand-over to an agency. An open set (a struct, not an enum), encoded as its raw string:
/// later releases of v1 may add channels; show an unknown one as is.
public struct DunningStepChannel: RawRepresentable, Codable, Sendable, Hashable, CustomStringConvertible {
    /// The value as published.
    public var rawValue: String

    /// Wraps a published value, known or not.
    public init(rawValue: String) {
        self.rawValue = rawValue
    }

    /// An e-mail (a `notification.requested`).
    public static let email = DunningStepChannel(rawValue: "email")
    /// A text message (a `notification.requested`).
    public static let sms = DunningStepChannel(rawValue: "sms")
    /// A letter (a `notification.requested`).
    public static let letter = DunningStepChannel(rawValue: "letter")
    /// A registered letter (a `notification.requested`).
    public static let registeredLetter = DunningStepChannel(rawValue: "registeredLetter")
    /// A phone call by a collector (a `dunning.task-created`).
    public static let phoneCall = DunningStepChannel(rawValue: "phoneCall")
    /// The hand-over to a collection agency (a `collection.case-opened`).
    public static let collectionAgency = DunningStepChannel(rawValue: "collectionAgency")

    /// The values this version of the code publishes.
    public static let known: [DunningStepChannel] = [.email, .sms, .letter, .registeredLetter, .phoneCall, .collectionAgency]

    /// The same channel as a notification channel.
    public init(_ channel: NotificationChannel) {
        self.init(rawValue: channel.rawValue)
    }

    public var description: String { rawValue }
}
