import PropertyBased
import ScenarioScheduler
import Testing

@Suite struct ScenarioAssignmentTests {
    static let assignment = ScenarioAssignment(explicit: ["C-VIP": "firm"])

    /// Figures with `late` of `invoices` late, an average of `days` tenths, `broken` promises.
    static func figures(days: Int = 0, late: Int = 0, of invoices: Int = 10, broken: Int = 0) -> PaymentBehaviourFigures {
        PaymentBehaviourFigures(averageDaysLateTenths: days, invoices: invoices, lateInvoices: late, brokenPromises: broken)
    }

    @Test("explicit assignment first, then the first matching rule, then the default")
    func baseOrder() {
        let strategicHighRisk = CustomerDunningProfile(customerID: "C-1", risk: .high, strategic: true)
        let rule0 = Self.assignment.decide(for: strategicHighRisk, behaviour: nil, previous: nil)
        #expect(rule0.scenario == "gentle" && rule0.source == .rule(0) && rule0.reason.code == .rule)
        #expect(rule0.reason.sentence == "Rule 1 (strategic) assigns 'gentle'.")

        let risky = CustomerDunningProfile(customerID: "C-2", risk: .critical)
        let rule1 = Self.assignment.decide(for: risky, behaviour: nil, previous: nil)
        #expect(rule1.scenario == "firm" && rule1.source == .rule(1))
        #expect(rule1.reason.sentence == "Rule 2 (risk high or critical) assigns 'firm'.")

        let plain = CustomerDunningProfile(customerID: "C-3", segment: "SMB", risk: .medium)
        let byDefault = Self.assignment.decide(for: plain, behaviour: nil, previous: nil)
        #expect(byDefault.scenario == "standard-b2b" && byDefault.source == .defaultScenario && byDefault.reason.code == .default)

        let vip = CustomerDunningProfile(customerID: "C-VIP", strategic: true)
        let explicit = Self.assignment.decide(for: vip, behaviour: nil, previous: nil)
        #expect(explicit.scenario == "firm" && explicit.source == .explicit && explicit.reason.code == .explicit)
    }

    @Test("a rule matches only when every criterion given matches; segments ignore case")
    func ruleCriteria() {
        let rule = AssignmentRule(segments: ["Public sector"], riskCategories: [.low], strategic: false, scenario: "gentle")
        #expect(rule.matches(CustomerDunningProfile(customerID: "a", segment: "public SECTOR", risk: .low)))
        #expect(!rule.matches(CustomerDunningProfile(customerID: "a", segment: "SMB", risk: .low)))
        #expect(!rule.matches(CustomerDunningProfile(customerID: "a", segment: "Public sector", risk: .medium)))
        #expect(!rule.matches(CustomerDunningProfile(customerID: "a", segment: "Public sector", risk: nil)))
        #expect(!rule.matches(CustomerDunningProfile(customerID: "a", segment: "Public sector", risk: .low, strategic: true)))
        #expect(!rule.matches(CustomerDunningProfile(customerID: "a", segment: nil, risk: .low)))
    }

    @Test("a first assignment is a change; the same decision again is not")
    func changed() {
        let customer = CustomerDunningProfile(customerID: "C-3")
        let first = Self.assignment.decide(for: customer, behaviour: nil, previous: nil)
        #expect(first.changed && first.previousScenario == nil)
        let again = Self.assignment.decide(for: customer, behaviour: nil, previous: first.state)
        #expect(!again.changed)
    }

    @Test("a late payer moves up one rung: 5 of 10 invoices late reaches the 40% threshold")
    func tightensOneRung() {
        let customer = CustomerDunningProfile(customerID: "C-3")
        let start = AssignmentState(scenario: "standard-b2b", level: 0)
        // 5 × 10,000 = 50,000 ≥ 4,000 × 10 = 40,000: 50% ≥ 40%; 30 of 10,000 short of level 2's 60%.
        let decision = Self.assignment.decide(for: customer, behaviour: Self.figures(days: 80, late: 5), previous: start)
        #expect(decision.scenario == "firm" && decision.state.level == 1 && decision.changed)
        #expect(decision.reason.code == .tightened)
        #expect(decision.reason.sentence == "Moved from 'standard-b2b' to 'firm': 50.0% of invoices paid late over 12 months (threshold 40%).")
        // 3 of 10 (30%) is below 40%: no move.
        #expect(Self.assignment.decide(for: customer, behaviour: Self.figures(days: 80, late: 3), previous: start).state.level == 0)
    }

    @Test("very bad figures jump two rungs at once; the rung is capped at the strictest scenario")
    func jumpsAndCaps() {
        let strategic = CustomerDunningProfile(customerID: "C-1", strategic: true)
        let decision = Self.assignment.decide(for: strategic, behaviour: Self.figures(days: 300, broken: 2),
                                              previous: AssignmentState(scenario: "gentle", level: 0))
        #expect(decision.scenario == "firm" && decision.state.level == 2)
        #expect(decision.reason.sentence == "Moved from 'gentle' to 'firm': average 30.0 days late (threshold 30.0), 2 broken promises to pay (threshold 2).")

        let risky = CustomerDunningProfile(customerID: "C-2", risk: .high)
        let capped = Self.assignment.decide(for: risky, behaviour: Self.figures(broken: 1), previous: AssignmentState(scenario: "firm", level: 0))
        #expect(capped.scenario == "firm" && capped.state.level == 1 && !capped.changed)
    }

    @Test("hysteresis: between the thresholds the customer stays; below every one to leave, they move back")
    func hysteresis() {
        let customer = CustomerDunningProfile(customerID: "C-3")
        let tightened = AssignmentState(scenario: "firm", level: 1)
        // 10.0 days late, 30% late, no broken promise: below level 1's entry (15.0, 40%, 1),
        // above its exit (5.0, 20%): stays on firm...
        let between = Self.figures(days: 100, late: 3)
        let kept = Self.assignment.decide(for: customer, behaviour: between, previous: tightened)
        #expect(kept.scenario == "firm" && kept.state.level == 1 && !kept.changed && kept.reason.code == .keptStricter)
        // ...and a customer at level 0 with the same figures stays on standard-b2b.
        let untouched = Self.assignment.decide(for: customer, behaviour: between, previous: AssignmentState(scenario: "standard-b2b", level: 0))
        #expect(untouched.scenario == "standard-b2b" && untouched.state.level == 0)
        // 4.9 days late, 1 of 10 late, no broken promise: every figure below the exit: back.
        let relaxed = Self.assignment.decide(for: customer, behaviour: Self.figures(days: 49, late: 1), previous: tightened)
        #expect(relaxed.scenario == "standard-b2b" && relaxed.state.level == 0 && relaxed.changed && relaxed.reason.code == .relaxed)
        #expect(relaxed.reason.sentence == "Moved back from 'firm' to 'standard-b2b': average 4.9 days late (below 5.0), 10.0% of invoices late (below 20%), 0 broken promises (below 1).")
        // 5.0 days exactly is not below 5.0: stays.
        #expect(Self.assignment.decide(for: customer, behaviour: Self.figures(days: 50, late: 1), previous: tightened).state.level == 1)
        // A broken promise in the window keeps them up.
        #expect(Self.assignment.decide(for: customer, behaviour: Self.figures(days: 0, broken: 1), previous: tightened).state.level == 1)
    }

    @Test("two rungs up, the customer comes down one rung at a time as figures improve")
    func relaxesStepwise() {
        let strategic = CustomerDunningProfile(customerID: "C-1", strategic: true)
        let top = AssignmentState(scenario: "firm", level: 2)
        // 10.0 days, 30%, 1 broken: below level 2's exit (15.0, 40%, 2), not level 1's (5.0, 20%, 1).
        let middle = Self.assignment.decide(for: strategic, behaviour: Self.figures(days: 100, late: 3, broken: 1), previous: top)
        #expect(middle.scenario == "standard-b2b" && middle.state.level == 1 && middle.reason.code == .relaxed)
        let bottom = Self.assignment.decide(for: strategic, behaviour: Self.figures(), previous: middle.state)
        #expect(bottom.scenario == "gentle" && bottom.state.level == 0)
        // Straight from the top when every figure is good.
        #expect(Self.assignment.decide(for: strategic, behaviour: Self.figures(), previous: top).state.level == 0)
    }

    @Test("with fewer than 3 invoices the average and share neither move a customer up nor keep them up; broken promises do")
    func minimumEvidence() {
        let customer = CustomerDunningProfile(customerID: "C-3")
        let start = AssignmentState(scenario: "standard-b2b", level: 0)
        let oneLate = Self.figures(days: 400, late: 2, of: 2)
        #expect(Self.assignment.decide(for: customer, behaviour: oneLate, previous: start).state.level == 0)
        #expect(Self.assignment.decide(for: customer, behaviour: oneLate, previous: AssignmentState(scenario: "firm", level: 1)).state.level == 0)
        #expect(Self.assignment.decide(for: customer, behaviour: Self.figures(late: 0, of: 2, broken: 1), previous: start).state.level == 1)
        #expect(Self.assignment.decide(for: customer, behaviour: Self.figures(days: 400, late: 3, of: 3), previous: start).state.level == 2)
    }

    @Test("behaviour does not override an explicit assignment, nor move a scenario off the ladder, but the level is kept")
    func explicitAndOffLadder() {
        let vip = CustomerDunningProfile(customerID: "C-VIP")
        let decision = Self.assignment.decide(for: vip, behaviour: Self.figures(broken: 3), previous: nil)
        #expect(decision.scenario == "firm" && decision.reason.code == .explicit && decision.state.level == 2)

        var custom = Self.assignment
        custom.defaultScenario = "public-sector"
        let offLadder = custom.decide(for: CustomerDunningProfile(customerID: "C-3"), behaviour: Self.figures(broken: 3), previous: nil)
        #expect(offLadder.scenario == "public-sector" && offLadder.reason.code == .default && offLadder.state.level == 2)
    }

    @Test("no figures keep the previous level")
    func noFigures() {
        let decision = Self.assignment.decide(for: CustomerDunningProfile(customerID: "C-3"), behaviour: nil,
                                              previous: AssignmentState(scenario: "firm", level: 1))
        #expect(decision.scenario == "firm" && decision.state.level == 1)
    }

    @Test("validation names unknown scenarios, rules without criteria and reversed hysteresis")
    func validation() throws {
        let catalog = try ShippedScenarios.catalog()
        try ScenarioAssignment().validate(against: catalog)
        var bad = ScenarioAssignment(explicit: ["C-1": "nope"], rules: [AssignmentRule(scenario: "gentle")])
        bad.tightening.levels[0].leave.shareLateBasisPoints = 5_000
        bad.tightening.levels[1].enter.brokenPromises = 0
        do {
            try bad.validate(against: catalog)
            Issue.record("an invalid assignment passed")
        } catch {
            // Level 2's 0 broken promises to enter breaks three rules at once: below its 2 to
            // leave, below the minimum of 1, below level 1's 1.
            let expected = [
                "the assignment of customer C-1 names scenario 'nope'", "rule 1 has no criterion",
                "level 1: a threshold to leave is above the one to enter", "level 2: a threshold to leave is above the one to enter",
                "level 2: thresholds cannot be negative", "level 2: its thresholds to enter are below level 1's",
            ]
            #expect(error.problems.count == expected.count)
            for (problem, prefix) in zip(error.problems, expected) {
                #expect(problem.hasPrefix(prefix))
            }
        }
    }

    // MARK: Properties

    static let inputs = zip(
        Gen.int(in: 0...500), Gen.int(in: 0...20), Gen.int(in: 0...20), Gen.int(in: 0...3), Gen.int(in: 0...2),
        Gen.int(in: 0...3))

    @Test("deciding again with the same figures changes nothing (no flip-flop), and a level moves only past a threshold")
    func stable() async {
        await propertyCheck(count: 300, input: Self.inputs) { days, late, extra, broken, previousLevel, kind in
            let customer = CustomerDunningProfile(customerID: "C", risk: kind == 0 ? .high : nil, strategic: kind == 1)
            let figures = Self.figures(days: days, late: late, of: late + extra, broken: broken)
            let first = Self.assignment.decide(for: customer, behaviour: figures, previous: AssignmentState(scenario: "x", level: previousLevel))
            let second = Self.assignment.decide(for: customer, behaviour: figures, previous: first.state)
            #expect(second.state == first.state && !second.changed, "\(figures)")
            let levels = BehaviourTightening.standard.levels
            let enough = figures.invoices >= 3
            func reaches(_ t: BehaviourThresholds) -> Bool {
                (enough && (days >= t.averageDaysLateTenths || late * 10_000 >= t.shareLateBasisPoints * figures.invoices && figures.invoices > 0))
                    || broken >= t.brokenPromises
            }
            if first.state.level > previousLevel {
                #expect(reaches(levels[first.state.level - 1].enter))
            }
            if first.state.level < previousLevel {
                #expect(!reaches(levels[first.state.level].leave))
            }
        }
    }
}
