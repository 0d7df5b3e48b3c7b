import Money
import Yams

/// Reads and writes scenarios as YAML (the format is in docs/architecture.md, "Scenario YAML").
///
/// Reading is strict: an unknown key, a missing one, a value of the wrong kind or an unknown
/// channel, role, mode, charge or risk name is a problem located by path and line, and every
/// problem of the document is reported at once, after the rules of ``DunningScenario`` (also
/// with lines). Writing produces the canonical text: keys in a fixed order, optional keys left
/// out when they hold their default, lists of names in flow style, free text double-quoted;
/// `encode(decode(text)) == text` for canonical text and `decode(encode(s)) == s` for a valid
/// scenario.
public enum ScenarioYAML {
    /// The keys of the document, in canonical order.
    static let scenarioKeys = ["name", "version", "description", "brokenPromise", "steps"]
    /// The keys of a step, in canonical order.
    static let stepKeys = [
        "id", "offsetDays", "channel", "recipient", "fallbackRoles", "template", "mode", "claims",
        "responseDeadlineDays", "letterIfEmailFails", "when",
    ]
    /// The keys of a step's conditions, in canonical order.
    static let conditionKeys = ["minimumOverdue", "segments", "riskCategories"]

    /// Reads and validates one scenario.
    /// - Parameter text: One YAML document.
    /// - Returns: The scenario (version 1 when the document has no `version`).
    /// - Throws: `ScenarioValidationError` with every problem, located by path and line.
    public static func decode(_ text: String) throws(ScenarioValidationError) -> DunningScenario {
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw ScenarioValidationError(scenario: nil, problems: [Self.syntaxProblem(error)])
        } catch {
            throw ScenarioValidationError(scenario: nil, problems: [.init(.malformedYAML, at: "", "\(error)")])
        }
        guard let root else {
            throw ScenarioValidationError(scenario: nil, problems: [.init(.malformedYAML, at: "", line: 1, "the document is empty; write a scenario with a name and steps")])
        }
        var reader = NodeReader()
        let scenario = reader.scenario(root)
        var problems = reader.problems
        if let scenario {
            problems += scenario.validationProblems().map { problem in
                var located = problem
                located.line = reader.line(of: problem.path)
                return located
            }
        }
        guard let scenario, problems.isEmpty else {
            throw ScenarioValidationError(scenario: scenario?.name ?? reader.name, problems: problems.sorted { ($0.line ?? 0) < ($1.line ?? 0) })
        }
        return scenario
    }

    /// Writes a scenario as canonical YAML (valid or not: the text shows what is there).
    public static func encode(_ scenario: DunningScenario) -> String {
        var lines = ["name: \(word(scenario.name))", "version: \(scenario.version)"]
        if let description = scenario.description, !description.isEmpty {
            lines.append("description: \(quoted(description))")
        }
        if scenario.brokenPromise != .resume { lines.append("brokenPromise: \(scenario.brokenPromise.rawValue)") }
        lines.append("steps:")
        for step in scenario.steps {
            lines.append("  - id: \(word(step.id))")
            var fields = ["offsetDays: \(step.offsetDays)", "channel: \(step.channel.rawValue)", "recipient: \(step.recipient.rawValue)"]
            if !step.fallbackRoles.isEmpty {
                fields.append("fallbackRoles: [\(step.fallbackRoles.map(\.rawValue).joined(separator: ", "))]")
            }
            fields.append("template: \(word(step.template))")
            fields.append("mode: \(step.mode.rawValue)")
            if !step.claims.isEmpty {
                let claims = LateCharge.allCases.filter { step.claims.contains($0) }
                fields.append("claims: [\(claims.map(\.rawValue).joined(separator: ", "))]")
            }
            if let deadline = step.responseDeadlineDays { fields.append("responseDeadlineDays: \(deadline)") }
            if step.letterIfEmailFails { fields.append("letterIfEmailFails: true") }
            let conditions = step.conditions
            if !conditions.isEmpty {
                fields.append("when:")
                if !conditions.minimumOverdue.isEmpty {
                    fields.append("  minimumOverdue:")
                    for minimum in conditions.minimumOverdue {
                        fields.append("    \(minimum.currency.code): \(minimum.decimalString)")
                    }
                }
                if !conditions.segments.isEmpty {
                    fields.append("  segments: [\(conditions.segments.sorted().map(quoted).joined(separator: ", "))]")
                }
                if !conditions.riskCategories.isEmpty {
                    let risks = RiskCategory.allCases.filter { conditions.riskCategories.contains($0) }
                    fields.append("  riskCategories: [\(risks.map(\.rawValue).joined(separator: ", "))]")
                }
            }
            lines += fields.map { "    " + $0 }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// An identifier plain when it is kebab-case, quoted otherwise (an invalid one still reads back).
    static func word(_ text: String) -> String {
        DunningScenario.isIdentifier(text) ? text : quoted(text)
    }

    /// A YAML double-quoted scalar.
    static func quoted(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\t": result += "\\t"
            case "\r": result += "\\r"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    let hex = String(scalar.value, radix: 16, uppercase: true)
                    result += "\\x" + String(repeating: "0", count: 2 - hex.count) + hex
                } else {
                    result.unicodeScalars.append(scalar)
                }
            }
        }
        return result + "\""
    }

    static func syntaxProblem(_ error: YamlError) -> ScenarioValidationError.Problem {
        switch error {
        case let .scanner(_, problem, mark, _), let .parser(_, problem, mark, _), let .composer(_, problem, mark, _):
            return .init(.malformedYAML, at: "", line: mark.line, "the YAML cannot be read: \(problem) (column \(mark.column))")
        case let .duplicatedKeysInMapping(duplicates, context):
            return .init(.malformedYAML, at: "", line: context.mark.line,
                         "key \(duplicates.joined(separator: ", ")) appears twice in the same mapping; keep one")
        default:
            return .init(.malformedYAML, at: "", "the YAML cannot be read: \(error)")
        }
    }
}

/// Walks the composed YAML, collecting problems instead of stopping at the first one.
private struct NodeReader {
    typealias Problem = ScenarioValidationError.Problem
    var problems: [Problem] = []
    /// The line of every path read, to locate the validation problems too.
    var lines: [String: Int] = [:]
    /// The scenario's name once read, for the error.
    var name: String?

    /// The line of a path, else of its closest ancestor read.
    func line(of path: String) -> Int? {
        var current = Substring(path)
        while !current.isEmpty {
            if let line = lines[String(current)] { return line }
            guard let cut = current.lastIndex(where: { $0 == "." || $0 == "[" }) else { break }
            current = current[..<cut]
        }
        return lines[""]
    }

    mutating func scenario(_ root: Node) -> DunningScenario? {
        lines[""] = root.mark?.line ?? 1
        guard let fields = mapping(root, at: "", keys: ScenarioYAML.scenarioKeys, required: ["name", "steps"]) else { return nil }
        var brokenPromise: BrokenPromiseRule? = .resume
        if let node = fields["brokenPromise"] {
            brokenPromise = self.name(node, at: "brokenPromise", as: BrokenPromiseRule.self, what: "broken-promise rule")
        }
        let name = fields["name"].flatMap { string($0, at: "name") }
        self.name = name
        let version = fields["version"].map { integer($0, at: "version") } ?? 1
        let description = fields["description"].flatMap { string($0, at: "description") }
        var steps: [DunningStep]?
        if let node = fields["steps"], let items = sequence(node, at: "steps") {
            var read: [DunningStep] = []
            var complete = true
            for (index, item) in items.enumerated() {
                if let step = step(item, at: "steps[\(index)]") { read.append(step) } else { complete = false }
            }
            if complete { steps = read }
        }
        guard let name, let version, let steps, let brokenPromise else { return nil }
        return DunningScenario(name: name, version: version, description: description?.isEmpty == true ? nil : description, steps: steps,
                               brokenPromise: brokenPromise)
    }

    mutating func step(_ node: Node, at path: String) -> DunningStep? {
        guard let fields = mapping(node, at: path, keys: ScenarioYAML.stepKeys,
                                   required: ["id", "offsetDays", "channel", "recipient", "template", "mode"]) else { return nil }
        let id = fields["id"].flatMap { string($0, at: "\(path).id") }
        let offset = fields["offsetDays"].flatMap { integer($0, at: "\(path).offsetDays") }
        let channel = fields["channel"].flatMap { name($0, at: "\(path).channel", as: DunningChannel.self, what: "channel") }
        let recipient = fields["recipient"].flatMap { name($0, at: "\(path).recipient", as: RecipientRole.self, what: "role") }
        var fallbacks: [RecipientRole]? = []
        if let node = fields["fallbackRoles"] {
            fallbacks = names(node, at: "\(path).fallbackRoles", as: RecipientRole.self, what: "role")
        }
        let template = fields["template"].flatMap { string($0, at: "\(path).template") }
        let mode = fields["mode"].flatMap { name($0, at: "\(path).mode", as: StepMode.self, what: "mode") }
        var claims: [LateCharge]? = []
        if let node = fields["claims"] { claims = names(node, at: "\(path).claims", as: LateCharge.self, what: "charge") }
        var deadline: Int?? = .some(nil)
        if let node = fields["responseDeadlineDays"] { deadline = integer(node, at: "\(path).responseDeadlineDays").map { .some($0) } }
        var letter: Bool? = false
        if let node = fields["letterIfEmailFails"] { letter = boolean(node, at: "\(path).letterIfEmailFails") }
        var conditions: StepConditions? = StepConditions.none
        if let node = fields["when"] { conditions = self.conditions(node, at: "\(path).when") }
        guard let id, let offset, let channel, let recipient, let fallbacks, let template, let mode, let claims,
              let deadline, let letter, let conditions else { return nil }
        return DunningStep(
            id: id, offsetDays: offset, channel: channel, recipient: recipient, fallbackRoles: fallbacks,
            template: template, mode: mode, conditions: conditions, claims: Set(claims), responseDeadlineDays: deadline,
            letterIfEmailFails: letter)
    }

    mutating func conditions(_ node: Node, at path: String) -> StepConditions? {
        guard let fields = mapping(node, at: path, keys: ScenarioYAML.conditionKeys, required: []) else { return nil }
        var minimums: [Money]? = []
        if let node = fields["minimumOverdue"] {
            minimums = amounts(node, at: "\(path).minimumOverdue")
        }
        var segments: [String]? = []
        if let node = fields["segments"], let items = sequence(node, at: "\(path).segments") {
            var read: [String]? = []
            for (index, item) in items.enumerated() {
                if let segment = string(item, at: "\(path).segments[\(index)]") { read?.append(segment) } else { read = nil }
            }
            segments = read
        } else if fields["segments"] != nil {
            segments = nil
        }
        var risks: [RiskCategory]? = []
        if let node = fields["riskCategories"] {
            risks = names(node, at: "\(path).riskCategories", as: RiskCategory.self, what: "risk category")
        }
        guard let minimums, let segments, let risks else { return nil }
        return StepConditions(minimumOverdue: minimums, segments: Set(segments), riskCategories: Set(risks))
    }

    /// `{EUR: 100.00, USD: 120.00}`: an amount per currency code, kept in file order.
    mutating func amounts(_ node: Node, at path: String) -> [Money]? {
        guard case let .mapping(mapping) = node else {
            problems.append(Problem(.wrongType, at: path, line: node.mark?.line,
                                    "expected amounts by currency code, e.g. `EUR: 150.00` on its own line"))
            return nil
        }
        var result: [Money]? = []
        for (key, value) in mapping {
            let code = key.scalar?.string ?? ""
            let itemPath = "\(path).\(code)"
            lines[itemPath] = key.mark?.line
            guard let text = string(value, at: itemPath) else { result = nil; continue }
            do {
                let currency = try Currency(code: code)
                result?.append(try Money(parsing: text, currency: currency))
            } catch {
                problems.append(Problem(.invalidValue, at: itemPath, line: key.mark?.line, "\(error)"))
                result = nil
            }
        }
        return result
    }

    // MARK: Nodes

    mutating func mapping(_ node: Node, at path: String, keys known: [String], required: [String]) -> [String: Node]? {
        guard case let .mapping(mapping) = node else {
            problems.append(Problem(.wrongType, at: path, line: node.mark?.line,
                                    "expected a mapping with the keys \(known.joined(separator: ", "))"))
            return nil
        }
        var fields: [String: Node] = [:]
        for (key, value) in mapping {
            let keyName = key.scalar?.string ?? "\(key)"
            let child = path.isEmpty ? keyName : "\(path).\(keyName)"
            guard known.contains(keyName) else {
                problems.append(Problem(.unknownKey, at: child, line: key.mark?.line,
                                        "unknown key '\(keyName)'; the keys here are \(known.joined(separator: ", "))"))
                continue
            }
            lines[child] = key.mark?.line
            fields[keyName] = value
        }
        for key in required where fields[key] == nil {
            problems.append(Problem(.missingKey, at: path.isEmpty ? key : "\(path).\(key)", line: node.mark?.line,
                                    "the key '\(key)' is required here"))
        }
        return fields
    }

    mutating func sequence(_ node: Node, at path: String) -> [Node]? {
        guard case let .sequence(sequence) = node else {
            problems.append(Problem(.wrongType, at: path, line: node.mark?.line, "expected a list"))
            return nil
        }
        let items = Array(sequence)
        for (index, item) in items.enumerated() { lines["\(path)[\(index)]"] = item.mark?.line }
        return items
    }

    mutating func string(_ node: Node, at path: String) -> String? {
        guard case let .scalar(scalar) = node else {
            problems.append(Problem(.wrongType, at: path, line: node.mark?.line, "expected a single value, not a list or mapping"))
            return nil
        }
        return scalar.string
    }

    mutating func integer(_ node: Node, at path: String) -> Int? {
        guard let text = string(node, at: path) else { return nil }
        guard let value = Int(text) else {
            problems.append(Problem(.wrongType, at: path, line: node.mark?.line, "'\(text)' is not a whole number"))
            return nil
        }
        return value
    }

    mutating func boolean(_ node: Node, at path: String) -> Bool? {
        guard let text = string(node, at: path) else { return nil }
        switch text {
        case "true": return true
        case "false": return false
        default:
            problems.append(Problem(.wrongType, at: path, line: node.mark?.line, "'\(text)' is not true or false"))
            return nil
        }
    }

    mutating func name<Value: RawRepresentable & CaseIterable>(_ node: Node, at path: String, as type: Value.Type, what: String) -> Value?
    where Value.RawValue == String {
        guard let text = string(node, at: path) else { return nil }
        guard let value = Value(rawValue: text) else {
            let allowed = Value.allCases.map(\.rawValue).joined(separator: ", ")
            problems.append(Problem(.unknownValue, at: path, line: node.mark?.line, "unknown \(what) '\(text)'; use one of \(allowed)"))
            return nil
        }
        return value
    }

    mutating func names<Value: RawRepresentable & CaseIterable>(_ node: Node, at path: String, as type: Value.Type, what: String) -> [Value]?
    where Value.RawValue == String {
        guard let items = sequence(node, at: path) else { return nil }
        var values: [Value]? = []
        for (index, item) in items.enumerated() {
            if let value = name(item, at: "\(path)[\(index)]", as: type, what: what) { values?.append(value) } else { values = nil }
        }
        return values
    }
}
