import Events
import Foundation
import Testing

/// The record key rule published in the contract is what the producer does.
///
/// Each event schema names its Kafka record key with `x-relance-record-key`, a JSON Pointer
/// into the event data (`/customerId`, `/customer/customerId`). The producer keys a record by
/// `Envelope.key` (`CloudEvents.record(for:topic:)` copies it into the record key), so for
/// every event type the field the schema names must hold exactly that value.
@Suite("Record key rule")
struct RecordKeyTests {
    static let keyRule = "x-relance-record-key"

    let validator: JSONSchemaValidator

    init() throws {
        validator = try JSONSchemaValidator(directory: ContractFixtures.schemaDirectory)
    }

    /// The key rule of an event type's schema.
    private func keyPointer(_ eventType: String) throws -> String {
        let schema = try #require(validator.documents[ContractFixtures.schemaFile(eventType)])
        return try #require(schema[Self.keyRule]?.stringValue, "\(eventType) has no \(Self.keyRule)")
    }

    @Test("every event schema names its record key: a property required at every step of the pointer", arguments: ContractFixtures.eventTypes)
    func schemaNamesARequiredKeyProperty(eventType: String) throws {
        let pointer = try keyPointer(eventType)
        #expect(pointer.hasPrefix("/") && pointer.count > 1, "\(Self.keyRule) \(pointer) is not a JSON Pointer to a member")
        let file = ContractFixtures.schemaFile(eventType)
        var schema = try #require(validator.documents[file])
        var location = JSONSchemaValidator.Location(document: file, pointer: [])
        for token in pointer.dropFirst().split(separator: "/").map(String.init) {
            guard case .object(let properties, let required) = validator.shape(of: schema, at: location),
                  let property = properties[token] else {
                Issue.record("\(eventType): \(Self.keyRule) \(pointer) names no property \(token) at \(location)")
                return
            }
            #expect(required.contains(token), "\(eventType): \(token) is optional, but a record key must always be there")
            (schema, location) = (property.schema, property.location)
        }
    }

    @Test("the producer keys every event by the field its schema's key rule names", arguments: ContractFixtures.eventTypes)
    func producerKeyIsTheFieldTheSchemaNames(eventType: String) throws {
        // Given the key rule of the schema and Swift events of that type
        let pointer = try keyPointer(eventType)
        let sample = try ContractFixtures.sample(eventType)
        for event in [sample.full, sample.minimal] {
            // When the producer wraps the event for publishing
            let envelope = try Envelope(event, source: "/relance/contract-tests", time: Date(timeIntervalSince1970: 1_780_000_000))

            // Then the record key is the value the rule points at in the record value
            let data = try JSONValue(parsing: envelope.data)
            let named = try #require(data.value(atPointer: pointer)?.stringValue, "\(pointer) is not a string in \(data)")
            #expect(envelope.key == named, "\(eventType): record key \(envelope.key), but \(pointer) is \(named)")
        }
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

    @Test("every schema example carries a record key where the key rule points", arguments: ContractFixtures.eventTypes)
    func examplesCarryTheKey(eventType: String) throws {
        let pointer = try keyPointer(eventType)
        let examples = try #require(validator.documents[ContractFixtures.schemaFile(eventType)]?["examples"]?.arrayValue)
        for (index, example) in examples.enumerated() {
            let key = example.value(atPointer: pointer)?.stringValue
            #expect(key?.isEmpty == false, "example \(index) of \(eventType) has no string at \(pointer)")
        }
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
