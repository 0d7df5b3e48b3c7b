/// How a dunning step reaches the customer.
public enum DunningChannel: String, Sendable, Hashable, Codable, CaseIterable {
    /// An e-mail (the notification service renders and sends it).
    case email
    /// A text message.
    case sms
    /// A printed letter.
    case letter
    /// A registered letter with acknowledgement of receipt: the French formal notice ("mise
    /// en demeure") goes this way.
    case registeredLetter
    /// A phone call a collector makes: a task, not a message.
    case phoneCall
    /// The case handed to a collection agency (`collection-cases` topic).
    case collectionAgency

    /// Whether a person performs the step (a call) rather than the notification service.
    public var isTask: Bool { self == .phoneCall }
}
