import Foundation
import HTTPTypes
import Hummingbird
import Logging

/// Turns every error escaping a route into an RFC 9457 problem response: decoding errors
/// become 400, Hummingbird's HTTP errors keep their status, anything else is a 500 whose
/// details stay in the log (never in the response).
public struct ProblemMiddleware<Context: RequestContext>: RouterMiddleware {
    public init() {}

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let problem as Problem {
            throw problem
        } catch let error as DecodingError {
            throw Problem.validation(Self.describe(error), code: "malformedBody")
        } catch let error as HTTPError {
            throw Problem(
                status: error.status, type: "http-\(error.status.code)", title: error.status.reasonPhrase,
                detail: error.body ?? Self.hint(for: error.status))
        } catch let error as any HTTPResponseError {
            throw Problem(status: error.status, type: "http-\(error.status.code)", title: error.status.reasonPhrase,
                          detail: Self.hint(for: error.status))
        } catch {
            context.logger.error("request failed", metadata: ["relance.error": "\(error)"])
            throw Problem(status: .internalServerError, type: "internal", title: "Internal error",
                          detail: "The request could not be completed; it is safe to retry with the same Idempotency-Key.")
        }
    }

    private static func hint(for status: HTTPResponse.Status) -> String? {
        switch status {
        case .contentTooLarge: "The body is too large (JSON bodies are limited to 1 MiB; import large files as CSV)."
        case .notFound: "No such resource or route."
        case .methodNotAllowed: "This route does not accept that method."
        default: nil
        }
    }

    static func describe(_ error: DecodingError) -> String {
        func path(_ context: DecodingError.Context) -> String {
            let keys = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }
            return keys.isEmpty ? "body" : keys.joined(separator: ".")
        }
        switch error {
        case .dataCorrupted(let context):
            if let underlying = context.underlyingError, context.codingPath.isEmpty {
                return "the body is not valid JSON (\(underlying.localizedDescription))"
            }
            return "\(path(context)): \(context.debugDescription)"
        case .keyNotFound(let key, let context):
            let parent = path(context)
            return "\(parent == "body" ? "" : parent + ".")\(key.stringValue) is required"
        case .typeMismatch(let type, let context):
            return "\(path(context)) should be of type \(type)"
        case .valueNotFound(let type, let context):
            return "\(path(context)) should be a \(type), not null"
        @unknown default:
            return "the body is invalid"
        }
    }
}
