import Events
import Foundation
import HTTPTypes
import Hummingbird

/// What every Relance HTTP API does the same way: JSON bodies and responses with Relance's
/// conventions, query parameters, pages, and the 400 problem for a bad parameter.
public enum APISupport {
    /// Decodes a JSON body of at most `context.maxUploadSize` bytes (1 MiB; larger is 413).
    /// - Parameter empty: The value for an empty body; `nil` makes an empty body a 400.
    /// - Throws: `DecodingError` (for the service's problem middleware to render), `Problem`,
    ///   or Hummingbird's too-many-bytes error (413).
    public static func decode<Body: Decodable>(
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
    public static func json<Body: Encodable>(
        _ value: Body, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:], context: RelanceRequestContext
    ) throws -> Response {
        let data = try context.responseEncoder.encode(value)
        var headers = headers
        headers[.contentType] = "application/json"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// A free-text query parameter; empty (`?q=`)
    /// counts as absent.
    public static func query(_ name: String, _ request: Request) -> String? {
        guard let value = request.uri.queryParameters.get(name), !value.isEmpty else { return nil }
        return value
    }

    /// A query parameter with a format (a number, a date, an enumeration): present but empty
    /// is returned as `""` so that it is refused like any other malformed value, as the OpenAPI
    /// document says.
    public static func formattedQuery(_ name: String, _ request: Request) -> String? {
        request.uri.queryParameters.get(name)
    }

    /// `limit` (1...500, default 50) and `cursor` (as returned in `nextCursor`; empty counts
    /// as absent).
    /// - Throws: `Problem` 400 naming the parameter.
    public static func pageRequest(_ request: Request) throws -> PageRequest {
        var limit = 50
        if let text = formattedQuery("limit", request) {
            guard let value = Int(text), (1...500).contains(value) else {
                throw badParameter("limit", "'\(text)' is not a page size; give a whole number from 1 to 500")
            }
            limit = value
        }
        let cursor = query("cursor", request)
        let page = PageRequest(cursor: cursor, limit: limit)
        do throws(PageRequest.InvalidCursor) {
            _ = try page.decodedCursor()
        } catch {
            throw badParameter("cursor", error.description)
        }
        return page
    }

    /// An optional `YYYY-MM-DD` query parameter; present but empty is refused.
    /// - Throws: `Problem` 400 naming the parameter.
    public static func dateParameter(_ name: String, _ request: Request) throws -> CalendarDate? {
        guard let text = formattedQuery(name, request) else { return nil }
        do {
            return try CalendarDate(iso8601: text)
        } catch {
            throw badParameter(name, "'\(text)' is not a date; write it as YYYY-MM-DD")
        }
    }

    /// An enumeration query parameter: `nil` when absent, else exactly one of the values'
    /// raw names, as the OpenAPI document lists them.
    /// - Parameters:
    ///   - name: The parameter.
    ///   - what: What a value is, for the error (`"an invoice status"`).
    /// - Throws: `Problem` 400 naming the parameter and the allowed values.
    public static func enumQuery<Value: RawRepresentable & CaseIterable>(
        _ name: String, _ request: Request, as what: String
    ) throws -> Value? where Value.RawValue == String {
        guard let text = formattedQuery(name, request) else { return nil }
        guard let value = Value(rawValue: text) else {
            let allowed = Value.allCases.map(\.rawValue).joined(separator: ", ")
            throw badParameter(name, "'\(text)' is not \(what); use one of \(allowed)")
        }
        return value
    }

    /// 400 for a query parameter, with the parameter as the field.
    public static func badParameter(_ name: String, _ reason: String) -> Problem {
        Problem(status: .badRequest, type: "invalid-parameter", title: "A query parameter is invalid",
                detail: "\(name): \(reason)", code: "invalidParameter", errors: [.init(field: name, reason: reason)])
    }


    /// Streams a request body to a new temporary file, chunk by chunk (never whole in memory).
    /// The caller deletes the file.
    /// - Returns: the file and its size in bytes.
    /// - Throws: `Problem` 413 (`importTooLarge`) beyond `maximumSize` (declared or streamed;
    ///   the partial file is deleted), ``UploadSpoolError`` when the file cannot be written.
    public static func spool(
        _ request: Request, maximumSize: Int64, into directory: URL, fileExtension: String
    ) async throws -> (url: URL, size: Int64) {
        if let declared = request.headers[.contentLength].flatMap(Int64.init), declared > maximumSize {
            throw uploadTooLarge(maximumSize)
        }
        let url = directory.appendingPathComponent("relance-upload-\(UUID().uuidString.lowercased()).\(fileExtension)")
        guard FileManager.default.createFile(atPath: url.path, contents: nil) else {
            throw UploadSpoolError(description: "cannot create the temporary file \(url.path) for an upload; check the temporary directory")
        }
        var size: Int64 = 0
        do {
            let handle = try FileHandle(forWritingTo: url)
            do {
                for try await buffer in request.body {
                    size += Int64(buffer.readableBytes)
                    guard size <= maximumSize else { throw uploadTooLarge(maximumSize) }
                    try handle.write(contentsOf: buffer.readableBytesView)
                }
                try handle.close()
            } catch {
                try? handle.close()
                throw error
            }
        } catch {
            try? FileManager.default.removeItem(at: url)
            throw error
        }
        return (url, size)
    }

    /// 413 for an upload beyond the limit.
    public static func uploadTooLarge(_ maximum: Int64) -> Problem {
        Problem(status: .contentTooLarge, type: "import-too-large", title: "The file is too large",
                detail: "imports are limited to \(maximum) bytes; split the file", code: "importTooLarge")
    }
}

/// An upload could not be written to the temporary directory: a server problem (500).
public struct UploadSpoolError: Error, CustomStringConvertible, Sendable {
    public let description: String
}
