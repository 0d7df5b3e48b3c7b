import Logging
import NIOCore
import NIOSSL

/// The async face of an SMTP channel: write commands, wait for their replies within a time
/// limit, upgrade to TLS. Every failure comes out as an ``SMTPError`` naming its stage.
struct SMTPChannel: Sendable {
    let channel: any Channel
    let logger: Logger
    let commandTimeout: TimeAmount

    /// Writes the commands in one write (one command, or a pipelined group) and waits for one
    /// reply each. `logged` replaces the commands in the trace log (AUTH carries secrets).
    func send(_ commands: [String], stage: SMTPStage, logged: String? = nil) async throws(SMTPError) -> [SMTPReply] {
        logger.trace("smtp >", metadata: ["relance.smtp.command": "\(logged ?? commands.joined(separator: " | "))"])
        let bytes = ByteBuffer(string: commands.map { $0 + "\r\n" }.joined())
        let replies = try await exchange(bytes, replies: commands.count, stage: stage, timeout: commandTimeout)
        logger.trace("smtp <", metadata: ["relance.smtp.reply": "\(replies.map(\.description).joined(separator: " | "))"])
        return replies
    }

    /// One command and its reply.
    func command(_ command: String, stage: SMTPStage, logged: String? = nil) async throws(SMTPError) -> SMTPReply {
        try await send([command], stage: stage, logged: logged)[0]
    }

    /// Waits for the greeting the server sends by itself.
    func greeting() async throws(SMTPError) -> SMTPReply {
        try await exchange(ByteBuffer(), replies: 1, stage: .greeting, timeout: commandTimeout)[0]
    }

    /// Sends message content after a 354: dot-stuffed, then the terminating `.` line.
    func sendContent(_ content: [UInt8], timeout: TimeAmount) async throws(SMTPError) -> SMTPReply {
        let bytes = ByteBuffer(bytes: Self.dotStuffed(content))
        let reply = try await exchange(bytes, replies: 1, stage: .message, timeout: timeout)[0]
        logger.trace("smtp <", metadata: ["relance.smtp.reply": "\(reply)"])
        return reply
    }

    /// Puts a TLS client handler first in the pipeline and waits for its handshake, within
    /// the command timeout.
    func startTLS(context: NIOSSLContext, host: String) async throws(SMTPError) {
        let channel = self.channel
        // SNI may not carry an IP address; NIOSSL then checks the certificate's IP entries.
        let serverHostname = (try? SocketAddress(ipAddress: host, port: 0)) == nil ? host : nil
        let done = channel.eventLoop.makePromise(of: Void.self)
        let timeout = commandTimeout
        let timer = channel.eventLoop.scheduleTask(in: timeout) {
            done.fail(SMTPError(.timeout, stage: .startTLS, reason: "no TLS handshake within \(timeout.nanoseconds / 1_000_000) ms"))
            channel.close(promise: nil)
        }
        channel.eventLoop.execute {
            do {
                let tls = try NIOSSLClientHandler(context: context, serverHostname: serverHostname)
                try channel.pipeline.syncOperations.handler(type: SMTPClientHandler.self).awaitHandshake(done)
                try channel.pipeline.syncOperations.addHandler(tls, position: .first)
            } catch {
                done.fail(error)
            }
        }
        do {
            try await done.futureResult.get()
            timer.cancel()
        } catch {
            timer.cancel()
            throw Self.mapped(error, stage: .startTLS)
        }
    }

    func close() async {
        try? await channel.close()
    }

    private func exchange(_ bytes: ByteBuffer, replies count: Int, stage: SMTPStage, timeout: TimeAmount) async throws(SMTPError) -> [SMTPReply] {
        let channel = self.channel
        let promise = channel.eventLoop.makePromise(of: [SMTPReply].self)
        let timer = channel.eventLoop.scheduleTask(in: timeout) {
            promise.fail(SMTPError(.timeout, stage: stage, reason: "no reply within \(timeout.nanoseconds / 1_000_000) ms"))
            channel.close(promise: nil)
        }
        channel.writeAndFlush(SMTPRequest(bytes: bytes, expectedReplies: count, replies: promise))
            .whenFailure { promise.fail($0) }
        do {
            let replies = try await promise.futureResult.get()
            timer.cancel()
            return replies
        } catch {
            timer.cancel()
            throw Self.mapped(error, stage: stage)
        }
    }

    /// RFC 5321 4.5.2: a line starting with "." gets another one; the content ends with CRLF
    /// (added if missing) and then ".\r\n".
    static func dotStuffed(_ content: [UInt8]) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(content.count + content.count / 64 + 5)
        var atLineStart = true
        for byte in content {
            if atLineStart && byte == UInt8(ascii: ".") { output.append(byte) }
            output.append(byte)
            atLineStart = byte == 10
        }
        if !output.isEmpty && !(output.count >= 2 && output[output.count - 2] == 13 && output[output.count - 1] == 10) {
            output.append(contentsOf: [13, 10])
        }
        output.append(contentsOf: [UInt8(ascii: "."), 13, 10])
        return output
    }

    static func mapped(_ error: any Error, stage: SMTPStage) -> SMTPError {
        if let error = error as? SMTPError {
            guard error.stage == nil else { return error }
            return SMTPError(error.code, stage: stage, reason: error.reason, reply: error.reply, isTransient: error.isTransient)
        }
        if error is NIOSSLError || error is NIOSSLExtraError || error is BoringSSLError {
            return SMTPError(.tlsFailed, stage: stage, reason: "TLS: \(error)")
        }
        if let error = error as? ChannelError, error == .ioOnClosedChannel || error == .alreadyClosed || error == .eof {
            return SMTPError(.connectionClosed, stage: stage, reason: "the connection is closed")
        }
        return SMTPError(.connectionClosed, stage: stage, reason: "connection failed: \(error)")
    }
}
