import Events
import Foundation
import Testing

/// The open sets of the dunning and notification events: the values the Swift types know are
/// the ones the schemas list in `x-relance-known-values`, and unknown values survive decoding.
@Suite struct DunningOpenSetTests {
    let validator: JSONSchemaValidator

    init() throws {
        validator = try JSONSchemaValidator(directory: ContractFixtures.schemaDirectory)
    }

    private func knownValues(_ file: String, _ path: [String]) -> [String]? {
        var node = validator.documents[file]
        for key in path { node = node?[key] }
        return node?["x-relance-known-values"]?.arrayValue?.compactMap(\.stringValue)
    }

    @Test("Swift's known values are the schemas' x-relance-known-values")
    func knownValuesAgree() {
        let requested = "relance.notification.requested.v1.json"
        #expect(knownValues("common.json", ["$defs", "NotificationChannel"]) == NotificationChannel.known.map(\.rawValue))
        #expect(knownValues("common.json", ["$defs", "DunningStepChannel"]) == DunningStepChannel.known.map(\.rawValue))
        #expect(knownValues(requested, ["properties", "templateId"]) == NotificationTemplateId.known.map(\.rawValue))
        #expect(knownValues("relance.notification.failed.v1.json", ["properties", "reason"]) == NotificationFailureReason.known.map(\.rawValue))
        #expect(knownValues("relance.dunning.task-created.v1.json", ["properties", "kind"]) == DunningTaskKind.known.map(\.rawValue))
        #expect(knownValues("relance.dunning.task-completed.v1.json", ["properties", "kind"]) == DunningTaskKind.known.map(\.rawValue))
        #expect(knownValues("relance.dunning.task-completed.v1.json", ["properties", "outcome"]) == DunningTaskOutcome.known.map(\.rawValue))
        #expect(
            knownValues("relance.dunning.scenario-changed.v1.json", ["properties", "reasonCode"]) == ScenarioChangeReason.known.map(\.rawValue))
    }

    @Test("a value added later within v1 validates and decodes")
    func unknownValuesAreAccepted() throws {
        let sample = try ContractFixtures.sample(NotificationFailed.eventType)
        guard case .object(var members) = try JSONValue(parsing: EventJSON.encode(sample.full)) else {
            Issue.record("notification.failed does not encode to an object")
            return
        }
        members["channel"] = .string("whatsapp")
        members["reason"] = .string("quotaExceeded")
        let value = JSONValue.object(members)
        #expect(validator.validate(value, against: "relance.notification.failed.v1.json").isEmpty)
        let decoded = try EventJSON.decode(NotificationFailed.self, from: value.data)
        #expect(decoded.channel == NotificationChannel(rawValue: "whatsapp"))
        #expect(decoded.reason == NotificationFailureReason(rawValue: "quotaExceeded"))
        #expect(decoded.permanent)
    }
}
