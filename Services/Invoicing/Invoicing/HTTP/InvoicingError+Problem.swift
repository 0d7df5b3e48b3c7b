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
    /// | `duplicateNumber`, `invalidState`, `creditLimitExceeded` | 409 |
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
        case .duplicateNumber, .invalidState, .creditLimitExceeded:
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
    /// the JSON path otherwise (see `Problem.init(decoding:domain:)`).
    init(_ error: DecodingError) {
        self.init(decoding: error) { underlying, field in
            if let invoicing = underlying as? InvoicingError { return Problem(invoicing, field: field) }
            if let money = underlying as? MoneyError { return Problem(InvoicingError(money), field: field) }
            return nil
        }
    }
}
