import Foundation
import Hummingbird
import Money
import ServiceKit

/// Renders the errors escaping a route as problems: ``SchedulerError`` by its case, scenario
/// validation with every problem, undecodable bodies by what failed, a bad cursor as 400.
struct SchedulerProblemMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as SchedulerError {
            throw Problem(error)
        } catch let error as ScenarioValidationError {
            throw Problem(status: .unprocessableContent, type: "validation", title: "The scenario is invalid", detail: error.description,
                          code: "invalidScenario", errors: error.problems.map { .init(field: $0.path, reason: $0.message) })
        } catch let error as ScenarioCatalogError {
            throw Problem(status: .unprocessableContent, type: "validation", title: "The scenario is invalid", detail: error.description,
                          code: error.code.rawValue, errors: error.validation?.problems.map { .init(field: $0.path, reason: $0.message) })
        } catch let error as DecodingError {
            throw Problem(decoding: error) { underlying, field in
                if let money = underlying as? MoneyError { return Problem(SchedulerError.invalid(money.reason), field: field) }
                return nil
            }
        } catch let error as PageRequest.InvalidCursor {
            throw APISupport.badParameter("cursor", error.description)
        }
    }
}

extension Problem {
    /// | case | status |
    /// |---|---|
    /// | `notFound` | 404 |
    /// | `conflict`, `clockNotAdjustable` | 409 |
    /// | `invalid` | 422 |
    ///
    /// An `invalid` reason written "field: what is wrong" names its field in `errors` when no
    /// field is given.
    init(_ error: SchedulerError, field: String? = nil) {
        var field = field
        if field == nil, case .invalid(let reason) = error, let colon = reason.range(of: ": ") {
            let head = reason[..<colon.lowerBound]
            if let first = head.unicodeScalars.first, ("a"..."z").contains(first),
               head.unicodeScalars.allSatisfy({ ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || ".[]".unicodeScalars.contains($0) }) {
                field = String(head)
            }
        }
        let errors = field.map { [FieldError(field: $0, reason: error.description)] }
        switch error {
        case .notFound:
            self.init(status: .notFound, type: "not-found", title: "Not found", detail: error.description, code: "notFound")
        case .conflict:
            self.init(status: .conflict, type: "conflict", title: "Conflict with the current state", detail: error.description, code: "conflict")
        case .clockNotAdjustable:
            self.init(status: .conflict, type: "conflict", title: "The clock cannot be moved", detail: error.description, code: "clockNotAdjustable")
        case .invalid:
            self.init(status: .unprocessableContent, type: "validation", title: "The request is invalid", detail: error.description,
                      code: "invalid", errors: errors)
        }
    }
}
