import Events
import Foundation
import GRDB
import Messaging
import Storage

extension SchedulerDatabase {
    /// Applies consumed events in one write transaction, each exactly as the one-event
    /// ``apply(_:)`` does (same effect, same inbox marker, in the order given).
    ///
    /// One commit for many events: with `synchronous=FULL` every commit waits for an fsync,
    /// which caps one-event-per-transaction ingestion at the disk's fsync rate (a portfolio of
    /// a million invoices would take hours). A consumer handing records over in batches can
    /// use this and store its offsets once the call returns.
    /// - Parameter envelopes: The events, in consumption order; duplicates (in the inbox, or
    ///   twice in the batch) have no second effect.
    /// - Returns: Per event, in order: its effect, or the `InvalidRecord` that kept it out of
    ///   the transaction (a poison record for the dead-letter topic; not marked processed).
    /// - Throws: a database error: the whole batch is rolled back (retry it).
    @discardableResult
    public func apply(_ envelopes: [Envelope]) async throws -> [Result<SchedulerEventEffect, InvalidRecord>] {
        typealias Effect = @Sendable (Database) throws -> Void
        var decoded: [Result<Effect?, InvalidRecord>] = []
        decoded.reserveCapacity(envelopes.count)
        for envelope in envelopes {
            do throws(InvalidRecord) { decoded.append(.success(try effect(of: envelope))) } catch { decoded.append(.failure(error)) }
        }
        guard decoded.contains(where: { if case .success(.some) = $0 { true } else { false } }) else {
            return decoded.map { $0.map { _ in SchedulerEventEffect.ignored } }
        }
        let work = decoded
        let results = try await writer.write { db -> [Result<SchedulerEventEffect, InvalidRecord>] in
            var results: [Result<SchedulerEventEffect, InvalidRecord>] = []
            results.reserveCapacity(envelopes.count)
            for (envelope, item) in zip(envelopes, work) {
                switch item {
                case .failure(let invalid):
                    results.append(.failure(invalid))
                case .success(nil):
                    results.append(.success(.ignored))
                case .success(let effect?):
                    guard try Inbox.markProcessed(envelope, in: db) else {
                        results.append(.success(.duplicate))
                        continue
                    }
                    try effect(db)
                    results.append(.success(.applied))
                }
            }
            return results
        }
        if results.contains(where: { if case .success(.applied) = $0 { true } else { false } }) { onEventsWritten() }
        return results
    }
}
