import Foundation
import GRDB
import Messaging

/// A named readiness check: the database answers, the broker answers.
public struct HealthCheck: Sendable {
    public let name: String
    public let check: @Sendable () async throws -> Void

    public init(name: String, check: @escaping @Sendable () async throws -> Void) {
        self.name = name
        self.check = check
    }

    /// The database answers `SELECT 1`.
    public static func database(_ reader: any DatabaseReader) -> HealthCheck {
        HealthCheck(name: "database") { _ = try await reader.read { try Int.fetchOne($0, sql: "SELECT 1") } }
    }

    /// The broker answers a metadata request within 2 s.
    public static func broker(_ admin: KafkaAdmin) -> HealthCheck {
        HealthCheck(name: "broker") { _ = try await admin.topicNames(timeout: .seconds(2)) }
    }
}
