import Foundation
import Synchronization

/// The aiosmtpd server of `Support/smtp_server.py`, started for one test on 127.0.0.1 and a
/// port the kernel picks, and stopped by ``stop()`` (or when released).
final class SMTPTestServer: Sendable {
    /// One line of the server's `log.jsonl`.
    struct Event: Decodable, Sendable {
        let event: String
        let connection: Int
        let file: String?
        let mail_from: String?
        let rcpt_tos: [String]?
        let mail_options: [String]?
        let tls: Bool?
        let login: String?
        let helo: String?
        let pipelined: Bool?
    }

    let folder: URL
    let port: Int
    private let process: Mutex<Process?>

    private init(folder: URL, port: Int, process: Process) {
        self.folder = folder
        self.port = port
        self.process = Mutex(process)
    }

    /// Starts the server with the script's options (`--pipelining`, `--reject ADDR`...).
    static func start(_ arguments: [String] = []) async throws -> SMTPTestServer {
        let folder = try TestPaths.temporaryDirectory()
        let process = Process()
        process.executableURL = TestPaths.python
        process.arguments = [TestPaths.support("smtp_server.py").path, "--folder", folder.path] + arguments
        process.standardOutput = FileHandle.nullDevice
        let errors = folder.appendingPathComponent("stderr.txt")
        _ = FileManager.default.createFile(atPath: errors.path, contents: nil)
        process.standardError = try FileHandle(forWritingTo: errors)
        try process.run()
        let portFile = folder.appendingPathComponent("port")
        let deadline = ContinuousClock.now + .seconds(20)
        while ContinuousClock.now < deadline && process.isRunning {
            if let text = try? String(contentsOf: portFile, encoding: .utf8), let port = Int(text) {
                return SMTPTestServer(folder: folder, port: port, process: process)
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        if process.isRunning { process.terminate() }
        let stderr = (try? String(contentsOf: errors, encoding: .utf8)) ?? ""
        throw TestFailure("""
            the test SMTP server did not start (needs aiosmtpd: \(TestPaths.python.path) -m pip install aiosmtpd): \
            \(stderr.suffix(600))
            """)
    }

    /// Everything the server logged so far.
    func events() throws -> [Event] {
        let url = folder.appendingPathComponent("log.jsonl")
        guard let text = try? String(contentsOf: url, encoding: .utf8) else { return [] }
        return try text.split(separator: "\n").map { try JSONDecoder().decode(Event.self, from: Data($0.utf8)) }
    }

    /// The accepted messages, in order.
    func messages() throws -> [Event] { try events().filter { $0.event == "message" } }

    /// How many connections the server accepted.
    func connectionCount() throws -> Int { try events().filter { $0.event == "connection" }.count }

    /// A stored message's content exactly as the server received it (after un-dot-stuffing).
    func content(_ message: Event) throws -> [UInt8] {
        Array(try Data(contentsOf: folder.appendingPathComponent(message.file ?? "")))
    }

    func stop() {
        guard let running = process.withLock({ current -> Process? in
            defer { current = nil }
            return current
        }) else { return }
        running.terminate()
        // Not waitUntilExit(): on Linux it spins a run loop.
        for _ in 0..<200 where running.isRunning { usleep(5_000) }
        if running.isRunning { kill(running.processIdentifier, SIGKILL) }
        try? FileManager.default.removeItem(at: folder)
    }

    deinit { stop() }
}

/// Paths the tests need, from this file's real location (the scratch package links to it).
enum TestPaths {
    static let testsFolder = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath().deletingLastPathComponent()
    /// The repository root: Tests/SMTPTests/.. /..
    static let root = testsFolder.deletingLastPathComponent().deletingLastPathComponent()

    /// `RELANCE_PYTHON`, else the bootstrap's `.deps/venv/bin/python`.
    static var python: URL {
        if let path = ProcessInfo.processInfo.environment["RELANCE_PYTHON"], !path.isEmpty {
            return URL(fileURLWithPath: path)
        }
        return root.appendingPathComponent(".deps/venv/bin/python")
    }

    static func support(_ name: String) -> URL {
        testsFolder.appendingPathComponent("Support").appendingPathComponent(name)
    }

    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("relance-smtp-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// A self-signed certificate for 127.0.0.1 and localhost, made with `openssl`.
    /// - Returns: the certificate (also the CA to trust) and key PEM files.
    static func selfSignedCertificate(in folder: URL) async throws -> (certificate: URL, key: URL) {
        let certificate = folder.appendingPathComponent("cert.pem")
        let key = folder.appendingPathComponent("key.pem")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
            "-keyout", key.path, "-out", certificate.path, "-days", "1", "-subj", "/CN=localhost",
            "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
        ]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        while process.isRunning { try await Task.sleep(for: .milliseconds(20)) }
        guard process.terminationStatus == 0 else { throw TestFailure("openssl could not make a certificate") }
        return (certificate, key)
    }
}

/// A failure of the test harness itself, not of the code under test.
struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// A port on 127.0.0.1 that refuses connections: bound (so no other test can take it) but
/// not listening, until released.
final class ClosedPort: Sendable {
    let port: Int
    private let descriptor: Int32

    init() throws {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(descriptor, $0, length) == 0 && getsockname(descriptor, $0, &length) == 0
            }
        }
        guard descriptor >= 0, bound else { throw TestFailure("cannot bind a socket on 127.0.0.1") }
        self.descriptor = descriptor
        port = Int(UInt16(bigEndian: address.sin_port))
    }

    deinit { close(descriptor) }
}
