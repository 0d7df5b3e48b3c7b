import Foundation
import Logging
import NIOCore
import NIOPosix
import NIOSSL

/// One open SMTP session: greeted, upgraded to TLS and authenticated as configured, ready
/// for mail transactions. Not for concurrent use: ``SMTPClient`` runs one transaction at a time.
final class SMTPConnection: Sendable {
    /// The EHLO keywords the server advertised (upper case), with their parameters.
    let extensions: [String: [String]]
    let isEncrypted: Bool
    private let channel: SMTPChannel
    private let dataTimeout: TimeAmount

    var isActive: Bool { channel.channel.isActive }
    var supportsPipelining: Bool { extensions["PIPELINING"] != nil }

    private init(channel: SMTPChannel, extensions: [String: [String]], isEncrypted: Bool, dataTimeout: TimeAmount) {
        self.channel = channel
        self.extensions = extensions
        self.isEncrypted = isEncrypted
        self.dataTimeout = dataTimeout
    }

    /// Connects, reads the greeting, says EHLO (HELO if refused), upgrades with STARTTLS and
    /// authenticates as configured. On failure the connection is closed.
    static func open(
        _ configuration: SMTPConfiguration, group: any EventLoopGroup, tls: NIOSSLContext?, logger: Logger
    ) async throws(SMTPError) -> SMTPConnection {
        let nioChannel: any Channel
        do {
            nioChannel = try await ClientBootstrap(group: group)
                .connectTimeout(TimeAmount(configuration.connectTimeout))
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(SMTPReplyDecoder()))
                        try channel.pipeline.syncOperations.addHandler(SMTPClientHandler())
                    }
                }
                .connect(host: configuration.host, port: configuration.port).get()
        } catch {
            throw SMTPError(.connectionFailed, stage: .connect,
                            reason: "cannot connect to \(configuration.host):\(configuration.port): \(error)")
        }
        let channel = SMTPChannel(channel: nioChannel, logger: logger, commandTimeout: TimeAmount(configuration.commandTimeout))
        do {
            let connection = try await handshake(channel, configuration, tls: tls)
            logger.debug("smtp connected", metadata: [
                "relance.smtp.server": "\(configuration.host):\(configuration.port)",
                "relance.smtp.tls": "\(connection.isEncrypted)",
                "relance.smtp.extensions": "\(connection.extensions.keys.sorted().joined(separator: " "))",
            ])
            return connection
        } catch {
            await channel.close()
            throw error
        }
    }

    private static func handshake(
        _ channel: SMTPChannel, _ configuration: SMTPConfiguration, tls: NIOSSLContext?
    ) async throws(SMTPError) -> SMTPConnection {
        let greeting = try await channel.greeting()
        guard greeting.code == 220 else {
            throw SMTPError(greeting.code == 421 ? .connectionClosed : .serviceRefused, stage: .greeting,
                            reason: "the server refused the session", reply: greeting)
        }
        var extensions = try await hello(channel, name: configuration.heloName)
        var isEncrypted = false
        if configuration.startTLS != .off {
            if extensions["STARTTLS"] != nil, let tls {
                let reply = try await channel.command("STARTTLS", stage: .startTLS)
                guard reply.code == 220 else {
                    throw SMTPError(.tlsFailed, stage: .startTLS, reason: "the server refused STARTTLS", reply: reply)
                }
                try await channel.startTLS(context: tls, host: configuration.host)
                // RFC 3207 4.2: forget what was learnt before TLS and ask again.
                extensions = try await hello(channel, name: configuration.heloName)
                isEncrypted = true
            } else if configuration.startTLS == .required {
                _ = try? await channel.command("QUIT", stage: .quit)
                throw SMTPError(.tlsUnavailable, stage: .startTLS,
                                reason: "STARTTLS is required but \(configuration.host) does not offer it")
            }
        }
        if let username = configuration.username {
            guard isEncrypted || configuration.allowsAuthenticationWithoutTLS else {
                throw SMTPError(.insecureAuthentication, stage: .authentication,
                                reason: "credentials would be sent without TLS")
            }
            try await authenticate(channel, username: username, password: configuration.password ?? "",
                                   mechanisms: extensions["AUTH"] ?? [])
        }
        return SMTPConnection(channel: channel, extensions: extensions, isEncrypted: isEncrypted,
                              dataTimeout: TimeAmount(configuration.dataTimeout))
    }

    /// EHLO, or HELO when the server does not know EHLO (RFC 5321 3.2). - Returns: the
    /// extensions (none after HELO).
    private static func hello(_ channel: SMTPChannel, name: String) async throws(SMTPError) -> [String: [String]] {
        let ehlo = try await channel.command("EHLO \(name)", stage: .hello)
        if ehlo.isSuccess {
            var extensions: [String: [String]] = [:]
            for line in ehlo.lines.dropFirst() {
                let words = line.split(separator: " ").map(String.init)
                if let keyword = words.first { extensions[keyword.uppercased()] = words.dropFirst().map { $0.uppercased() } }
            }
            return extensions
        }
        guard ehlo.isPermanentFailure else { throw refused(ehlo, stage: .hello) }
        let helo = try await channel.command("HELO \(name)", stage: .hello)
        guard helo.isSuccess else { throw refused(helo, stage: .hello) }
        return [:]
    }

    /// AUTH PLAIN (RFC 4616) if offered, else AUTH LOGIN.
    private static func authenticate(
        _ channel: SMTPChannel, username: String, password: String, mechanisms: [String]
    ) async throws(SMTPError) {
        let encode = { (text: String) in Data(text.utf8).base64EncodedString() }
        var reply: SMTPReply
        if mechanisms.contains("PLAIN") {
            reply = try await channel.command("AUTH PLAIN " + encode("\0\(username)\0\(password)"), stage: .authentication,
                                              logged: "AUTH PLAIN <redacted>")
        } else if mechanisms.contains("LOGIN") {
            reply = try await channel.command("AUTH LOGIN", stage: .authentication)
            if reply.code == 334 {
                reply = try await channel.command(encode(username), stage: .authentication, logged: "<username>")
            }
            if reply.code == 334 {
                reply = try await channel.command(encode(password), stage: .authentication, logged: "<redacted>")
            }
        } else {
            throw SMTPError(.authenticationUnavailable, stage: .authentication,
                            reason: "the server offers no AUTH PLAIN or LOGIN (offers: \(mechanisms.joined(separator: " ")))")
        }
        guard reply.code == 235 else {
            throw SMTPError(.authenticationFailed, stage: .authentication,
                            reason: "the server did not accept the credentials", reply: reply)
        }
    }

    /// One mail transaction: [RSET,] MAIL FROM, RCPT TO each, DATA, content. With PIPELINING
    /// the envelope commands and DATA go out in one write (RFC 2920: DATA ends a group), so a
    /// message costs two round trips.
    /// - Parameter reset: send RSET first (an earlier transaction on this connection did not
    ///   end cleanly).
    /// - Returns: the per-recipient outcomes and the final reply, when at least one
    ///   recipient was accepted and the content was.
    func transact(
        from: String, recipients: [String], content: [UInt8], reset: Bool
    ) async throws(SMTPError) -> (recipients: [SMTPRecipientResult], reply: SMTPReply) {
        var mail = "MAIL FROM:<\(from)>"
        if extensions["SIZE"] != nil { mail += " SIZE=\(content.count)" }
        let envelope = (reset ? ["RSET"] : []) + [mail] + recipients.map { "RCPT TO:<\($0)>" }
        var replies: [SMTPReply] = []
        var pipelinedData: SMTPReply?
        if supportsPipelining {
            replies = try await channel.send(envelope + ["DATA"], stage: .mailFrom)
            pipelinedData = replies.popLast()
        } else {
            for (index, command) in envelope.enumerated() {
                let stage: SMTPStage = command == "RSET" ? .reset : command == mail ? .mailFrom : .recipient
                let reply = try await channel.command(command, stage: stage)
                replies.append(reply)
                // Once the transaction cannot go on, the rest would only be refused.
                if index < envelope.count - 1, stage != .recipient, !reply.isSuccess { break }
            }
        }
        do throws(SMTPError) {
            var pending = replies[...]
            if reset, let rset = pending.popFirst(), !rset.isSuccess { throw Self.refused(rset, stage: .reset) }
            guard let mailReply = pending.popFirst() else {
                throw SMTPError(.protocolViolation, stage: .mailFrom, reason: "no reply to MAIL FROM")
            }
            guard mailReply.isSuccess else {
                // 552 to MAIL FROM with SIZE: the message is too large, whoever sends it.
                throw Self.refused(mailReply, stage: .mailFrom, code: mailReply.code == 552 ? .messageRejected : .senderRejected)
            }
            var results: [SMTPRecipientResult] = []
            for (address, reply) in zip(recipients, pending) {
                let outcome: SMTPRecipientOutcome = reply.isSuccess ? .accepted : reply.isTransientFailure ? .transient : .permanent
                if reply.code == 421 { throw Self.refused(reply, stage: .recipient) }
                results.append(SMTPRecipientResult(address: address, outcome: outcome, reply: reply))
            }
            guard results.contains(where: { $0.outcome == .accepted }) else {
                let allPermanent = results.allSatisfy { $0.outcome == .permanent }
                throw SMTPError(.recipientsRejected, stage: .recipient,
                                reason: "no recipient was accepted (\(results.map { "\($0.reply.code)" }.joined(separator: ", ")))",
                                recipients: results, isTransient: !allPermanent)
            }
            let data: SMTPReply
            if let pipelinedData {
                data = pipelinedData
            } else {
                data = try await channel.command("DATA", stage: .data)
            }
            guard data.code == 354 else { throw Self.refused(data, stage: .data, code: .messageRejected) }
            let final = try await channel.sendContent(content, timeout: dataTimeout)
            guard final.isSuccess else { throw Self.refused(final, stage: .message, code: .messageRejected) }
            return (results, final)
        } catch {
            // A pipelined DATA the server accepted although the transaction cannot go on (no
            // sender or recipient accepted): RFC 2920 3.1 wants a lone "." to end it.
            if pipelinedData?.code == 354, error.stage != .message, isActive {
                _ = try? await channel.sendContent([], timeout: dataTimeout)
            }
            throw error
        }
    }

    /// QUIT, then close.
    func close() async {
        if isActive { _ = try? await channel.command("QUIT", stage: .quit) }
        await channel.close()
    }

    /// An error for a refusing reply: 421 means the server is closing the connection.
    private static func refused(_ reply: SMTPReply, stage: SMTPStage, code: SMTPError.Code = .serviceRefused) -> SMTPError {
        if reply.code == 421 {
            return SMTPError(.connectionClosed, stage: stage, reason: "the server is closing the connection", reply: reply)
        }
        if !reply.isTransientFailure && !reply.isPermanentFailure {
            return SMTPError(.protocolViolation, stage: stage, reason: "unexpected reply", reply: reply, isTransient: true)
        }
        return SMTPError(code, stage: stage, reason: "the server refused \(stage.rawValue)", reply: reply)
    }
}
