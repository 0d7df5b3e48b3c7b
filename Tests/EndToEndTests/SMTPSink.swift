import Foundation
import RelanceTestSupport

/// A real SMTP server for the end-to-end tests: the SMTP client tests' aiosmtpd script
/// (Tests/SMTPTests/Support/smtp_server.py) on 127.0.0.1, writing each message it accepts as
/// a file, so a test counts what customers would have received.
final class SMTPSink: Sendable {
    let folder: URL
    let port: Int
    let process: ChildProcess

    init() async throws {
        folder = try TestPaths.temporaryDirectory()
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let python = root.appendingPathComponent(".deps/venv/bin/python")
        let script = root.appendingPathComponent("Tests/SMTPTests/Support/smtp_server.py")
        process = try ChildProcess(python, [script.path, "--folder", folder.path, "--pipelining"],
                                   stderrToFile: folder.appendingPathComponent("stderr.txt"))
        let portFile = folder.appendingPathComponent("port")
        let deadline = ContinuousClock.now + .seconds(20)
        var found: Int?
        while ContinuousClock.now < deadline, found == nil {
            if let text = try? String(contentsOf: portFile, encoding: .utf8), let port = Int(text) { found = port }
            else { try await Task.sleep(for: .milliseconds(50)) }
        }
        guard let found else { throw TestSupportError("the SMTP sink did not start (needs aiosmtpd in .deps/venv: run Deploy/local/bootstrap.sh)") }
        port = found
    }

    /// The messages received so far, as text.
    func messages() -> [String] {
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).filter { $0.hasSuffix(".eml") }.sorted()
        return names.compactMap { try? String(contentsOf: folder.appendingPathComponent($0), encoding: .utf8) }
    }

    /// The Message-ID header of each message received.
    func messageIds() -> [String] {
        messages().compactMap { text in
            text.split(separator: "\r\n").first { $0.lowercased().hasPrefix("message-id:") }
                .map { $0.dropFirst("message-id:".count).trimmingCharacters(in: .whitespaces) }
        }
    }

    var count: Int { ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).filter { $0.hasSuffix(".eml") }.count }

    func stop() {
        if process.isRunning { process.signal(SIGKILL) }
    }
}
