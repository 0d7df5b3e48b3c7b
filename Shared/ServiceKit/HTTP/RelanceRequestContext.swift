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

    public var requestDecoder: JSONDecoder { EventJSON.decoder }
    public var responseEncoder: JSONEncoder { EventJSON.encoder }
}
