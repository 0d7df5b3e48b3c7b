import Foundation
import Messaging
import Synchronization

/// Fences an instance out of a partition the group has given to another instance before
/// this one noticed (a coordinator may reassign a partition while its previous owner is still
/// in a batch; with Tansu this was measured: 4 s of overlap, 68 duplicate e-mails).
///
/// Ownership is decided on the changelog partition itself, which is one ordered log: each
/// owner writes a barrier there when it is assigned the partition (``LedgerRestorer``), and
/// before calling a provider it writes `sending` there. This fence follows the changelog
/// (``PartitionTail``) and answers, for each `sending` record of this instance, whether the
/// last barrier before it is this instance's own. If it is, any later owner's barrier comes
/// after the `sending` record, so that owner restores it and will not send again; if it is
/// not, another owner restored before it and may send: this instance must not.
public final class LedgerFence: Sendable {
    private struct Slot {
        var verdict: Bool?
        var continuation: CheckedContinuation<Bool, Never>?
    }

    private struct State {
        var ownBarrier: [Int32: String] = [:]
        var latestBarrier: [Int32: String] = [:]
        var slots: [String: Slot] = [:]
    }

    private let state = Mutex(State())

    public init() {}

    static func key(_ entry: LedgerEntry) -> String { "\(entry.notificationId)#\(entry.attempts)" }

    /// This instance is about to write `barrier` into changelog partition `partition`.
    func claim(_ partition: Int32, barrier: String) {
        state.withLock { $0.ownBarrier[partition] = barrier }
    }

    /// This instance gave the partition up.
    func release(_ partition: Int32) {
        state.withLock { _ = $0.ownBarrier.removeValue(forKey: partition) }
    }

    /// Called by the changelog tail for every record, in order per partition.
    public func observe(_ record: ConsumerRecord) {
        if let mark = record.headers.first(where: { $0.name == PartitionReader.barrierHeader }) {
            state.withLock { $0.latestBarrier[record.partition] = mark.stringValue }
            return
        }
        guard let entry = try? NotificationLedger.decoder.decode(LedgerEntry.self, from: record.value), entry.state == .sending else { return }
        let key = Self.key(entry)
        let waiting: (CheckedContinuation<Bool, Never>, Bool)? = state.withLock { state in
            guard state.slots[key] != nil else { return nil }
            let latest = state.latestBarrier[record.partition]
            let verdict = latest != nil && latest == state.ownBarrier[record.partition]
            if let continuation = state.slots[key]?.continuation {
                state.slots[key] = nil
                return (continuation, verdict)
            }
            state.slots[key]?.verdict = verdict
            return nil
        }
        if let (continuation, verdict) = waiting { continuation.resume(returning: verdict) }
    }

    /// Registers interest in an entry's `sending` record, before it is published.
    func expect(_ entry: LedgerEntry) {
        state.withLock { $0.slots[Self.key(entry)] = Slot() }
    }

    /// Waits until the tail has seen the entry's `sending` record (registered with
    /// ``expect(_:)``). - Returns: true when no other owner's barrier precedes it since this
    /// instance's; false when fenced, or when the tail did not see it within `timeout`.
    func owns(_ entry: LedgerEntry, timeout: Duration) async -> Bool {
        let key = Self.key(entry)
        return await withTaskGroup(of: Bool?.self) { group in
            group.addTask {
                await withCheckedContinuation { continuation in
                    let ready: Bool? = self.state.withLock { state in
                        if let verdict = state.slots[key]?.verdict {
                            state.slots[key] = nil
                            return verdict
                        }
                        state.slots[key, default: Slot()].continuation = continuation
                        return nil
                    }
                    if let ready { continuation.resume(returning: ready) }
                }
            }
            group.addTask {
                try? await Task.sleep(for: timeout)
                return nil
            }
            let first = await group.next() ?? nil
            if let first {
                group.cancelAll()
                return first
            }
            // Timed out: give the wait up (a continuation still parked is resumed with false,
            // one resumed meanwhile by the tail brings its verdict) and count it as fenced.
            let parked = state.withLock { state -> CheckedContinuation<Bool, Never>? in
                defer { state.slots[key] = nil }
                return state.slots[key]?.continuation
            }
            parked?.resume(returning: false)
            return (await group.next() ?? nil) ?? false
        }
    }
}
