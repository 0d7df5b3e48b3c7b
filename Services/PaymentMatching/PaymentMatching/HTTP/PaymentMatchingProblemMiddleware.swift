import Hummingbird
import Money
import ServiceKit

/// Renders the errors escaping a route as problems: ``PaymentMatchingError`` by its code, a
/// body that cannot be decoded by what failed, a bad cursor as a 400 on `cursor`.
struct PaymentMatchingProblemMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as PaymentMatchingError {
            throw Problem(error)
        } catch let error as DecodingError {
            throw Problem(decoding: error) { underlying, field in
                if let domain = underlying as? PaymentMatchingError { return Problem(domain, field: field) }
                if let money = underlying as? MoneyError {
                    return Problem(PaymentMatchingError(.invalidField, money.reason), field: field)
                }
                return nil
            }
        } catch let error as PageRequest.InvalidCursor {
            throw APISupport.badParameter("cursor", error.description)
        }
    }
}

extension Problem {
    /// The problem a client sees for a ``PaymentMatchingError``.
    ///
    /// | code | status |
    /// |---|---|
    /// | `notFound` | 404 for the resource of the URL; 422 when the body names something unknown (with `field`) |
    /// | `invalidState` | 409 |
    /// | `unreadableStatement` | 400, `errors[0].field` is the location in the file |
    /// | `invalidField`, `amountExceeded`, `currencyMismatch` | 422 |
    init(_ error: PaymentMatchingError, field: String? = nil) {
        let field = field ?? error.field
        let errors = field.map { [FieldError(field: $0, reason: error.reason)] }
        let code = error.code.rawValue
        switch error.code {
        case .notFound where field == nil:
            self.init(status: .notFound, type: "not-found", title: "Not found", detail: error.reason, code: code)
        case .notFound:
            self.init(status: .unprocessableContent, type: "unknown-reference", title: "The request refers to something unknown",
                      detail: error.reason, code: code, errors: errors)
        case .invalidState:
            self.init(status: .conflict, type: "conflict", title: "Conflict with the current state",
                      detail: error.reason, code: code, errors: errors)
        case .unreadableStatement:
            self.init(status: .badRequest, type: "invalid-file", title: "The bank file cannot be imported",
                      detail: field.map { "\($0): \(error.reason)" } ?? error.reason, code: code, errors: errors)
        case .invalidField, .amountExceeded, .currencyMismatch:
            self.init(status: .unprocessableContent, type: "validation", title: "The request is invalid",
                      detail: error.reason, code: code, errors: errors)
        }
    }
}
