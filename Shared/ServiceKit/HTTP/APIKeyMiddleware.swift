import HTTPTypes
import Hummingbird

/// Requires an API key (`Authorization: Bearer <key>` or `X-API-Key: <key>`) on every route
/// except health, metrics and the OpenAPI document. Keys are compared in constant time.
public struct APIKeyMiddleware<Context: RequestContext>: RouterMiddleware {
    private let keys: [[UInt8]]
    private let openPrefixes = ["/health/", "/metrics", "/openapi.json"]

    /// - Parameter keys: the accepted keys; an empty list refuses every protected request.
    public init(keys: [String]) {
        self.keys = keys.map { Array($0.utf8) }
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if openPrefixes.contains(where: { request.uri.path.hasPrefix($0) }) {
            return try await next(request, context)
        }
        guard let presented = Self.presentedKey(request.headers), isAccepted(presented) else {
            throw Problem(
                status: .unauthorized, type: "unauthorized", title: "Missing or invalid API key",
                detail: "Send a configured key as 'Authorization: Bearer <key>' or 'X-API-Key: <key>'.")
        }
        return try await next(request, context)
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
        var difference = UInt8(truncatingIfNeeded: lhs.count ^ rhs.count)
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
