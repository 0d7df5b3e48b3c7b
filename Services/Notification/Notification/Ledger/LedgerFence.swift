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
        /// The attempt whose `sending` record is awaited.
        var attempts: Int
        var verdict: Bool?
        var continuation: CheckedContinuation<Bool, Never>?
    }

    private struct State {
        var ownBarrier: [Int32: String] = [:]
        var latestBarrier: [Int32: String] = [:]
        /// By notification id: one attempt of an id is in flight at a time (a partition's runs
        /// take turns, and an id belongs to one partition).
        var slots: [String: Slot] = [:]
    }

    /// The two fields of a changelog entry the fence reads: decoding only them skips the
    /// rest of the entry (dates, lists, a parked command).
    private struct Progress: Decodable {
        var state: NotificationState
        var attempts: Int
    }

    private let state = Mutex(State())

    public init() {}

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
        // Most records are not awaited here (outcomes, other instances' entries): the key (the
        // notification id) tells, before any decoding.
        guard let key = record.key.map({ String(decoding: $0, as: UTF8.self) }), state.withLock({ $0.slots[key] != nil }),
              let entry = try? NotificationLedger.decoder.decode(Progress.self, from: record.value), entry.state == .sending
        else { return }
        let waiting: (CheckedContinuation<Bool, Never>, Bool)? = state.withLock { state in
            guard state.slots[key]?.attempts == entry.attempts else { return nil }
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
        state.withLock { $0.slots[entry.notificationId] = Slot(attempts: entry.attempts) }
    }

    /// Waits until the tail has seen the entry's `sending` record (registered with
    /// ``expect(_:)``). - Returns: true when no other owner's barrier precedes it since this
    /// instance's; false when fenced, or when the tail did not see it within `timeout`.
    func owns(_ entry: LedgerEntry, timeout: Duration) async -> Bool {
        let key = entry.notificationId
        let attempts = entry.attempts
        return await withTaskGroup(of: Bool?.self) { group in
            group.addTask {
                await withCheckedContinuation { continuation in
                    let ready: Bool? = self.state.withLock { state in
                        if let verdict = state.slots[key]?.verdict {
                            state.slots[key] = nil
                            return verdict
                        }
                        state.slots[key, default: Slot(attempts: attempts)].continuation = continuation
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
