/// Gives each customer exactly one scenario (issue 9, "Assignment"): their explicit
/// assignment, else the first matching rule, else the default; then payment behaviour may
/// move them up the ``BehaviourTightening/ladder`` and back (see ``BehaviourTightening``).
///
/// An explicit assignment is a person's decision: behaviour does not override it (the level
/// is still tracked, so it applies if the assignment is removed). A base scenario not on the
/// ladder is not tightened either. Pure: the service stores ``AssignmentState`` and publishes
/// `dunning.scenario-changed` when ``AssignmentDecision/changed``.
public struct ScenarioAssignment: Sendable, Hashable {
    /// Scenario per customer id, chosen by a person.
    public var explicit: [String: String]
    /// Rules tried in order; the first match wins.
    public var rules: [AssignmentRule]
    /// The scenario when nothing else applies. Default: `standard-b2b`.
    public var defaultScenario: String
    /// Behaviour-based tightening. Default: ``BehaviourTightening/standard``.
    public var tightening: BehaviourTightening

    /// The usual rules: strategic customers get `gentle`, high and critical risks `firm`.
    public static let shippedRules = [
        AssignmentRule(strategic: true, scenario: "gentle"),
        AssignmentRule(riskCategories: [.high, .critical], scenario: "firm"),
    ]

    /// Creates an assignment configuration.
    public init(explicit: [String: String] = [:], rules: [AssignmentRule] = ScenarioAssignment.shippedRules,
                defaultScenario: String = ShippedScenarios.defaultName, tightening: BehaviourTightening = .standard) {
        self.explicit = explicit
        self.rules = rules
        self.defaultScenario = defaultScenario
        self.tightening = tightening
    }

    /// Checks every name against the catalog, rules and thresholds.
    /// - Throws: `ScenarioAssignmentError` listing every problem.
    public func validate(against catalog: ScenarioCatalog) throws(ScenarioAssignmentError) {
        var problems: [String] = []
        let known = Set(catalog.names)
        func check(_ name: String, _ place: String) {
            if !known.contains(name) { problems.append("\(place) names scenario '\(name)', which the catalog does not hold; known: \(catalog.names.joined(separator: ", "))") }
        }
        check(defaultScenario, "the default")
        for (customer, name) in explicit.sorted(by: { $0.key < $1.key }) { check(name, "the assignment of customer \(customer)") }
        for (index, rule) in rules.enumerated() {
            check(rule.scenario, "rule \(index + 1)")
            if rule.isUnconditional { problems.append("rule \(index + 1) has no criterion and would match everyone; set the default scenario instead") }
        }
        for name in tightening.ladder { check(name, "the tightening ladder") }
        problems += tightening.problems()
        guard problems.isEmpty else { throw ScenarioAssignmentError(problems: problems) }
    }

    /// Decides a customer's scenario.
    /// - Parameters:
    ///   - customer: The customer's segment, risk and strategic flag.
    ///   - behaviour: Their payment figures; `nil` when not measured (the level stays).
    ///   - previous: What the last decision stored; `nil` for a new customer (level 0).
    public func decide(for customer: CustomerDunningProfile, behaviour: PaymentBehaviourFigures?,
                       previous: AssignmentState?) -> AssignmentDecision {
        let base: String
        let source: AssignmentDecision.Source
        let baseReason: AssignmentDecision.Reason
        if let name = explicit[customer.customerID] {
            base = name
            source = .explicit
            baseReason = .init(code: .explicit, sentence: "Customer \(customer.customerID) is assigned to '\(name)' explicitly.")
        } else if let index = rules.firstIndex(where: { $0.matches(customer) }) {
            base = rules[index].scenario
            source = .rule(index)
            baseReason = .init(code: .rule, sentence: "Rule \(index + 1) (\(rules[index].criteria)) assigns '\(base)'.")
        } else {
            base = defaultScenario
            source = .defaultScenario
            baseReason = .init(code: .default, sentence: "No explicit assignment or rule applies: the default scenario '\(base)'.")
        }
        let previousLevel = previous?.level ?? 0
        let (level, because) = tightening.level(after: previousLevel, figures: behaviour)
        let ladder = tightening.ladder
        var scenario = base
        var reason = baseReason
        if source != .explicit, let baseRung = ladder.firstIndex(of: base) {
            let rung = min(baseRung + level, ladder.count - 1)
            scenario = ladder[rung]
            let previousScenario = previous?.scenario ?? base
            let figures = because.joined(separator: ", ")
            if level > previousLevel, scenario != previousScenario {
                reason = .init(code: .tightened, sentence: "Moved from '\(previousScenario)' to '\(scenario)': \(figures).")
            } else if level < previousLevel, scenario != previousScenario {
                reason = .init(code: .relaxed, sentence: "Moved back from '\(previousScenario)' to '\(scenario)': \(figures).")
            } else if rung > baseRung {
                reason = .init(code: .keptStricter, sentence: "Kept on '\(scenario)' rather than '\(base)': payment figures have not yet fallen below the thresholds to move back.")
            }
        }
        return AssignmentDecision(
            scenario: scenario, baseScenario: base, source: source, reason: reason,
            state: AssignmentState(scenario: scenario, level: level), previousScenario: previous?.scenario)
    }
}
