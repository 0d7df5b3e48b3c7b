import Events
import Foundation
import HTTPTypes
import HummingbirdTesting
import Invoicing
import Money
import NIOCore
import ServiceKit
import Testing

@Suite("HTTP: outstanding report figures, business time zone, rounding tolerance")
struct OutstandingReportTests {
    /// The JSON object of a response body.
    static func object(_ response: TestResponse) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(String(buffer: response.body).utf8)) as? [String: Any])
    }

    @Test("a customer's report has its exposure, payment behaviour figures and DSO")
    func customerFigures() async throws {
        let harness = try APIHarness()
        try await harness.run { api in
            let customer = try await api.registerCustomer(Fixtures.customer(extra: #""creditLimit": {"minorUnits": 100000, "currency": "EUR"}"#))
            try await api.issueInvoice(Fixtures.invoice(number: "INV-001", total: 100_000, issueDate: "2026-01-01", dueDate: "2026-01-31"))
            try await api.issueInvoice(Fixtures.invoice(number: "INV-002", total: 50_000, issueDate: "2026-03-01", dueDate: "2026-03-31"))
            try await api.issueInvoice(Fixtures.invoice(number: "USD-001", total: 7_000, issueDate: "2026-03-01", dueDate: "2026-03-31", currency: "USD"))

            let response = try await api.send(.get, "/v1/customers/\(customer.id)/outstanding?asOf=2026-03-15")
            #expect(response.status == .ok)
            let report = try response.decode(Outstanding.self)
            #expect(report.creditExposure == Money(minorUnits: 150_000, currency: .eur))
            #expect(report.exposureOutsideLimit == [Money(minorUnits: 7_000, currency: .usd)])
            #expect(report.creditLimitUsagePercent == 150)
            let behaviour = report.paymentBehaviour
            #expect(behaviour.overdueInvoices == 1)
            #expect(behaviour.averageDaysDelinquent == 43) // due 31 January, 15 March
            #expect(behaviour.averageDaysLate == 43)
            #expect(behaviour.averageDaysToPay == nil)
            #expect(behaviour.byCurrency.map(\.currency) == [.eur])
            #expect(behaviour.byCurrency.first?.overdueAmount == Money(minorUnits: 100_000, currency: .eur))
            let dso = try #require(report.daysSalesOutstanding)
            #expect(dso.map(\.currency) == [.eur, .usd])
            // EUR: 150 000 open; March 50 000 (15 days), February none (28), January 100 000 (31).
            #expect(dso.first?.days == 74)

            let json = try Self.object(response)
            for key in ["creditExposure", "exposureOutsideLimit", "daysSalesOutstanding"] {
                #expect(json[key] != nil, "\(key) missing")
            }
            let behaviourJSON = try #require(json["paymentBehaviour"] as? [String: Any])
            for key in ["overdueInvoices", "averageDaysLate", "averageDaysDelinquent", "shareLate", "byCurrency"] {
                #expect(behaviourJSON[key] != nil, "paymentBehaviour.\(key) missing")
            }
        }
    }

    @Test("every field of the report is documented in the OpenAPI Outstanding schema")
    func documented() async throws {
        let harness = try APIHarness()
        try await harness.run { api in
            let customer = try await api.registerCustomer(Fixtures.customer(extra: #""creditLimit": {"minorUnits": 100000, "currency": "EUR"}"#))
            let invoice = try await api.issueInvoice(Fixtures.invoice(number: "INV-001", total: 100_000, issueDate: "2026-01-01", dueDate: "2026-01-31"))
            try await api.issueInvoice(Fixtures.invoice(number: "INV-002", total: 50_000, issueDate: "2026-02-01", dueDate: "2026-02-28"))
            _ = try await harness.database.applyPaymentEvent(try Envelope(
                PaymentAllocated(customerId: customer.id, paymentId: "pay-1", allocationId: "alloc-1", invoiceId: invoice.id,
                                 invoiceNumber: invoice.number, amount: Money(minorUnits: 100_000, currency: .eur),
                                 valueDate: try CalendarDate(iso8601: "2026-02-05")),
                source: "/relance/payment-matching", time: Date()))

            let document = try Self.object(try await api.send(.get, "/openapi.json", authorised: false))
            let schemas = try #require((document["components"] as? [String: Any])?["schemas"] as? [String: Any])
            let outstanding = try #require(schemas["Outstanding"] as? [String: Any])
            for uri in ["/v1/customers/\(customer.id)/outstanding?asOf=2026-03-15", "/v1/outstanding?asOf=2026-03-15"] {
                let report = try Self.object(try await api.send(.get, uri))
                let missing = Self.undocumented(report, in: outstanding, schemas: schemas, path: uri)
                #expect(missing.isEmpty, "\(missing)")
            }
        }
    }

    /// Keys of `value` (recursively through objects and arrays) that `schema` does not list,
    /// following `#/components/schemas/...` references.
    static func undocumented(_ value: Any, in schema: [String: Any], schemas: [String: Any], path: String) -> [String] {
        var schema = schema
        if let reference = schema["$ref"] as? String, reference.hasPrefix("#/components/schemas/"),
           let target = schemas[String(reference.dropFirst("#/components/schemas/".count))] as? [String: Any] {
            schema = target
        }
        if let object = value as? [String: Any] {
            let properties = schema["properties"] as? [String: Any] ?? [:]
            return object.flatMap { key, member -> [String] in
                guard let property = properties[key] as? [String: Any] else { return ["\(path).\(key)"] }
                return undocumented(member, in: property, schemas: schemas, path: "\(path).\(key)")
            }
        }
        if let array = value as? [Any], let items = schema["items"] as? [String: Any] {
            return array.flatMap { undocumented($0, in: items, schemas: schemas, path: "\(path)[]") }
        }
        return []
    }

    @Test("the portfolio's today is read in the configured business time zone", arguments: [
        // The harness clock is 2026-03-15 10:00 UTC.
        ("Europe/Paris", "2026-03-15"),
        ("Pacific/Kiritimati", "2026-03-16"), // UTC+14: midnight has just passed
        ("Pacific/Pago_Pago", "2026-03-14"), // UTC−11: 23:00 the day before
    ])
    func portfolioToday(zone: String, expected: String) async throws {
        var configuration = InvoicingAPI.Configuration()
        configuration.businessTimeZone = try TimeZoneIdentifier(zone)
        let harness = try APIHarness(configuration: configuration)
        try await harness.run { api in
            let report = try await api.send(.get, "/v1/outstanding").decode(Outstanding.self)
            #expect(report.asOf.description == expected)
        }
    }

    @Test("business.timezone is read with the other API settings, Europe/Paris by default, refused when not IANA")
    func configuration() throws {
        #expect(try InvoicingAPI.Configuration(reader: ConfigurationReader(values: [:])).businessTimeZone == .paris)
        #expect(InvoicingAPI.Configuration().businessTimeZone == .paris)
        let newYork = try InvoicingAPI.Configuration(reader: ConfigurationReader(values: ["business.timezone": "America/New_York"]))
        #expect(newYork.businessTimeZone.identifier == "America/New_York")
        let error = #expect(throws: ConfigurationError.self) {
            try InvoicingAPI.Configuration(reader: ConfigurationReader(values: ["business.timezone": "CET"]))
        }
        #expect(error?.description.contains("business.timezone") == true)
    }

    @Test("a total one minor unit off a one-line invoice is issued as given; two units off is 422 with the tolerance explained")
    func roundingTolerance() async throws {
        let harness = try APIHarness()
        try await harness.run { api in
            try await api.registerCustomer()
            let accepted = try await api.issueInvoice(Fixtures.invoiceWithLine(number: "INV-L01", total: 120_001))
            #expect(accepted.totalAmount.minorUnits == 120_001)
            #expect(accepted.vatAmount?.minorUnits == 20_001)

            let refused = try await api.send(.post, "/v1/invoices", json: Fixtures.invoiceWithLine(number: "INV-L02", total: 120_002))
            #expect(refused.status == .unprocessableContent)
            let problem = try refused.problem()
            #expect(problem.code == "totalsMismatch")
            #expect(problem.errors?.first?.field == "total")
            #expect(problem.detail?.contains("1 per line") == true)
        }
    }
}
