import Events
import Foundation
import Logging
import Messaging
import Synchronization

/// A Tansu broker for tests, on 127.0.0.1 and a free port.
///
/// ``shared`` is the broker `make test` started (`RELANCE_TEST_BROKER`), or one started for
/// this test process. Tests that stop the broker start a private one with ``start()``.
public final class TestBroker: Sendable {
    public let port: Int
    private let process = Mutex<Process?>(nil)

    /// `127.0.0.1:<port>`.
    public var bootstrapServers: String { "127.0.0.1:\(port)" }

    private init(port: Int) {
        self.port = port
    }

    /// The broker shared by the tests of this process.
    public static func shared() async throws -> TestBroker {
        try await SharedBroker.instance.get()
    }

    /// Starts a private broker on a free port and waits until it answers metadata requests.
    public static func start() async throws -> TestBroker {
        let broker = TestBroker(port: try FreePort.find())
        try await broker.startProcess()
        return broker
    }

    /// Kills the broker process, as a crash would (its topics are lost: Tansu keeps them in
    /// memory), and waits up to 5 s for it to be gone.
    public func stop() {
        guard let running = process.withLock({ current -> Process? in
            defer { current = nil }
            return current
        }) else { return }
        kill(running.processIdentifier, SIGKILL)
        // Not waitUntilExit(): on Linux it spins a run loop at 100 % CPU.
        for _ in 0..<500 where running.isRunning {
            usleep(10_000)
        }
    }

    /// Starts the broker again on the same port.
    public func restart() async throws {
        stop()
        try await startProcess()
    }

    /// A Kafka configuration pointing at this broker, with a unique topic prefix.
    public func configuration(prefix: String = TestNames.unique("t") + ".", partitions: Int = 6) -> KafkaConfiguration {
        KafkaConfiguration(
            bootstrapServers: bootstrapServers, clientId: "relance-tests",
            topics: .init(prefix: prefix), partitions: partitions,
            sessionTimeout: .seconds(6), deliveryTimeout: .seconds(30))
    }

    private func startProcess() async throws {
        let tansu = Process()
        tansu.executableURL = TestPaths.tansu
        tansu.arguments = [
            "broker", "--listener-url", "tcp://127.0.0.1:\(port)",
            "--advertised-listener-url", "tcp://127.0.0.1:\(port)", "--storage-engine", "memory://tansu/",
        ]
        tansu.standardOutput = FileHandle.nullDevice
        tansu.standardError = FileHandle.nullDevice
        try tansu.run()
        process.withLock { $0 = tansu }
        try await waitUntilReady()
    }

    private func waitUntilReady() async throws {
        let admin = try KafkaAdmin(configuration: configuration(), logger: Logger(label: "test-broker"))
        let deadline = ContinuousClock.now + .seconds(15)
        while ContinuousClock.now < deadline {
            if (try? await admin.topicNames(timeout: .milliseconds(500))) != nil { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw TestSupportError("broker on port \(port) did not answer within 15 s")
    }

    deinit {
        stop()
    }
}

private actor SharedBroker {
    static let instance = SharedBroker()
    private var broker: TestBroker?

    func get() async throws -> TestBroker {
        if let broker { return broker }
        let created: TestBroker
        if let address = ProcessInfo.processInfo.environment["RELANCE_TEST_BROKER"],
           let port = address.split(separator: ":").last.flatMap({ Int($0) }) {
            created = TestBroker.attached(port: port)
        } else {
            created = try await TestBroker.start()
        }
        broker = created
        return created
    }
}

extension TestBroker {
    fileprivate static func attached(port: Int) -> TestBroker { TestBroker(port: port) }
}

/// A failure of the test harness itself (not of the code under test).
public struct TestSupportError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
