/// Moves a customer to a stricter scenario when they pay badly, and back when they pay well
/// again, with hysteresis: the thresholds to move back are lower than those to move up, so a
/// customer whose figures hover around one threshold does not flip between scenarios.
///
/// The customer's *level* is how many rungs of ``ladder`` above their base scenario they
/// stand. From the previous level, the level rises while the next level's ``Level/enter``
/// thresholds are reached (ANY figure at or above its threshold; several rungs at once when
/// the figures warrant); if it did not rise, it falls while the current level's
/// ``Level/leave`` thresholds hold (EVERY figure strictly below its threshold). Between the
/// two, the level stays. The scenario is the base's rung + level, capped at the last rung.
///
/// With fewer than ``minimumInvoices`` invoices measured, the average and the share are too
/// thin to move a customer up (one late invoice out of one is 100% late), and they do not
/// keep them up either; broken promises always count.
///
/// Defaults (days late are amount-weighted averages):
///
/// | level | enter when any | leave when all |
/// |---|---|---|
/// | 1 | ≥ 15.0 days late, ≥ 40% late, ≥ 1 broken promise | < 5.0 days, < 20%, no broken promise |
/// | 2 | ≥ 30.0 days late, ≥ 60% late, ≥ 2 broken promises | < 15.0 days, < 40%, < 2 broken promises |
public struct BehaviourTightening: Sendable, Hashable, Codable {
    /// One level's thresholds.
    public struct Level: Sendable, Hashable, Codable {
        /// Reached when any figure is at or above its threshold.
        public var enter: BehaviourThresholds
        /// Left when every figure is strictly below its threshold.
        public var leave: BehaviourThresholds

        /// Creates a level.
        public init(enter: BehaviourThresholds, leave: BehaviourThresholds) {
            self.enter = enter
            self.leave = leave
        }
    }

    /// Scenario names from the softest to the strictest. Default: gentle, standard-b2b, firm.
    public var ladder: [String]
    /// Level 1, 2... thresholds, stricter and stricter. Default: the table above.
    public var levels: [Level]
    /// The invoices needed before the average and the share count. Default: 3.
    public var minimumInvoices: Int

    /// The defaults of the type's documentation.
    public static let standard = BehaviourTightening(
        ladder: ShippedScenarios.ladder,
        levels: [
            Level(enter: BehaviourThresholds(averageDaysLateTenths: 150, shareLateBasisPoints: 4_000, brokenPromises: 1),
                  leave: BehaviourThresholds(averageDaysLateTenths: 50, shareLateBasisPoints: 2_000, brokenPromises: 1)),
            Level(enter: BehaviourThresholds(averageDaysLateTenths: 300, shareLateBasisPoints: 6_000, brokenPromises: 2),
                  leave: BehaviourThresholds(averageDaysLateTenths: 150, shareLateBasisPoints: 4_000, brokenPromises: 2)),
        ],
        minimumInvoices: 3)

    /// Creates a policy; ``ScenarioAssignment/validate(against:)`` checks it.
    public init(ladder: [String], levels: [Level], minimumInvoices: Int) {
        self.ladder = ladder
        self.levels = levels
        self.minimumInvoices = minimumInvoices
    }

    /// The problems of the thresholds (hysteresis reversed, levels out of order...).
    public func problems() -> [String] {
        var problems: [String] = []
        if Set(ladder).count != ladder.count { problems.append("the ladder lists a scenario twice") }
        if minimumInvoices < 0 { problems.append("minimumInvoices cannot be negative") }
        for (index, level) in levels.enumerated() {
            let name = "level \(index + 1)"
            let enter = level.enter
            let leave = level.leave
            if leave.averageDaysLateTenths > enter.averageDaysLateTenths || leave.shareLateBasisPoints > enter.shareLateBasisPoints
                || leave.brokenPromises > enter.brokenPromises {
                problems.append("\(name): a threshold to leave is above the one to enter; leaving must need better figures than entering")
            }
            if enter.averageDaysLateTenths < 0 || enter.shareLateBasisPoints < 0 || enter.brokenPromises < 1 || leave.brokenPromises < 0 {
                problems.append("\(name): thresholds cannot be negative and entering needs at least 1 broken promise")
            }
            if index > 0 {
                let lower = levels[index - 1].enter
                if enter.averageDaysLateTenths < lower.averageDaysLateTenths || enter.shareLateBasisPoints < lower.shareLateBasisPoints
                    || enter.brokenPromises < lower.brokenPromises {
                    problems.append("\(name): its thresholds to enter are below level \(index)'s; list levels from the mildest")
                }
            }
        }
        return problems
    }

    /// The level after these figures, from the previous one, with the figures that decided.
    func level(after previous: Int, figures: PaymentBehaviourFigures?) -> (level: Int, because: [String]) {
        var level = min(max(previous, 0), levels.count)
        guard let figures else { return (level, []) }
        let enough = figures.invoices >= minimumInvoices
        var because: [String] = []
        while level < levels.count {
            let reached = reachedThresholds(levels[level].enter, figures: figures, enough: enough)
            guard !reached.isEmpty else { break }
            because = reached
            level += 1
        }
        if level > previous { return (level, because) }
        while level > 0 {
            let leave = levels[level - 1].leave
            let late = enough ? figures.averageDaysLateTenths : 0
            let shareBelow = !enough || !figures.shareLate(atLeast: leave.shareLateBasisPoints)
            guard late < leave.averageDaysLateTenths, shareBelow, figures.brokenPromises < leave.brokenPromises else { break }
            because = [
                "average \(Self.days(figures.averageDaysLateTenths)) days late (below \(Self.days(leave.averageDaysLateTenths)))",
                "\(figures.shareLateText) of invoices late (below \(Self.percent(leave.shareLateBasisPoints)))",
                "\(figures.brokenPromises) broken promise\(figures.brokenPromises == 1 ? "" : "s") (below \(leave.brokenPromises))",
            ]
            level -= 1
        }
        return (level, because)
    }

    private func reachedThresholds(_ enter: BehaviourThresholds, figures: PaymentBehaviourFigures, enough: Bool) -> [String] {
        var reached: [String] = []
        if enough, figures.averageDaysLateTenths >= enter.averageDaysLateTenths {
            reached.append("average \(Self.days(figures.averageDaysLateTenths)) days late (threshold \(Self.days(enter.averageDaysLateTenths)))")
        }
        if enough, figures.shareLate(atLeast: enter.shareLateBasisPoints) {
            reached.append("\(figures.shareLateText) of invoices paid late over 12 months (threshold \(Self.percent(enter.shareLateBasisPoints)))")
        }
        if figures.brokenPromises >= enter.brokenPromises {
            reached.append("\(figures.brokenPromises) broken promise\(figures.brokenPromises == 1 ? "" : "s") to pay (threshold \(enter.brokenPromises))")
        }
        return reached
    }

    static func days(_ tenths: Int) -> String { "\(tenths / 10).\(abs(tenths % 10))" }
    static func percent(_ basisPoints: Int) -> String {
        let fraction = basisPoints % 100
        if fraction == 0 { return "\(basisPoints / 100)%" }
        return "\(basisPoints / 100).\(fraction < 10 ? "0" : "")\(fraction)%"
    }
}
