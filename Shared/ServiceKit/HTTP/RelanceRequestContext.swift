import Events
import Foundation
import Hummingbird

/// The request context of every Relance HTTP API: Relance's JSON conventions for bodies
/// (ISO 8601 instants, sorted keys) and a 1 MiB cap on decoded bodies.
public struct RelanceRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
    }

    /// Bodies decoded as JSON larger than this are refused with 413. Streams (CSV imports)
    /// are not decoded and not capped.
    public var maxUploadSize: Int { 1024 * 1024 }

    public var requestDecoder: RelanceRequestDecoder { RelanceRequestDecoder() }
    public var responseEncoder: JSONEncoder { EventJSON.encoder }
}

/// Decodes JSON bodies with `EventJSON.decoder` and reports a malformed body as a 400 problem
/// with code `malformedBody`. It must happen here: `Request.decode(as:context:)` turns a
/// `DecodingError` into a plain `HTTPError` before `ProblemMiddleware` could see it.
public struct RelanceRequestDecoder: RequestDecoder {
    public init() {}

    public func decode<T: Decodable>(_ type: T.Type, from request: Request, context: some RequestContext) async throws -> T {
        do {
            return try await EventJSON.decoder.decode(type, from: request, context: context)
        } catch let error as DecodingError {
            throw Problem.validation(ProblemMiddleware<RelanceRequestContext>.describe(error), code: "malformedBody")
        }
    }
}
