import Foundation
import GRDB
import HTTPTypes
import Hummingbird
import Logging
import Storage

/// Makes `POST` requests carrying an `Idempotency-Key` header safe to retry.
///
/// The first request with a key runs and its response (any status below 500) is stored with a
/// hash of the request (method, path, body). A retry with the same key and the same request
/// gets the stored status and body back, with `Idempotent-Replayed: true`, and changes
/// nothing; the same key with a different request is refused with 422 `idempotencyKeyReused`;
/// while the first request is still running, a retry gets 409 `idempotencyKeyInProgress`.
/// Server errors (5xx) are not stored, so the retry runs again.
///
/// Keys are scoped by method and path and kept in the service's store (``IdempotencyStore``,
/// purged after the idempotency retention). Requests without the header, other methods and
/// streamed uploads (what `isStreamedUpload` picks: their body is not buffered, and they are
/// idempotent by their content, e.g. invoice numbers or payment identities) pass through.
///
/// Add it to a route group above the service's problem middleware, so that what is stored
/// and replayed is the final problem response.
public struct IdempotencyMiddleware<Context: RequestContext>: RouterMiddleware {
    /// The request header naming the key (a valid token, so never `nil`).
    public static var keyHeader: HTTPField.Name? { HTTPField.Name("Idempotency-Key") }
    /// The response header marking a replay (a valid token, so never `nil`).
    public static var replayedHeader: HTTPField.Name? { HTTPField.Name("Idempotent-Replayed") }
    /// The longest key accepted.
    public static var maximumKeyLength: Int { 255 }

    let writer: any DatabaseWriter
    /// A claim older than this that never completed is taken over by a retry.
    let abandonedAfter: Duration
    let now: @Sendable () -> Date
    let isStreamedUpload: @Sendable (Request) -> Bool

    /// - Parameters:
    ///   - writer: The service's store (migrated by ``DatabaseOpener``, which creates the table).
    ///   - abandonedAfter: A claim older than this that never completed (the process died) is
    ///     taken over by a retry. Default: 60 s.
    ///   - now: The clock stamping claims. Default: the system clock.
    ///   - isStreamedUpload: Requests passed through untouched although they carry a key:
    ///     uploads whose body is streamed, not buffered. Default: none.
    public init(
        writer: any DatabaseWriter, abandonedAfter: Duration = .seconds(60), now: @escaping @Sendable () -> Date = { Date() },
        isStreamedUpload: @escaping @Sendable (Request) -> Bool = { _ in false }
    ) {
        self.writer = writer
        self.abandonedAfter = abandonedAfter
        self.now = now
        self.isStreamedUpload = isStreamedUpload
    }

    /// Runs the request once per key; see the type's description.
    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard request.method == .post, let keyHeader = Self.keyHeader, let key = request.headers[keyHeader] else {
            return try await next(request, context)
        }
        if isStreamedUpload(request) {
            return try await next(request, context)
        }
        guard Self.isValidKey(key) else {
            throw Problem.validation(
                "the Idempotency-Key must be 1 to \(Self.maximumKeyLength) visible ASCII characters, such as a UUID",
                code: "invalidIdempotencyKey", field: "Idempotency-Key")
        }
        var request = request
        let body = try await request.collectBody(upTo: context.maxUploadSize)
        let scope = "POST \(request.uri.path)"
        let hash = FNV1a.hex(of: [Array(scope.utf8), [0x0A], Array(buffer: body)])

        switch try await IdempotencyStore.claim(key, scope: scope, requestHash: hash, abandonedAfter: abandonedAfter, now: now(), in: writer) {
        case .completed(let stored) where stored.requestHash == hash:
            return Self.replay(stored, path: request.uri.path)
        case .completed:
            throw Self.reused()
        case .inProgress(let storedHash):
            guard storedHash == hash else { throw Self.reused() }
            throw Problem(
                status: .conflict, type: "idempotency-key-in-progress", title: "A request with this key is running",
                detail: "a request with this Idempotency-Key is still being processed; retry in a moment to get its result",
                code: "idempotencyKeyInProgress")
        case .claimed:
            break
        }

        let response: Response
        do {
            response = try await next(request, context)
        } catch let problem as Problem where problem.statusCode < 500 {
            let rendered = try problem.response(from: request, context: context)
            await store(rendered, body: try await Self.collect(rendered.body), key: key, scope: scope, hash: hash, context: context)
            throw problem
        } catch {
            await release(key, scope: scope, context: context)
            throw error
        }
        guard response.status.code < 500 else {
            await release(key, scope: scope, context: context)
            return response
        }
        let bytes = try await Self.collect(response.body)
        await store(response, body: bytes, key: key, scope: scope, hash: hash, context: context)
        var replayable = response
        replayable.body = .init(byteBuffer: ByteBuffer(bytes: bytes))
        return replayable
    }

    /// Whether a key is 1 to ``maximumKeyLength`` visible ASCII characters (what the OpenAPI
    /// document's `IdempotencyKey` pattern says).
    public static func isValidKey(_ key: String) -> Bool {
        (1...maximumKeyLength).contains(key.utf8.count) && key.utf8.allSatisfy { (0x21...0x7E).contains($0) }
    }

    private static func reused() -> Problem {
        Problem(
            status: .unprocessableContent, type: "idempotency-key-reused", title: "Idempotency-Key reused for another request",
            detail: "this Idempotency-Key was already used with a different body; send a new key for a new request",
            code: "idempotencyKeyReused", errors: [.init(field: "Idempotency-Key", reason: "already used with a different body")])
    }

    /// The stored response. Only status, content type and body are kept, so the `Location`
    /// of a created resource is rebuilt from its `id` (every created resource of this API
    /// lives at `<collection path>/<id>`).
    static func replay(_ stored: IdempotencyStore.StoredResponse, path: String) -> Response {
        var headers: HTTPFields = [:]
        if let replayedHeader { headers[replayedHeader] = "true" }
        if let contentType = stored.contentType { headers[.contentType] = contentType }
        if stored.status == 201,
           let object = try? JSONSerialization.jsonObject(with: stored.body) as? [String: Any],
           let id = object["id"] as? String {
            headers[.location] = "\(path)/\(id)"
        }
        return Response(status: .init(code: stored.status), headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: stored.body)))
    }

    /// Stores a response; a failure is logged, not returned, since the request's effect is
    /// already committed (the claim is then taken over by a retry after `abandonedAfter`).
    private func store(_ response: Response, body: [UInt8], key: String, scope: String, hash: String, context: Context) async {
        let stored = IdempotencyStore.StoredResponse(
            requestHash: hash, status: response.status.code, contentType: response.headers[.contentType], body: Data(body))
        do {
            try await IdempotencyStore.complete(key, scope: scope, with: stored, in: writer)
        } catch {
            context.logger.error("storing an idempotent response failed", metadata: ["relance.error": "\(error)", "relance.idempotency.scope": "\(scope)"])
        }
    }

    private func release(_ key: String, scope: String, context: Context) async {
        do {
            try await IdempotencyStore.release(key, scope: scope, in: writer)
        } catch {
            context.logger.error("releasing an idempotency key failed", metadata: ["relance.error": "\(error)", "relance.idempotency.scope": "\(scope)"])
        }
    }

    /// The bytes of a response body (the APIs' bodies are small JSON documents).
    static func collect(_ body: ResponseBody) async throws -> [UInt8] {
        let collector = BodyCollector()
        try await body.write(collector)
        return collector.bytes
    }
}

/// A response body writer keeping what is written.
private final class BodyCollector: ResponseBodyWriter {
    var bytes: [UInt8] = []

    func write(_ buffer: ByteBuffer) async throws {
        bytes.append(contentsOf: buffer.readableBytesView)
    }

    func finish(_ trailingHeaders: HTTPFields?) async throws {}
}
