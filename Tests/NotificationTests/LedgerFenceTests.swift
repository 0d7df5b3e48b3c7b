import Foundation
import Messaging
import Testing
@testable import Notification

/// The fence decides on the changelog's order: the last barrier before an instance's
/// `sending` record must be that instance's own.
@Suite struct LedgerFenceTests {
    static func barrier(_ value: String, partition: Int32) -> ConsumerRecord {
        ConsumerRecord(topic: "relance.notification-ledger", partition: partition, offset: 0, key: Data("relance.barrier".utf8),
                       value: Data(value.utf8), headers: [KafkaHeader(name: PartitionReader.barrierHeader, string: value)])
    }

    static func entry(_ id: String, partition: Int32, attempts: Int = 1, state: NotificationState = .sending) -> LedgerEntry {
        LedgerEntry(notificationId: id, customerId: "c", partition: partition, channel: "email", state: state, attempts: attempts, updatedAt: Date())
    }

    static func record(_ entry: LedgerEntry) throws -> ConsumerRecord {
        ConsumerRecord(topic: "relance.notification-ledger", partition: entry.partition, offset: 1, key: Data(entry.notificationId.utf8),
                       value: try NotificationLedger.encode(entry), headers: [])
    }

    @Test func anInstanceWhoseBarrierIsTheLastBeforeItsSendingOwnsThePartition() async throws {
        let fence = LedgerFence()
        fence.claim(0, barrier: "mine")
        fence.observe(Self.barrier("mine", partition: 0))
        let entry = Self.entry("n-1", partition: 0)
        fence.expect(entry)
        fence.observe(try Self.record(entry))
        #expect(await fence.owns(entry, timeout: .seconds(5)))
    }

    @Test func anotherOwnersBarrierBeforeTheSendingFencesTheInstanceOut() async throws {
        let fence = LedgerFence()
        fence.claim(1, barrier: "mine")
        fence.observe(Self.barrier("mine", partition: 1))
        fence.observe(Self.barrier("theirs", partition: 1))  // another instance was assigned partition 1
        let entry = Self.entry("n-2", partition: 1)
        fence.expect(entry)
        // The verdict arrives while the dispatcher waits.
        async let owned = fence.owns(entry, timeout: .seconds(5))
        try await Task.sleep(for: .milliseconds(50))
        fence.observe(try Self.record(entry))
        #expect(await owned == false)
    }

    @Test func aBarrierAfterTheSendingDoesNotFenceIt() async throws {
        let fence = LedgerFence()
        fence.claim(2, barrier: "mine")
        fence.observe(Self.barrier("mine", partition: 2))
        let entry = Self.entry("n-3", partition: 2)
        fence.expect(entry)
        fence.observe(try Self.record(entry))
        // The next owner's barrier comes after the sending record: it will restore it.
        fence.observe(Self.barrier("theirs", partition: 2))
        #expect(await fence.owns(entry, timeout: .seconds(5)))
    }

    @Test func aSendingNeverSeenCountsAsFencedAfterTheTimeout() async throws {
        let fence = LedgerFence()
        fence.claim(3, barrier: "mine")
        fence.observe(Self.barrier("mine", partition: 3))
        let entry = Self.entry("n-4", partition: 3)
        fence.expect(entry)
        #expect(await fence.owns(entry, timeout: .milliseconds(100)) == false)
    }

    @Test func aPartitionReleasedIsNoLongerOwned() async throws {
        let fence = LedgerFence()
        fence.claim(4, barrier: "mine")
        fence.observe(Self.barrier("mine", partition: 4))
        fence.release(4)
        let entry = Self.entry("n-5", partition: 4)
        fence.expect(entry)
        fence.observe(try Self.record(entry))
        #expect(await fence.owns(entry, timeout: .seconds(5)) == false)
    }

    @Test func onlyTheAwaitedAttemptsSendingAnswersNotAnEarlierOneNorAnOutcome() async throws {
        let fence = LedgerFence()
        fence.claim(5, barrier: "mine")
        fence.observe(Self.barrier("mine", partition: 5))
        let entry = Self.entry("n-6", partition: 5, attempts: 2)
        fence.expect(entry)
        async let owned = fence.owns(entry, timeout: .milliseconds(400))
        try await Task.sleep(for: .milliseconds(50))
        // An earlier attempt's 'sending' and an outcome of this id give no verdict...
        fence.observe(try Self.record(Self.entry("n-6", partition: 5, attempts: 1)))
        fence.observe(try Self.record(Self.entry("n-6", partition: 5, attempts: 2, state: .received)))
        // ...nor does a record of an id nobody awaits, whatever its value.
        fence.observe(ConsumerRecord(topic: "relance.notification-ledger", partition: 5, offset: 3, key: Data("n-7".utf8),
                                     value: Data("not json".utf8), headers: []))
        #expect(await owned == false, "no verdict: the wait times out")

        let retry = Self.entry("n-6", partition: 5, attempts: 3)
        fence.expect(retry)
        fence.observe(try Self.record(retry))
        #expect(await fence.owns(retry, timeout: .seconds(5)))
    }

    @Test func entriesOfOneSendGetTheirOwnVerdictsUnderOneDeadline() async throws {
        let fence = LedgerFence()
        fence.claim(6, barrier: "mine")
        fence.observe(Self.barrier("mine", partition: 6))
        let entries = (0..<4).map { Self.entry("n-batch-\($0)", partition: 6) }
        for entry in entries { fence.expect(entry) }
        // The first is seen before the wait, the third while waiting, the second and the
        // last never: their wait ends at the deadline, counted as fenced.
        fence.observe(try Self.record(entries[0]))
        async let owned = fence.owns(entries, timeout: .milliseconds(300))
        try await Task.sleep(for: .milliseconds(50))
        fence.observe(try Self.record(entries[2]))
        #expect(await owned == [true, false, true, false])
        // Nothing is left waiting: the same ids can be awaited again (a later attempt).
        let retry = Self.entry("n-batch-1", partition: 6, attempts: 2)
        fence.expect(retry)
        fence.observe(try Self.record(retry))
        #expect(await fence.owns([retry], timeout: .seconds(5)) == [true])
    }
}
