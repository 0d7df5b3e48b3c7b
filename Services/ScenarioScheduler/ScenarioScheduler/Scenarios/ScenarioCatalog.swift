/// Every version of every scenario, in memory (the service persists it): editing a scenario
/// publishes version n + 1 and keeps version n, because running schedules pin
/// (name, version) and keep theirs until migrated with ``migrate(stepID:from:to:)``.
public struct ScenarioCatalog: Sendable, Hashable {
    /// Versions per name, version k at index k − 1.
    private var versionsByName: [String: [DunningScenario]] = [:]

    /// An empty catalog.
    public init() {}

    /// The scenario names, sorted.
    public var names: [String] { versionsByName.keys.sorted() }

    /// Every version of a scenario, oldest first; empty for an unknown name.
    public func versions(of name: String) -> [DunningScenario] { versionsByName[name] ?? [] }

    /// The newest version of a scenario.
    public func latest(_ name: String) -> DunningScenario? { versionsByName[name]?.last }

    /// One version of a scenario.
    public func scenario(_ reference: ScenarioReference) -> DunningScenario? {
        guard let versions = versionsByName[reference.name], reference.version >= 1,
              reference.version <= versions.count else { return nil }
        return versions[reference.version - 1]
    }

    /// Adds a scenario, or a new version of one: the version is the catalog's (1 for a new
    /// name, else the newest + 1), whatever `scenario.version` says. Publishing the same
    /// description, broken-promise rule and steps as the newest version adds nothing and returns it, so a
    /// repeated request does not multiply versions.
    /// - Returns: The reference of the version holding these steps.
    /// - Throws: `ScenarioCatalogError` `.invalidScenario` with the validation problems.
    @discardableResult
    public mutating func publish(_ scenario: DunningScenario) throws(ScenarioCatalogError) -> ScenarioReference {
        var numbered = scenario
        let existing = versionsByName[scenario.name] ?? []
        numbered.version = existing.count + 1
        do {
            try numbered.validate()
        } catch {
            throw ScenarioCatalogError(.invalidScenario, "\(error)", validation: error)
        }
        if let newest = existing.last, newest.description == scenario.description, newest.brokenPromise == scenario.brokenPromise,
           newest.steps == scenario.steps {
            return newest.reference
        }
        versionsByName[scenario.name] = existing + [numbered]
        return numbered.reference
    }

    /// Maps the step a schedule waits for in one version to the step it waits for in another
    /// (of the same scenario or another one, e.g. when the customer moves to `firm`): the
    /// step with the same id, else the first step at the same offset or later (so no earlier
    /// step is sent again and none is skipped that was still ahead), else none.
    ///
    /// Example: `standard-b2b@1` has `call` at +20 and `formal-notice` at +30; version 2 drops
    /// the call. A schedule waiting for `call` moves to `formal-notice` (next by offset).
    /// - Parameters:
    ///   - stepID: The step the schedule waits for (its next step) in `from`.
    ///   - from: The version the schedule pins.
    ///   - to: The version it moves to.
    /// - Throws: `ScenarioCatalogError` for an unknown scenario, version or step.
    public func migrate(stepID: String, from: ScenarioReference, to: ScenarioReference) throws(ScenarioCatalogError) -> StepMigration {
        let source = try existing(from)
        let target = try existing(to)
        guard let step = source.step(id: stepID) else {
            throw ScenarioCatalogError(.unknownStep, "\(from) has no step '\(stepID)'; its steps are \(source.steps.map(\.id).joined(separator: ", "))")
        }
        if let same = target.step(id: stepID) {
            return StepMigration(from: from, to: to, fromStep: step, toStep: same, rule: .sameID,
                                 explanation: "Step '\(stepID)' of \(from) continues as step '\(stepID)' of \(to) (same id, offset \(same.offsetDays) days).")
        }
        if let next = target.steps.first(where: { $0.offsetDays >= step.offsetDays }) {
            return StepMigration(from: from, to: to, fromStep: step, toStep: next, rule: .nextByOffset,
                                 explanation: "\(to) has no step '\(stepID)'; the schedule continues with '\(next.id)' at offset \(next.offsetDays) days, the first at or after \(step.offsetDays).")
        }
        return StepMigration(from: from, to: to, fromStep: step, toStep: nil, rule: .noStepLeft,
                             explanation: "\(to) has no step '\(stepID)' and none at or after offset \(step.offsetDays) days; the schedule has nothing left to do.")
    }

    private func existing(_ reference: ScenarioReference) throws(ScenarioCatalogError) -> DunningScenario {
        guard let versions = versionsByName[reference.name] else {
            throw ScenarioCatalogError(.unknownScenario, "no scenario is named '\(reference.name)'; known: \(names.joined(separator: ", "))")
        }
        guard let scenario = scenario(reference) else {
            throw ScenarioCatalogError(.unknownVersion, "scenario '\(reference.name)' has versions 1...\(versions.count), not \(reference.version)")
        }
        return scenario
    }
}
