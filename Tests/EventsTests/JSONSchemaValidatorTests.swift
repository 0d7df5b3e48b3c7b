import Foundation
import Testing

/// The contract tests are only as good as the validator: it must reject what the schemas forbid.
@Suite("JSON Schema validator")
struct JSONSchemaValidatorTests {
    let validator: JSONSchemaValidator

    init() throws {
        validator = try JSONSchemaValidator(directory: ContractFixtures.schemaDirectory)
    }

    /// The first example of a schema, as the valid starting point of each mutation.
    private func example(_ eventType: String) throws -> JSONValue {
        let example = try #require(validator.documents[ContractFixtures.schemaFile(eventType)]?["examples"]?.arrayValue?.first)
        #expect(validator.validate(example, against: ContractFixtures.schemaFile(eventType)).isEmpty)
        return example
    }

    /// The keywords that fail when `instance` is validated against an event type's schema.
    private func failures(_ instance: JSONValue, _ eventType: String) -> [String] {
        validator.validate(instance, against: ContractFixtures.schemaFile(eventType)).map(\.keyword)
    }

    @Test("rejects a missing required field, at the top and inside a shared definition")
    func rejectsMissingRequired() throws {
        let invoice = try example("relance.invoice.issued.v1")
        #expect(failures(invoice.setting(["dueDate"], to: nil), "relance.invoice.issued.v1") == ["required"])
        #expect(failures(invoice.setting(["totalAmount", "currency"], to: nil), "relance.invoice.issued.v1") == ["required"])
        let customer = try example("relance.customer.registered.v1")
        #expect(failures(customer.setting(["customer", "contacts", "0", "role"], to: nil), "relance.customer.registered.v1") == ["required"])
    }

    @Test("rejects a value of the wrong type", arguments: [
        (["totalAmount", "minorUnits"], JSONValue.string("144000")),
        (["totalAmount", "minorUnits"], JSONValue.number(1440.5)),
        (["totalAmount"], JSONValue.integer(144_000)),
        (["number"], JSONValue.integer(42)),
        (["orderReference"], JSONValue.array([.string("PO-7781")])),
    ])
    func rejectsWrongType(path: [String], value: JSONValue) throws {
        let invoice = try example("relance.invoice.issued.v1")
        #expect(failures(invoice.setting(path, to: value), "relance.invoice.issued.v1").contains("type"))
    }

    @Test("tells booleans from numbers")
    func rejectsNumberForBoolean() throws {
        let customer = try example("relance.customer.registered.v1")
        #expect(failures(customer.setting(["customer", "strategic"], to: .integer(1)), "relance.customer.registered.v1") == ["type"])
        #expect(failures(customer.setting(["customer", "contacts", "0", "isDunningRecipient"], to: .string("true")),
                         "relance.customer.registered.v1") == ["type"])
    }

    @Test("rejects an extra property, at the top and in nested objects")
    func rejectsExtraProperty() throws {
        let invoice = try example("relance.invoice.issued.v1")
        #expect(failures(invoice.setting(["amount"], to: .integer(1)), "relance.invoice.issued.v1") == ["additionalProperties"])
        #expect(failures(invoice.setting(["totalAmount", "decimals"], to: .integer(2)), "relance.invoice.issued.v1") == ["additionalProperties"])
        let customer = try example("relance.customer.registered.v1")
        #expect(failures(customer.setting(["customer", "contacts", "0", "mobile"], to: .string("+33600000000")),
                         "relance.customer.registered.v1") == ["additionalProperties"])
    }

    @Test("rejects a date that is malformed or does not exist", arguments: ["2025-02-30", "2025-13-01", "31/03/2025", "2025-3-31", "2025-03-31T00:00:00Z", "２０２５-03-31"])
    func rejectsBadDate(text: String) throws {
        let invoice = try example("relance.invoice.issued.v1")
        #expect(!failures(invoice.setting(["dueDate"], to: .string(text)), "relance.invoice.issued.v1").isEmpty)
        let paid = try example("relance.invoice.paid.v1")
        #expect(failures(paid.setting(["paidOn"], to: .string(text)), "relance.invoice.paid.v1").contains("format"))
    }

    @Test("rejects a currency that is not three upper-case letters", arguments: ["eur", "EURO", "EU", "978", "€"])
    func rejectsBadCurrency(code: String) throws {
        let invoice = try example("relance.invoice.issued.v1")
        #expect(failures(invoice.setting(["totalAmount", "currency"], to: .string(code)), "relance.invoice.issued.v1") == ["pattern"])
        let customer = try example("relance.customer.registered.v1")
        #expect(failures(customer.setting(["customer", "defaultCurrency"], to: .string(code)), "relance.customer.registered.v1") == ["pattern"])
    }

    @Test("rejects values outside enums, bounds and patterns")
    func rejectsOutOfRange() throws {
        let invoice = try example("relance.invoice.issued.v1")
        #expect(failures(invoice.setting(["totalAmount", "minorUnits"], to: .integer(0)), "relance.invoice.issued.v1") == ["minimum"])
        #expect(failures(invoice.setting(["paymentReference"], to: .string("FA-2025-0042")), "relance.invoice.issued.v1") == ["pattern"])
        #expect(failures(invoice.setting(["invoiceId"], to: .string("")), "relance.invoice.issued.v1") == ["minLength"])
        let balance = try example("relance.invoice.balance-changed.v1")
        #expect(failures(balance.setting(["status"], to: .string("overdue")), "relance.invoice.balance-changed.v1") == ["enum"])
        #expect(failures(balance.setting(["cause"], to: .string("refund")), "relance.invoice.balance-changed.v1") == ["enum"])
        #expect(failures(balance.setting(["balance", "minorUnits"], to: .integer(-1)), "relance.invoice.balance-changed.v1") == ["minimum"])
        let customer = try example("relance.customer.registered.v1")
        // Roles and changed fields are open sets (a pattern, not an enum): new names pass, malformed ones do not.
        #expect(failures(customer.setting(["customer", "contacts", "0", "role"], to: .string("ceo")), "relance.customer.registered.v1") == [])
        #expect(failures(customer.setting(["customer", "contacts", "0", "role"], to: .string("Chief Executive")), "relance.customer.registered.v1") == ["pattern"])
        #expect(failures(customer.setting(["customer", "language"], to: .string("en-gb")), "relance.customer.registered.v1") == ["pattern"])
        #expect(failures(customer.setting(["customer", "contacts", "0", "phone"], to: .string("06 12 34 56 78")), "relance.customer.registered.v1") == ["pattern"])
        #expect(failures(customer.setting(["customer", "paymentTerms"], to: .string("30 days")), "relance.customer.registered.v1") == ["pattern"])
        #expect(failures(customer.setting(["customer", "tags"], to: .array([.string("a"), .string("a")])), "relance.customer.registered.v1") == ["uniqueItems"])
        #expect(failures(customer.setting(["customer", "creditLimit", "minorUnits"], to: .integer(-100)), "relance.customer.registered.v1") == ["anyOf"])
        let updated = try example("relance.customer.updated.v1")
        #expect(failures(updated.setting(["changedFields"], to: .array([])), "relance.customer.updated.v1") == ["minItems"])
        #expect(failures(updated.setting(["changedFields"], to: .array([.string("customer id")])), "relance.customer.updated.v1") == ["pattern"])
    }

    @Test("reports a reference it cannot resolve instead of passing")
    func unresolvableReference() throws {
        let schema = try JSONValue(parsing: Data(#"{"properties": {"a": {"$ref": "common.json#/$defs/Nope"}, "b": {"$ref": "other.json#/x"}}}"#.utf8))
        let validator = JSONSchemaValidator(documents: ["test.json": schema])
        let instance = try JSONValue(parsing: Data(#"{"a": 1, "b": 2}"#.utf8))
        #expect(validator.validate(instance, against: "test.json").map(\.keyword) == ["$ref", "$ref"])
        #expect(validator.unsupportedKeywords(in: "test.json").count == 2)
    }

    @Test("flags keywords and formats it does not check")
    func unsupportedKeywords() throws {
        let schema = try JSONValue(parsing: Data(#"{"type": "object", "propertyNames": {"maxLength": 3}, "properties": {"u": {"type": "string", "format": "uri"}, "d": {"requried": ["x"]}}}"#.utf8))
        let problems = JSONSchemaValidator(documents: ["test.json": schema]).unsupportedKeywords(in: "test.json")
        #expect(problems.count == 3, "\(problems)")
    }

    @Test("combinators: allOf needs all, anyOf one or more, oneOf exactly one, not none")
    func combinators() throws {
        let schema = try JSONValue(parsing: Data(#"""
            {"properties": {
              "all": {"allOf": [{"type": "integer"}, {"minimum": 3}]},
              "any": {"anyOf": [{"type": "string"}, {"type": "null"}]},
              "one": {"oneOf": [{"type": "integer"}, {"minimum": 0}]},
              "not": {"not": {"const": "x"}}
            }}
            """#.utf8))
        let validator = JSONSchemaValidator(documents: ["test.json": schema])
        func keywords(_ json: String) throws -> [String] {
            validator.validate(try JSONValue(parsing: Data(json.utf8)), against: "test.json").map(\.keyword)
        }
        #expect(try keywords(#"{"all": 4, "any": null, "one": -1, "not": "y"}"#).isEmpty)
        #expect(try keywords(#"{"all": 2}"#) == ["minimum"])
        #expect(try keywords(#"{"any": 1}"#) == ["anyOf"])
        #expect(try keywords(#"{"one": 1}"#) == ["oneOf"]) // matches both
        #expect(try keywords(#"{"one": -0.5}"#) == ["oneOf"]) // matches neither
        #expect(try keywords(#"{"not": "x"}"#) == ["not"])
    }

    @Test("date-time format follows RFC 3339", arguments: [
        ("2026-11-29T10:15:00.123Z", true), ("2026-11-29T10:15:00+01:00", true), ("2026-11-29T10:15:00Z", true),
        ("2026-11-29 10:15:00Z", false), ("2026-11-29T25:15:00Z", false), ("2026-02-30T10:15:00Z", false), ("2026-11-29T10:15:00", false),
    ])
    func dateTimeFormat(text: String, valid: Bool) throws {
        let validator = JSONSchemaValidator(documents: ["test.json": .object(["format": .string("date-time")])])
        #expect(validator.validate(.string(text), against: "test.json").isEmpty == valid)
    }

    @Test("integers keep 64-bit precision against bounds")
    func int64Bounds() {
        let validator = JSONSchemaValidator(documents: ["test.json": .object(["type": .string("integer"), "maximum": .integer(Int64.max - 1)])])
        #expect(validator.validate(.integer(Int64.max - 1), against: "test.json").isEmpty)
        #expect(validator.validate(.integer(Int64.max), against: "test.json").map(\.keyword) == ["maximum"])
        #expect(validator.validate(.number(2.0), against: "test.json").isEmpty) // 2.0 is an integer for JSON Schema
        #expect(validator.validate(.number(2.5), against: "test.json").map(\.keyword) == ["type"])
    }
}

extension JSONValue {
    /// A copy with the value at a path (object keys, or array indices as text) replaced, or
    /// removed when `value` is nil. Paths that do not exist are left alone.
    func setting(_ path: [String], to value: JSONValue?) -> JSONValue {
        guard let head = path.first else { return value ?? .null }
        let rest = Array(path.dropFirst())
        switch self {
        case .object(var members):
            if rest.isEmpty {
                members[head] = value
            } else if let child = members[head] {
                members[head] = child.setting(rest, to: value)
            }
            return .object(members)
        case .array(var items):
            guard let index = Int(head), items.indices.contains(index) else { return self }
            if rest.isEmpty {
                if let value { items[index] = value } else { items.remove(at: index) }
            } else {
                items[index] = items[index].setting(rest, to: value)
            }
            return .array(items)
        default:
            return self
        }
    }
}
