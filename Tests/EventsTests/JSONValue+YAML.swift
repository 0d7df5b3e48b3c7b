import Foundation
import Yams

extension JSONValue {
    /// Reads a YAML document (`docs/events/asyncapi.yaml`) with Yams into the JSON data model,
    /// so the AsyncAPI document is navigated like the schemas.
    ///
    /// Scalars keep the type YAML's core schema resolves them to (`6` is an integer, `'1.0'`
    /// a string, `true` a boolean); mapping keys must be strings.
    /// - Throws: `YamlError` for malformed YAML, ``YAMLConversionError`` for a document the
    ///   JSON data model cannot hold (no document, a non-string key, an alias).
    init(yaml text: String) throws {
        guard let node = try Yams.compose(yaml: text) else { throw YAMLConversionError(path: "", reason: "the document is empty") }
        self = try JSONValue(yaml: node, path: "")
    }

    private init(yaml node: Node, path: String) throws {
        switch node {
        case .scalar(let scalar):
            switch Tag.Name(rawValue: node.tag.rawValue) {
            case .null:
                self = .null
            case .bool:
                guard let value = node.bool else { throw YAMLConversionError(path: path, reason: "unreadable boolean \(scalar.string)") }
                self = .bool(value)
            case .int:
                guard let value = node.int else { throw YAMLConversionError(path: path, reason: "unreadable integer \(scalar.string)") }
                self = .integer(Int64(value))
            case .float:
                guard let value = node.float else { throw YAMLConversionError(path: path, reason: "unreadable number \(scalar.string)") }
                self = .number(value)
            default:
                self = .string(scalar.string)
            }
        case .mapping(let mapping):
            var members: [String: JSONValue] = [:]
            for (key, value) in mapping {
                guard case .scalar(let name) = key else { throw YAMLConversionError(path: path, reason: "a mapping key is not a scalar") }
                members[name.string] = try JSONValue(yaml: value, path: path + "/" + name.string)
            }
            self = .object(members)
        case .sequence(let sequence):
            self = .array(try sequence.enumerated().map { try JSONValue(yaml: $1, path: path + "/\($0)") })
        case .alias:
            throw YAMLConversionError(path: path, reason: "aliases are not used in the contract documents")
        }
    }

    /// The value at a JSON Pointer (RFC 6901, `/customer/customerId`), or nil.
    func value(atPointer pointer: String) -> JSONValue? {
        guard pointer.hasPrefix("/") else { return pointer.isEmpty ? self : nil }
        var value: JSONValue? = self
        for rawToken in pointer.dropFirst().split(separator: "/", omittingEmptySubsequences: false) {
            let token = rawToken.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
            switch value {
            case .object(let members)?: value = members[token]
            case .array(let items)?: value = Int(token).flatMap { items.indices.contains($0) ? items[$0] : nil }
            default: return nil
            }
        }
        return value
    }
}

/// A YAML document that does not fit the JSON data model.
struct YAMLConversionError: Error, CustomStringConvertible {
    /// Where in the document, as a JSON Pointer.
    let path: String
    let reason: String

    var description: String { "YAML at \(path.isEmpty ? "/" : path): \(reason)" }
}
