import Events

/// One file of a template: what a channel sends is made of one or more parts.
///
/// Files are named `<templateId>.<channel>.<part>.mustache`, `<channel>.<part>` being the raw
/// value: `reminder-1.email.subject.mustache`.
public enum TemplatePart: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// The e-mail subject: one line (line breaks and control characters become spaces).
    case emailSubject = "email.subject"
    /// The e-mail's plain-text alternative.
    case emailText = "email.text"
    /// The e-mail's HTML alternative (values HTML-escaped).
    case emailHTML = "email.html"
    /// The text message.
    case smsText = "sms.text"
    /// The printable letter: a whole A4 HTML document (values HTML-escaped). Used for letters
    /// and registered letters alike; `registered` tells them apart in the model.
    case letterHTML = "letter.html"

    /// Whether values are HTML-escaped in this part.
    public var isHTML: Bool { self == .emailHTML || self == .letterHTML }

    /// The parts a channel needs, all of them, from one language; nil for a channel without
    /// templates.
    public static func parts(for channel: NotificationChannel) -> [TemplatePart]? {
        switch channel {
        case .email: [.emailSubject, .emailText, .emailHTML]
        case .sms: [.smsText]
        case .letter, .registeredLetter: [.letterHTML]
        default: nil
        }
    }

    public var description: String { rawValue }
}
