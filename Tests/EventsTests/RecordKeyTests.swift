import Events
import Foundation
import Testing

/// The record key rule published in the contract is what the producer does.
///
/// Each event schema names its Kafka record key with `x-relance-record-key` (``RecordKeyRule``):
/// a JSON Pointer into the event data (`/customerId`, `/customer/customerId`) for the events
/// of one known customer, or a list of prefixed alternatives for the payment-matching events
/// that may not know their customer (`payment.received`: the customer id, else `payer:` and
/// the payer's IBAN, else `account:` and the account). The producer keys a record by
/// `Envelope.key` (the event's `partitionKey`), so for every event the rule applied to the
/// record value must give exactly that key.
@Suite("Record key rule")
struct RecordKeyTests {
    static let keyRule = "x-relance-record-key"

    let validator: JSONSchemaValidator

    init() throws {
        validator = try JSONSchemaValidator(directory: ContractFixtures.schemaDirectory)
    }

    /// The key rule of an event type's schema.
    private func rule(_ eventType: String) throws -> RecordKeyRule {
        let schema = try #require(validator.documents[ContractFixtures.schemaFile(eventType)])
        let value = try #require(schema[Self.keyRule], "\(eventType) has no \(Self.keyRule)")
        return try #require(RecordKeyRule(value), "\(eventType): \(Self.keyRule) is neither a JSON Pointer nor a list of {pointer, prefix}")
    }

    /// Whether a pointer names a property at every step of the schema and, if so, whether a
    /// value is always there (every member required, no array index on the way: an array may
    /// be empty). Nil when some step names nothing.
    private func alwaysPresent(_ pointer: String, in eventType: String) throws -> Bool? {
        let file = ContractFixtures.schemaFile(eventType)
        var schema = try #require(validator.documents[file])
        var location = JSONSchemaValidator.Location(document: file, pointer: [])
        var always = true
        for token in pointer.dropFirst().split(separator: "/").map(String.init) {
            switch validator.shape(of: schema, at: location) {
            case .object(let properties, let required):
                guard let property = properties[token] else { return nil }
                always = always && required.contains(token)
                (schema, location) = (property.schema, property.location)
            case .array(let items):
                guard Int(token) != nil else { return nil }
                always = false
                (schema, location) = (items.schema, items.location)
            case .other:
                return nil
            }
        }
        return always
    }

    @Test("every event schema names its record key: the last alternative is always there, earlier ones may be absent", arguments: ContractFixtures.eventTypes)
    func schemaNamesARequiredKeyProperty(eventType: String) throws {
        let rule = try rule(eventType)
        for (index, alternative) in rule.alternatives.enumerated() {
            let pointer = alternative.pointer
            #expect(pointer.hasPrefix("/") && pointer.count > 1, "\(eventType): \(pointer) is not a JSON Pointer to a member")
            guard let always = try alwaysPresent(pointer, in: eventType) else {
                Issue.record("\(eventType): \(Self.keyRule) \(pointer) names no property of the schema")
                continue
            }
            if index == rule.alternatives.count - 1 {
                #expect(always, "\(eventType): \(pointer) may be absent, but the last alternative of a record key must always be there")
            } else {
                #expect(!always, "\(eventType): \(pointer) is always there, so the alternatives after it are never used")
            }
        }
    }

    @Test("customer events are keyed by a plain pointer to the customer id, the others by prefixed alternatives", arguments: ContractFixtures.eventTypes)
    func keyRuleKindFollowsTheSwiftType(eventType: String) throws {
        let rule = try rule(eventType)
        let swiftType = try #require(ContractFixtures.swiftType(eventType))
        if swiftType is any CustomerEvent.Type {
            #expect(rule.isPlainPointer, "\(eventType) is a CustomerEvent: its key rule is a JSON Pointer to the customer id")
            #expect(rule.alternatives.first?.pointer.hasSuffix("/customerId") == true)
        } else {
            #expect(!rule.isPlainPointer && rule.alternatives.count > 1, "\(eventType) is not keyed by customer alone: its key rule lists the alternatives")
            #expect(rule.alternatives.dropFirst().allSatisfy { !$0.prefix.isEmpty }, "fallback keys are prefixed, so they never collide with a customer id")
        }
    }

    @Test("the producer keys every event by the value its schema's key rule gives", arguments: ContractFixtures.eventTypes)
    func producerKeyIsTheFieldTheSchemaNames(eventType: String) throws {
        // Given the key rule of the schema and Swift events of that type (every key alternative)
        let rule = try rule(eventType)
        let sample = try ContractFixtures.sample(eventType)
        for event in [sample.full, sample.minimal] + sample.variants {
            // When the producer wraps the event for publishing
            let envelope = try Envelope(event, source: "/relance/contract-tests", time: Date(timeIntervalSince1970: 1_780_000_000))

            // Then the record key is what the rule gives from the record value
            let data = try JSONValue(parsing: envelope.data)
            let named = try #require(rule.key(in: data), "the key rule of \(eventType) finds no key in \(data)")
            #expect(envelope.key == named, "\(eventType): record key \(envelope.key), but the key rule gives \(named)")
        }
    }

    @Test("the samples of payer-keyed events use every alternative of the key rule", arguments: ContractFixtures.eventTypes)
    func samplesCoverEveryKeyAlternative(eventType: String) throws {
        let rule = try rule(eventType)
        let sample = try ContractFixtures.sample(eventType)
        var used: Set<String> = []
        for event in [sample.full, sample.minimal] + sample.variants {
            let data = try JSONValue(parsing: EventJSON.encode(event))
            if let alternative = rule.alternatives.first(where: { data.value(atPointer: $0.pointer)?.stringValue?.isEmpty == false }) {
                used.insert(alternative.pointer)
            }
        }
        #expect(used == Set(rule.alternatives.map(\.pointer)), "\(eventType): no sample is keyed by \(Set(rule.alternatives.map(\.pointer)).subtracting(used).sorted())")
    }

    @Test("the samples tell the customer id from the invoice id, so a rule naming the invoice id would fail", arguments: ContractFixtures.eventTypes)
    func samplesDistinguishCustomerFromInvoice(eventType: String) throws {
        let sample = try ContractFixtures.sample(eventType)
        let envelope = try Envelope(sample.full, source: "/relance/contract-tests", time: Date(timeIntervalSince1970: 1_780_000_000))
        let data = try JSONValue(parsing: envelope.data)
        if let invoiceId = data.value(atPointer: "/invoiceId")?.stringValue {
            #expect(invoiceId != envelope.key)
        }
        if let subject = envelope.subject, eventType.hasPrefix("relance.invoice.") || eventType.hasPrefix("relance.payment.") {
            #expect(subject != envelope.key, "ce_subject is the invoice id, not the record key")
        }
    }

    @Test("every schema example carries a record key by the key rule", arguments: ContractFixtures.eventTypes)
    func examplesCarryTheKey(eventType: String) throws {
        let rule = try rule(eventType)
        let examples = try #require(validator.documents[ContractFixtures.schemaFile(eventType)]?["examples"]?.arrayValue)
        for (index, example) in examples.enumerated() {
            #expect(rule.key(in: example)?.isEmpty == false, "example \(index) of \(eventType) has no record key by its rule")
        }
    }

    @Test("a key rule of alternatives takes the first non-empty string, prefixed, and skips null")
    func alternativesResolveInOrder() throws {
        let rule = try #require(RecordKeyRule(try JSONValue(parsing: Data(#"""
            [{"pointer": "/customerId"}, {"pointer": "/payerIBAN", "prefix": "payer:"}, {"pointer": "/account", "prefix": "account:"}]
            """#.utf8))))
        let known = try JSONValue(parsing: Data(#"{"customerId": "c-1", "payerIBAN": "DE89370400440532013000", "account": "FR76"}"#.utf8))
        let payer = try JSONValue(parsing: Data(#"{"customerId": null, "payerIBAN": "DE89370400440532013000", "account": "FR76"}"#.utf8))
        let account = try JSONValue(parsing: Data(#"{"payerIBAN": "", "account": "FR76"}"#.utf8))
        #expect(rule.key(in: known) == "c-1")
        #expect(rule.key(in: payer) == "payer:DE89370400440532013000")
        #expect(rule.key(in: account) == "account:FR76")
        #expect(rule.key(in: .object([:])) == nil)
        #expect(RecordKeyRule(.string("/customerId"))?.isPlainPointer == true)
        #expect(RecordKeyRule(.array([])) == nil)
        #expect(RecordKeyRule(try JSONValue(parsing: Data(#"[{"pointer": "/a", "suffix": "x"}]"#.utf8))) == nil)
    }

    @Test("a JSON Pointer reaches nested members and escaped names, and nothing else")
    func jsonPointerResolution() throws {
        let document = try JSONValue(parsing: Data(#"{"customer":{"customerId":"c-1"},"a/b":{"~x":[10,20]}}"#.utf8))

        #expect(document.value(atPointer: "/customer/customerId") == .string("c-1"))
        #expect(document.value(atPointer: "/a~1b/~0x/1") == .integer(20))
        #expect(document.value(atPointer: "/customer/invoiceId") == nil)
        #expect(document.value(atPointer: "/a~1b/~0x/2") == nil)
        #expect(document.value(atPointer: "customer") == nil)
    }
}
