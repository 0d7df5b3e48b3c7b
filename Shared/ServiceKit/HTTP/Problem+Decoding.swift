import Foundation

extension Problem {
    /// The problem for a body that could not be decoded: what `domain` makes of a value that
    /// failed its own validation (an e-mail, a time zone, an amount: the service's error, with
    /// the full JSON path as field), else 400 `malformedBody` naming the JSON path (not JSON,
    /// missing key, wrong type, unknown enum value).
    /// - Parameter domain: The problem for a service error thrown while decoding the value at
    ///   `field` (nil when it is the body itself); nil when the error is not the service's.
    public init(decoding error: DecodingError, domain: (any Error, String?) -> Problem?) {
        let context: DecodingError.Context
        var path: [any CodingKey]
        let reason: String
        switch error {
        case .dataCorrupted(let found):
            context = found
            path = found.codingPath
            if found.codingPath.isEmpty, let underlying = found.underlyingError, domain(underlying, nil) == nil {
                self = .validation("the body is not valid JSON (\(underlying.localizedDescription))", code: "malformedBody", field: "body")
                return
            }
            reason = found.debugDescription
        case .keyNotFound(let key, let found):
            context = found
            path = found.codingPath + [key]
            reason = "is required"
        case .typeMismatch(let type, let found):
            context = found
            path = found.codingPath
            reason = "should be of type \(Self.jsonTypeName(type))"
        case .valueNotFound(let type, let found):
            context = found
            path = found.codingPath
            reason = "should be \(Self.jsonTypeName(type)), not null"
        @unknown default:
            self = .validation("the body is invalid", code: "malformedBody")
            return
        }
        let field = Self.fieldPath(path)
        if let underlying = context.underlyingError, let problem = domain(underlying, field.isEmpty ? nil : field) {
            self = problem
            return
        }
        let name = field.isEmpty ? "body" : field
        self = .validation("\(name): \(reason)", code: "malformedBody", field: name)
    }

    /// `contacts[0].email` from a coding path.
    public static func fieldPath(_ path: [any CodingKey]) -> String {
        var text = ""
        for key in path {
            if let index = key.intValue {
                text += "[\(index)]"
            } else {
                text += text.isEmpty ? key.stringValue : ".\(key.stringValue)"
            }
        }
        return text
    }

    private static func jsonTypeName(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Bool.Type: "a boolean"
        case is Int.Type, is Int64.Type, is Int32.Type: "an integer"
        case is Double.Type, is Float.Type: "a number"
        default:
            String(describing: type).hasPrefix("Array") ? "an array" : "an object"
        }
    }
}
