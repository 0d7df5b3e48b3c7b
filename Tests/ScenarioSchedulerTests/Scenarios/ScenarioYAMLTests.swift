import Foundation
import Money
import PropertyBased
import ScenarioScheduler
import Testing

@Suite struct ScenarioYAMLTests {
    /// The problems of a document as "code path line".
    static func problems(_ yaml: String) -> [String] {
        do {
            _ = try ScenarioYAML.decode(yaml)
            return []
        } catch {
            return error.problems.map { "\($0.code.rawValue) \($0.path) \($0.line.map(String.init) ?? "-")" }
        }
    }

    static let minimal = """
        name: small
        steps:
          - id: reminder-1
            offsetDays: 7
            channel: email
            recipient: accounting
            template: reminder-1
            mode: automatic

        """

    @Test("a minimal document reads as version 1 with the optional keys at their defaults")
    func minimalDocument() throws {
        let scenario = try ScenarioYAML.decode(Self.minimal)
        #expect(scenario == DunningScenario(name: "small", version: 1, steps: [
            DunningStep(id: "reminder-1", offsetDays: 7, channel: .email, recipient: .accounting, template: "reminder-1"),
        ]))
        #expect(ScenarioYAML.encode(scenario) == Self.minimal.replacingOccurrences(of: "name: small\n", with: "name: small\nversion: 1\n"))
    }

    @Test("brokenPromise reads and exports; left out it is resume; an unknown rule is refused with its line")
    func brokenPromiseRule() throws {
        let stricter = Self.minimal.replacingOccurrences(of: "name: small\n", with: "name: small\nversion: 1\nbrokenPromise: oneStepStricter\n")
        let scenario = try ScenarioYAML.decode(stricter)
        #expect(scenario.brokenPromise == .oneStepStricter)
        #expect(ScenarioYAML.encode(scenario) == stricter)
        #expect(try ScenarioYAML.decode(Self.minimal).brokenPromise == .resume)
        #expect(!ScenarioYAML.encode(try ScenarioYAML.decode(Self.minimal)).contains("brokenPromise"))
        let unknown = Self.minimal.replacingOccurrences(of: "name: small\n", with: "name: small\nbrokenPromise: harsher\n")
        #expect(Self.problems(unknown) == ["unknownValue brokenPromise 2"])
        // JSON: absent is resume (bodies written before the key existed), present reads back.
        let json = try JSONEncoder().encode(scenario)
        #expect(try JSONDecoder().decode(DunningScenario.self, from: json) == scenario)
        var object = try #require(try JSONSerialization.jsonObject(with: json) as? [String: Any])
        object["brokenPromise"] = nil
        let withoutKey = try JSONSerialization.data(withJSONObject: object)
        #expect(try JSONDecoder().decode(DunningScenario.self, from: withoutKey).brokenPromise == .resume)
    }

    @Test("a misspelt key is refused with its path and line, not ignored")
    func unknownKey() {
        let yaml = Self.minimal.replacingOccurrences(of: "    channel: email", with: "    chanel: email")
        // Line 5 holds the typo; the missing channel is reported at the step's line (3).
        #expect(Self.problems(yaml) == ["missingKey steps[0].channel 3", "unknownKey steps[0].chanel 5"])
    }

    @Test("unknown channel, role, mode and charge names are refused with their lines")
    func unknownNames() {
        let yaml = """
            name: bad-names
            steps:
              - id: one
                offsetDays: 7
                channel: fax
                recipient: accountant
                fallbackRoles: [management, boss]
                template: reminder-1
                mode: sometimes
                claims: [interest, penalty]
                when:
                  riskCategories: [low, severe]
            """
        #expect(Self.problems(yaml) == [
            "unknownValue steps[0].channel 5", "unknownValue steps[0].recipient 6", "unknownValue steps[0].fallbackRoles[1] 7",
            "unknownValue steps[0].mode 9", "unknownValue steps[0].claims[1] 10", "unknownValue steps[0].when.riskCategories[1] 12",
        ])
    }

    @Test("wrong kinds of values are refused: text for a number, a list for a name, a word for a boolean")
    func wrongTypes() {
        let yaml = """
            name: [a, b]
            version: two
            steps:
              - id: one
                offsetDays: seven
                channel: email
                recipient: accounting
                template: reminder-1
                mode: automatic
                letterIfEmailFails: yes
            """
        #expect(Self.problems(yaml) == [
            "wrongType name 1", "wrongType version 2", "wrongType steps[0].offsetDays 5", "wrongType steps[0].letterIfEmailFails 10",
        ])
    }

    @Test("the scenario rules are reported with the lines of the offending keys")
    func rulesWithLines() {
        let yaml = """
            name: rules
            steps:
              - id: notice
                offsetDays: -2
                channel: registeredLetter
                recipient: management
                template: formal-notice
                mode: automatic
                claims: [interest]
                responseDeadlineDays: 8
              - id: notice
                offsetDays: -3
                channel: email
                recipient: accounting
                template: reminder-1
                mode: automatic
            """
        #expect(Self.problems(yaml) == [
            "chargesBeforeDue steps[0].claims 9", "duplicateStepID steps[1].id 11", "stepsOutOfOrder steps[1].offsetDays 12",
        ])
    }

    @Test("YAML syntax errors, duplicate keys, an empty document and missing keys are located")
    func malformed() {
        #expect(Self.problems("name: x\nsteps: [\n") .first?.hasPrefix("malformedYAML  ") == true)
        #expect(Self.problems("name: x\nname: y\nsteps: []\n").first?.hasPrefix("malformedYAML ") == true)
        #expect(Self.problems("") == ["malformedYAML  1"])
        #expect(Self.problems("name: x\n") == ["missingKey steps 1"])
        #expect(Self.problems("- a\n- b\n") == ["wrongType  1"])
        #expect(Self.problems("name: x\nsteps: []\n") == ["emptyScenario steps 2"])
    }

    @Test("minimum amounts read per currency code; bad codes and amounts are located")
    func amounts() throws {
        let yaml = Self.minimal.replacingOccurrences(of: "    mode: automatic\n", with: """
                mode: automatic
                when:
                  minimumOverdue:
                    EUR: 150.5
                    JPY: 20000
                  segments: ["Public sector", SMB]

            """)
        let scenario = try ScenarioYAML.decode(yaml)
        #expect(scenario.steps[0].conditions == StepConditions(
            minimumOverdue: [Money(minorUnits: 150_50, currency: .eur), Money(minorUnits: 20_000, currency: .jpy)],
            segments: ["SMB", "Public sector"]))
        let bad = yaml.replacingOccurrences(of: "JPY: 20000", with: "XXX1: 12").replacingOccurrences(of: "150.5", with: "1.234.5")
        #expect(Self.problems(bad) == ["invalidValue steps[0].when.minimumOverdue.EUR 11", "invalidValue steps[0].when.minimumOverdue.XXX1 12"])
    }

    @Test("a hand-written document exports as the canonical text: key order, flow lists, defaults left out")
    func canonicalForm() throws {
        let handWritten = """
            # Our own scenario
            steps:
              - template: formal-notice
                mode: automatic
                responseDeadlineDays: 8
                claims:
                  - indemnity
                  - interest
                recipient: management
                channel: registeredLetter
                offsetDays: 30
                id: notice
                letterIfEmailFails: false
                fallbackRoles: []
                when: {riskCategories: [critical, high], segments: ['Grands "comptes"', SMB]}
            description: 'Two words'
            name: own
            version: 3
            """
        let canonical = """
            name: own
            version: 3
            description: "Two words"
            steps:
              - id: notice
                offsetDays: 30
                channel: registeredLetter
                recipient: management
                template: formal-notice
                mode: automatic
                claims: [interest, indemnity]
                responseDeadlineDays: 8
                when:
                  segments: ["Grands \\"comptes\\"", "SMB"]
                  riskCategories: [high, critical]

            """
        let scenario = try ScenarioYAML.decode(handWritten)
        #expect(ScenarioYAML.encode(scenario) == canonical)
        #expect(try ScenarioYAML.decode(canonical) == scenario)
    }

    @Test("each shipped scenario's YAML is exactly what the exporter writes, also after a trip through a file")
    func shippedAreCanonical() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("shipped-scenarios-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        for (name, yaml) in ShippedScenarios.yamlByName {
            let scenario = try ScenarioYAML.decode(yaml)
            #expect(scenario.name == name)
            #expect(ScenarioYAML.encode(scenario) == yaml)
            let file = folder.appendingPathComponent("\(name).yaml")
            try ScenarioYAML.encode(scenario).write(to: file, atomically: true, encoding: .utf8)
            #expect(try ScenarioYAML.decode(String(contentsOf: file, encoding: .utf8)) == scenario)
        }
    }

    // MARK: Property: import(export(s)) == s

    /// A random valid scenario: 1...8 steps with non-decreasing offsets on distinct channels
    /// per day, the agency (if any) last, charges only after the due date, free-text segments
    /// and description with quotes, backslashes and accents.
    static let segmentCharacters: [Character] = Array("ab \"\\'#:é-,[]{}\n\t")
    static let descriptionCharacters: [Character] = Array("xy \"\\:é#")

    static let scenarios = zip(
        Gen.int(in: -90...40).array(of: 1...8),
        Gen.int(in: 0...1_000_000).array(of: 8),
        Gen.int(in: 0...(segmentCharacters.count - 1)).map { segmentCharacters[$0] }.string(of: 0...12).array(of: 0...3),
        Gen.int(in: 0...(descriptionCharacters.count - 1)).map { descriptionCharacters[$0] }.string(of: 1...20)
    ).map { gaps, seeds, segments, description in
        makeScenario(gaps: gaps, seeds: seeds, segments: segments, description: description)
    }

    static func makeScenario(gaps: [Int], seeds: [Int], segments: [String], description: String) -> DunningScenario {
        var steps: [DunningStep] = []
        var offset = -90
        let channels: [DunningChannel] = [.email, .sms, .letter, .registeredLetter, .phoneCall]
        let roles = RecipientRole.allCases
        for (index, gap) in gaps.enumerated() {
            offset = min(offset + max(gap, 0), 3000)
            let seed = seeds[index]
            var channel = channels[seed % channels.count]
            while steps.contains(where: { $0.offsetDays == offset && $0.channel == channel }) {
                offset += 1
            }
            if index == gaps.count - 1, seed % 3 == 0 { channel = .collectionAgency }
            let formal = channel == .registeredLetter && offset >= 1 && seed % 2 == 0
            let claims: Set<LateCharge> = formal ? [.interest, .indemnity] : []
            let recipient = roles[seed % 3]
            let fallbacks = Array(roles.filter { $0 != recipient }.prefix((seed / 3) % 3))
            var minimums: [Money] = []
            if seed % 4 == 0 {
                minimums = [Money(minorUnits: Int64(seed), currency: .jpy), Money(minorUnits: Int64(seed % 977), currency: .eur)]
            }
            let risks = Set(RiskCategory.allCases.filter { _ in seed % 2 == 1 }.prefix(seed % 5))
            let conditions = StepConditions(minimumOverdue: minimums, segments: Set(segments.filter { !$0.isEmpty }), riskCategories: risks)
            let mode: StepMode = channel == .phoneCall || seed % 5 == 0 ? .manual : .automatic
            steps.append(DunningStep(
                id: "step-\(index)", offsetDays: offset, channel: channel, recipient: recipient, fallbackRoles: fallbacks,
                template: "template-\(seed % 7)", mode: mode, conditions: conditions, claims: claims,
                responseDeadlineDays: formal ? 1 + seed % 90 : nil, letterIfEmailFails: channel == .email && seed % 2 == 0))
        }
        return DunningScenario(name: "random", version: 1 + seeds[0] % 9, description: description, steps: steps,
                               brokenPromise: seeds[0] % 2 == 0 ? .resume : .oneStepStricter)
    }

    /// The body records a thrown error itself: swift-property-based 2.x (on Swift 6.2 and
    /// later) drops an error thrown by the body (`try?` in its `countIssues`), so a `try`
    /// there could never fail the test.
    @Test("for random valid scenarios, import(export(s)) == s and the export is a fixed point")
    func roundTrip() async {
        await propertyCheck(count: 200, input: Self.scenarios) { scenario in
            #expect(scenario.validationProblems().isEmpty, "generator made an invalid scenario: \(scenario.validationProblems())")
            let yaml = ScenarioYAML.encode(scenario)
            do {
                let read = try ScenarioYAML.decode(yaml)
                #expect(read == scenario, "\(yaml)")
                #expect(ScenarioYAML.encode(read) == yaml)
            } catch {
                Issue.record("the export does not read back: \(error)\n\(yaml)")
            }
        }
    }
}
