import Money

/// A named, versioned, ordered list of dunning steps (issue 9, "Scenarios").
///
/// Rules ``validate()`` enforces, each reported with its path:
/// - at least one step; name, step ids and template ids in kebab-case (`[a-z0-9]+(-[a-z0-9]+)*`,
///   starting with a letter, at most 64 characters); step ids unique;
/// - offsets within -90...3650 days, in non-decreasing order; two steps may share an offset only
///   on different channels (an e-mail and a letter the same day), in file order;
/// - charges are claimed only after the due date (offset ≥ 1: interest runs from the day after
///   it), so a formal notice is never before the due date; a formal notice (registered letter
///   claiming charges) states a response deadline;
/// - an agency escalation is the last step; a phone call is manual (a person makes it);
/// - a response deadline (1...90 days) only on a registered letter; "letter if the e-mail
///   fails" only on an e-mail; fallback roles differ from the recipient and from each other;
///   minimum amounts are not negative, one per currency; segments are 1...64 characters.
public struct DunningScenario: Sendable, Hashable, Codable {
    /// The scenario's name, kebab-case (`standard-b2b`).
    public var name: String
    /// 1 for the first version; ``ScenarioCatalog`` numbers the next ones.
    public var version: Int
    /// What the scenario is for, for people choosing one.
    public var description: String?
    /// The steps, in order of their offsets.
    public var steps: [DunningStep]
    /// How the scenario resumes after a broken promise to pay. Default: ``BrokenPromiseRule/resume``.
    public var brokenPromise: BrokenPromiseRule

    /// The offsets accepted: 90 days before the due date to 10 years after it.
    public static let offsetRange = -90...3650
    /// The response deadlines accepted for a formal notice.
    public static let responseDeadlineRange = 1...90
    /// The longest name, step id or template id.
    public static let maximumIdentifierLength = 64

    /// Creates a scenario; nothing is checked until ``validate()``.
    public init(name: String, version: Int = 1, description: String? = nil, steps: [DunningStep],
                brokenPromise: BrokenPromiseRule = .resume) {
        self.name = name
        self.version = version
        self.description = description
        self.steps = steps
        self.brokenPromise = brokenPromise
    }

    private enum CodingKeys: String, CodingKey {
        case name, version, description, steps, brokenPromise
    }

    /// Reads the JSON form; `brokenPromise` may be absent (scenarios written before it
    /// existed): ``BrokenPromiseRule/resume``.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(name: try container.decode(String.self, forKey: .name), version: try container.decode(Int.self, forKey: .version),
                  description: try container.decodeIfPresent(String.self, forKey: .description),
                  steps: try container.decode([DunningStep].self, forKey: .steps),
                  brokenPromise: try container.decodeIfPresent(BrokenPromiseRule.self, forKey: .brokenPromise) ?? .resume)
    }

    /// The step with an id.
    public func step(id: String) -> DunningStep? { steps.first { $0.id == id } }

    /// The reference a schedule pins.
    public var reference: ScenarioReference { ScenarioReference(name: name, version: version) }

    /// Checks every rule of the type's documentation.
    /// - Throws: `ScenarioValidationError` listing every problem found.
    public func validate() throws(ScenarioValidationError) {
        let problems = validationProblems()
        guard problems.isEmpty else { throw ScenarioValidationError(scenario: name, problems: problems) }
    }

    /// Every problem found, without line numbers; empty when valid.
    public func validationProblems() -> [ScenarioValidationError.Problem] {
        typealias Problem = ScenarioValidationError.Problem
        var problems: [Problem] = []
        if let problem = Self.identifierProblem(name, at: "name", what: "the scenario name") { problems.append(problem) }
        if version < 1 {
            problems.append(Problem(.invalidValue, at: "version", "version \(version) is not allowed; versions start at 1"))
        }
        if steps.isEmpty {
            problems.append(Problem(.emptyScenario, at: "steps", "a scenario needs at least one step; add one"))
        }
        var firstIndexOfID: [String: Int] = [:]
        for (index, step) in steps.enumerated() {
            let path = "steps[\(index)]"
            if let problem = Self.identifierProblem(step.id, at: "\(path).id", what: "the step id") { problems.append(problem) }
            if let first = firstIndexOfID[step.id] {
                problems.append(Problem(.duplicateStepID, at: "\(path).id",
                                        "step id '\(step.id)' is already used by steps[\(first)]; give each step its own id"))
            } else {
                firstIndexOfID[step.id] = index
            }
            if !Self.offsetRange.contains(step.offsetDays) {
                problems.append(Problem(.offsetOutOfRange, at: "\(path).offsetDays",
                                        "offset \(step.offsetDays) days is outside \(Self.offsetRange.lowerBound)...\(Self.offsetRange.upperBound)"))
            }
            if index > 0 {
                let previous = steps[index - 1]
                if step.offsetDays < previous.offsetDays {
                    problems.append(Problem(.stepsOutOfOrder, at: "\(path).offsetDays",
                                            "offset \(step.offsetDays) comes before steps[\(index - 1)]'s \(previous.offsetDays); list the steps in order of their offsets"))
                } else if step.offsetDays == previous.offsetDays, steps[..<index].contains(where: {
                    $0.offsetDays == step.offsetDays && $0.channel == step.channel
                }) {
                    problems.append(Problem(.stepsOutOfOrder, at: "\(path).offsetDays",
                                            "another \(step.channel.rawValue) step already runs at offset \(step.offsetDays); steps sharing a day need different channels"))
                }
            }
            if let problem = Self.identifierProblem(step.template, at: "\(path).template", what: "the template id") {
                problems.append(problem)
            }
            if !step.claims.isEmpty, step.offsetDays < 1 {
                let what = step.channel == .registeredLetter ? "a formal notice claiming charges" : "a step claiming charges"
                problems.append(Problem(.chargesBeforeDue, at: "\(path).claims",
                                        "\(what) at offset \(step.offsetDays) is not after the due date; charges are owed from the day after it (offset 1 or more)"))
            }
            if step.channel == .collectionAgency, index != steps.count - 1 {
                problems.append(Problem(.escalationNotLast, at: "\(path).channel",
                                        "the agency escalation must be the last step: the agency collects from then on; move it last or remove the steps after it"))
            }
            if step.channel == .phoneCall, step.mode == .automatic {
                problems.append(Problem(.invalidValue, at: "\(path).mode", "a phone call is made by a person; set mode to manual"))
            }
            if let deadline = step.responseDeadlineDays {
                if step.channel != .registeredLetter {
                    problems.append(Problem(.invalidValue, at: "\(path).responseDeadlineDays",
                                            "a response deadline belongs to a formal notice (registeredLetter), not to a \(step.channel.rawValue) step"))
                } else if !Self.responseDeadlineRange.contains(deadline) {
                    problems.append(Problem(.invalidValue, at: "\(path).responseDeadlineDays",
                                            "a response deadline of \(deadline) days is outside 1...90"))
                }
            } else if step.isFormalNotice {
                problems.append(Problem(.missingKey, at: "\(path).responseDeadlineDays",
                                        "a formal notice must give the customer a deadline to pay; add responseDeadlineDays (8 is usual)"))
            }
            if step.letterIfEmailFails, step.channel != .email {
                problems.append(Problem(.invalidValue, at: "\(path).letterIfEmailFails",
                                        "only an e-mail step can fall back to a letter; this one is \(step.channel.rawValue)"))
            }
            var seenRoles: Set<RecipientRole> = [step.recipient]
            for (roleIndex, role) in step.fallbackRoles.enumerated() where !seenRoles.insert(role).inserted {
                problems.append(Problem(.invalidValue, at: "\(path).fallbackRoles[\(roleIndex)]",
                                        "role \(role.rawValue) is already the recipient or an earlier fallback; list each role once"))
            }
            problems += Self.conditionProblems(step.conditions, at: "\(path).when")
        }
        return problems
    }

    private static func conditionProblems(_ conditions: StepConditions, at path: String) -> [ScenarioValidationError.Problem] {
        typealias Problem = ScenarioValidationError.Problem
        var problems: [Problem] = []
        var currencies: Set<String> = []
        for minimum in conditions.minimumOverdue {
            let code = minimum.currency.code
            if !currencies.insert(code).inserted {
                problems.append(Problem(.invalidValue, at: "\(path).minimumOverdue.\(code)", "more than one minimum in \(code); keep one"))
            }
            if minimum.isNegative {
                problems.append(Problem(.invalidValue, at: "\(path).minimumOverdue.\(code)",
                                        "a minimum overdue amount cannot be negative (\(minimum))"))
            }
        }
        for segment in conditions.segments.sorted() where segment.isEmpty || segment.count > 64 {
            problems.append(Problem(.invalidValue, at: "\(path).segments",
                                    "segment '\(segment)' must have 1 to 64 characters"))
        }
        return problems
    }

    /// Checks kebab-case: lowercase letters and digits in groups joined by single hyphens,
    /// starting with a letter.
    static func identifierProblem(_ text: String, at path: String, what: String) -> ScenarioValidationError.Problem? {
        if isIdentifier(text) { return nil }
        return ScenarioValidationError.Problem(
            .invalidIdentifier, at: path,
            "\(what) '\(text)' must be kebab-case (lowercase letters, digits, single hyphens, starting with a letter), at most \(maximumIdentifierLength) characters, e.g. reminder-1")
    }

    static func isIdentifier(_ text: String) -> Bool {
        let scalars = Array(text.unicodeScalars)
        guard let first = scalars.first, let last = scalars.last, scalars.count <= maximumIdentifierLength,
              ("a"..."z").contains(first), last != "-" else { return false }
        var previousWasHyphen = false
        for scalar in scalars {
            if scalar == "-" {
                if previousWasHyphen { return false }
                previousWasHyphen = true
            } else if ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar) {
                previousWasHyphen = false
            } else {
                return false
            }
        }
        return true
    }
}
