import HTTPTypes
import Hummingbird

/// Requires an API key (`Authorization: Bearer <key>` or `X-API-Key: <key>`) on every route
/// except health, metrics and the OpenAPI document. Keys are compared in constant time.
public struct APIKeyMiddleware<Context: RequestContext>: RouterMiddleware {
    private let keys: [[UInt8]]

    /// - Parameter keys: the accepted keys; an empty list refuses every protected request.
    public init(keys: [String]) {
        self.keys = keys.map { Array($0.utf8) }
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if Self.isOpen(request.uri.path) {
            return try await next(request, context)
        }
        guard let presented = Self.presentedKey(request.headers), isAccepted(presented) else {
            throw Problem(
                status: .unauthorized, type: "unauthorized", title: "Missing or invalid API key",
                detail: "Send a configured key as 'Authorization: Bearer <key>' or 'X-API-Key: <key>'.")
        }
        return try await next(request, context)
    }

    /// Health routes, `/metrics` and `/openapi.json` exactly; `/metrics-export` is protected.
    static func isOpen(_ path: String) -> Bool {
        path.hasPrefix("/health/") || path == "/metrics" || path == "/openapi.json"
    }

    static func presentedKey(_ headers: HTTPFields) -> String? {
        if let authorization = headers[.authorization], authorization.lowercased().hasPrefix("bearer ") {
            return String(authorization.dropFirst("bearer ".count)).trimmingCharacters(in: .whitespaces)
        }
        if let name = HTTPField.Name("X-API-Key"), let key = headers[name] { return key }
        return nil
    }

    /// Compares against every key without early exit, so timing reveals neither which key
    /// matched nor how many leading bytes were right.
    func isAccepted(_ presented: String) -> Bool {
        let candidate = Array(presented.utf8)
        var accepted = false
        for key in keys {
            accepted = Self.constantTimeEquals(candidate, key) || accepted
        }
        return accepted
    }

    static func constantTimeEquals(_ lhs: [UInt8], _ rhs: [UInt8]) -> Bool {
        // Not `UInt8(truncatingIfNeeded: lhs.count ^ rhs.count)`: lengths 256 apart would
        // truncate to 0 and a key padded with NUL bytes would match.
        var difference: UInt8 = lhs.count == rhs.count ? 0 : 1
        let length = max(lhs.count, rhs.count)
        for index in 0..<length {
            let left = index < lhs.count ? lhs[index] : 0
            let right = index < rhs.count ? rhs[index] : 0
            difference |= left ^ right
        }
        return difference == 0
    }
}

extension String {
    fileprivate func trimmingCharacters(in set: Set<Character>) -> String {
        String(drop { set.contains($0) }.reversed().drop { set.contains($0) }.reversed())
    }
}

extension Set where Element == Character {
    fileprivate static var whitespaces: Set<Character> { [" ", "\t"] }
}
