import Foundation
import HTTPTypes
import Money
import ServiceKit

extension Problem {
    /// The problem a client sees for an ``InvoicingError``, with `code` set to the error's
    /// code and `errors` naming the field when there is one.
    ///
    /// | code | status |
    /// |---|---|
    /// | `notFound` | 404 for the resource of the URL; 422 when the body names something unknown (`customerNumber`) |
    /// | `duplicateNumber`, `invalidState` | 409 |
    /// | `malformedCSV`, `missingColumn`, `unreadableInput` | 400 |
    /// | every other (validation) code | 422 |
    ///
    /// - Parameters:
    ///   - error: The store or domain error.
    ///   - field: The field to report instead of the error's own (the full JSON path of a
    ///     value that failed while decoding, `contacts[0].email`).
    init(_ error: InvoicingError, field: String? = nil) {
        let field = field ?? error.field
        let errors = field.map { [FieldError(field: $0, reason: error.reason)] }
        let code = error.code.rawValue
        switch error.code {
        case .notFound where error.field == nil:
            self.init(status: .notFound, type: "not-found", title: "Not found", detail: error.reason, code: code)
        case .notFound:
            // The URL exists; what the body refers to does not. A 404 would tell the client
            // the route itself is missing.
            self.init(status: .unprocessableContent, type: "unknown-reference", title: "The request refers to something unknown",
                      detail: error.reason, code: code, errors: errors)
        case .duplicateNumber, .invalidState:
            self.init(status: .conflict, type: "conflict", title: "Conflict with the current state",
                      detail: error.reason, code: code, errors: errors)
        case .malformedCSV, .missingColumn, .unreadableInput:
            self.init(status: .badRequest, type: "invalid-file", title: "The uploaded file cannot be imported",
                      detail: error.reason, code: code, errors: errors)
        default:
            self.init(status: .unprocessableContent, type: "validation", title: "The request is invalid",
                      detail: error.reason, code: code, errors: errors)
        }
    }

    /// The problem for a body that could not be decoded: 422 with the domain code when a value
    /// failed its validation (an e-mail, a time zone, a quantity), 400 `malformedBody` naming
    /// the JSON path otherwise (not JSON, missing key, wrong type, unknown enum value).
    init(_ error: DecodingError) {
        let context: DecodingError.Context
        var path: [any CodingKey]
        let reason: String
        switch error {
        case .dataCorrupted(let found):
            context = found
            path = found.codingPath
            if found.codingPath.isEmpty, let underlying = found.underlyingError, !(underlying is InvoicingError) {
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
        if let invoicing = context.underlyingError as? InvoicingError {
            self.init(invoicing, field: field.isEmpty ? nil : field)
            return
        }
        if let money = context.underlyingError as? MoneyError {
            self.init(InvoicingError(money), field: field.isEmpty ? nil : field)
            return
        }
        let name = field.isEmpty ? "body" : field
        self = .validation("\(name): \(reason)", code: "malformedBody", field: name)
    }

    /// `contacts[0].email` from a coding path.
    static func fieldPath(_ path: [any CodingKey]) -> String {
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
