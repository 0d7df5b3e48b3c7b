import ScenarioScheduler
import Testing

@Suite struct ScenarioCatalogTests {
    static func standard() throws -> DunningScenario {
        try ScenarioYAML.decode(ShippedScenarios.standardB2BYAML)
    }

    @Test("editing publishes version n+1 and keeps version n for the schedules pinned to it")
    func editingAddsAVersion() throws {
        var catalog = ScenarioCatalog()
        let first = try catalog.publish(Self.standard())
        #expect(first == ScenarioReference(name: "standard-b2b", version: 1))
        var edited = try Self.standard()
        edited.version = 7 // ignored: the catalog numbers versions
        edited.steps.removeAll { $0.id == "call" }
        let second = try catalog.publish(edited)
        #expect(second.description == "standard-b2b@2")
        #expect(catalog.scenario(first)?.step(id: "call") != nil)
        #expect(catalog.scenario(second)?.step(id: "call") == nil)
        #expect(catalog.latest("standard-b2b")?.version == 2)
        #expect(catalog.versions(of: "standard-b2b").map(\.version) == [1, 2])
        #expect(catalog.scenario(ScenarioReference(name: "standard-b2b", version: 3)) == nil)
    }

    @Test("publishing the newest version's steps again adds no version")
    func republishingIsIdempotent() throws {
        var catalog = ScenarioCatalog()
        try catalog.publish(Self.standard())
        #expect(try catalog.publish(Self.standard()).version == 1)
        #expect(catalog.versions(of: "standard-b2b").count == 1)
    }

    @Test("an invalid scenario is refused with its validation problems and nothing is published")
    func invalidRefused() throws {
        var catalog = ScenarioCatalog()
        var broken = try Self.standard()
        broken.steps.swapAt(0, 1)
        #expect(throws: ScenarioCatalogError.self) { try catalog.publish(broken) }
        do {
            try catalog.publish(broken)
        } catch {
            #expect(error.code == .invalidScenario)
            #expect(error.validation?.problems.map(\.path) == ["steps[1].offsetDays"])
        }
        #expect(catalog.names.isEmpty)
    }

    @Test("migration keeps a step by id, else moves to the next by offset, else says nothing is left")
    func migration() throws {
        var catalog = ScenarioCatalog()
        let v1 = try catalog.publish(Self.standard())
        var edited = try Self.standard()
        edited.steps.removeAll { $0.id == "call" || $0.id == "agency" }
        let v2 = try catalog.publish(edited)

        let kept = try catalog.migrate(stepID: "reminder-2", from: v1, to: v2)
        #expect(kept.rule == .sameID && kept.toStep?.id == "reminder-2")

        // The call at +20 is gone: the next step at +20 or later is the formal notice at +30.
        let moved = try catalog.migrate(stepID: "call", from: v1, to: v2)
        #expect(moved.rule == .nextByOffset && moved.toStep?.id == "formal-notice")
        #expect(moved.explanation == "standard-b2b@2 has no step 'call'; the schedule continues with 'formal-notice' at offset 30 days, the first at or after 20.")

        // The agency at +60 is gone and nothing comes after it.
        let done = try catalog.migrate(stepID: "agency", from: v1, to: v2)
        #expect(done.rule == .noStepLeft && done.toStep == nil)
    }

    @Test("migration across scenarios: a standard-b2b schedule waiting for the call moves to firm's call")
    func migrationAcrossScenarios() throws {
        let catalog = try ShippedScenarios.catalog()
        let standard = ScenarioReference(name: "standard-b2b", version: 1)
        let firm = ScenarioReference(name: "firm", version: 1)
        let call = try catalog.migrate(stepID: "call", from: standard, to: firm)
        #expect(call.rule == .sameID && call.toStep?.offsetDays == 12)
    }

    @Test("migration names an unknown scenario, version or step")
    func migrationErrors() throws {
        let catalog = try ShippedScenarios.catalog()
        let standard = ScenarioReference(name: "standard-b2b", version: 1)
        func code(_ body: () throws(ScenarioCatalogError) -> StepMigration) -> ScenarioCatalogError.Code? {
            do { _ = try body(); return nil } catch { return error.code }
        }
        #expect(code { () throws(ScenarioCatalogError) in try catalog.migrate(stepID: "call", from: standard, to: ScenarioReference(name: "nope", version: 1)) } == .unknownScenario)
        #expect(code { () throws(ScenarioCatalogError) in try catalog.migrate(stepID: "call", from: standard, to: ScenarioReference(name: "firm", version: 2)) } == .unknownVersion)
        #expect(code { () throws(ScenarioCatalogError) in try catalog.migrate(stepID: "fax", from: standard, to: standard) } == .unknownStep)
    }
}
