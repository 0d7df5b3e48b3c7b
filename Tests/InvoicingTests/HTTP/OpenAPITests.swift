import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import ServiceKit
import Testing

@Suite("HTTP: OpenAPI document")
struct OpenAPITests {
    /// Every route the API serves, as `METHOD path` with OpenAPI templating.
    static let routes: Set<String> = [
        "POST /v1/customers", "GET /v1/customers", "GET /v1/customers/{id}", "PUT /v1/customers/{id}",
        "GET /v1/customers/{id}/outstanding", "GET /v1/outstanding",
        "POST /v1/invoices", "GET /v1/invoices", "GET /v1/invoices/{id}",
        "POST /v1/invoices/{id}/cancel", "POST /v1/invoices/{id}/credit-notes", "POST /v1/invoices/{id}/dispute",
        "POST /v1/invoices/{id}/dispute/resolve", "POST /v1/invoices/{id}/factor",
        "PUT /v1/invoices/{id}/credit-insurance", "POST /v1/invoices/{id}/write-off",
        "PUT /v1/invoices/{id}/schedule", "POST /v1/invoices/{id}/due-date",
        "POST /v1/imports/customers", "POST /v1/imports/invoices", "POST /v1/imports/credit-notes", "POST /v1/imports/customer-credit",
        "POST /v1/invoices/{id}/apply-credit", "GET /v1/customers/{id}/credit-items",
        "POST /v1/credit-notes", "GET /v1/credit-notes", "GET /v1/credit-notes/{id}",
        "POST /v1/invoices/{id}/disputes", "GET /v1/invoices/{id}/disputes", "POST /v1/invoices/{id}/disputes/{disputeId}/resolve",
        "POST /v1/invoices/{id}/factor/release", "PUT /v1/customers/{id}/credit-insurance", "DELETE /v1/customers/{id}/credit-insurance",
        "PUT /v1/customers/{id}/legal-status",
        "POST /v1/prospects", "PUT /v1/customers/{id}/vetting", "POST /v1/customers/{id}/sign",
        "POST /v1/quotes", "GET /v1/quotes", "GET /v1/quotes/{id}", "POST /v1/quotes/{id}/send", "POST /v1/quotes/{id}/accept",
        "POST /v1/quotes/{id}/refuse", "POST /v1/orders", "GET /v1/orders", "GET /v1/orders/{id}", "POST /v1/orders/{id}/cancel", "POST /v1/imports/orders",
        "GET /openapi.json",
    ]

    @Test("/openapi.json is served without a key, is OpenAPI 3.1 JSON and documents exactly the routes")
    func documentListsEveryRoute() async throws {
        let harness = try APIHarness()
        let body = try await harness.run { api in
            let response = try await api.send(.get, "/openapi.json", authorised: false)
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "application/json")
            return String(buffer: response.body)
        }
        let document = try #require(try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any])
        #expect(document["openapi"] as? String == "3.1.0")
        let paths = try #require(document["paths"] as? [String: [String: Any]])
        let methods = ["get", "put", "post", "delete", "patch"]
        var documented: Set<String> = []
        for (path, item) in paths {
            for method in methods where item[method] != nil {
                documented.insert("\(method.uppercased()) \(path)")
            }
        }
        #expect(documented == Self.routes)

        let components = try #require(document["components"] as? [String: Any])
        let schemes = try #require(components["securitySchemes"] as? [String: [String: Any]])
        #expect(schemes.values.contains { $0["scheme"] as? String == "bearer" })
        #expect(schemes.values.contains { $0["name"] as? String == "X-API-Key" })
        let parameters = try #require(components["parameters"] as? [String: [String: Any]])
        #expect(parameters.values.contains { $0["name"] as? String == "Idempotency-Key" })
        #expect(parameters.values.contains { $0["name"] as? String == "cursor" })
    }

    @Test("every documented route answers something other than 404 or 405")
    func documentedRoutesExist() async throws {
        let harness = try APIHarness()
        try await harness.run { api in
            for route in Self.routes {
                let parts = route.split(separator: " ")
                let method = HTTPRequest.Method(String(parts[0]))!
                let uri = parts[1].replacingOccurrences(of: "{id}", with: "x")
                let response = try await api.send(method, uri, json: method == .get ? nil : "{}")
                #expect(response.status != .methodNotAllowed, "\(route)")
                if response.status == .notFound {
                    // Only an unknown id may be 404, never the route itself.
                    #expect(String(buffer: response.body).contains("notFound"), "\(route)")
                }
            }
        }
    }

    @Test("every documented path answers an undocumented method with 405 and Allow listing exactly its documented methods")
    func undocumentedMethodsAre405() async throws {
        var methodsByPath: [String: Set<String>] = [:]
        for route in Self.routes {
            let parts = route.split(separator: " ")
            methodsByPath[String(parts[1]), default: []].insert(String(parts[0]))
        }
        let paths = methodsByPath
        let harness = try APIHarness()
        try await harness.run { api in
            for (path, documented) in paths {
                let uri = path.replacingOccurrences(of: "{id}", with: "x")
                for method in ["GET", "PUT", "POST", "DELETE", "PATCH", "TRACE", "OPTIONS"] where !documented.contains(method) {
                    let response = try await api.send(HTTPRequest.Method(method)!, uri)
                    #expect(response.status == .methodNotAllowed, "\(method) \(path)")
                    let allow = response.headers[.allow]?.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
                    #expect(Set(allow ?? []) == documented, "\(method) \(path): Allow \(response.headers[.allow] ?? "absent")")
                    #expect(try response.problem().statusCode == 405, "\(method) \(path)")
                }
            }
        }
    }
}
