import NIOCore
import NIOEmbedded
import Testing

@testable import SMTP

@Suite("SMTP replies")
struct SMTPReplyTests {
    static func parse(_ text: String) throws -> [SMTPReply] {
        var parser = SMTPReplyParser()
        var replies: [SMTPReply] = []
        for line in text.split(separator: "\r\n") {
            if let reply = try parser.feed(line) { replies.append(reply) }
        }
        return replies
    }

    @Test("a one-line reply with an enhanced status code")
    func singleLine() throws {
        let replies = try Self.parse("550 5.1.1 No such user here\r\n")
        #expect(replies == [SMTPReply(code: 550, enhancedCode: "5.1.1", lines: ["No such user here"])])
        #expect(replies[0].isPermanentFailure && !replies[0].isTransientFailure)
    }

    @Test("a multi-line EHLO reply keeps each line; no enhanced code in a greeting name")
    func multiLine() throws {
        let replies = try Self.parse("250-mx.example.com\r\n250-PIPELINING\r\n250-SIZE 1000\r\n250 AUTH PLAIN LOGIN\r\n")
        #expect(replies == [SMTPReply(code: 250, lines: ["mx.example.com", "PIPELINING", "SIZE 1000", "AUTH PLAIN LOGIN"])])
    }

    @Test("pipelined replies come out one by one, in order")
    func severalReplies() throws {
        let replies = try Self.parse("250 2.1.0 OK\r\n550 5.1.1 Unknown\r\n451 4.2.1 Busy\r\n250 2.1.5 OK\r\n")
        #expect(replies.map(\.code) == [250, 550, 451, 250])
        #expect(replies.map(\.enhancedCode) == ["2.1.0", "5.1.1", "4.2.1", "2.1.5"])
    }

    @Test("an enhanced code is only taken when its class matches the reply code")
    func enhancedCodeClass() throws {
        #expect(try Self.parse("250 5.1.1 odd\r\n")[0].enhancedCode == nil)
        #expect(try Self.parse("250 2.0\r\n")[0].enhancedCode == nil)
        #expect(try Self.parse("250\r\n")[0] == SMTPReply(code: 250, lines: [""]))
    }

    @Test("malformed replies are protocol violations", arguments: [
        "25 short\r\n", "abc text\r\n", "250_x\r\n", "250-first\r\n251 second\r\n", "999 out of range\r\n",
    ])
    func malformed(_ text: String) {
        #expect { try Self.parse(text) } throws: { ($0 as? SMTPError)?.code == .protocolViolation }
    }

    @Test("the decoder finds replies however the bytes are split")
    func decoderAcrossFragments() throws {
        let wire = Array("220 mx ready\r\n250-mx\r\n250-PIPELINING\r\n250 SIZE 10\r\n354 go on\r\n".utf8)
        for chunkSize in [1, 2, 3, 7, wire.count] {
            let channel = EmbeddedChannel(handler: ByteToMessageHandler(SMTPReplyDecoder()))
            for start in stride(from: 0, to: wire.count, by: chunkSize) {
                try channel.writeInbound(ByteBuffer(bytes: wire[start..<min(start + chunkSize, wire.count)]))
            }
            var codes: [Int] = []
            while let reply = try channel.readInbound(as: SMTPReply.self) { codes.append(reply.code) }
            #expect(codes == [220, 250, 354], "chunks of \(chunkSize)")
            _ = try channel.finish()
        }
    }

    @Test("dot-stuffing doubles leading dots and ends the data with CRLF . CRLF")
    func dotStuffing() {
        let stuffed = { (text: String) in String(decoding: SMTPChannel.dotStuffed(Array(text.utf8)), as: UTF8.self) }
        #expect(stuffed(".\r\n..\r\nA.B\r\n.x\r\n") == "..\r\n...\r\nA.B\r\n..x\r\n.\r\n")
        #expect(stuffed("no final line break") == "no final line break\r\n.\r\n")
        #expect(stuffed("") == ".\r\n")
    }

    @Test("an error says what failed, where, the server's words and what to do; 4xx is transient, 5xx not")
    func errorDescription() {
        let permanent = SMTPError(.senderRejected, stage: .mailFrom, reason: "the server refused mailFrom",
                                  reply: SMTPReply(code: 553, enhancedCode: "5.7.1", lines: ["Sender not allowed"]))
        #expect(!permanent.isTransient)
        #expect(permanent.description == "SMTP senderRejected at mailFrom: the server refused mailFrom"
                + " (server: 553 5.7.1 Sender not allowed); do not retry: the server refused it permanently")
        let transient = SMTPError(.senderRejected, stage: .mailFrom, reason: "busy", reply: SMTPReply(code: 451, lines: ["later"]))
        #expect(transient.isTransient)
        #expect(transient.description.hasSuffix("; retry later"))
        #expect(SMTPError(.timeout, reason: "slow").isTransient)
        #expect(!SMTPError(.tlsFailed, reason: "untrusted").isTransient)
    }
}
