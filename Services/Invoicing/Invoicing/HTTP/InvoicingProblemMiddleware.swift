import Hummingbird
import ServiceKit

/// Renders the invoicing errors escaping a route as problems with their domain `code` and
/// field: ``InvoicingError`` by its code, and `DecodingError`s by what failed (a value that
/// failed validation keeps its domain code and full JSON path).
///
/// Sits inside the routes' group, below ``IdempotencyMiddleware``, so that the idempotency
/// layer sees the final client error and can store it; the service-wide `ProblemMiddleware`
/// would otherwise turn these into a generic 400 or 500.
struct InvoicingProblemMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as InvoicingError {
            throw Problem(error)
        } catch let error as DecodingError {
            throw Problem(error)
        }
    }
}
