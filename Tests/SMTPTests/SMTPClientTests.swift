import Foundation
import Logging
import Synchronization
import Testing

@testable import SMTP

/// The client against a real server (aiosmtpd, `Support/smtp_server.py`) on 127.0.0.1.
@Suite("SMTP client against a real server", .timeLimit(.minutes(2)))
struct SMTPClientTests {
    static func configuration(_ server: SMTPTestServer, startTLS: SMTPConfiguration.STARTTLSMode = .off) -> SMTPConfiguration {
        SMTPConfiguration(host: "127.0.0.1", port: server.port, startTLS: startTLS, heloName: "relance.test",
                          connectTimeout: .seconds(5), commandTimeout: .seconds(10), dataTimeout: .seconds(10))
    }

    static func client(_ configuration: SMTPConfiguration, logs: CapturedLogs? = nil) throws -> SMTPClient {
        var logger = Logger(label: "smtp-test") { _ in logs ?? CapturedLogs() }
        logger.logLevel = .trace
        return try SMTPClient(configuration: configuration, logger: logger)
    }

    static func message(
        _ number: Int = 1, to recipients: [String] = ["client@example.com"], subject: String = "Relance : échéance dépassée",
        text: String = "Bonjour,\n.\n.hidden line starts with a dot\n..two dots\nMerci.\n", html: String? = nil
    ) throws -> EmailMessage {
        EmailMessage(
            from: try EmailAddress("billing@relance.example", name: "Relance Facturation"),
            to: try recipients.map { try EmailAddress($0, name: "Client \(number)") },
            subject: subject, messageID: "n-\(number)@relance.example",
            date: Date(timeIntervalSince1970: 1_796_150_099), textBody: text, htmlBody: html)
    }

    @Test("the server receives the rendered message byte for byte, dot lines and non-ASCII subject included")
    func byteForByte() async throws {
        let server = try await SMTPTestServer.start()
        defer { server.stop() }
        let client = try Self.client(Self.configuration(server))
        let message = try Self.message()
        let result = try await client.send(message)
        await client.close()

        let received = try #require(try server.messages().first)
        #expect(try server.content(received) == message.rendered())
        #expect(String(decoding: try server.content(received), as: UTF8.self).contains("\r\n.\r\n.hidden line"))
        #expect(received.mail_from == "billing@relance.example")
        #expect(received.rcpt_tos == ["client@example.com"])
        #expect(received.helo == "relance.test")
        #expect(received.mail_options == ["SIZE=\(try message.rendered().count)"])
        #expect(result.accepted == ["client@example.com"])
        #expect(result.messageID == "n-1@relance.example")
        #expect(result.reply.code == 250 && result.reply.text == "Queued as 0001")
    }

    @Test("a multipart message with cc and bcc: every envelope recipient, bytes intact")
    func multipartWithCopies() async throws {
        let server = try await SMTPTestServer.start()
        defer { server.stop() }
        let client = try Self.client(Self.configuration(server))
        var message = try Self.message(html: "<p>Bonjour,</p>\n.\n<p>Total : <b>120,00 €</b></p>\n")
        message.cc = [try EmailAddress("accounting@example.com")]
        message.bcc = [try EmailAddress("archive@relance.example")]
        _ = try await client.send(message)
        await client.close()
        let received = try #require(try server.messages().first)
        #expect(received.rcpt_tos == ["client@example.com", "accounting@example.com", "archive@relance.example"])
        #expect(try server.content(received) == message.rendered())
    }

    @Test("three messages go over one connection")
    func reuse() async throws {
        let server = try await SMTPTestServer.start()
        defer { server.stop() }
        let client = try Self.client(Self.configuration(server))
        for number in 1...3 { _ = try await client.send(Self.message(number)) }
        await client.close()
        let messages = try server.messages()
        #expect(messages.count == 3)
        #expect(try server.connectionCount() == 1)
        #expect(Set(messages.map(\.connection)) == [1])
        for (number, received) in zip(1..., messages) {
            #expect(try server.content(received) == Self.message(number).rendered())
        }
    }

    @Test("100 messages over one pipelining connection: one connection, time per message recorded")
    func reuseThroughput() async throws {
        let server = try await SMTPTestServer.start(["--pipelining"])
        defer { server.stop() }
        // The whole suite runs beside this test: a reply held up 10 s by the load (it
        // happened once in CI) would make the client reconnect, and this test is about reuse,
        // not timeouts. A reply that never comes still fails it.
        var configuration = Self.configuration(server)
        configuration.commandTimeout = .seconds(60)
        configuration.dataTimeout = .seconds(60)
        let client = try Self.client(configuration)
        let messages = try (1...100).map { try Self.message($0) }
        let start = ContinuousClock.now
        for message in messages { _ = try await client.send(message) }
        let elapsed = ContinuousClock.now - start
        await client.close()
        #expect(try server.messages().count == 100)
        #expect(try server.connectionCount() == 1)
        let perMessage = elapsed / 100
        print("SMTP reuse: 100 messages over one connection in \(elapsed), \(perMessage) per message")
    }

    @Test("a connection the server closed after a message is noticed and replaced")
    func reconnectAfterClose() async throws {
        let server = try await SMTPTestServer.start(["--close-after", "1"])
        defer { server.stop() }
        let client = try Self.client(Self.configuration(server))
        for number in 1...3 {
            _ = try await client.send(Self.message(number))
            // The close reaches the client while it is idle.
            try await Task.sleep(for: .milliseconds(300))
        }
        await client.close()
        #expect(try server.messages().count == 3)
        #expect(try server.connectionCount() == 3)
    }

    @Test("a 421 to the reused connection's first command: the message goes over a new connection, once",
          arguments: [false, true])
    func reconnectAfter421(pipelining: Bool) async throws {
        let server = try await SMTPTestServer.start(["--refuse-after", "1"] + (pipelining ? ["--pipelining"] : []))
        defer { server.stop() }
        let client = try Self.client(Self.configuration(server))
        for number in 1...3 { _ = try await client.send(Self.message(number)) }
        await client.close()
        let messages = try server.messages()
        #expect(messages.map(\.file) == ["0001.eml", "0002.eml", "0003.eml"])
        #expect(messages.map(\.connection) == [1, 2, 3])
    }

    @Test("the content refused with 451 is transient, with 554 permanent", arguments: [
        ("--defer-data", true), ("--reject-data", false),
    ])
    func contentRefused(option: String, transient: Bool) async throws {
        let server = try await SMTPTestServer.start([option])
        defer { server.stop() }
        let client = try Self.client(Self.configuration(server))
        let error = await #expect(throws: SMTPError.self) { try await client.send(Self.message()) }
        await client.close()
        #expect(error?.code == .messageRejected)
        #expect(error?.stage == .message)
        #expect(error?.isTransient == transient)
        #expect(error?.reply?.code == (transient ? 451 : 554))
        #expect(error?.mayHaveBeenDelivered == false)
    }

    @Test("concurrent sends on one client take turns on its one connection")
    func concurrentSends() async throws {
        let server = try await SMTPTestServer.start(["--pipelining"])
        defer { server.stop() }
        let client = try Self.client(Self.configuration(server))
        try await withThrowingTaskGroup(of: Void.self) { group in
            for number in 1...8 { group.addTask { _ = try await client.send(Self.message(number)) } }
            try await group.waitForAll()
        }
        await client.close()
        #expect(Set(try server.messages().map(\.file)).count == 8)
        #expect(try server.connectionCount() == 1)
    }

    @Test("with PIPELINING advertised, MAIL FROM and RCPT TO arrive in one write; without it, one at a time")
    func pipelining() async throws {
        for advertised in [true, false] {
            let server = try await SMTPTestServer.start(advertised ? ["--pipelining"] : [])
            defer { server.stop() }
            let client = try Self.client(Self.configuration(server))
            _ = try await client.send(Self.message(1, to: ["a@example.com", "b@example.com"]))
            _ = try await client.send(Self.message(2, to: ["a@example.com", "b@example.com"]))
            await client.close()
            let messages = try server.messages()
            #expect(messages.count == 2)
            #expect(messages.allSatisfy { $0.pipelined == advertised }, "advertised: \(advertised)")
        }
    }

    @Test("recipients are told apart: accepted, 451 transient, 550 permanent, with the server's reply")
    func perRecipientOutcomes() async throws {
        let server = try await SMTPTestServer.start(["--reject", "gone@example.com", "--defer", "busy@example.com", "--pipelining"])
        defer { server.stop() }
        let client = try Self.client(Self.configuration(server))
        let result = try await client.send(Self.message(to: ["gone@example.com", "ok@example.com", "busy@example.com"]))
        await client.close()
        #expect(result.accepted == ["ok@example.com"])
        #expect(result.permanentFailures.map(\.address) == ["gone@example.com"])
        #expect(result.permanentFailures.first?.reply == SMTPReply(code: 550, enhancedCode: "5.1.1", lines: ["No such user here"]))
        #expect(result.transientFailures.map(\.address) == ["busy@example.com"])
        #expect(result.transientFailures.first?.reply.code == 451)
        #expect(try server.messages().map(\.rcpt_tos) == [["ok@example.com"]])
    }

    @Test("every recipient refused with 5xx is a permanent failure; the connection still serves the next message (DATA pipelined or not)",
          arguments: [false, true])
    func allRecipientsRejected(pipelining: Bool) async throws {
        let server = try await SMTPTestServer.start(["--reject", "gone@example.com", "--reject", "left@example.com"] + (pipelining ? ["--pipelining"] : []))
        defer { server.stop() }
        let client = try Self.client(Self.configuration(server))
        let error = await #expect(throws: SMTPError.self) {
            try await client.send(Self.message(to: ["gone@example.com", "left@example.com"]))
        }
        #expect(error?.code == .recipientsRejected)
        #expect(error?.isTransient == false)
        #expect(error?.recipients.map(\.outcome) == [.permanent, .permanent])
        #expect(error?.recipients.first?.reply.enhancedCode == "5.1.1")
        _ = try await client.send(Self.message(2))
        await client.close()
        #expect(try server.messages().map(\.rcpt_tos) == [["client@example.com"]])
        #expect(try server.connectionCount() == 1)
    }

    @Test("RSET only after a transaction that did not end: none between accepted messages, one after refused recipients",
          arguments: [true, false])
    func resetOnlyAfterUnfinishedTransaction(pipelining: Bool) async throws {
        let server = try await SMTPTestServer.start(["--reject", "gone@example.com"] + (pipelining ? ["--pipelining"] : []))
        defer { server.stop() }
        let client = try Self.client(Self.configuration(server))
        _ = try await client.send(Self.message(1))
        _ = try await client.send(Self.message(2))
        await #expect(throws: SMTPError.self) { try await client.send(Self.message(3, to: ["gone@example.com"])) }
        _ = try await client.send(Self.message(4))
        _ = try await client.send(Self.message(5))
        await client.close()
        #expect(try server.messages().count == 4)
        #expect(try server.connectionCount() == 1)
        #expect(try server.events().filter { $0.event == "rset" }.count == 1)
        for (number, received) in zip([1, 2, 4, 5], try server.messages()) {
            #expect(try server.content(received) == Self.message(number).rendered())
        }
    }

    @Test("no recipient accepted but one deferred (451) is a transient failure")
    func deferredRecipientIsTransient() async throws {
        let server = try await SMTPTestServer.start(["--reject", "gone@example.com", "--defer", "busy@example.com"])
        defer { server.stop() }
        let client = try Self.client(Self.configuration(server))
        let error = await #expect(throws: SMTPError.self) {
            try await client.send(Self.message(to: ["gone@example.com", "busy@example.com"]))
        }
        await client.close()
        #expect(error?.code == .recipientsRejected)
        #expect(error?.isTransient == true)
        #expect(try server.messages().isEmpty)
    }

    @Test("a 451 at MAIL FROM is a transient sender failure")
    func deferredSender() async throws {
        let server = try await SMTPTestServer.start(["--defer-sender", "billing@relance.example"])
        defer { server.stop() }
        let client = try Self.client(Self.configuration(server))
        let error = await #expect(throws: SMTPError.self) { try await client.send(Self.message()) }
        await client.close()
        #expect(error?.code == .senderRejected)
        #expect(error?.stage == .mailFrom)
        #expect(error?.isTransient == true)
        #expect(error?.reply?.code == 451)
    }

    @Test("a message over the server's SIZE limit is refused at MAIL FROM, permanently, before any content")
    func sizeLimit() async throws {
        let server = try await SMTPTestServer.start(["--size-limit", "2000"])
        defer { server.stop() }
        let client = try Self.client(Self.configuration(server))
        let error = await #expect(throws: SMTPError.self) {
            try await client.send(Self.message(text: String(repeating: "Ligne de relance.\n", count: 200)))
        }
        _ = try await client.send(Self.message(2))
        await client.close()
        #expect(error?.code == .messageRejected)
        #expect(error?.stage == .mailFrom)
        #expect(error?.isTransient == false)
        #expect(error?.reply?.code == 552)
        #expect(try server.messages().map(\.file) == ["0001.eml"])
    }

    @Test("a username without a password is a configuration error")
    func usernameWithoutPassword() {
        #expect { try SMTPClient(configuration: SMTPConfiguration(host: "127.0.0.1", username: "relance"), logger: Logger(label: "t")) }
            throws: { ($0 as? SMTPError)?.code == .invalidConfiguration }
    }

    @Test("a server that refuses EHLO gets HELO")
    func heloFallback() async throws {
        let server = try await SMTPTestServer.start(["--no-ehlo"])
        defer { server.stop() }
        let client = try Self.client(Self.configuration(server))
        _ = try await client.send(Self.message())
        await client.close()
        let received = try #require(try server.messages().first)
        #expect(received.helo == "relance.test")
        #expect(received.mail_options == [], "no SIZE parameter without EHLO")
    }

    @Test("STARTTLS with a trusted CA, then AUTH PLAIN; the password never reaches the logs")
    func startTLSAndAuthPlain() async throws {
        let folder = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let (certificate, key) = try await TestPaths.selfSignedCertificate(in: folder)
        let server = try await SMTPTestServer.start([
            "--cert", certificate.path, "--key", key.path, "--user", "relance", "--password", "pa55-w0rd!",
        ])
        defer { server.stop() }
        var configuration = Self.configuration(server, startTLS: .required)
        configuration.certificateTrust = .certificates(pemFile: certificate.path)
        configuration.username = "relance"
        configuration.password = "pa55-w0rd!"
        let logs = CapturedLogs()
        let client = try Self.client(configuration, logs: logs)
        let message = try Self.message()
        _ = try await client.send(message)
        _ = try await client.send(Self.message(2))
        await client.close()
        let messages = try server.messages()
        #expect(messages.count == 2)
        #expect(messages.allSatisfy { $0.tls == true && $0.login == "relance" })
        #expect(try server.connectionCount() == 1)
        #expect(try server.content(messages[0]) == message.rendered())
        let logged = logs.text
        #expect(logged.contains("AUTH PLAIN <redacted>"))
        #expect(!logged.contains("pa55-w0rd!"))
        #expect(!logged.contains(Data("\0relance\0pa55-w0rd!".utf8).base64EncodedString()))
    }

    @Test("AUTH LOGIN when the server offers only LOGIN")
    func authLogin() async throws {
        let folder = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let (certificate, key) = try await TestPaths.selfSignedCertificate(in: folder)
        let server = try await SMTPTestServer.start([
            "--cert", certificate.path, "--key", key.path, "--user", "relance", "--password", "secret",
            "--mechanisms", "LOGIN",
        ])
        defer { server.stop() }
        var configuration = Self.configuration(server, startTLS: .required)
        configuration.certificateTrust = .certificates(pemFile: certificate.path)
        configuration.username = "relance"
        configuration.password = "secret"
        let logs = CapturedLogs()
        let client = try Self.client(configuration, logs: logs)
        _ = try await client.send(Self.message())
        await client.close()
        #expect(try server.messages().map(\.login) == ["relance"])
        #expect(!logs.text.contains(Data("secret".utf8).base64EncodedString()))
    }

    @Test("a wrong password is an authentication failure, not worth retrying")
    func wrongPassword() async throws {
        let folder = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let (certificate, key) = try await TestPaths.selfSignedCertificate(in: folder)
        let server = try await SMTPTestServer.start([
            "--cert", certificate.path, "--key", key.path, "--user", "relance", "--password", "right",
        ])
        defer { server.stop() }
        var configuration = Self.configuration(server, startTLS: .required)
        configuration.certificateTrust = .certificates(pemFile: certificate.path)
        configuration.username = "relance"
        configuration.password = "wrong"
        let client = try Self.client(configuration)
        let error = await #expect(throws: SMTPError.self) { try await client.send(Self.message()) }
        await client.close()
        #expect(error?.code == .authenticationFailed)
        #expect(error?.isTransient == false)
        #expect(error?.reply?.code == 535)
        #expect(try server.messages().isEmpty)
    }

    @Test("certificates are verified by default: a self-signed server certificate fails the handshake")
    func verificationOnByDefault() async throws {
        let folder = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let (certificate, key) = try await TestPaths.selfSignedCertificate(in: folder)
        let server = try await SMTPTestServer.start(["--cert", certificate.path, "--key", key.path])
        defer { server.stop() }
        let client = try Self.client(Self.configuration(server, startTLS: .required))
        let error = await #expect(throws: SMTPError.self) { try await client.send(Self.message()) }
        await client.close()
        #expect(error?.code == .tlsFailed)
        #expect(try server.messages().isEmpty)

        var insecure = Self.configuration(server, startTLS: .required)
        insecure.certificateTrust = .insecureNoVerification
        let insecureClient = try Self.client(insecure)
        _ = try await insecureClient.send(Self.message())
        await insecureClient.close()
        #expect(try server.messages().map(\.tls) == [true])
    }

    @Test("STARTTLS required but not offered: nothing is sent; opportunistic goes on in plain text")
    func startTLSModes() async throws {
        let server = try await SMTPTestServer.start()
        defer { server.stop() }
        let required = try Self.client(Self.configuration(server, startTLS: .required))
        let error = await #expect(throws: SMTPError.self) { try await required.send(Self.message()) }
        await required.close()
        #expect(error?.code == .tlsUnavailable)
        #expect(try server.messages().isEmpty)

        let opportunistic = try Self.client(Self.configuration(server, startTLS: .opportunistic))
        _ = try await opportunistic.send(Self.message())
        await opportunistic.close()
        #expect(try server.messages().map(\.tls) == [false])
    }

    @Test("credentials are not sent without TLS unless allowed")
    func noAuthenticationInPlainText() async throws {
        let server = try await SMTPTestServer.start()
        defer { server.stop() }
        var configuration = Self.configuration(server, startTLS: .opportunistic)
        configuration.username = "relance"
        configuration.password = "secret"
        let client = try Self.client(configuration)
        let error = await #expect(throws: SMTPError.self) { try await client.send(Self.message()) }
        await client.close()
        #expect(error?.code == .insecureAuthentication)
    }

    @Test("a server slower than the data timeout: a transient timeout after the content was sent")
    func dataTimeout() async throws {
        let server = try await SMTPTestServer.start(["--stall-data", "3"])
        defer { server.stop() }
        var configuration = Self.configuration(server)
        configuration.dataTimeout = .milliseconds(300)
        let client = try Self.client(configuration)
        // Without the timeout the send would succeed after 3 s.
        let error = await #expect(throws: SMTPError.self) { try await client.send(Self.message()) }
        await client.close()
        #expect(error?.code == .timeout)
        #expect(error?.stage == .message)
        #expect(error?.isTransient == true)
        #expect(error?.mayHaveBeenDelivered == true)
    }

    @Test("nothing listening: a transient connection failure")
    func connectionRefused() async throws {
        let closedPort = try ClosedPort()
        var configuration = SMTPConfiguration(host: "127.0.0.1", port: closedPort.port, startTLS: .off)
        configuration.connectTimeout = .seconds(2)
        let client = try Self.client(configuration)
        let error = await #expect(throws: SMTPError.self) { try await client.send(Self.message()) }
        #expect(error?.code == .connectionFailed)
        #expect(error?.isTransient == true)
    }
}

/// A log handler that keeps every message with its metadata, for checking what is logged.
final class CapturedLogs: LogHandler, Sendable {
    private let lines = Mutex<[String]>([])
    var text: String { lines.withLock { $0.joined(separator: "\n") } }

    var metadata: Logger.Metadata {
        get { [:] }
        set {}
    }
    var logLevel: Logger.Level {
        get { .trace }
        set {}
    }
    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { nil }
        set {}
    }

    func log(event: LogEvent) {
        let metadata = (event.metadata ?? [:]).map { "\($0.key)=\($0.value)" }.sorted().joined(separator: " ")
        lines.withLock { $0.append("\(event.level) \(event.message) \(metadata)") }
    }
}
