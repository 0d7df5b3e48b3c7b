import NIOCore
import NIOTLS

/// Bytes to write and how many replies they call for, with the promise of those replies.
/// An empty write waits for replies the server sends by itself (the greeting).
struct SMTPRequest: Sendable {
    let bytes: ByteBuffer
    let expectedReplies: Int
    let replies: EventLoopPromise<[SMTPReply]>
}

/// Splits the byte stream into ``SMTPReply`` values.
struct SMTPReplyDecoder: ByteToMessageDecoder {
    typealias InboundOut = SMTPReply
    private var parser = SMTPReplyParser()

    mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard let newline = buffer.readableBytesView.firstIndex(of: UInt8(ascii: "\n")) else {
            guard buffer.readableBytes <= SMTPReplyParser.maximumLineLength else {
                throw SMTPError(.protocolViolation, reason: "a reply line is longer than \(SMTPReplyParser.maximumLineLength) octets")
            }
            return .needMoreData
        }
        let line = buffer.readString(length: newline - buffer.readerIndex + 1) ?? ""
        if let reply = try parser.feed(Substring(line)) {
            context.fireChannelRead(Self.wrapInboundOut(reply))
        }
        return .continue
    }

    mutating func decodeLast(context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool) throws -> DecodingState {
        while try decode(context: context, buffer: &buffer) == .continue {}
        return .needMoreData
    }
}

/// Matches replies to requests in order (which is what makes pipelining work: RFC 2920 keeps
/// replies in command order) and fails every waiting request when the connection ends.
final class SMTPClientHandler: ChannelDuplexHandler {
    typealias InboundIn = SMTPReply
    typealias OutboundIn = SMTPRequest
    typealias OutboundOut = ByteBuffer

    private struct Waiting {
        let expected: Int
        var replies: [SMTPReply]
        let promise: EventLoopPromise<[SMTPReply]>
    }

    private var waiting = CircularBuffer<Waiting>()
    /// Replies nobody asked for yet: the greeting arrives before its request is written.
    private var early: [SMTPReply] = []
    private var failure: (any Error)?
    /// Completed when a TLS handler added after STARTTLS finishes its handshake.
    private var handshake: EventLoopPromise<Void>?

    /// Sets the promise of the coming TLS handshake (or fails it at once if the connection
    /// has already failed).
    func awaitHandshake(_ promise: EventLoopPromise<Void>) {
        if let failure { promise.fail(failure) } else { handshake = promise }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let event = event as? TLSUserEvent, case .handshakeCompleted = event {
            handshake?.succeed()
            handshake = nil
        }
        context.fireUserInboundEventTriggered(event)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let request = Self.unwrapOutboundIn(data)
        if let failure {
            request.replies.fail(failure)
            promise?.fail(failure)
            return
        }
        waiting.append(Waiting(expected: request.expectedReplies, replies: [], promise: request.replies))
        let pending = early
        early = []
        for reply in pending { deliver(reply) }
        if request.bytes.readableBytes > 0 {
            context.write(Self.wrapOutboundOut(request.bytes), promise: promise)
        } else {
            promise?.succeed()
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let reply = Self.unwrapInboundIn(data)
        guard !waiting.isEmpty else {
            early.append(reply)
            if early.count > 8 {
                errorCaught(context: context, error: SMTPError(.protocolViolation, reason: "the server sent replies nobody asked for"))
            }
            return
        }
        deliver(reply)
    }

    private func deliver(_ reply: SMTPReply) {
        guard !waiting.isEmpty else {
            early.append(reply)
            return
        }
        waiting[waiting.startIndex].replies.append(reply)
        if let first = waiting.first, first.replies.count >= first.expected {
            waiting.removeFirst().promise.succeed(first.replies)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        failAll(SMTPError(.connectionClosed, reason: "the server closed the connection"))
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        failAll(error)
        context.close(promise: nil)
    }

    private func failAll(_ error: any Error) {
        if failure == nil { failure = error }
        handshake?.fail(failure ?? error)
        handshake = nil
        while let next = waiting.popFirst() { next.promise.fail(failure ?? error) }
    }
}
