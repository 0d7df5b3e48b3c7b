#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// An exclusive advisory lock on `<directory>/<name>.lock`, held as long as this value lives:
/// one process per store.
///
/// Each instance of a service has its own inbox and outbox. Two processes on one database
/// would each deduplicate only what they consumed themselves, and two relays would publish
/// the same rows; a second process therefore refuses to start.
///
/// The lock is `flock(LOCK_EX | LOCK_NB)` on a descriptor opened for it. `flock` locks belong
/// to the open file description, so a second acquisition fails even inside the same process,
/// and the kernel releases the lock when the descriptor is closed, including when the process
/// dies (no stale lock after a crash). The file is left in place; its content (the holder's
/// pid) is informative only. On network file systems that emulate `flock` with `fcntl` locks
/// the in-process guarantee does not hold: keep data directories on local disks.
public final class DataDirectoryLock: Sendable {
    /// The lock file, `<directory>/<name>.lock`.
    public let path: String
    private let descriptor: Int32

    private init(path: String, descriptor: Int32) {
        self.path = path
        self.descriptor = descriptor
    }

    /// Takes the lock of a store, or fails at once if someone holds it.
    /// - Parameters:
    ///   - directory: the service's data directory (must exist).
    ///   - name: the store's name, e.g. `invoicing`.
    /// - Throws: `StorageError` `.dataDirectoryInUse` when another process (or another open in
    ///   this one) holds the lock; `.dataDirectory` when the lock file cannot be opened.
    public static func acquire(directory: URL, name: String) throws(StorageError) -> DataDirectoryLock {
        let path = directory.appendingPathComponent("\(name).lock").path
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw StorageError(.dataDirectory, "cannot open the lock file \(path): \(describeErrno(errno)); check the permissions of the data directory")
        }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            let code = errno
            let holder = readHolder(descriptor)
            close(descriptor)
            guard code == EWOULDBLOCK else {
                throw StorageError(.dataDirectory, "cannot lock \(path): \(describeErrno(code)); keep the data directory on a local file system")
            }
            throw StorageError(.dataDirectoryInUse, """
                the data directory \(directory.path) is already in use: \(path) is locked\(holder.map { " by pid \($0)" } ?? ""). \
                A store is served by exactly one process: stop the other one (or wait until it has exited) \
                before starting this one. Do not run a second instance on a copy of the directory either: \
                each instance would deduplicate only its own events (docs/architecture.md, one instance per store)
                """)
        }
        // Informative only: who holds it, for the message a second process prints.
        let pid = Array("\(getpid())\n".utf8)
        if ftruncate(descriptor, 0) == 0 {
            _ = pid.withUnsafeBytes { pwrite(descriptor, $0.baseAddress, $0.count, 0) }
        }
        return DataDirectoryLock(path: path, descriptor: descriptor)
    }

    deinit {
        // Closing the only descriptor of the open file description releases the lock.
        close(descriptor)
    }

    private static func readHolder(_ descriptor: Int32) -> String? {
        var buffer = [UInt8](repeating: 0, count: 32)
        let count = buffer.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, $0.count, 0) }
        guard count > 0 else { return nil }
        let text = String(decoding: buffer.prefix(count), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return text.isEmpty ? nil : text
    }

    private static func describeErrno(_ code: Int32) -> String {
        String(cString: strerror(code))
    }
}
