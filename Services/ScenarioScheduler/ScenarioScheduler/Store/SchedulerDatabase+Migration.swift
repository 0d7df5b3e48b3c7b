import Events
import Foundation
import GRDB

/// Moving running schedules to another version of their scenario: explicit, never automatic
/// (publishing a version leaves running schedules on theirs).
extension SchedulerDatabase {
    /// What a migration did.
    public struct MigrationReport: Codable, Sendable, Hashable {
        /// How one waiting step was mapped, and for how many invoices.
        public struct Step: Codable, Sendable, Hashable {
            public var fromStep: String
            public var toStep: String?
            public var rule: StepMigration.Rule
            public var explanation: String
            public var invoices: Int
        }

        public var scenario: String
        public var fromVersion: Int
        public var toVersion: Int
        /// Open invoices moved.
        public var invoices: Int
        public var steps: [Step]
    }

    /// Moves the open invoices whose schedule runs on `name@fromVersion` to `toVersion` (the
    /// newest when nil): each continues with the step ``ScenarioCatalog/migrate(stepID:from:to:)``
    /// maps its next step to (same id, else the next by offset, else none left), and is
    /// rescheduled; each customer's timeline says so.
    /// - Throws: `ScenarioCatalogError` (unknown scenario or version), ``SchedulerError`` when
    ///   both versions are the same.
    public func migrate(scenario name: String, fromVersion: Int, toVersion: Int?) async throws -> MigrationReport {
        let catalog = self.catalog
        let to = toVersion ?? catalog.latest(name)?.version ?? 0
        let fromReference = ScenarioReference(name: name, version: fromVersion)
        let toReference = ScenarioReference(name: name, version: to)
        guard let source = catalog.scenario(fromReference), let target = catalog.scenario(toReference) else {
            // Let the catalog say which one is unknown.
            _ = try catalog.migrate(stepID: "", from: fromReference, to: toReference)
            throw SchedulerError.invalid("scenario \(name) has no version \(fromVersion) or \(to)")
        }
        guard fromVersion != to else { throw SchedulerError.invalid("toVersion: the schedules already run on \(fromReference)") }
        let now = clock.now()
        return try await write { db in
            var report = MigrationReport(scenario: name, fromVersion: fromVersion, toVersion: to, invoices: 0, steps: [])
            let rows = try Row.fetchAll(db, sql: """
                SELECT id, customer_id, steps_done FROM invoice
                WHERE scenario = ? AND scenario_version = ? AND status IN ('open', 'partiallyPaid')
                """, arguments: [name, fromVersion])
            var byStep: [Int: [(id: String, customer: String)]] = [:]
            for row in rows { byStep[row["steps_done"], default: []].append((row["id"], row["customer_id"])) }
            var perCustomer: [String: (ids: [String], lines: [String])] = [:]
            for (stepsDone, invoices) in byStep.sorted(by: { $0.key < $1.key }) {
                let newStepsDone: Int
                if stepsDone < source.steps.count {
                    let migration = try catalog.migrate(stepID: source.steps[stepsDone].id, from: fromReference, to: toReference)
                    newStepsDone = migration.toStep.flatMap { step in target.steps.firstIndex { $0.id == step.id } } ?? target.steps.count
                    report.steps.append(.init(fromStep: migration.fromStep.id, toStep: migration.toStep?.id, rule: migration.rule,
                                              explanation: migration.explanation, invoices: invoices.count))
                    for invoice in invoices { perCustomer[invoice.customer, default: ([], [])].lines.append(migration.explanation) }
                } else {
                    newStepsDone = target.steps.count
                }
                for invoice in invoices {
                    try db.execute(sql: "UPDATE invoice SET scenario_version = ?, steps_done = ? WHERE id = ?",
                                   arguments: [to, newStepsDone, invoice.id])
                    try self.reschedule(invoice.id, db)
                    perCustomer[invoice.customer, default: ([], [])].ids.append(invoice.id)
                }
                report.invoices += invoices.count
            }
            for (customerId, moved) in perCustomer.sorted(by: { $0.key < $1.key }) {
                let detail = "schedules moved from \(fromReference) to \(toReference): " + Set(moved.lines).sorted().joined(separator: " ")
                try self.recordAction(customerId: customerId, kind: "scenario-migrated", invoiceIds: moved.ids, scenario: toReference,
                                      detail: detail, at: now, db)
            }
            return report
        }
    }
}
