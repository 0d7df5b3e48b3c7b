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

    /// A free-text query parameter (`q`, `segment`, `tag`, `customerId`); empty (`?q=`)
    /// counts as absent.
    static func query(_ name: String, _ request: Request) -> String? {
        guard let value = request.uri.queryParameters.get(name), !value.isEmpty else { return nil }
        return value
    }

    /// A query parameter with a format (a number, a date, an enumeration): present but empty
    /// is returned as `""` so that it is refused like any other malformed value, as the OpenAPI
    /// document says.
    static func formattedQuery(_ name: String, _ request: Request) -> String? {
        request.uri.queryParameters.get(name)
    }

    /// `limit` (1...500, default 50) and `cursor` (as returned in `nextCursor`; empty counts
    /// as absent).
    /// - Throws: `Problem` 400 naming the parameter.
    static func pageRequest(_ request: Request) throws -> PageRequest {
        var limit = 50
        if let text = formattedQuery("limit", request) {
            guard let value = Int(text), (1...500).contains(value) else {
                throw badParameter("limit", "'\(text)' is not a page size; give a whole number from 1 to 500")
            }
            limit = value
        }
        let cursor = query("cursor", request)
        if let cursor, !isCursor(cursor) {
            throw badParameter("cursor", "the cursor is not one this API returned; start again without it")
        }
        let page = PageRequest(cursor: cursor, limit: limit)
        do throws(InvoicingError) {
            _ = try page.decodedCursor()
        } catch {
            throw badParameter("cursor", error.reason)
        }
        return page
    }

    /// Whether `text` has the form of the cursors this API hands out: unpadded base64url
    /// (`[A-Za-z0-9_-]`, a length that is not 1 more than a multiple of 4). The OpenAPI
    /// document's `Cursor` pattern says the same.
    static func isCursor(_ text: String) -> Bool {
        text.utf8.count % 4 != 1 && text.utf8.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"): true
            default: false
            }
        }
    }

    /// An optional `YYYY-MM-DD` query parameter; present but empty is refused.
    /// - Throws: `Problem` 400 naming the parameter.
    static func dateParameter(_ name: String, _ request: Request) throws -> CalendarDate? {
        guard let text = formattedQuery(name, request) else { return nil }
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
    /// - Throws: `InvoicingError` `.limitExceeded` when longer than `maximumLength` (as
    ///   given), `.missingField` when absent or blank.
    static func requiredText(_ value: String?, field: String, maximumLength: Int, _ what: String) throws(InvoicingError) -> String {
        guard let trimmed = try optionalText(value, field: field, maximumLength: maximumLength, field) else {
            throw InvoicingError(.missingField, what, field: field)
        }
        return trimmed
    }

    /// An optional text field of an action body, trimmed; blank is `nil`.
    /// - Throws: `InvoicingError` `.limitExceeded` when longer than `maximumLength` (as given).
    static func optionalText(_ value: String?, field: String, maximumLength: Int, _ what: String) throws(InvoicingError) -> String? {
        guard let value else { return nil }
        try InputLimits.check(value, atMost: maximumLength, field: field, what)
        let trimmed = TextNormalisation.trimmed(value)
        return trimmed.isEmpty ? nil : trimmed
    }
}
