import Events
import Foundation
import GRDB

extension InvoicingDatabase {
    /// A response kept for an `Idempotency-Key`, replayed to retries of the same request.
    struct StoredResponse: Sendable, Hashable {
        /// Hash of the request that produced it (method, path and body).
        var requestHash: String
        var status: Int
        var contentType: String?
        var body: Data
    }

    /// What a request carrying an `Idempotency-Key` may do.
    enum IdempotencyClaim: Sendable, Hashable {
        /// The key is new (or its earlier attempt was abandoned): run the request, then
        /// ``completeIdempotencyKey(_:scope:with:)`` or ``releaseIdempotencyKey(_:scope:)``.
        case claimed
        /// A request with the key completed: replay its response if the hash matches.
        case completed(StoredResponse)
        /// A request with the key is running now.
        case inProgress(requestHash: String)
    }

    /// Status stored while the request holding a key runs; never an HTTP status.
    private static let inProgressStatus = 0

    /// Claims a key for a request, atomically: of two concurrent requests with the same key,
    /// one runs and the other sees ``IdempotencyClaim/inProgress(requestHash:)``.
    /// - Parameters:
    ///   - key: The client's `Idempotency-Key`.
    ///   - scope: Method and path (`POST /v1/invoices`); a key is unique per scope.
    ///   - requestHash: Hash of the request.
    ///   - abandonedAfter: A claim older than this, never completed (the process died while
    ///     running it), is taken over.
    func claimIdempotencyKey(_ key: String, scope: String, requestHash: String, abandonedAfter: Duration) async throws -> IdempotencyClaim {
        let now = self.now()
        return try await writer.write { db in
            if let row = try Row.fetchOne(db, sql: """
                SELECT request_hash, status, content_type, body, created_at FROM idempotency_key WHERE key = ? AND scope = ?
                """, arguments: [key, scope]) {
                let status: Int = row["status"]
                let storedHash: String = row["request_hash"]
                guard status == Self.inProgressStatus else {
                    return .completed(StoredResponse(requestHash: storedHash, status: status, contentType: row["content_type"], body: row["body"]))
                }
                let claimedAt = EventJSON.parseInstant(row["created_at"]) ?? .distantPast
                guard now.timeIntervalSince(claimedAt) > abandonedAfter.seconds else {
                    return .inProgress(requestHash: storedHash)
                }
                try db.execute(sql: "UPDATE idempotency_key SET request_hash = ?, created_at = ? WHERE key = ? AND scope = ?",
                               arguments: [requestHash, Self.timestamp(now), key, scope])
                return .claimed
            }
            try db.execute(sql: """
                INSERT INTO idempotency_key (key, scope, request_hash, status, content_type, body, created_at)
                VALUES (?, ?, ?, ?, NULL, ?, ?)
                """, arguments: [key, scope, requestHash, Self.inProgressStatus, Data(), Self.timestamp(now)])
            return .claimed
        }
    }

    /// Stores the response of a claimed key, for replay.
    func completeIdempotencyKey(_ key: String, scope: String, with response: StoredResponse) async throws {
        try await writer.write { db in
            try db.execute(sql: """
                UPDATE idempotency_key SET request_hash = ?, status = ?, content_type = ?, body = ? WHERE key = ? AND scope = ?
                """, arguments: [response.requestHash, response.status, response.contentType, response.body, key, scope])
        }
    }

    /// Forgets a claim whose request failed on the server side, so a retry runs again.
    func releaseIdempotencyKey(_ key: String, scope: String) async throws {
        try await writer.write { db in
            try db.execute(sql: "DELETE FROM idempotency_key WHERE key = ? AND scope = ? AND status = ?",
                           arguments: [key, scope, Self.inProgressStatus])
        }
    }
}

extension Duration {
    /// The duration in seconds, with fractions.
    fileprivate var seconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
