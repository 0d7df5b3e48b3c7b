import Testing

@testable import Messaging

@Suite struct AssignmentLedgerTests {
    let p0 = TopicPartition(topic: "t", partition: 0)
    let p1 = TopicPartition(topic: "t", partition: 1)

    @Test func recordsOfAPartitionOwnedThroughoutAreKept() {
        var ledger = AssignmentLedger()
        ledger.assign([p0, p1])
        let readAt = ledger.generation
        #expect(ledger.stillOwns(p0, readAt: readAt))
        #expect(ledger.stillOwns(p1, readAt: readAt))
    }

    @Test func cooperativeRevocationDropsOnlyTheRevokedPartition() {
        var ledger = AssignmentLedger()
        ledger.assign([p0, p1])
        let readAt = ledger.generation
        ledger.revoke([p0], all: false)
        #expect(!ledger.stillOwns(p0, readAt: readAt))
        #expect(ledger.stillOwns(p1, readAt: readAt))
    }

    @Test func eagerRevokeThenReassignDropsRecordsReadBefore() {
        // Eager protocol: everything is revoked, then (maybe the same) partitions come back
        // and are fetched again from the committed offset: records read before are stale.
        var ledger = AssignmentLedger()
        ledger.assign([p0, p1])
        let readBefore = ledger.generation
        ledger.revoke([p0, p1], all: true)
        ledger.assign([p1])
        let readAfter = ledger.generation
        #expect(!ledger.stillOwns(p0, readAt: readBefore))
        #expect(!ledger.stillOwns(p1, readAt: readBefore))
        #expect(ledger.stillOwns(p1, readAt: readAfter))
        #expect(ledger.owned == [p1])
    }
}

@Suite struct PartitionBackoffsTests {
    let partition = TopicPartition(topic: "t", partition: 3)

    @Test func attemptsCountPerRecordAndRestartForAnotherOffset() {
        var backoffs = PartitionBackoffs()
        #expect(backoffs.recordFailure(of: partition, at: 10) == 1)
        #expect(backoffs.recordFailure(of: partition, at: 10) == 2)
        #expect(backoffs.recordFailure(of: partition, at: 11) == 1)
    }

    @Test func aScheduledPartitionWaitsUntilDueThenKeepsItsCount() {
        var backoffs = PartitionBackoffs()
        let now = ContinuousClock.now
        _ = backoffs.recordFailure(of: partition, at: 10)
        backoffs.schedule(partition, at: now + .seconds(1))
        #expect(backoffs.isWaiting(partition))
        #expect(backoffs.nextDue == now + .seconds(1))
        #expect(backoffs.takeDue(at: now).isEmpty)
        #expect(backoffs.takeDue(at: now + .seconds(2)) == [partition])
        #expect(!backoffs.isWaiting(partition))
        #expect(backoffs.recordFailure(of: partition, at: 10) == 2)
    }

    @Test func revokedPartitionsAreForgotten() {
        var backoffs = PartitionBackoffs()
        _ = backoffs.recordFailure(of: partition, at: 10)
        backoffs.schedule(partition, at: .now + .seconds(5))
        backoffs.keepOnly([])
        #expect(!backoffs.isWaiting(partition))
        #expect(backoffs.nextDue == nil)
    }

    @Test func retryPolicyBoundsAttempts() {
        #expect(RetryPolicy().maxAttempts == 10)
        #expect(RetryPolicy(maxAttempts: 0).maxAttempts == 1)
    }

    @Test func adminClientsCarryNoProducerSettings() {
        let configuration = KafkaConfiguration(properties: ["security.protocol": "SASL_SSL"])
        #expect(configuration.adminProperties["enable.idempotence"] == nil)
        #expect(configuration.adminProperties["acks"] == nil)
        #expect(configuration.adminProperties["allow.auto.create.topics"] == "false")
        #expect(configuration.adminProperties["security.protocol"] == "SASL_SSL")
        #expect(configuration.consumerProperties(groupId: "g")["max.poll.interval.ms"] == "300000")
    }
}
