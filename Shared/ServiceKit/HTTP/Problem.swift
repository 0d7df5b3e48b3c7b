import Events
import Foundation
import HTTPTypes
import Hummingbird

/// An RFC 9457 problem: what went wrong with a request, rendered as `application/problem+json`.
public struct Problem: Error, HTTPResponseError, Sendable, Codable, Equatable {
    /// One invalid field of the request.
    public struct FieldError: Sendable, Codable, Equatable {
        public var field: String
        public var reason: String

        public init(field: String, reason: String) {
            self.field = field
            self.reason = reason
        }
    }

    /// A URI naming the problem type, e.g. `https://relance.dev/problems/validation`.
    public var type: String
    /// A short summary of the type.
    public var title: String
    /// The HTTP status code.
    public var statusCode: Int
    /// This occurrence, in words that say what to do.
    public var detail: String?
    /// Machine-readable code, e.g. `dueBeforeIssue`.
    public var code: String?
    /// Field-level errors.
    public var errors: [FieldError]?

    enum CodingKeys: String, CodingKey {
        case type, title, statusCode = "status", detail, code, errors
    }

    public init(
        status: HTTPResponse.Status, type: String, title: String, detail: String? = nil,
        code: String? = nil, errors: [FieldError]? = nil
    ) {
        self.type = "https://relance.dev/problems/\(type)"
        self.title = title
        self.statusCode = status.code
        self.detail = detail
        self.code = code
        self.errors = errors
    }

    public var status: HTTPResponse.Status { .init(code: statusCode) }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        let body = (try? EventJSON.encode(self)) ?? Data("{}".utf8)
        return Response(
            status: status,
            headers: [.contentType: "application/problem+json"],
            body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }

    /// 400 with a validation problem.
    public static func validation(_ detail: String, code: String? = nil, field: String? = nil) -> Problem {
        Problem(
            status: .badRequest, type: "validation", title: "The request is invalid", detail: detail, code: code,
            errors: field.map { [FieldError(field: $0, reason: detail)] })
    }

    /// 404 for an unknown resource.
    public static func notFound(_ detail: String) -> Problem {
        Problem(status: .notFound, type: "not-found", title: "Not found", detail: detail)
    }

    /// 409 for a conflict with the current state (duplicate number, cancelling a paid invoice).
    public static func conflict(_ detail: String, code: String? = nil) -> Problem {
        Problem(status: .conflict, type: "conflict", title: "Conflict with the current state", detail: detail, code: code)
    }
}
