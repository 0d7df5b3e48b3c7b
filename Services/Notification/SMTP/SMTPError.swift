/// What went wrong talking to an SMTP server or building a message, where, and what to do.
///
/// ``isTransient`` is the caller's decision: retry later (4xx replies, timeouts, lost
/// connections) or give up and report the failure (5xx replies, invalid input, configuration).
public struct SMTPError: Error, Sendable, CustomStringConvertible {
    /// The kind of failure.
    public enum Code: String, Sendable {
        /// An address is not a plain ASCII `local@domain` mailbox: fix the input.
        case invalidAddress
        /// An extra header's name is reserved or malformed: fix the caller.
        case invalidHeader
        /// The Message-ID is not `id@domain` without spaces or angle brackets: fix the caller.
        case invalidMessageID
        /// The configuration cannot be used (unreadable CA file, missing password): fix it.
        case invalidConfiguration
        /// No TCP connection could be opened (refused, unreachable, connect timeout).
        case connectionFailed
        /// The server closed the connection, or said so with 421.
        case connectionClosed
        /// The server did not answer within the configured timeout.
        case timeout
        /// STARTTLS is required but the server does not offer it: nothing was sent.
        case tlsUnavailable
        /// The TLS handshake failed (certificate not trusted, wrong host name, protocol).
        case tlsFailed
        /// A username is configured but the server offers neither AUTH PLAIN nor LOGIN.
        case authenticationUnavailable
        /// The server refused the credentials.
        case authenticationFailed
        /// Credentials would go over a connection without TLS, which the configuration forbids.
        case insecureAuthentication
        /// The greeting or HELO/EHLO was refused.
        case serviceRefused
        /// MAIL FROM was refused.
        case senderRejected
        /// No recipient was accepted (see ``SMTPError/recipients``).
        case recipientsRejected
        /// DATA or the message content was refused.
        case messageRejected
        /// The server's reply was malformed or not one the protocol allows here.
        case protocolViolation
    }

    public let code: Code
    /// The protocol step that failed, when it was a network step.
    public let stage: SMTPStage?
    /// What happened, in words.
    public let reason: String
    /// The server's reply that caused the failure, when there was one.
    public let reply: SMTPReply?
    /// Per-recipient outcomes when ``code`` is ``Code/recipientsRejected``.
    public let recipients: [SMTPRecipientResult]
    /// Whether retrying later may succeed; `false` means report the failure.
    public let isTransient: Bool

    public init(
        _ code: Code, stage: SMTPStage? = nil, reason: String, reply: SMTPReply? = nil,
        recipients: [SMTPRecipientResult] = [], isTransient: Bool? = nil
    ) {
        self.code = code
        self.stage = stage
        self.reason = reason
        self.reply = reply
        self.recipients = recipients
        self.isTransient = isTransient ?? reply.map { $0.isTransientFailure } ?? Self.transientByDefault(code)
    }

    private static func transientByDefault(_ code: Code) -> Bool {
        switch code {
        // A server that breaks the protocol is more likely broken for now than for good.
        case .connectionFailed, .connectionClosed, .timeout, .protocolViolation: true
        default: false
        }
    }

    /// Whether the server may have taken the message although this error was thrown: the
    /// connection failed after the content was sent and before the reply came. A retry may
    /// then deliver it twice (with the same Message-ID).
    public var mayHaveBeenDelivered: Bool {
        stage == .message && [.connectionClosed, .timeout, .protocolViolation].contains(code)
    }

    /// What the caller should do about it.
    public var advice: String {
        switch code {
        case .invalidAddress, .invalidHeader, .invalidMessageID: "fix the message; sending it again cannot succeed"
        case .invalidConfiguration: "fix the SMTP configuration"
        case .tlsUnavailable: "enable STARTTLS on the server, or set smtp.starttls to opportunistic or off"
        case .tlsFailed: "check the server's certificate and host name, or the trusted CA"
        case .authenticationUnavailable, .authenticationFailed, .insecureAuthentication:
            "check smtp.username, smtp.password and the server's AUTH settings"
        case .recipientsRejected where !isTransient: "the addresses are invalid or refused: do not retry"
        default: isTransient ? "retry later" : "do not retry: the server refused it permanently"
        }
    }

    public var description: String {
        var text = "SMTP \(code.rawValue)"
        if let stage { text += " at \(stage.rawValue)" }
        text += ": \(reason)"
        if let reply { text += " (server: \(reply))" }
        return text + "; \(advice)"
    }
}

/// The step of the SMTP conversation an error happened in.
public enum SMTPStage: String, Sendable {
    /// `message` is the content and the reply to it; every stage before it sends no content.
    case connect, greeting, hello, startTLS, authentication, reset, mailFrom, recipient, data, message, quit
}
