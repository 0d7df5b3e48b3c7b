import Foundation
import RelanceTestSupport
import Synchronization

/// Postfix's `smtp-sink` on 127.0.0.1 and a free port: accepts every message and throws it
/// away, announcing PIPELINING. With `-c` it writes a running counter (`... mesg=N\r`) each
/// time a message's final "." is received; the harness timestamps the counter as it arrives,
/// so "first to last accepted" is measured at the sink, the same way for every client.
final class SMTPSinkProcess: Sendable {
    let port: Int
    private let process: Process
    private struct Progress {
        var accepted = 0
        var first: ContinuousClock.Instant?
        var last: ContinuousClock.Instant?
        var pending = ""
    }
    private let state = Mutex(Progress())

    /// - Parameter binary: the `smtp-sink` executable.
    init(binary: String) throws {
        port = try FreePort.find()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        // As root, smtp-sink insists on dropping privileges after binding.
        process.arguments = (getuid() == 0 ? ["-u", "nobody"] : []) + ["-c", "127.0.0.1:\(port)", "256"]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        self.process = process
        pipe.fileHandleForReading.readabilityHandler = { [weak self] handle in
            let data = handle.availableData
            guard !data.isEmpty else {
                handle.readabilityHandler = nil
                return
            }
            self?.record(data, at: .now)
        }
        try process.run()
    }

    /// Counter lines end with "\r"; an unfinished one waits for the next read.
    private func record(_ data: Data, at now: ContinuousClock.Instant) {
        state.withLock { progress in
            progress.pending += String(decoding: data, as: UTF8.self)
            var lines = progress.pending.split(separator: "\r", omittingEmptySubsequences: false)
            progress.pending = String(lines.removeLast())
            for line in lines {
                guard let range = line.range(of: "mesg="), let count = Int(line[range.upperBound...].prefix { $0.isNumber }) else { continue }
                if count > progress.accepted {
                    if progress.first == nil { progress.first = now }
                    progress.accepted = count
                    progress.last = now
                }
            }
        }
    }

    /// Waits until the sink accepts connections.
    func waitUntilListening() async throws {
        for _ in 0..<100 {
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = in_port_t(UInt16(port).bigEndian)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            let connected = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            close(fd)
            if connected == 0 { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw BenchFailure("smtp-sink did not listen on port \(port)")
    }

    /// Messages accepted so far.
    var accepted: Int { state.withLock { $0.accepted } }

    /// First and last acceptance seen.
    var span: (first: ContinuousClock.Instant, last: ContinuousClock.Instant)? {
        state.withLock { progress in progress.first.flatMap { first in progress.last.map { (first, $0) } } }
    }

    /// Waits until `count` messages were accepted, or until nothing was accepted for `stall`.
    /// - Returns: whether all arrived.
    func waitFor(_ count: Int, stall: Duration = .seconds(60), onProgress: (Int) -> Void = { _ in }) async -> Bool {
        var seen = accepted
        var lastChange = ContinuousClock.now
        var lastReport = ContinuousClock.now
        while true {
            let now = accepted
            if now >= count { return true }
            if now != seen {
                seen = now
                lastChange = .now
            } else if ContinuousClock.now - lastChange > stall {
                return false
            }
            if ContinuousClock.now - lastReport > .seconds(10) {
                onProgress(now)
                lastReport = .now
            }
            try? await Task.sleep(for: .milliseconds(20))
        }
    }

    func stop() {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }

    deinit { stop() }
}
