import Events
import Foundation
import GRDB

/// The responses kept for HTTP `Idempotency-Key`s, in table `idempotency_key`, so a retried
/// `POST` gets the first answer back instead of acting twice (ServiceKit's
/// `IdempotencyMiddleware` drives it).
///
/// A key is unique per scope (method and path). Its row is claimed before the request runs
/// (status 0), completed with the response, or released when the request failed on the server
/// side. Rows are purged after the idempotency retention (``StoreMaintenance``).
public enum IdempotencyStore {
    /// A response kept for an `Idempotency-Key`, replayed to retries of the same request.
    public struct StoredResponse: Sendable, Hashable {
        /// Hash of the request that produced it (method, path and body).
        public var requestHash: String
        /// The HTTP status (below 500).
        public var status: Int
        /// The response's `Content-Type`, if any.
        public var contentType: String?
        /// The response body.
        public var body: Data

        /// A stored response.
        public init(requestHash: String, status: Int, contentType: String?, body: Data) {
            self.requestHash = requestHash
            self.status = status
            self.contentType = contentType
            self.body = body
        }
    }

    /// What a request carrying an `Idempotency-Key` may do.
    public enum Claim: Sendable, Hashable {
        /// The key is new (or its earlier attempt was abandoned): run the request, then
        /// ``complete(_:scope:with:in:)`` or ``release(_:scope:in:)``.
        case claimed
        /// A request with the key completed: replay its response if the hash matches.
        case completed(StoredResponse)
        /// A request with the key is running now.
        case inProgress(requestHash: String)
    }

    /// Status stored while the request holding a key runs; never an HTTP status.
    private static let inProgressStatus = 0

    /// Claims a key for a request, atomically: of two concurrent requests with the same key,
    /// one runs and the other sees ``Claim/inProgress(requestHash:)``.
    /// - Parameters:
    ///   - key: The client's `Idempotency-Key`.
    ///   - scope: Method and path (`POST /v1/invoices`); a key is unique per scope.
    ///   - requestHash: Hash of the request.
    ///   - abandonedAfter: A claim older than this, never completed (the process died while
    ///     running it), is taken over.
    ///   - now: The time of the claim.
    ///   - writer: The store.
    /// - Throws: GRDB's errors.
    public static func claim(
        _ key: String, scope: String, requestHash: String, abandonedAfter: Duration, now: Date, in writer: any DatabaseWriter
    ) async throws -> Claim {
        try await writer.write { db in
            if let row = try Row.fetchOne(db, sql: """
                SELECT request_hash, status, content_type, body, created_at FROM idempotency_key WHERE key = ? AND scope = ?
                """, arguments: [key, scope]) {
                let status: Int = row["status"]
                let storedHash: String = row["request_hash"]
                guard status == inProgressStatus else {
                    return .completed(StoredResponse(requestHash: storedHash, status: status, contentType: row["content_type"], body: row["body"]))
                }
                let claimedAt = EventJSON.parseInstant(row["created_at"]) ?? .distantPast
                guard now.timeIntervalSince(claimedAt) > abandonedAfter.timeInterval else {
                    return .inProgress(requestHash: storedHash)
                }
                try db.execute(sql: "UPDATE idempotency_key SET request_hash = ?, created_at = ? WHERE key = ? AND scope = ?",
                               arguments: [requestHash, EventJSON.formatInstant(now), key, scope])
                return .claimed
            }
            try db.execute(sql: """
                INSERT INTO idempotency_key (key, scope, request_hash, status, content_type, body, created_at)
                VALUES (?, ?, ?, ?, NULL, ?, ?)
                """, arguments: [key, scope, requestHash, inProgressStatus, Data(), EventJSON.formatInstant(now)])
            return .claimed
        }
    }

    /// Stores the response of a claimed key, for replay.
    /// - Throws: GRDB's errors.
    public static func complete(_ key: String, scope: String, with response: StoredResponse, in writer: any DatabaseWriter) async throws {
        try await writer.write { db in
            try db.execute(sql: """
                UPDATE idempotency_key SET request_hash = ?, status = ?, content_type = ?, body = ? WHERE key = ? AND scope = ?
                """, arguments: [response.requestHash, response.status, response.contentType, response.body, key, scope])
        }
    }

    /// Forgets a claim whose request failed on the server side, so a retry runs again. A
    /// completed key is kept.
    /// - Throws: GRDB's errors.
    public static func release(_ key: String, scope: String, in writer: any DatabaseWriter) async throws {
        try await writer.write { db in
            try db.execute(sql: "DELETE FROM idempotency_key WHERE key = ? AND scope = ? AND status = ?",
                           arguments: [key, scope, inProgressStatus])
        }
    }

    /// Deletes one chunk of keys claimed before `date`, oldest first, through the
    /// `created_at` index.
    /// - Returns: keys deleted; fewer than `limit` when nothing older is left.
    static func purge(createdBefore date: Date, limit: Int, _ db: Database) throws -> Int {
        try db.execute(sql: """
            DELETE FROM idempotency_key WHERE (key, scope) IN (
                SELECT key, scope FROM idempotency_key WHERE created_at < ? ORDER BY created_at LIMIT ?)
            """, arguments: [EventJSON.formatInstant(date), max(limit, 1)])
        return db.changesCount
    }

    /// Registers `relance-idempotency-v1`. Invoicing's own `invoicing-v1` created the same
    /// table before it was shared, without `IF NOT EXISTS`; hence `IF NOT EXISTS` here, and
    /// ``DatabaseOpener/migrate(_:with:)`` applies this after the service's migrations.
    static func registerMigrations(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("relance-idempotency-v1") { db in
            try db.execute(sql: """
                CREATE TABLE IF NOT EXISTS idempotency_key (
                    key TEXT NOT NULL,
                    scope TEXT NOT NULL,             -- method and path
                    request_hash TEXT NOT NULL,
                    status INTEGER NOT NULL,
                    content_type TEXT,
                    body BLOB NOT NULL,
                    created_at TEXT NOT NULL,
                    PRIMARY KEY (key, scope)
                ) WITHOUT ROWID;
                CREATE INDEX IF NOT EXISTS idempotency_key_created_at ON idempotency_key(created_at);
                """)
        }
    }
}
