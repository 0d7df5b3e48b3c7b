import Logging
import NIOCore
import NIOPosix
import NIOSSL

/// Sends messages over one reused SMTP connection, opened on first use and opened again when
/// the server has closed it.
///
/// Sends are serialised: concurrent callers wait their turn (run several clients for
/// parallel connections). Call ``close()`` when done, which says QUIT.
///
/// SMTP has no idempotency key. A message can reach the server twice only if the connection
/// is lost (or the data timeout passes) after its content was sent and before the server's
/// reply arrived: the error then says ``SMTPError/mayHaveBeenDelivered`` and is transient, and a
/// retry may deliver a second copy. The stable Message-ID lets that copy be recognised as
/// the same message (mail clients and several providers collapse equal Message-IDs).
public actor SMTPClient {
    public let configuration: SMTPConfiguration
    private let group: any EventLoopGroup
    private let tls: NIOSSLContext?
    private let logger: Logger
    private var connection: SMTPConnection?
    /// The open connection's last transaction did not end with the server's reply to its
    /// content (or it was refused): RSET before the next one.
    private var transactionOpen = false
    private var busy = false
    private var waiters: [CheckedContinuation<Void, Never>] = []

    /// - Throws: ``SMTPError/Code/invalidConfiguration`` when the trusted CA file cannot be read
    ///   or a username has no password.
    public init(
        configuration: SMTPConfiguration, eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        logger: Logger
    ) throws(SMTPError) {
        if configuration.username != nil && configuration.password == nil {
            throw SMTPError(.invalidConfiguration, reason: "smtp.username is set but smtp.password is not")
        }
        self.configuration = configuration
        self.group = eventLoopGroup
        self.logger = logger
        guard configuration.startTLS != .off else {
            self.tls = nil
            return
        }
        var tlsConfiguration = TLSConfiguration.makeClientConfiguration()
        switch configuration.certificateTrust {
        case .systemDefault: break
        case .certificates(let pemFile):
            do {
                tlsConfiguration.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(pemFile))
            } catch {
                throw SMTPError(.invalidConfiguration, reason: "cannot read the trusted certificates in \(pemFile): \(error)")
            }
        case .insecureNoVerification:
            tlsConfiguration.certificateVerification = .none
        }
        do {
            self.tls = try NIOSSLContext(configuration: tlsConfiguration)
        } catch {
            throw SMTPError(.invalidConfiguration, reason: "cannot set up TLS: \(error)")
        }
    }

    /// Sends one message: renders it, reuses the open connection (RSET first when the previous
    /// transaction did not end cleanly) or opens one.
    ///
    /// When a reused connection turns out to be closed before any content was sent, the
    /// message is sent once more on a new connection; never after content was sent, since the
    /// server may have taken it.
    /// - Returns: the outcome per recipient, when at least one was accepted.
    /// - Throws: ``SMTPError``; ``SMTPError/isTransient`` tells whether to retry later. When no
    ///   recipient was accepted, ``SMTPError/recipients`` has each one's reply.
    public func send(_ message: EmailMessage) async throws(SMTPError) -> SMTPSendResult {
        let content = try message.rendered()
        await acquire()
        defer { release() }
        var retried = false
        while true {
            let reused = connection?.isActive == true
            let current: SMTPConnection
            if let connection, reused {
                current = connection
            } else {
                await dropConnection()
                current = try await SMTPConnection.open(configuration, group: group, tls: tls, logger: logger)
                connection = current
                transactionOpen = false
            }
            do {
                let reset = transactionOpen
                transactionOpen = true
                let (recipients, reply) = try await current.transact(
                    from: message.from.address, recipients: message.envelopeRecipients, content: content, reset: reset)
                transactionOpen = false
                logger.debug("smtp message accepted", metadata: [
                    "relance.smtp.message_id": "\(message.messageID)", "relance.smtp.reply": "\(reply)",
                ])
                return SMTPSendResult(messageID: message.messageID, recipients: recipients, reply: reply)
            } catch {
                let connectionLost = error.code == .connectionClosed || error.code == .timeout
                    || error.code == .protocolViolation || !current.isActive
                if connectionLost { await dropConnection() }
                if connectionLost, reused, error.stage != .message, !retried {
                    logger.debug("smtp connection lost before the message was sent; reconnecting",
                                 metadata: ["relance.smtp.error": "\(error)"])
                    retried = true
                    continue
                }
                throw error
            }
        }
    }

    /// Says QUIT and closes the connection, if one is open.
    public func close() async {
        await acquire()
        defer { release() }
        await dropConnection()
    }

    private func dropConnection() async {
        guard let connection else { return }
        self.connection = nil
        await connection.close()
    }

    private func acquire() async {
        guard busy else {
            busy = true
            return
        }
        await withCheckedContinuation { waiters.append($0) }
    }

    /// Hands the turn to the next waiter directly, so no newcomer can slip in between.
    private func release() {
        if waiters.isEmpty {
            busy = false
        } else {
            waiters.removeFirst().resume()
        }
    }
}
