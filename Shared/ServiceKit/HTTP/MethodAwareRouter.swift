import HTTPTypes
import Hummingbird

/// Builds a router's responder that answers `405 Method Not Allowed`, with an `Allow` header
/// and a problem body, to a request whose path is routed but whose method is not.
///
/// Hummingbird's router answers 404 to an unknown method exactly as to an unknown path, which
/// tells a client the resource does not exist when only the method is wrong (RFC 9110 §15.5.6).
/// The methods of each path are read from `Router.routes` when the application is built, so
/// every route must be added before (as it must for Hummingbird anyway).
///
/// The router's own middleware runs first: a request without a valid API key still gets 401,
/// and a route's handler answering 404 for an unknown id keeps its 404. Only the router's 404
/// for a routed path with another method becomes 405.
public struct MethodAwareRouter<Context: RequestContext>: HTTPResponderBuilder {
    let router: Router<Context>

    /// - Parameter router: The router, built with the default `RouterOptions` (paths compared
    ///   case-sensitively, no generated HEAD routes), its routes all added.
    public init(_ router: Router<Context>) {
        self.router = router
    }

    /// The router's responder, followed by the 405 check.
    public func buildResponder() -> Responder {
        Responder(routes: router.buildResponder(), allowedMethods: Self.allowedMethodsMatcher(router.routes))
    }

    /// A router used only to match paths: one `GET` endpoint per routed path, answering the
    /// path's methods in `Allow`. Matching with Hummingbird's own trie resolves a path to the
    /// same route as the real router does (literals before captures before wildcards).
    static func allowedMethodsMatcher(_ routes: [Router<Context>.RouteDescription]) -> RouterResponder<Context> {
        var paths: [String: RouterPath] = [:]
        var methods: [String: Set<String>] = [:]
        for route in routes {
            let key = route.path.description
            paths[key] = route.path
            methods[key, default: []].insert(route.method.rawValue)
        }
        let matcher = Router(context: Context.self)
        for (key, path) in paths {
            let allow = (methods[key] ?? []).sorted().joined(separator: ", ")
            matcher.on(path, method: .get, responder: CallbackResponder { _, _ in
                Response(status: .noContent, headers: [.allow: allow])
            })
        }
        return matcher.buildResponder()
    }

    /// Responds with the router, then turns its 404 for a routed path into 405.
    public struct Responder: HTTPResponder {
        let routes: RouterResponder<Context>
        let allowedMethods: RouterResponder<Context>

        public func respond(to request: Request, context: Context) async throws -> Response {
            let response = try await routes.respond(to: request, context: context)
            guard response.status == .notFound, let allow = try await allowedMethods(for: request, context: context),
                  !allow.split(separator: ", ").contains(where: { $0 == request.method.rawValue })
            else {
                return response
            }
            let problem = Problem(
                status: .methodNotAllowed, type: "method-not-allowed", title: "Method not allowed",
                detail: "\(request.uri.path) accepts \(allow), not \(request.method.rawValue)")
            var refusal = try problem.response(from: request, context: context)
            refusal.headers[.allow] = allow
            return refusal
        }

        /// The `Allow` value of the request's path, or nil when no route has that path.
        private func allowedMethods(for request: Request, context: Context) async throws -> String? {
            var head = request.head
            head.method = .get
            let probe = Request(head: head, body: RequestBody(buffer: ByteBuffer()))
            let answer = try await allowedMethods.respond(to: probe, context: context)
            return answer.status == .noContent ? answer.headers[.allow] : nil
        }
    }
}
