import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Prometheus
import ServiceKit
import Testing

/// An application with the Relance middleware stack, keys `k1` and `k2`, the operational routes
/// and a few routes that succeed or fail in known ways.
enum TestApplication {
    struct NewInvoice: Decodable {
        let customerId: String
        let amount: Int
    }

    /// An error whose text must never reach a client.
    struct LeakyError: Error, CustomStringConvertible {
        var description: String { "connection to db.internal refused for user admin password=hunter2" }
    }

    struct BrokerDown: Error, CustomStringConvertible {
        var description: String { "broker unreachable" }
    }

    static func make(
        settings values: [String: String] = ["api.keys": "k1,k2"],
        checks: [HealthCheck] = [],
        registry: PrometheusCollectorRegistry? = nil
    ) throws -> some ApplicationProtocol {
        let settings = try ServiceSettings(serviceName: "test", defaultPort: 0, reader: ConfigurationReader(values: values))
        let router = HTTPServer.makeRouter(settings: settings)
        OperationalRoutes.add(to: router, checks: checks, registry: registry)
        router.get("/protected") { _, _ in "secret" }
        router.get("/metrics-export") { _, _ in "private export" }
        router.get("/invalid") { _, _ -> String in
            throw Problem.validation("dueDate is before issueDate", code: "dueBeforeIssue", field: "dueDate")
        }
        router.get("/boom") { _, _ -> String in throw LeakyError() }
        router.post("/invoices") { request, context -> String in
            let invoice = try await request.decode(as: NewInvoice.self, context: context)
            return "accepted \(invoice.customerId)"
        }
        router.get("/items/:id") { _, context -> String in
            let id = try context.parameters.require("id")
            guard id != "missing" else { throw Problem.notFound("no item \(id)") }
            return "item \(id)"
        }
        router.put("/items/:id") { _, _ in "replaced" }
        router.group("v1").post("/items/:id/archive") { _, _ in "archived" }
        return HTTPServer.makeApplication(router: router, settings: settings, logger: Logger(label: "test"))
    }

    static let key = HTTPField.Name("X-API-Key")!
    static let authorised: HTTPFields = [.authorization: "Bearer k1"]
}

/// The decoded body of a health response.
struct HealthBody: Decodable {
    let status: String
    let checks: [String: String]
}

func decodeProblem(_ response: TestResponse) throws -> Problem {
    try JSONDecoder().decode(Problem.self, from: Data(String(buffer: response.body).utf8))
}

@Suite struct AuthenticationTests {
    @Test func missingKeyIsRefusedWithProblem401() async throws {
        try await TestApplication.make().test(.router) { client in
            try await client.execute(uri: "/protected", method: .get) { response in
                #expect(response.status == .unauthorized)
                #expect(response.headers[.contentType] == "application/problem+json")
                let body = String(buffer: response.body)
                #expect(body.contains(#""status":401"#))
                let problem = try decodeProblem(response)
                #expect(problem.statusCode == 401)
                #expect(problem.type == "https://relance.dev/problems/unauthorized")
                #expect(problem.title == "Missing or invalid API key")
            }
        }
    }

    @Test func wrongKeyIsRefused() async throws {
        try await TestApplication.make().test(.router) { client in
            for headers: HTTPFields in [
                [TestApplication.key: "k3"], [.authorization: "Bearer k"], [.authorization: "Bearer k1x"],
                [.authorization: "Basic k1"], [.authorization: "Bearer "],
            ] {
                try await client.execute(uri: "/protected", method: .get, headers: headers) { response in
                    #expect(response.status == .unauthorized, "\(headers)")
                    #expect(response.headers[.contentType] == "application/problem+json")
                }
            }
        }
    }

    @Test func bearerTokenOrAPIKeyHeaderIsAccepted() async throws {
        try await TestApplication.make().test(.router) { client in
            for headers: HTTPFields in [
                [.authorization: "Bearer k1"], [.authorization: "bearer k2"], [TestApplication.key: "k1"],
                [TestApplication.key: "k2"],
            ] {
                try await client.execute(uri: "/protected", method: .get, headers: headers) { response in
                    #expect(response.status == .ok, "\(headers)")
                    #expect(String(buffer: response.body) == "secret")
                }
            }
        }
    }

    @Test func authenticationDisabledLetsRequestsThroughWithoutKey() async throws {
        try await TestApplication.make(settings: ["auth.enabled": "false"]).test(.router) { client in
            try await client.execute(uri: "/protected", method: .get) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body) == "secret")
            }
        }
    }

    @Test func routeThatOnlyStartsWithMetricsStillNeedsAKey() async throws {
        try await TestApplication.make().test(.router) { client in
            try await client.execute(uri: "/metrics-export", method: .get) { response in
                #expect(response.status == .unauthorized)
            }
        }
    }
}

@Suite struct OperationalRoutesTests {
    static let passing = HealthCheck(name: "database") {}
    static let failing = HealthCheck(name: "broker") { throw TestApplication.BrokerDown() }

    @Test func livenessAnswersWithoutKey() async throws {
        try await TestApplication.make(checks: [Self.failing]).test(.router) { client in
            try await client.execute(uri: "/health/live", method: .get) { response in
                #expect(response.status == .ok)
                let body = try JSONDecoder().decode(HealthBody.self, from: Data(String(buffer: response.body).utf8))
                #expect(body.status == "up")
            }
        }
    }

    @Test func readinessIs503AndNamesTheFailingCheck() async throws {
        try await TestApplication.make(checks: [Self.passing, Self.failing]).test(.router) { client in
            try await client.execute(uri: "/health/ready", method: .get) { response in
                #expect(response.status == .serviceUnavailable)
                let body = try JSONDecoder().decode(HealthBody.self, from: Data(String(buffer: response.body).utf8))
                #expect(body.status == "down")
                #expect(body.checks["database"] == "up")
                #expect(body.checks["broker"]?.hasPrefix("down") == true)
            }
        }
    }

    @Test func readinessIs200WhenEveryCheckPasses() async throws {
        let cache = HealthCheck(name: "cache") {}
        try await TestApplication.make(checks: [Self.passing, cache]).test(.router) { client in
            try await client.execute(uri: "/health/ready", method: .get) { response in
                #expect(response.status == .ok)
                let body = try JSONDecoder().decode(HealthBody.self, from: Data(String(buffer: response.body).utf8))
                #expect(body.status == "up")
                #expect(body.checks == ["database": "up", "cache": "up"])
            }
        }
    }

    @Test func metricsAreRenderedWithoutKey() async throws {
        let registry = PrometheusCollectorRegistry()
        registry.makeCounter(
            descriptor: MetricNameDescriptor(
                namespace: "relance", metricName: "test_requests", unitName: "total", helpText: "Test requests.")
        ).increment(by: Int64(3))

        try await TestApplication.make(registry: registry).test(.router) { client in
            try await client.execute(uri: "/metrics", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "text/plain; version=0.0.4")
                #expect(String(buffer: response.body).contains("relance_test_requests_total 3"))
            }
        }
    }
}

@Suite struct ProblemResponseTests {
    @Test func validationProblemIs400WithCodeAndFieldErrors() async throws {
        try await TestApplication.make().test(.router) { client in
            try await client.execute(uri: "/invalid", method: .get, headers: TestApplication.authorised) { response in
                #expect(response.status == .badRequest)
                #expect(response.headers[.contentType] == "application/problem+json")
                let problem = try decodeProblem(response)
                #expect(problem.statusCode == 400)
                #expect(problem.type == "https://relance.dev/problems/validation")
                #expect(problem.code == "dueBeforeIssue")
                #expect(problem.errors == [Problem.FieldError(field: "dueDate", reason: "dueDate is before issueDate")])
            }
        }
    }

    @Test func syntacticallyMalformedJSONIs400MalformedBody() async throws {
        try await TestApplication.make().test(.router) { client in
            try await client.execute(
                uri: "/invoices", method: .post, headers: TestApplication.authorised,
                body: ByteBuffer(string: #"{"customerId": "#)
            ) { response in
                #expect(response.status == .badRequest)
                #expect(response.headers[.contentType] == "application/problem+json")
                let problem = try decodeProblem(response)
                #expect(problem.statusCode == 400)
                #expect(problem.code == "malformedBody")
            }
        }
    }

    @Test func missingFieldIs400MalformedBodyNamingTheField() async throws {
        try await TestApplication.make().test(.router) { client in
            try await client.execute(
                uri: "/invoices", method: .post, headers: TestApplication.authorised,
                body: ByteBuffer(string: #"{"amount": 5}"#)
            ) { response in
                #expect(response.status == .badRequest)
                #expect(response.headers[.contentType] == "application/problem+json")
                let problem = try decodeProblem(response)
                #expect(problem.code == "malformedBody")
                #expect(problem.detail?.contains("customerId") == true)
            }
        }
    }

    @Test func wrongFieldTypeIs400MalformedBodyNamingTheField() async throws {
        try await TestApplication.make().test(.router) { client in
            try await client.execute(
                uri: "/invoices", method: .post, headers: TestApplication.authorised,
                body: ByteBuffer(string: #"{"customerId": "c1", "amount": "five"}"#)
            ) { response in
                #expect(response.status == .badRequest)
                let problem = try decodeProblem(response)
                #expect(problem.code == "malformedBody")
                #expect(problem.detail?.contains("amount") == true)
            }
        }
    }

    @Test func wellFormedBodyIsDecoded() async throws {
        try await TestApplication.make().test(.router) { client in
            try await client.execute(
                uri: "/invoices", method: .post, headers: TestApplication.authorised,
                body: ByteBuffer(string: #"{"customerId": "c1", "amount": 5}"#)
            ) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body) == "accepted c1")
            }
        }
    }

    @Test func unexpectedErrorIs500WithoutItsText() async throws {
        try await TestApplication.make().test(.router) { client in
            try await client.execute(uri: "/boom", method: .get, headers: TestApplication.authorised) { response in
                #expect(response.status == .internalServerError)
                #expect(response.headers[.contentType] == "application/problem+json")
                let body = String(buffer: response.body)
                #expect(!body.contains("hunter2"))
                #expect(!body.contains("db.internal"))
                let problem = try decodeProblem(response)
                #expect(problem.statusCode == 500)
                #expect(problem.type == "https://relance.dev/problems/internal")
            }
        }
    }

    @Test func jsonBodyOverOneMebibyteIs413Problem() async throws {
        let padding = String(repeating: "a", count: 1024 * 1024)
        try await TestApplication.make().test(.router) { client in
            try await client.execute(
                uri: "/invoices", method: .post, headers: TestApplication.authorised,
                body: ByteBuffer(string: #"{"customerId": "\#(padding)", "amount": 5}"#)
            ) { response in
                #expect(response.status == .contentTooLarge)
                #expect(response.headers[.contentType] == "application/problem+json")
                let problem = try decodeProblem(response)
                #expect(problem.statusCode == 413)
            }
        }
    }

    @Test func unknownRouteIs404Problem() async throws {
        try await TestApplication.make().test(.router) { client in
            try await client.execute(uri: "/nowhere", method: .get, headers: TestApplication.authorised) { response in
                #expect(response.status == .notFound)
                #expect(response.headers[.contentType] == "application/problem+json")
                let problem = try decodeProblem(response)
                #expect(problem.statusCode == 404)
            }
        }
    }
}

@Suite("A routed path with another method is 405 with Allow")
struct MethodNotAllowedTests {
    @Test("an unrouted method on a routed path is 405 problem+json with the path's methods in Allow")
    func unroutedMethodIs405() async throws {
        try await TestApplication.make().test(.router) { client in
            for method: HTTPRequest.Method in [.delete, .post, .patch, .options, .head, .init("TRACE")!] {
                try await client.execute(uri: "/items/42", method: method, headers: TestApplication.authorised) { response in
                    #expect(response.status == .methodNotAllowed, "\(method)")
                    #expect(response.headers[.allow] == "GET, PUT", "\(method)")
                    #expect(response.headers[.contentType] == "application/problem+json", "\(method)")
                    if method != .head {
                        let problem = try decodeProblem(response)
                        #expect(problem.statusCode == 405)
                        #expect(problem.type == "https://relance.dev/problems/method-not-allowed")
                        #expect(problem.detail?.contains("/items/42") == true)
                    }
                }
            }
        }
    }

    @Test("routes of groups and single-method paths list their own methods")
    func groupedAndSingleMethodRoutes() async throws {
        try await TestApplication.make().test(.router) { client in
            for (uri, allow) in [("/v1/items/7/archive", "POST"), ("/protected", "GET"), ("/invoices", "POST")] {
                try await client.execute(uri: uri, method: .delete, headers: TestApplication.authorised) { response in
                    #expect(response.status == .methodNotAllowed, "\(uri)")
                    #expect(response.headers[.allow] == allow, "\(uri)")
                }
            }
        }
    }

    @Test("a routed method still runs, and its own 404 for an unknown id stays 404")
    func routedMethodsAreUntouched() async throws {
        try await TestApplication.make().test(.router) { client in
            try await client.execute(uri: "/items/42", method: .get, headers: TestApplication.authorised) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body) == "item 42")
            }
            try await client.execute(uri: "/items/missing", method: .get, headers: TestApplication.authorised) { response in
                #expect(response.status == .notFound)
                #expect(response.headers[.allow] == nil)
            }
        }
    }

    @Test("an unknown path stays 404, whatever the method")
    func unknownPathIs404() async throws {
        try await TestApplication.make().test(.router) { client in
            for method: HTTPRequest.Method in [.get, .delete] {
                for uri in ["/nowhere", "/items", "/items/1/2"] {
                    try await client.execute(uri: uri, method: method, headers: TestApplication.authorised) { response in
                        #expect(response.status == .notFound, "\(method) \(uri)")
                        #expect(response.headers[.allow] == nil)
                    }
                }
            }
        }
    }

    @Test("the API key is checked first: without it a protected path is 401, an open one 405")
    func authenticationComesFirst() async throws {
        try await TestApplication.make().test(.router) { client in
            try await client.execute(uri: "/items/42", method: .delete) { response in
                #expect(response.status == .unauthorized)
            }
            try await client.execute(uri: "/health/live", method: .post) { response in
                #expect(response.status == .methodNotAllowed)
                #expect(response.headers[.allow] == "GET")
            }
        }
    }
}
