import Events
import Foundation

/// One way an instance breaks a schema.
struct SchemaViolation: Sendable, Hashable, CustomStringConvertible {
    /// JSON Pointer to the offending value in the instance; empty for the whole instance.
    let instancePath: String
    /// The keyword that failed.
    let keyword: String
    /// Where the keyword sits: `common.json#/$defs/Money/properties/currency`.
    let schemaLocation: String
    /// What is wrong, for people.
    let message: String

    var description: String {
        "\(instancePath.isEmpty ? "(root)" : instancePath): \(message) [\(keyword) at \(schemaLocation)]"
    }
}

/// A JSON Schema (draft 2020-12) validator for the subset the event contract uses, so the
/// contract tests need no dependency.
///
/// Enforced: `type` (a name or a list, `integer` meaning a number without fraction), `enum`,
/// `const`, `required`, `properties`, `additionalProperties` (false or a schema), `minimum`,
/// `maximum`, `exclusiveMinimum`, `exclusiveMaximum`, `minLength`, `maxLength` (in code
/// points), `pattern` (`NSRegularExpression`, unanchored like ECMA-262), `format` (`date`,
/// `date-time`, `email`, as assertions), `items`, `minItems`, `maxItems`, `uniqueItems`,
/// `allOf`, `anyOf`, `oneOf`, `not`, and `$ref` to a JSON Pointer in the same document
/// (`#/$defs/Money`) or in another loaded one, found by `$id` or by file name
/// (`common.json#/$defs/Money`). Anything else is reported by ``unsupportedKeywords(in:)``, so
/// a schema cannot carry a constraint that silently goes unchecked.
struct JSONSchemaValidator: Sendable {
    /// Keywords whose constraint this validator checks.
    static let assertionKeywords: Set<String> = [
        "type", "enum", "const", "required", "properties", "additionalProperties",
        "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "minLength", "maxLength", "pattern", "format",
        "items", "minItems", "maxItems", "uniqueItems", "allOf", "anyOf", "oneOf", "not", "$ref",
    ]
    /// Keywords that only annotate or organise, with nothing to check.
    static let annotationKeywords: Set<String> = [
        "$schema", "$id", "$defs", "$comment", "title", "description", "examples", "default", "deprecated",
        "readOnly", "writeOnly",
        // Relance's own annotation: the JSON Pointer to the record key (checked by RecordKeyTests).
        "x-relance-record-key",
        // The values of an open set known at this release (the schema checks a pattern instead
        // of an enum, so that new values do not break readers).
        "x-relance-known-values",
    ]
    /// The `format` values checked as assertions.
    static let assertedFormats: Set<String> = ["date", "date-time", "email"]

    /// Where a schema sits: a loaded document and a JSON Pointer into it.
    struct Location: Sendable, Hashable, CustomStringConvertible {
        let document: String
        let pointer: [String]

        func appending(_ tokens: String...) -> Location {
            Location(document: document, pointer: pointer + tokens)
        }

        var description: String {
            let escaped = pointer.map { $0.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1") }
            return document + "#" + escaped.map { "/" + $0 }.joined()
        }
    }

    /// What a schema says about the structure of a value, for comparing with Swift encodings.
    enum Shape {
        case object(properties: [String: (schema: JSONValue, location: Location)], required: Set<String>)
        case array(items: (schema: JSONValue, location: Location))
        case other
    }

    /// The loaded schema documents, by file name (`common.json`).
    let documents: [String: JSONValue]

    /// A validator over documents already parsed, by file name.
    init(documents: [String: JSONValue]) {
        self.documents = documents
    }

    /// Loads every `.json` file of a folder.
    /// - Throws: when the folder cannot be listed or a file is not JSON.
    init(directory: URL) throws {
        var documents: [String: JSONValue] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: directory.path) where name.hasSuffix(".json") {
            let data = try Data(contentsOf: directory.appendingPathComponent(name))
            documents[name] = try JSONValue(parsing: data)
        }
        self.init(documents: documents)
    }

    /// Validates an instance against the root schema of a loaded document.
    /// - Returns: every violation found; empty when the instance is valid.
    func validate(_ instance: JSONValue, against documentName: String) -> [SchemaViolation] {
        guard let schema = documents[documentName] else {
            return [SchemaViolation(instancePath: "", keyword: "$ref", schemaLocation: documentName, message: "no schema document named \(documentName)")]
        }
        return evaluate(instance, against: schema, at: Location(document: documentName, pointer: []), path: "", depth: 0)
    }

    /// Validates an instance against a schema found at a location (a property's schema, say).
    /// - Returns: every violation found; empty when the instance is valid.
    func validate(_ instance: JSONValue, against schema: JSONValue, at location: Location) -> [SchemaViolation] {
        evaluate(instance, against: schema, at: location, path: "", depth: 0)
    }

    /// Problems that would make validation against a document meaningless: keywords or
    /// formats this validator does not check, and `$ref`s it cannot resolve.
    func unsupportedKeywords(in documentName: String) -> [String] {
        guard let document = documents[documentName] else { return ["no schema document named \(documentName)"] }
        var problems: [String] = []
        func walk(_ schema: JSONValue, _ location: Location) {
            guard case .object(let keywords) = schema else { return }
            for (keyword, value) in keywords {
                let here = location.appending(keyword)
                if !Self.assertionKeywords.contains(keyword) && !Self.annotationKeywords.contains(keyword) {
                    problems.append("\(here): keyword \(keyword) is not supported")
                }
                switch keyword {
                case "properties", "$defs":
                    for (name, subschema) in value.objectValue ?? [:] { walk(subschema, here.appending(name)) }
                case "items", "additionalProperties", "not":
                    walk(value, here)
                case "allOf", "anyOf", "oneOf":
                    for (index, subschema) in (value.arrayValue ?? []).enumerated() { walk(subschema, here.appending(String(index))) }
                case "format":
                    if let format = value.stringValue, !Self.assertedFormats.contains(format) {
                        problems.append("\(here): format \(format) is not checked")
                    }
                case "$ref":
                    if let reference = value.stringValue, resolve(reference, from: location) == nil {
                        problems.append("\(here): \(reference) does not resolve")
                    }
                default:
                    break
                }
            }
        }
        walk(document, Location(document: documentName, pointer: []))
        return problems.sorted()
    }

    /// The structure a schema describes, following `$ref`, merging `allOf` members and taking
    /// the only non-null branch of an `anyOf`/`oneOf`.
    func shape(of schema: JSONValue, at location: Location, depth: Int = 0) -> Shape {
        guard depth < 32, case .object(let keywords) = schema else { return .other }
        if let reference = keywords["$ref"]?.stringValue, case let (target, targetLocation)? = resolve(reference, from: location) {
            return shape(of: target, at: targetLocation, depth: depth + 1)
        }
        if let members = keywords["allOf"]?.arrayValue {
            var properties: [String: (schema: JSONValue, location: Location)] = [:]
            var required: Set<String> = []
            var isObject = false
            for (index, member) in members.enumerated() {
                if case .object(let memberProperties, let memberRequired) = shape(of: member, at: location.appending("allOf", String(index)), depth: depth + 1) {
                    isObject = true
                    properties.merge(memberProperties) { first, _ in first }
                    required.formUnion(memberRequired)
                }
            }
            return isObject ? .object(properties: properties, required: required) : .other
        }
        for combinator in ["anyOf", "oneOf"] {
            if let branches = keywords[combinator]?.arrayValue {
                let nonNull = branches.enumerated().filter { $0.element["type"] != .string("null") }
                guard nonNull.count == 1, let only = nonNull.first else { return .other }
                return shape(of: only.element, at: location.appending(combinator, String(only.offset)), depth: depth + 1)
            }
        }
        if let properties = keywords["properties"]?.objectValue {
            let located = Dictionary(uniqueKeysWithValues: properties.map { name, subschema in
                (name, (schema: subschema, location: location.appending("properties", name)))
            })
            let required = Set((keywords["required"]?.arrayValue ?? []).compactMap(\.stringValue))
            return .object(properties: located, required: required)
        }
        if let items = keywords["items"] {
            return .array(items: (schema: items, location: location.appending("items")))
        }
        return .other
    }

    /// Finds the schema a `$ref` points to.
    /// - Returns: the schema and its location, or nil when the document or pointer is unknown.
    func resolve(_ reference: String, from location: Location) -> (JSONValue, Location)? {
        let parts = reference.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)
        let uri = String(parts[0])
        let fragment = parts.count > 1 ? String(parts[1]) : ""
        let documentName: String
        if uri.isEmpty {
            documentName = location.document
        } else if let byID = documents.first(where: { $0.value["$id"]?.stringValue == uri })?.key {
            documentName = byID
        } else {
            documentName = uri.split(separator: "/").last.map(String.init) ?? uri
        }
        guard var node = documents[documentName] else { return nil }
        guard fragment.isEmpty || fragment.hasPrefix("/") else { return nil } // plain-name anchors are not used
        var pointer: [String] = []
        for token in fragment.split(separator: "/", omittingEmptySubsequences: false).dropFirst() {
            let key = token.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
            switch node {
            case .object(let members):
                guard let next = members[key] else { return nil }
                node = next
            case .array(let items):
                guard let index = Int(key), items.indices.contains(index) else { return nil }
                node = items[index]
            default:
                return nil
            }
            pointer.append(key)
        }
        return (node, Location(document: documentName, pointer: pointer))
    }

    // MARK: - Evaluation

    private func evaluate(_ instance: JSONValue, against schema: JSONValue, at location: Location, path: String, depth: Int) -> [SchemaViolation] {
        func violation(_ keyword: String, _ message: String) -> SchemaViolation {
            SchemaViolation(instancePath: path, keyword: keyword, schemaLocation: location.appending(keyword).description, message: message)
        }
        guard depth < 64 else { return [violation("$ref", "schemas nest deeper than 64 levels; is there a reference cycle?")] }
        let keywords: [String: JSONValue]
        switch schema {
        case .bool(true): return []
        case .bool(false): return [violation("false", "no value is allowed here")]
        case .object(let members): keywords = members
        default: return [violation("schema", "the schema is neither an object nor a boolean")]
        }
        var found: [SchemaViolation] = []

        if let reference = keywords["$ref"]?.stringValue {
            if case let (target, targetLocation)? = resolve(reference, from: location) {
                found += evaluate(instance, against: target, at: targetLocation, path: path, depth: depth + 1)
            } else {
                found.append(violation("$ref", "cannot resolve \(reference)"))
            }
        }
        if let type = keywords["type"] {
            let allowed = type.stringValue.map { [$0] } ?? (type.arrayValue ?? []).compactMap(\.stringValue)
            if instance.schemaTypes.isDisjoint(with: allowed) {
                found.append(violation("type", "expected \(allowed.joined(separator: " or ")), found \(instance)"))
            }
        }
        if let values = keywords["enum"]?.arrayValue, !values.contains(where: { $0.isJSONEqual(to: instance) }) {
            found.append(violation("enum", "\(instance) is not one of \(JSONValue.array(values))"))
        }
        if let value = keywords["const"], !value.isJSONEqual(to: instance) {
            found.append(violation("const", "\(instance) is not \(value)"))
        }
        found += numberViolations(instance, keywords, violation)
        found += stringViolations(instance, keywords, violation)

        if case .array(let items) = instance {
            if let minimum = keywords["minItems"]?.numericValue, Double(items.count) < minimum {
                found.append(violation("minItems", "has \(items.count) items, fewer than \(Int(minimum))"))
            }
            if let maximum = keywords["maxItems"]?.numericValue, Double(items.count) > maximum {
                found.append(violation("maxItems", "has \(items.count) items, more than \(Int(maximum))"))
            }
            if keywords["uniqueItems"] == .bool(true) {
                for (index, item) in items.enumerated() where items[..<index].contains(where: { $0.isJSONEqual(to: item) }) {
                    found.append(violation("uniqueItems", "item \(index) (\(item)) repeats an earlier one"))
                }
            }
            if let itemSchema = keywords["items"] {
                for (index, item) in items.enumerated() {
                    found += evaluate(item, against: itemSchema, at: location.appending("items"), path: path + "/\(index)", depth: depth + 1)
                }
            }
        }

        if case .object(let members) = instance {
            for name in (keywords["required"]?.arrayValue ?? []).compactMap(\.stringValue) where members[name] == nil {
                found.append(violation("required", "required property \(name) is missing"))
            }
            let properties = keywords["properties"]?.objectValue ?? [:]
            for (name, value) in members.sorted(by: { $0.key < $1.key }) {
                let memberPath = path + "/" + name.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1")
                if let propertySchema = properties[name] {
                    found += evaluate(value, against: propertySchema, at: location.appending("properties", name), path: memberPath, depth: depth + 1)
                } else if let additional = keywords["additionalProperties"] {
                    if additional == .bool(false) {
                        found.append(SchemaViolation(instancePath: memberPath, keyword: "additionalProperties",
                                                     schemaLocation: location.appending("additionalProperties").description,
                                                     message: "property \(name) is not allowed"))
                    } else {
                        found += evaluate(value, against: additional, at: location.appending("additionalProperties"), path: memberPath, depth: depth + 1)
                    }
                }
            }
        }

        for (index, member) in (keywords["allOf"]?.arrayValue ?? []).enumerated() {
            found += evaluate(instance, against: member, at: location.appending("allOf", String(index)), path: path, depth: depth + 1)
        }
        if let branches = keywords["anyOf"]?.arrayValue {
            let results = branches.enumerated().map {
                evaluate(instance, against: $1, at: location.appending("anyOf", String($0)), path: path, depth: depth + 1)
            }
            if !results.contains(where: \.isEmpty) {
                let reasons = results.compactMap(\.first?.message).joined(separator: "; ")
                found.append(violation("anyOf", "matches none of the \(branches.count) alternatives (\(reasons))"))
            }
        }
        if let branches = keywords["oneOf"]?.arrayValue {
            let matching = branches.enumerated().filter {
                evaluate(instance, against: $1, at: location.appending("oneOf", String($0)), path: path, depth: depth + 1).isEmpty
            }.count
            if matching != 1 {
                found.append(violation("oneOf", "matches \(matching) of the \(branches.count) alternatives instead of exactly one"))
            }
        }
        if let negated = keywords["not"],
           evaluate(instance, against: negated, at: location.appending("not"), path: path, depth: depth + 1).isEmpty {
            found.append(violation("not", "matches a schema it must not match"))
        }
        return found
    }

    private func numberViolations(
        _ instance: JSONValue, _ keywords: [String: JSONValue], _ violation: (String, String) -> SchemaViolation
    ) -> [SchemaViolation] {
        guard instance.numericValue != nil else { return [] }
        var found: [SchemaViolation] = []
        let checks: [(keyword: String, fails: (Int) -> Bool, relation: String)] = [
            ("minimum", { $0 < 0 }, "less than"),
            ("maximum", { $0 > 0 }, "more than"),
            ("exclusiveMinimum", { $0 <= 0 }, "not more than"),
            ("exclusiveMaximum", { $0 >= 0 }, "not less than"),
        ]
        for check in checks {
            if let bound = keywords[check.keyword], let order = Self.compare(instance, bound), check.fails(order) {
                found.append(violation(check.keyword, "\(instance) is \(check.relation) \(bound)"))
            }
        }
        return found
    }

    private func stringViolations(
        _ instance: JSONValue, _ keywords: [String: JSONValue], _ violation: (String, String) -> SchemaViolation
    ) -> [SchemaViolation] {
        guard case .string(let text) = instance else { return [] }
        var found: [SchemaViolation] = []
        let length = text.unicodeScalars.count
        if let minimum = keywords["minLength"]?.numericValue, Double(length) < minimum {
            found.append(violation("minLength", "\(instance) is shorter than \(Int(minimum)) characters"))
        }
        if let maximum = keywords["maxLength"]?.numericValue, Double(length) > maximum {
            found.append(violation("maxLength", "\(instance) is longer than \(Int(maximum)) characters"))
        }
        if let pattern = keywords["pattern"]?.stringValue {
            if let regex = try? NSRegularExpression(pattern: pattern) {
                if regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) == nil {
                    found.append(violation("pattern", "\(instance) does not match \(pattern)"))
                }
            } else {
                found.append(violation("pattern", "\(pattern) is not a valid regular expression"))
            }
        }
        if let format = keywords["format"]?.stringValue, let problem = Self.formatProblem(text, format: format) {
            found.append(violation("format", "\(instance) is not a valid \(format): \(problem)"))
        }
        return found
    }

    /// -1, 0 or 1 as `left` is less than, equal to or more than `right`; exact for 64-bit integers.
    private static func compare(_ left: JSONValue, _ right: JSONValue) -> Int? {
        if case .integer(let a) = left, case .integer(let b) = right { return a < b ? -1 : (a == b ? 0 : 1) }
        guard let a = left.numericValue, let b = right.numericValue else { return nil }
        return a < b ? -1 : (a == b ? 0 : 1)
    }

    /// Why a string is not of a format, or nil when it is.
    private static func formatProblem(_ text: String, format: String) -> String? {
        switch format {
        case "date":
            // RFC 3339 full-date; `CalendarDate` also refuses days that do not exist.
            do {
                _ = try CalendarDate(iso8601: text)
                return nil
            } catch {
                return error.reason
            }
        case "date-time":
            let pattern = #"^([0-9]{4}-[0-9]{2}-[0-9]{2})[Tt]([01][0-9]|2[0-3]):[0-5][0-9]:([0-5][0-9]|60)(\.[0-9]+)?([Zz]|[+-]([01][0-9]|2[0-3]):[0-5][0-9])$"#
            guard text.range(of: pattern, options: .regularExpression) != nil else { return "not an RFC 3339 date-time" }
            return formatProblem(String(text.prefix(10)), format: "date")
        case "email":
            let parts = text.split(separator: "@", omittingEmptySubsequences: false)
            guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty, !text.contains(where: \.isWhitespace) else {
                return "not local@domain"
            }
            return nil
        default:
            return "format \(format) is not supported by this validator"
        }
    }
}
