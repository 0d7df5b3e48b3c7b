/// What happened to one recipient of a message.
public enum SMTPRecipientOutcome: Sendable, Equatable {
    /// The server took responsibility for delivering to this recipient.
    case accepted
    /// 4xx: refused for now (mailbox busy, greylisting, quota); retry later.
    case transient
    /// 5xx: refused for good (unknown mailbox, policy); do not retry.
    case permanent
}

/// One recipient's outcome with the server's reply to its RCPT TO.
public struct SMTPRecipientResult: Sendable, Equatable {
    public let address: String
    public let outcome: SMTPRecipientOutcome
    public let reply: SMTPReply

    public init(address: String, outcome: SMTPRecipientOutcome, reply: SMTPReply) {
        self.address = address
        self.outcome = outcome
        self.reply = reply
    }
}

/// A message the server accepted for at least one recipient.
public struct SMTPSendResult: Sendable, Equatable {
    /// The message's Message-ID (`id@domain`), the same the caller gave.
    public let messageID: String
    /// One result per envelope recipient, in the order they were sent.
    public let recipients: [SMTPRecipientResult]
    /// The server's reply to the end of the data, often with its queue id.
    public let reply: SMTPReply

    /// Addresses the server accepted.
    public var accepted: [String] { recipients.filter { $0.outcome == .accepted }.map(\.address) }
    /// Recipients refused with 4xx: send to them again later.
    public var transientFailures: [SMTPRecipientResult] { recipients.filter { $0.outcome == .transient } }
    /// Recipients refused with 5xx.
    public var permanentFailures: [SMTPRecipientResult] { recipients.filter { $0.outcome == .permanent } }
}
