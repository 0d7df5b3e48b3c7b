/// Which template renders a notification: one per kind of message, rendered per channel and
/// language. An open set (a struct, not an enum), encoded as its raw string: scenarios may
/// name templates added later; a notification service without the template fails the
/// request (`notification.failed`, reason `rejected`).
public struct NotificationTemplateId: RawRepresentable, Codable, Sendable, Hashable, CustomStringConvertible {
    /// The value as published.
    public var rawValue: String

    /// Wraps a published value, known or not.
    public init(rawValue: String) {
        self.rawValue = rawValue
    }

    /// A courteous note before the due date.
    public static let courtesyReminder = NotificationTemplateId(rawValue: "courtesy-reminder")
    /// The first reminder after the due date.
    public static let reminder1 = NotificationTemplateId(rawValue: "reminder-1")
    /// The second, firmer reminder.
    public static let reminder2 = NotificationTemplateId(rawValue: "reminder-2")
    /// The written follow-up of a collector's phone call.
    public static let callFollowUp = NotificationTemplateId(rawValue: "call-follow-up")
    /// The formal notice ("mise en demeure"), with the French legal mentions.
    public static let formalNotice = NotificationTemplateId(rawValue: "formal-notice")
    /// The notice that the claim was handed to a collection agency.
    public static let agencyHandoff = NotificationTemplateId(rawValue: "agency-handoff")

    /// The templates shipped with this version.
    public static let known: [NotificationTemplateId] = [
        .courtesyReminder, .reminder1, .reminder2, .callFollowUp, .formalNotice, .agencyHandoff,
    ]

    public var description: String { rawValue }
}
