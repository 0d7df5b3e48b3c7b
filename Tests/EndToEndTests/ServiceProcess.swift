import AsyncHTTPClient
import Foundation
import NIOCore
import NIOFoundationCompat
import NIOHTTP1
import RelanceTestSupport

/// One service process (`invoicing`, `payment-matching`) on a free port with its own data
/// directory and consumer group, against the test broker.
final class ServiceProcess: Sendable {
    let name: String
    let port: Int
    let process: ChildProcess
    static let apiKey = "e2e-key"

    /// Where the service keeps its store and log.
    let directory: URL

    /// Starts `executable` (a product of this package).
    /// - Parameter environment: more `RELANCE_*` settings.
    /// - Parameter directory: the data directory; a new temporary one when nil (give the
    ///   previous process's to restart on the same store).
    init(_ executable: String, broker: TestBroker, prefix: String, environment: [String: String] = [:], directory: URL? = nil) throws {
        name = executable
        port = try FreePort.find()
        self.directory = try directory ?? TestPaths.temporaryDirectory()
        var settings = [
            "RELANCE_KAFKA_BROKERS": broker.bootstrapServers,
            "RELANCE_KAFKA_TOPIC_PREFIX": prefix,
            "RELANCE_KAFKA_GROUP": "\(executable)-\(UUID().uuidString.prefix(8))",
            "RELANCE_DATA_DIR": self.directory.path,
            "RELANCE_HTTP_PORT": "\(port)",
            "RELANCE_API_KEYS": Self.apiKey,
        ]
        settings.merge(environment) { _, given in given }
        process = try ChildProcess(TestPaths.executable(executable), [], environment: settings,
                                   stderrToFile: self.directory.appendingPathComponent("\(executable)-\(port).log"))
    }

    func waitUntilReady() async throws {
        // 60 s: the end-to-end suites start their executables while the rest of the test run
        // loads both cores (30 s was once too short in CI).
        let ready = await eventually(timeout: .seconds(60), every: .milliseconds(200)) {
            (try? await self.request("/health/ready", method: .GET, body: nil).status) == 200
        }
        guard ready else { throw TestSupportError("\(name) did not become ready on port \(port)") }
    }

    func post(_ path: String, _ body: [String: Any]) async throws -> [String: Any] {
        let response = try await request(path, method: .POST, body: try JSONSerialization.data(withJSONObject: body))
        guard (200..<300).contains(response.status) else {
            throw TestSupportError("POST \(path) answered \(response.status): \(String(decoding: response.body, as: UTF8.self))")
        }
        return try JSONSerialization.jsonObject(with: response.body) as? [String: Any] ?? [:]
    }

    func get(_ path: String) async throws -> [String: Any] {
        let response = try await request(path, method: .GET, body: nil)
        return try JSONSerialization.jsonObject(with: response.body) as? [String: Any] ?? [:]
    }

    func request(_ path: String, method: HTTPMethod, body: Data?, contentType: String = "application/json") async throws -> (status: Int, body: Data) {
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)\(path)")
        request.method = method
        request.headers.add(name: "Authorization", value: "Bearer \(Self.apiKey)")
        if let body {
            request.headers.add(name: "Content-Type", value: contentType)
            request.body = .bytes(ByteBuffer(bytes: body))
        }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
        let bytes = try await response.body.collect(upTo: 10 << 20)
        return (Int(response.status.code), Data(buffer: bytes))
    }

    /// Sends SIGTERM and waits. - Returns: the exit status.
    func terminate() async -> Int32? {
        process.signal(SIGTERM)
        return await process.waitForExit(timeout: .seconds(20))
    }

    func stop() {
        if process.isRunning { process.signal(SIGKILL) }
    }
}
