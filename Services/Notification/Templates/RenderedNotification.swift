import Events

/// What a channel sends, rendered: the parts of an e-mail, a text message, or a printable letter.
public struct RenderedNotification: Sendable, Hashable {
    /// An e-mail: a one-line subject and its two alternatives (multipart/alternative).
    public struct Email: Sendable, Hashable {
        /// One line: no CR, LF or other control character, trimmed.
        public let subject: String
        public let text: String
        public let html: String
    }

    /// A printable letter: a whole HTML document laid out for A4 paper.
    public struct Letter: Sendable, Hashable {
        public let html: String
        /// True for a registered letter with acknowledgement of receipt.
        public let registered: Bool
    }

    /// The content, per channel.
    public enum Content: Sendable, Hashable {
        case email(Email)
        case sms(SMSText)
        case letter(Letter)
    }

    public let templateId: NotificationTemplateId
    public let channel: NotificationChannel
    /// The language of the templates used (after fallback), e.g. `en` for a request in `en-GB`.
    public let language: String
    public let content: Content

    /// The e-mail, when the channel is e-mail.
    public var email: Email? {
        if case .email(let email) = content { return email }
        return nil
    }

    /// The text message, when the channel is SMS.
    public var sms: SMSText? {
        if case .sms(let sms) = content { return sms }
        return nil
    }

    /// The letter, when the channel is a letter or a registered letter.
    public var letter: Letter? {
        if case .letter(let letter) = content { return letter }
        return nil
    }
}
