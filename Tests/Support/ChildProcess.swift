import Foundation
import Synchronization

/// A child process whose standard output is collected, for tests that run real executables.
public final class ChildProcess: Sendable {
    private let process: Mutex<Process>
    private let output = Mutex<String>("")
    public let name: String

    /// Starts `executable` with arguments and extra environment variables.
    public init(_ executable: URL, _ arguments: [String], environment: [String: String] = [:], stderrToFile: URL? = nil) throws {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let pipe = Pipe()
        process.standardOutput = pipe
        if let stderrToFile {
            _ = FileManager.default.createFile(atPath: stderrToFile.path, contents: nil)
            process.standardError = try FileHandle(forWritingTo: stderrToFile)
        } else {
            process.standardError = FileHandle.nullDevice
        }
        self.name = executable.lastPathComponent
        self.process = Mutex(process)
        pipe.fileHandleForReading.readabilityHandler = { [weak self] handle in
            let data = handle.availableData
            guard !data.isEmpty else {
                handle.readabilityHandler = nil
                return
            }
            self?.output.withLock { $0 += String(decoding: data, as: UTF8.self) }
        }
        try process.run()
    }

    /// Everything written to standard output so far.
    public var standardOutput: String { output.withLock { $0 } }

    /// The process id.
    public var pid: Int32 { process.withLock { $0.processIdentifier } }

    /// Whether the process still runs.
    public var isRunning: Bool { process.withLock { $0.isRunning } }

    /// Waits until standard output satisfies `condition`.
    @discardableResult
    public func waitForOutput(timeout: Duration = .seconds(30), _ condition: @escaping (String) -> Bool) async -> Bool {
        await eventually(timeout: timeout, every: .milliseconds(10)) { condition(self.standardOutput) }
    }

    /// Sends a signal (SIGKILL to simulate a crash, SIGTERM for a graceful stop).
    public func signal(_ signal: Int32) {
        kill(pid, signal)
    }

    /// Waits for the process to exit. - Returns: its exit status, or `nil` on timeout.
    public func waitForExit(timeout: Duration = .seconds(30)) async -> Int32? {
        let exited = await eventually(timeout: timeout) { !self.isRunning }
        return exited ? process.withLock { $0.terminationStatus } : nil
    }

    deinit {
        process.withLock { if $0.isRunning { kill($0.processIdentifier, SIGKILL) } }
    }
}
