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
        /// The wait's deadline passed before the verdict came: it counts as fenced.
        var expired = false
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
        await owns([entry], timeout: timeout)[0]
    }

    /// ``owns(_:timeout:)`` for the entries of one changelog send, with one deadline for all:
    /// one timer and no task per entry (they were a good part of a message's overhead).
    /// - Returns: the verdicts, in the entries' order.
    func owns(_ entries: [LedgerEntry], timeout: Duration) async -> [Bool] {
        guard !entries.isEmpty else { return [] }
        let keys = entries.map { (id: $0.notificationId, attempts: $0.attempts) }
        return await withTaskGroup(of: Void.self) { group in
            group.addTask {
                try? await Task.sleep(for: timeout)
                guard !Task.isCancelled else { return }
                self.expire(keys)
            }
            var verdicts: [Bool] = []
            verdicts.reserveCapacity(keys.count)
            for key in keys { verdicts.append(await verdict(key.id, attempts: key.attempts)) }
            group.cancelAll()
            return verdicts
        }
    }

    /// The verdict on an awaited id, waiting for it unless its deadline has passed.
    private func verdict(_ key: String, attempts: Int) async -> Bool {
        await withCheckedContinuation { continuation in
            let ready: Bool? = state.withLock { state in
                if let verdict = state.slots[key]?.verdict {
                    state.slots[key] = nil
                    return verdict
                }
                if state.slots[key]?.expired == true {
                    state.slots[key] = nil
                    return false
                }
                state.slots[key, default: Slot(attempts: attempts)].continuation = continuation
                return nil
            }
            if let ready { continuation.resume(returning: ready) }
        }
    }

    /// The deadline of awaited ids has passed: a wait parked on one is resumed with false
    /// (fenced), and one not waited on yet will not wait. A verdict already in stays, and so
    /// does the slot of another attempt (expected after this wait ended, as the timer fired).
    private func expire(_ keys: [(id: String, attempts: Int)]) {
        let parked: [CheckedContinuation<Bool, Never>] = state.withLock { state in
            var parked: [CheckedContinuation<Bool, Never>] = []
            for (key, attempts) in keys {
                guard var slot = state.slots[key], slot.attempts == attempts, slot.verdict == nil else { continue }
                if let continuation = slot.continuation {
                    parked.append(continuation)
                    state.slots[key] = nil
                } else {
                    slot.expired = true
                    state.slots[key] = slot
                }
            }
            return parked
        }
        for continuation in parked { continuation.resume(returning: false) }
    }
}
