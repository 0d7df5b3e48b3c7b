import Foundation
import Money
import ScenarioScheduler
import Testing

@Suite struct ScenarioValidationTests {
    /// A valid three-step scenario the tests break one rule at a time.
    static func valid() -> DunningScenario {
        DunningScenario(name: "test", steps: [
            DunningStep(id: "courtesy", offsetDays: -5, channel: .email, recipient: .accounting, template: "courtesy-reminder"),
            DunningStep(id: "reminder-1", offsetDays: 7, channel: .email, recipient: .accounting, template: "reminder-1"),
            DunningStep(id: "formal-notice", offsetDays: 30, channel: .registeredLetter, recipient: .management,
                        template: "formal-notice", claims: [.interest, .indemnity], responseDeadlineDays: 8),
        ])
    }

    /// The (code, path) pairs of a scenario's problems.
    static func problems(_ scenario: DunningScenario) -> [String] {
        scenario.validationProblems().map { "\($0.code.rawValue) \($0.path)" }
    }

    @Test("a valid scenario has no problem and validate() does not throw")
    func validPasses() throws {
        #expect(Self.problems(Self.valid()).isEmpty)
        try Self.valid().validate()
    }

    @Test("a scenario without steps is refused at 'steps'")
    func emptyScenario() {
        #expect(Self.problems(DunningScenario(name: "empty", steps: [])) == ["emptyScenario steps"])
    }

    @Test("a repeated step id is refused at the second one, naming the first")
    func duplicateIDs() {
        var scenario = Self.valid()
        scenario.steps[2].id = "courtesy"
        let problems = scenario.validationProblems()
        #expect(problems.map(\.path) == ["steps[2].id"])
        #expect(problems.first?.code == .duplicateStepID)
        #expect(problems.first?.message.contains("steps[0]") == true)
    }

    @Test("offsets must not decrease; a shared day needs different channels")
    func order() {
        var backwards = Self.valid()
        backwards.steps[1].offsetDays = -6
        #expect(Self.problems(backwards) == ["stepsOutOfOrder steps[1].offsetDays"])

        var sameDaySameChannel = Self.valid()
        sameDaySameChannel.steps[1].offsetDays = -5
        #expect(Self.problems(sameDaySameChannel) == ["stepsOutOfOrder steps[1].offsetDays"])

        var sameDayOtherChannel = Self.valid()
        sameDayOtherChannel.steps[1].offsetDays = -5
        sameDayOtherChannel.steps[1].channel = .sms
        #expect(Self.problems(sameDayOtherChannel).isEmpty)
    }

    @Test("offsets outside -90...3650 are refused; the bounds pass")
    func offsetRange() {
        var early = Self.valid()
        early.steps[0].offsetDays = -91
        #expect(Self.problems(early) == ["offsetOutOfRange steps[0].offsetDays"])
        early.steps[0].offsetDays = -90
        #expect(Self.problems(early).isEmpty)

        var late = Self.valid()
        late.steps[2].offsetDays = 3651
        #expect(Self.problems(late) == ["offsetOutOfRange steps[2].offsetDays"])
        late.steps[2].offsetDays = 3650
        #expect(Self.problems(late).isEmpty)
    }

    @Test("a formal notice on or before the due date is refused: charges are owed from the day after")
    func formalNoticeBeforeDue() {
        var scenario = Self.valid()
        scenario.steps[1].offsetDays = -6
        scenario.steps[2].offsetDays = -4
        #expect(Self.problems(scenario).contains("chargesBeforeDue steps[2].claims"))
        scenario.steps[2].offsetDays = 0
        scenario.steps[1].offsetDays = -1
        #expect(Self.problems(scenario) == ["chargesBeforeDue steps[2].claims"])
        #expect(scenario.validationProblems().first?.message.contains("formal notice") == true)
        scenario.steps[2].offsetDays = 1
        #expect(Self.problems(scenario).isEmpty)
    }

    @Test("the agency escalation must be the last step")
    func escalationLast() {
        var scenario = Self.valid()
        scenario.steps[1] = DunningStep(id: "agency", offsetDays: 7, channel: .collectionAgency, recipient: .management,
                                        template: "agency-handoff", mode: .manual)
        #expect(Self.problems(scenario) == ["escalationNotLast steps[1].channel"])
        scenario.steps.append(scenario.steps.remove(at: 1))
        scenario.steps[2].offsetDays = 60
        #expect(Self.problems(scenario).isEmpty)
    }

    @Test("names, step ids and template ids must be kebab-case of at most 64 characters")
    func identifiers() {
        var scenario = Self.valid()
        scenario.name = "Standard B2B"
        scenario.steps[0].id = "reminder--1"
        scenario.steps[1].template = "Reminder_1"
        scenario.steps[2].template = "formal-notice-"
        #expect(Self.problems(scenario) == [
            "invalidIdentifier name", "invalidIdentifier steps[0].id", "invalidIdentifier steps[1].template",
            "invalidIdentifier steps[2].template",
        ])
        scenario = Self.valid()
        scenario.steps[0].template = "a" + String(repeating: "b", count: 63)
        #expect(Self.problems(scenario).isEmpty)
        scenario.steps[0].template += "c"
        #expect(Self.problems(scenario) == ["invalidIdentifier steps[0].template"])
        scenario.steps[0].template = "1st-reminder"
        #expect(Self.problems(scenario) == ["invalidIdentifier steps[0].template"])
    }

    @Test("a formal notice needs a response deadline of 1...90 days; only a registered letter has one")
    func deadlines() {
        var scenario = Self.valid()
        scenario.steps[2].responseDeadlineDays = nil
        #expect(Self.problems(scenario) == ["missingKey steps[2].responseDeadlineDays"])
        scenario.steps[2].responseDeadlineDays = 91
        #expect(Self.problems(scenario) == ["invalidValue steps[2].responseDeadlineDays"])
        scenario.steps[2].responseDeadlineDays = 8
        scenario.steps[1].responseDeadlineDays = 8
        #expect(Self.problems(scenario) == ["invalidValue steps[1].responseDeadlineDays"])
    }

    @Test("phone calls are manual; the letter fallback is for e-mails; roles are listed once")
    func stepConsistency() {
        var scenario = Self.valid()
        scenario.steps[1] = DunningStep(id: "call", offsetDays: 7, channel: .phoneCall, recipient: .accounting,
                                        fallbackRoles: [.management, .accounting, .management], template: "call-follow-up",
                                        letterIfEmailFails: true)
        #expect(Self.problems(scenario) == [
            "invalidValue steps[1].mode", "invalidValue steps[1].letterIfEmailFails",
            "invalidValue steps[1].fallbackRoles[1]", "invalidValue steps[1].fallbackRoles[2]",
        ])
    }

    @Test("minimum amounts are not negative and one per currency; segments are not empty")
    func conditions() {
        var scenario = Self.valid()
        scenario.steps[2].conditions = StepConditions(
            minimumOverdue: [Money(minorUnits: 100_00, currency: .eur), Money(minorUnits: -1, currency: .usd),
                             Money(minorUnits: 50_00, currency: .eur)],
            segments: [""])
        #expect(Self.problems(scenario) == [
            "invalidValue steps[2].when.minimumOverdue.EUR", "invalidValue steps[2].when.minimumOverdue.USD",
            "invalidValue steps[2].when.segments",
        ])
    }

    @Test("every problem is reported at once, in step order, and the error lists them")
    func allProblemsAtOnce() {
        var scenario = Self.valid()
        scenario.steps[0].template = "Courtesy"
        scenario.steps[1].offsetDays = 4000
        scenario.steps[2].id = "courtesy"
        #expect(throws: ScenarioValidationError.self) { try scenario.validate() }
        do {
            try scenario.validate()
        } catch {
            #expect(error.problems.map(\.path) == ["steps[0].template", "steps[1].offsetDays", "steps[2].id", "steps[2].offsetDays"])
            #expect(error.description.hasPrefix("scenario 'test' is invalid (4 problems):\n- steps[0].template: "))
        }
    }

    @Test("conditions admit by minimum in the same currency, segment (any case) and risk")
    func conditionsAdmit() {
        let conditions = StepConditions(minimumOverdue: [Money(minorUnits: 100_00, currency: .eur)],
                                        segments: ["SMB"], riskCategories: [.high, .critical])
        let eur99 = Money(minorUnits: 99_99, currency: .eur)
        let eur100 = Money(minorUnits: 100_00, currency: .eur)
        #expect(!conditions.admit(overdue: eur99, segment: "SMB", risk: .high))
        #expect(conditions.admit(overdue: eur100, segment: "smb", risk: .high))
        // No USD minimum: any USD amount passes the amount condition.
        #expect(conditions.admit(overdue: Money(minorUnits: 1, currency: .usd), segment: "SMB", risk: .critical))
        #expect(!conditions.admit(overdue: eur100, segment: nil, risk: .high))
        #expect(!conditions.admit(overdue: eur100, segment: "Public", risk: .high))
        #expect(!conditions.admit(overdue: eur100, segment: "SMB", risk: .medium))
        #expect(!conditions.admit(overdue: eur100, segment: "SMB", risk: nil))
        #expect(StepConditions.none.admit(overdue: eur99, segment: nil, risk: nil))
    }

    @Test("the recipient is the role if present, else the first fallback present, else none")
    func recipientFallback() {
        let step = DunningStep(id: "r", offsetDays: 1, channel: .email, recipient: .accounting,
                               fallbackRoles: [.operational, .management], template: "reminder-1")
        #expect(step.recipientRole(among: [.accounting, .management]) == .accounting)
        #expect(step.recipientRole(among: [.management, .operational]) == .operational)
        #expect(step.recipientRole(among: [.management]) == .management)
        #expect(step.recipientRole(among: []) == nil)
    }
}

@Suite struct StepConditionsCodingTests {
    @Test("JSON decoding sorts the minimums by currency like the initialiser, so equal conditions compare equal")
    func jsonSortsMinimums() throws {
        let json = #"{"minimumOverdue":[{"minorUnits":500,"currency":"USD"},{"minorUnits":100,"currency":"EUR"}],"segments":["SMB"],"riskCategories":["high"]}"#
        let decoded = try JSONDecoder().decode(StepConditions.self, from: Data(json.utf8))
        #expect(decoded.minimumOverdue.map(\.currency.code) == ["EUR", "USD"])
        #expect(decoded == StepConditions(minimumOverdue: [Money(minorUnits: 500, currency: .usd), Money(minorUnits: 100, currency: .eur)],
                                          segments: ["SMB"], riskCategories: [.high]))
        #expect(try JSONDecoder().decode(StepConditions.self, from: JSONEncoder().encode(decoded)) == decoded)
    }
}
