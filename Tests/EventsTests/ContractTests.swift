import Events
import Foundation
import Money
import Testing

/// The published event contract (`docs/events/`) and the Swift event types agree: every type
/// has a schema, encodes to JSON that validates against it, and decodes the schema's examples.
@Suite("Event contract")
struct ContractTests {
    let validator: JSONSchemaValidator

    init() throws {
        validator = try JSONSchemaValidator(directory: ContractFixtures.schemaDirectory)
    }

    // MARK: Schema files

    @Test("every event type has a schema file named, identified and titled after it", arguments: ContractFixtures.eventTypes)
    func schemaExistsForEventType(eventType: String) throws {
        let file = ContractFixtures.schemaFile(eventType)
        let schema = try #require(validator.documents[file], "docs/events/schemas/\(file) is missing")
        #expect(schema["$id"] == .string(ContractFixtures.schemaBaseURI + file))
        #expect(schema["title"] == .string(eventType))
        #expect(schema["$schema"] == .string("https://json-schema.org/draft/2020-12/schema"))
        #expect(schema["type"] == .string("object"))
        #expect(schema["additionalProperties"] == .bool(false))
        #expect(schema["description"]?.stringValue?.isEmpty == false)
        #expect(schema["examples"]?.arrayValue?.isEmpty == false, "\(file) needs at least one example")
    }

    @Test("no schema file exists without a Swift event type")
    func noSchemaWithoutSwiftType() throws {
        let known = Set(ContractFixtures.eventTypes.map(ContractFixtures.schemaFile)).union([ContractFixtures.commonSchema])
        let files = try FileManager.default.contentsOfDirectory(atPath: ContractFixtures.schemaDirectory.path)
        let orphans = files.filter { !known.contains($0) }.sorted()
        #expect(orphans.isEmpty, "these files in docs/events/schemas match no type in EventCatalog.all: \(orphans)")
        #expect(validator.documents[ContractFixtures.commonSchema]?["$id"] == .string(ContractFixtures.schemaBaseURI + ContractFixtures.commonSchema))
    }

    @Test("schemas use only keywords the validator checks, and every $ref resolves")
    func schemasAreFullyChecked() {
        for name in validator.documents.keys.sorted() {
            let problems = validator.unsupportedKeywords(in: name)
            #expect(problems.isEmpty, "\(name):\n\(problems.joined(separator: "\n"))")
        }
    }

    // MARK: Swift types against schemas

    @Test("the test samples cover every event type of the catalog")
    func samplesCoverCatalog() throws {
        let sampled = try ContractFixtures.samples().map(\.eventType)
        #expect(sampled.sorted() == ContractFixtures.eventTypes.sorted())
    }

    @Test("a Swift event, optionals set or nil, encodes to JSON valid against its schema", arguments: ContractFixtures.eventTypes)
    func encodedEventValidates(eventType: String) throws {
        let sample = try ContractFixtures.sample(eventType)
        for event in [sample.full, sample.minimal] + (sample.nestedMinimal.map { [$0] } ?? []) + sample.variants {
            let json = try JSONValue(parsing: EventJSON.encode(event))
            let violations = validator.validate(json, against: ContractFixtures.schemaFile(eventType))
            #expect(violations.isEmpty, "\(json)\n\(violations.map(\.description).joined(separator: "\n"))")
        }
    }

    @Test("schema properties are the Swift coding keys, required ones exactly the non-optional ones", arguments: ContractFixtures.eventTypes)
    func schemaShapeMatchesSwiftType(eventType: String) throws {
        let sample = try ContractFixtures.sample(eventType)
        let file = ContractFixtures.schemaFile(eventType)
        let schema = try #require(validator.documents[file])
        let full = try JSONValue(parsing: EventJSON.encode(sample.full))
        let minimal = try JSONValue(parsing: EventJSON.encode(sample.minimal))
        let nested = try sample.nestedMinimal.map { try JSONValue(parsing: EventJSON.encode($0)) }
        let problems = shapeMismatches(
            schema, at: JSONSchemaValidator.Location(document: file, pointer: []), full: full, minimal: minimal, nested: nested, path: "")
        #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
    }

    @Test("every schema example decodes into the Swift type, validates, and survives a round trip", arguments: ContractFixtures.eventTypes)
    func examplesDecodeAndValidate(eventType: String) throws {
        let swiftType = try #require(ContractFixtures.swiftType(eventType))
        let file = ContractFixtures.schemaFile(eventType)
        let examples = try #require(validator.documents[file]?["examples"]?.arrayValue)
        for (index, example) in examples.enumerated() {
            let violations = validator.validate(example, against: file)
            #expect(violations.isEmpty, "example \(index): \(violations.map(\.description).joined(separator: "\n"))")
            let event: any DomainEvent
            do {
                event = try ContractFixtures.decode(swiftType, from: example.data)
            } catch {
                Issue.record("example \(index) of \(file) does not decode as \(swiftType): \(error)")
                continue
            }
            let reencoded = try JSONValue(parsing: EventJSON.encode(event))
            #expect(reencoded.isJSONEqual(to: example.droppingNullMembers), "example \(index) changes in a decode/encode round trip: \(reencoded)")
        }
    }

    @Test("an optional field may be null as well as absent, for the schema and for Swift", arguments: ContractFixtures.eventTypes)
    func optionalFieldsAcceptNull(eventType: String) throws {
        let sample = try ContractFixtures.sample(eventType)
        let file = ContractFixtures.schemaFile(eventType)
        let schema = try #require(validator.documents[file])
        guard case .object(var members) = try JSONValue(parsing: EventJSON.encode(sample.minimal)) else {
            Issue.record("\(eventType) does not encode to an object")
            return
        }
        let optional = Set((schema["properties"]?.objectValue ?? [:]).keys)
            .subtracting((schema["required"]?.arrayValue ?? []).compactMap(\.stringValue))
        for name in optional { members[name] = .null }
        let withNulls = JSONValue.object(members)
        #expect(validator.validate(withNulls, against: file).isEmpty, "\(withNulls)")
        let swiftType = try #require(ContractFixtures.swiftType(eventType))
        _ = try ContractFixtures.decode(swiftType, from: withNulls.data)
    }

    @Test("customer.updated names exactly the fields of the customer snapshot")
    func changedFieldsAreSnapshotFields() throws {
        let schema = try #require(validator.documents[ContractFixtures.schemaFile(CustomerUpdated.eventType)])
        // An open set since lateInterestRateBasisPoints: the known names, not an enum.
        let allowed = (schema["properties"]?["changedFields"]?["items"]?["x-relance-known-values"]?.arrayValue ?? []).compactMap(\.stringValue)
        let sample = try ContractFixtures.sample(CustomerUpdated.eventType)
        let customer = try JSONValue(parsing: EventJSON.encode(sample.full))["customer"]?.objectValue ?? [:]
        #expect(Set(allowed) == Set(customer.keys).subtracting(["customerId"]))
    }

    // MARK: AsyncAPI document

    @Test("the AsyncAPI document has a channel per topic carrying the messages of its event types")
    func asyncAPIMatchesCatalog() throws {
        let document = try JSONValue(yaml: String(contentsOf: ContractFixtures.asyncAPIFile, encoding: .utf8))
        #expect(document["asyncapi"] == .string("3.0.0"))
        let channels = try #require(document["channels"]?.objectValue, "asyncapi.yaml has no channels")
        var channelOfTopic: [Topic: String] = [:]
        for topic in Topic.allCases {
            let address = TopicCatalog().name(of: topic)
            let channel = channels.first { $0.value["address"] == .string(address) }?.key
            channelOfTopic[topic] = channel
            #expect(channel != nil, "no channel has address \(address)")
        }
        #expect(channels.values.contains { $0["address"] == .string("relance.{topic}.dlq") }, "no dead-letter channel")

        let messages = document["components"]?["messages"]?.objectValue ?? [:]
        for eventType in ContractFixtures.eventTypes {
            let swiftType = try #require(ContractFixtures.swiftType(eventType))
            guard let (id, message) = messages.first(where: { $0.value["name"] == .string(eventType) }) else {
                Issue.record("no message in components.messages is named \(eventType)")
                continue
            }
            #expect(message["payload"]?["schema"]?["$ref"] == .string("./schemas/\(eventType).json"))
            let headerParts = message["headers"]?["allOf"]?.arrayValue ?? []
            #expect(headerParts.contains { $0["properties"]?["ce_type"]?["const"] == .string(eventType) },
                    "the headers of message \(id) do not fix ce_type to \(eventType)")
            // Exactly one key trait: by customer for customer events, by payer or account for the
            // payment-matching events that may not know their customer.
            let traits = (message["traits"]?.arrayValue ?? []).compactMap { $0["$ref"]?.stringValue }
            let keyTraits = traits.filter { $0.hasPrefix("#/components/messageTraits/keyedBy") }
            let customerKeyed = "#/components/messageTraits/keyedByCustomer"
            if swiftType is any CustomerEvent.Type {
                #expect(keyTraits == [customerKeyed], "message \(id) is a customer event: its only key trait is keyedByCustomer, found \(keyTraits)")
            } else {
                #expect(keyTraits.count == 1 && !keyTraits.contains(customerKeyed),
                        "message \(id) is not keyed by customer alone: one key trait other than keyedByCustomer, found \(keyTraits)")
            }
            for trait in keyTraits {
                let name = String(trait.dropFirst("#/components/messageTraits/".count))
                #expect(document["components"]?["messageTraits"]?[name] != nil, "message \(id) names missing trait \(trait)")
            }
            let channel = try #require(channelOfTopic[swiftType.topic])
            #expect(channels[channel]?["messages"]?[id]?["$ref"] == .string("#/components/messages/\(id)"),
                    "\(eventType) is not listed on channel \(channel) (topic \(swiftType.topic.rawValue))")
        }
        for (id, message) in messages {
            guard let name = message["name"]?.stringValue, name.hasPrefix("relance.") else { continue }
            #expect(ContractFixtures.eventTypes.contains(name), "message \(id) is \(name), which no Swift type publishes")
        }
        for (path, reference) in references(in: document, at: "") where reference.hasPrefix("./") {
            let target = ContractFixtures.eventsDirectory.appendingPathComponent(String(reference.dropFirst(2)))
            #expect(FileManager.default.fileExists(atPath: target.path), "\(path) points to missing \(reference)")
        }
    }

    // MARK: Helpers

    /// Every `$ref` of a document, with the JSON Pointer of the object holding it.
    private func references(in value: JSONValue, at path: String) -> [(path: String, reference: String)] {
        switch value {
        case .object(let members):
            let own = members["$ref"]?.stringValue.map { [(path: path, reference: $0)] } ?? []
            return own + members.flatMap { references(in: $0.value, at: path + "/" + $0.key) }
        case .array(let items):
            return items.enumerated().flatMap { references(in: $0.element, at: path + "/\($0.offset)") }
        default:
            return []
        }
    }

    /// Where a schema's structure disagrees with Swift encodings: `full` has every optional
    /// set, so its keys are all the properties; `minimal` has every optional nil, so its keys
    /// are the required ones.
    private func shapeMismatches(
        _ schema: JSONValue, at location: JSONSchemaValidator.Location, full: JSONValue, minimal: JSONValue, nested: JSONValue? = nil,
        path: String
    ) -> [String] {
        switch validator.shape(of: schema, at: location) {
        case .object(let properties, let required):
            guard let fullMembers = full.objectValue, let minimalMembers = minimal.objectValue else {
                return ["\(path): the schema describes an object, Swift encodes \(full)"]
            }
            var problems: [String] = []
            if Set(properties.keys) != Set(fullMembers.keys) {
                problems.append("\(path): schema properties \(properties.keys.sorted()) but Swift encodes \(fullMembers.keys.sorted()) (\(location))")
            }
            if required != Set(minimalMembers.keys) {
                problems.append("\(path): schema requires \(required.sorted()) but Swift's non-optional properties are \(minimalMembers.keys.sorted()) (\(location))")
            }
            for (name, property) in properties.sorted(by: { $0.key < $1.key }) where !required.contains(name) {
                let violations = validator.validate(.null, against: property.schema, at: property.location)
                if !violations.isEmpty {
                    problems.append("\(path)/\(name): optional in Swift, so the schema must also accept null (\(property.location))")
                }
            }
            let nestedMembers = nested?.objectValue
            for (name, property) in properties.sorted(by: { $0.key < $1.key }) {
                guard let fullValue = fullMembers[name] else { continue }
                // An optional object absent from the minimal sample: its own optionals come from
                // the nested-minimal sample when there is one.
                problems += shapeMismatches(
                    property.schema, at: property.location, full: fullValue,
                    minimal: minimalMembers[name] ?? nestedMembers?[name] ?? fullValue, nested: nestedMembers?[name], path: path + "/" + name)
            }
            return problems
        case .array(let items):
            guard let first = full.arrayValue?.first else { return [] }
            return shapeMismatches(items.schema, at: items.location, full: first, minimal: minimal.arrayValue?.first ?? first, path: path + "/0")
        case .other:
            return []
        }
    }
}

@Suite struct EventJSONInstantTests {
    @Test(arguments: [0.0, 1_780_000_000.123, 951_782_400.999, -86_400.5, 4_102_444_799.001, 1_709_164_800.0])
    func formattedInstantsMatchFoundationAndParseBack(seconds: Double) throws {
        let date = Date(timeIntervalSince1970: seconds)
        // Foundation truncates the binary fraction (…40.123 prints .122); ours keeps whole
        // milliseconds. Everything up to the seconds must agree.
        let expected = date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
        let formatted = EventJSON.formatInstant(date)
        #expect(formatted.prefix(20) == expected.prefix(20))
        let milliseconds = Int64((seconds * 1000).rounded(.down)) % 1000
        #expect(formatted.dropFirst(20).prefix(3) == String(format: "%03lld", (milliseconds + 1000) % 1000))
        #expect(formatted.hasSuffix("Z") && formatted.count == 24)
        let parsed = try #require(EventJSON.parseInstant(EventJSON.formatInstant(date)))
        #expect(abs(parsed.timeIntervalSince1970 - (seconds * 1000).rounded(.down) / 1000) < 0.000_5)
    }

    @Test func timeOrderedIdsAreVersion7AndSortByCreation() {
        let first = TimeOrderedID.make(now: Date(timeIntervalSince1970: 1_780_000_000))
        let second = TimeOrderedID.make(now: Date(timeIntervalSince1970: 1_780_000_001))
        #expect(first < second)
        #expect(first.count == 36)
        #expect(Array(first)[14] == "7")
        #expect(UUID(uuidString: first) != nil)
    }
}
