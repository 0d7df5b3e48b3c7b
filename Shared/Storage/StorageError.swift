/// A storage failure with what to do about it.
public struct StorageError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Code: String, Sendable, Hashable {
        /// The data directory cannot be created or written.
        case dataDirectory
        /// Another process (or another open in this process) holds the data directory's lock:
        /// one instance per store.
        case dataDirectoryInUse
        /// No parked outbox row has this sequence (never parked, or already retried or discarded).
        case parkedRowNotFound
        /// The parked row waits behind another parked row of the same key: act on that one.
        case parkedRowWaiting
    }

    public let code: Code
    public let reason: String

    public init(_ code: Code, _ reason: String) {
        self.code = code
        self.reason = reason
    }

    public var description: String { reason }
}
