import Money
import ScenarioScheduler
import Testing

@Suite struct ShippedScenariosTests {
    static func shipped(_ name: String) throws -> DunningScenario {
        try #require(try ShippedScenarios.scenarios().first { $0.name == name })
    }

    @Test("three valid scenarios ship, in ladder order, version 1, standard-b2b the default")
    func three() throws {
        let scenarios = try ShippedScenarios.scenarios()
        #expect(scenarios.map(\.name) == ShippedScenarios.ladder)
        #expect(scenarios.map(\.name) == ["gentle", "standard-b2b", "firm"])
        #expect(scenarios.allSatisfy { $0.version == 1 && $0.validationProblems().isEmpty })
        #expect(ShippedScenarios.ladder.contains(ShippedScenarios.defaultName))
        let catalog = try ShippedScenarios.catalog()
        #expect(catalog.names == ["firm", "gentle", "standard-b2b"])
    }

    @Test("standard-b2b follows the French cadence: J-5, J+7, J+15, call J+20, formal notice J+30 with 8 days, agency J+60")
    func standardCadence() throws {
        let scenario = try Self.shipped("standard-b2b")
        #expect(scenario.steps.map(\.offsetDays) == [-5, 7, 15, 20, 30, 60])
        #expect(scenario.steps.map(\.channel) == [.email, .email, .email, .phoneCall, .registeredLetter, .collectionAgency])
        #expect(scenario.steps.map(\.template) == ["courtesy-reminder", "reminder-1", "reminder-2", "call-follow-up", "formal-notice", "agency-handoff"])
        let notice = try #require(scenario.step(id: "formal-notice"))
        #expect(notice.isFormalNotice && notice.claims == [.interest, .indemnity] && notice.responseDeadlineDays == 8)
        #expect(notice.mode == .automatic)
        #expect(notice.conditions.minimum(in: .eur) == Money(minorUnits: 100_00, currency: .eur))
        #expect(scenario.step(id: "reminder-2")?.letterIfEmailFails == true)
        #expect(scenario.steps.filter { !$0.claims.isEmpty }.map(\.id) == ["formal-notice"])
    }

    @Test("gentle is later than standard-b2b at every shared step and a person approves its formal notice")
    func gentleIsSofter() throws {
        let gentle = try Self.shipped("gentle")
        let standard = try Self.shipped("standard-b2b")
        for step in standard.steps where step.offsetDays > 0 {
            let softer = try #require(gentle.step(id: step.id))
            #expect(softer.offsetDays > step.offsetDays, "\(step.id)")
        }
        #expect(gentle.steps.filter { $0.channel == .registeredLetter || $0.channel == .collectionAgency }.allSatisfy { $0.mode == .manual })
        #expect(gentle.steps.filter { $0.mode == .automatic }.allSatisfy { $0.channel == .email })
    }

    @Test("firm is earlier than standard-b2b at every step after the due date, with a letter beside the second reminder")
    func firmIsStricter() throws {
        let firm = try Self.shipped("firm")
        let standard = try Self.shipped("standard-b2b")
        for step in standard.steps where step.offsetDays > 0 {
            let stricter = try #require(firm.step(id: step.id))
            #expect(stricter.offsetDays < step.offsetDays, "\(step.id)")
        }
        #expect(firm.step(id: "formal-notice")?.offsetDays == 20)
        let sameDay = firm.steps.filter { $0.offsetDays == 8 }.map(\.channel)
        #expect(sameDay == [.email, .letter])
    }
}
