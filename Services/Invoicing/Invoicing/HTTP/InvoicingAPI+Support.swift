import Events
import Foundation
import HTTPTypes
import Hummingbird
import ServiceKit

extension InvoicingAPI {
    /// Decodes a JSON body of at most `context.maxUploadSize` bytes (1 MiB; larger is 413).
    /// - Parameter empty: The value for an empty body; `nil` makes an empty body a 400.
    /// - Throws: `DecodingError` (rendered by ``InvoicingProblemMiddleware``), `Problem`,
    ///   or Hummingbird's too-many-bytes error (413).
    static func decode<Body: Decodable>(
        _ type: Body.Type, from request: Request, context: RelanceRequestContext, empty: Body? = nil
    ) async throws -> Body {
        let buffer = try await request.body.collect(upTo: context.maxUploadSize)
        guard buffer.readableBytes > 0 else {
            if let empty { return empty }
            throw Problem.validation("the body is empty; send a JSON object", code: "malformedBody", field: "body")
        }
        let decoder = EventJSON.decoder
        let bytes = Data(buffer.readableBytesView)
        return try decoder.decode(Body.self, from: bytes)
    }

    /// A JSON response with Relance's conventions.
    static func json<Body: Encodable>(
        _ value: Body, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:], context: RelanceRequestContext
    ) throws -> Response {
        let data = try context.responseEncoder.encode(value)
        var headers = headers
        headers[.contentType] = "application/json"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// A non-empty query parameter (`?q=` counts as absent).
    static func query(_ name: String, _ request: Request) -> String? {
        guard let value = request.uri.queryParameters.get(name), !value.isEmpty else { return nil }
        return value
    }

    /// `limit` (1...500, default 50) and `cursor` (as returned in `nextCursor`).
    /// - Throws: `Problem` 400 naming the parameter.
    static func pageRequest(_ request: Request) throws -> PageRequest {
        var limit = 50
        if let text = query("limit", request) {
            guard let value = Int(text), (1...500).contains(value) else {
                throw badParameter("limit", "'\(text)' is not a page size; give a whole number from 1 to 500")
            }
            limit = value
        }
        let page = PageRequest(cursor: query("cursor", request), limit: limit)
        do throws(InvoicingError) {
            _ = try page.decodedCursor()
        } catch {
            throw badParameter("cursor", error.reason)
        }
        return page
    }

    /// An optional `YYYY-MM-DD` query parameter.
    /// - Throws: `Problem` 400 naming the parameter.
    static func dateParameter(_ name: String, _ request: Request) throws -> CalendarDate? {
        guard let text = query(name, request) else { return nil }
        do {
            return try CalendarDate(iso8601: text)
        } catch {
            throw badParameter(name, "'\(text)' is not a date; write it as YYYY-MM-DD")
        }
    }

    /// 400 for a query parameter, with the parameter as the field.
    static func badParameter(_ name: String, _ reason: String) -> Problem {
        Problem(status: .badRequest, type: "invalid-parameter", title: "A query parameter is invalid",
                detail: "\(name): \(reason)", code: "invalidParameter", errors: [.init(field: name, reason: reason)])
    }

    /// A required text field of an action body, trimmed.
    /// - Throws: `InvoicingError` `.missingField` when absent or blank.
    static func requiredText(_ value: String?, field: String, _ what: String) throws(InvoicingError) -> String {
        let trimmed = value?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        guard !trimmed.isEmpty else { throw InvoicingError(.missingField, what, field: field) }
        return trimmed
    }
}
