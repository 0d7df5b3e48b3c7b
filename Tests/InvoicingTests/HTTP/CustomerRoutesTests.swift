import Events
import Foundation
import HTTPTypes
import HummingbirdTesting
import Invoicing
import Money
import NIOCore
import ServiceKit
import Testing

@Suite("HTTP: customers and outstanding")
struct CustomerRoutesTests {
    @Test("registering a customer answers 201 with its Location, and the Location serves it")
    func registerCustomer() async throws {
        let harness = try APIHarness()
        try await harness.run { api in
            let response = try await api.send(.post, "/v1/customers", json: Fixtures.customer())
            #expect(response.status == .created)
            let customer = try response.decode(Customer.self)
            #expect(customer.details.customerNumber == "C-001")
            #expect(customer.details.timeZone.identifier == "Europe/Paris") // the country's default
            #expect(customer.details.contacts.first?.email?.address == "claire@acme.fr")
            let location = try #require(response.headers[.location])
            #expect(location == "/v1/customers/\(customer.id)")

            let fetched = try await api.send(.get, location)
            #expect(fetched.status == .ok)
            #expect(try fetched.decode(Customer.self) == customer)
        }
        #expect(try await harness.count("customer") == 1)
    }

    @Test("requests without a valid API key are refused with 401 and change nothing")
    func unauthorised() async throws {
        let harness = try APIHarness()
        try await harness.run { api in
            let post = try await api.send(.post, "/v1/customers", json: Fixtures.customer(), authorised: false)
            #expect(post.status == .unauthorized)
            #expect(try post.problem().type.hasSuffix("/unauthorized"))
            let wrongKey = try await api.send(.get, "/v1/customers", authorised: false, headers: [HTTPField.Name("X-API-Key")!: "nope"])
            #expect(wrongKey.status == .unauthorized)
            let withHeaderKey = try await api.send(.get, "/v1/customers", authorised: false, headers: [HTTPField.Name("X-API-Key")!: APIHarness.apiKey])
            #expect(withHeaderKey.status == .ok)
        }
        #expect(try await harness.count("customer") == 0)
    }

    @Test("listing customers filters by text, segment, risk and tag")
    func listFilters() async throws {
        let harness = try APIHarness()
        try await harness.run { api in
            try await api.registerCustomer(Fixtures.customer(number: "C-001", name: "Acme SAS", segment: "SMB", risk: "low", tags: ["export"]))
            try await api.registerCustomer(Fixtures.customer(number: "C-002", name: "Boulangerie Durand", segment: "SMB", risk: "high"))
            try await api.registerCustomer(Fixtures.customer(number: "C-003", name: "Mairie de Lyon", segment: "Public", risk: "high", tags: ["export", "key"]))

            func numbers(_ query: String) async throws -> [String] {
                let response = try await api.send(.get, "/v1/customers\(query)")
                #expect(response.status == .ok)
                return try response.decode(Page<Customer>.self).items.map(\.details.customerNumber)
            }
            #expect(try await numbers("") == ["C-001", "C-002", "C-003"])
            #expect(try await numbers("?q=durand") == ["C-002"])
            #expect(try await numbers("?segment=SMB") == ["C-001", "C-002"])
            #expect(try await numbers("?risk=high") == ["C-002", "C-003"])
            #expect(try await numbers("?tag=export&risk=high") == ["C-003"])
            #expect(try await numbers("?q=nobody") == [])
        }
    }

    @Test("PUT replaces a customer's details")
    func updateCustomer() async throws {
        let harness = try APIHarness()
        try await harness.run { api in
            let customer = try await api.registerCustomer()
            let response = try await api.send(.put, "/v1/customers/\(customer.id)",
                                              json: Fixtures.customer(name: "Acme Industries", extra: #""paymentTerms": "eom+10""#))
            #expect(response.status == .ok)
            let updated = try response.decode(Customer.self)
            #expect(updated.id == customer.id)
            #expect(updated.details.legalName == "Acme Industries")
            #expect(updated.details.paymentTerms == .endOfMonthPlusDays(10))
            let fetched = try await api.send(.get, "/v1/customers/\(customer.id)").decode(Customer.self)
            #expect(fetched.details.legalName == "Acme Industries")
        }
    }

    @Test("an unknown customer id is 404 notFound on every customer route")
    func unknownCustomer() async throws {
        let harness = try APIHarness()
        try await harness.run { api in
            for response in [
                try await api.send(.get, "/v1/customers/no-such-id"),
                try await api.send(.put, "/v1/customers/no-such-id", json: Fixtures.customer()),
                try await api.send(.get, "/v1/customers/no-such-id/outstanding"),
            ] {
                #expect(response.status == .notFound)
                #expect(try response.problem().code == "notFound")
            }
        }
        #expect(try await harness.count("customer") == 0)
    }

    @Test("outstanding ages a customer's open invoices as of the given day, and the portfolio's")
    func outstanding() async throws {
        let harness = try APIHarness()
        try await harness.run { api in
            let customer = try await api.registerCustomer(Fixtures.customer(extra: #""creditLimit": {"minorUnits": 500000, "currency": "EUR"}"#))
            try await api.issueInvoice(Fixtures.invoice(number: "INV-001", total: 100_000, issueDate: "2026-01-01", dueDate: "2026-01-31"))
            try await api.issueInvoice(Fixtures.invoice(number: "INV-002", total: 50_000, issueDate: "2026-03-01", dueDate: "2026-03-31"))

            let response = try await api.send(.get, "/v1/customers/\(customer.id)/outstanding?asOf=2026-03-15")
            #expect(response.status == .ok)
            let outstanding = try response.decode(Outstanding.self)
            #expect(outstanding.asOf.description == "2026-03-15")
            #expect(outstanding.openInvoiceCount == 2)
            let eur = try #require(outstanding.aging.first)
            #expect(eur.days31to60.minorUnits == 100_000) // due 2026-01-31: 43 days late
            #expect(eur.notDue.minorUnits == 50_000)
            #expect(eur.totalOpen.minorUnits == 150_000)
            #expect(outstanding.creditLimitUsagePercent == 30)

            let before = try await api.send(.get, "/v1/customers/\(customer.id)/outstanding?asOf=2026-02-01").decode(Outstanding.self)
            #expect(before.openInvoiceCount == 1) // INV-002 not issued yet

            let portfolio = try await api.send(.get, "/v1/outstanding?asOf=2026-03-15")
            #expect(portfolio.status == .ok)
            let total = try portfolio.decode(Outstanding.self)
            #expect(total.customerId == nil)
            #expect(total.aging.first?.totalOpen.minorUnits == 150_000)
            #expect(total.daysSalesOutstanding?.count == 1)

            let today = try await api.send(.get, "/v1/outstanding").decode(Outstanding.self)
            #expect(today.asOf.description == "2026-03-15") // the store's clock
        }
    }

    @Test("bad query parameters are 400 problems naming the parameter")
    func badQueryParameters() async throws {
        let harness = try APIHarness()
        try await harness.run { api in
            let customer = try await api.registerCustomer()
            let cases: [(String, String)] = [
                ("/v1/outstanding?asOf=15/03/2026", "asOf"),
                ("/v1/customers/\(customer.id)/outstanding?asOf=2026-02-30", "asOf"),
                ("/v1/customers?limit=ten", "limit"),
                ("/v1/customers?limit=0", "limit"),
                ("/v1/customers?risk=extreme", "risk"),
                ("/v1/customers?cursor=%25%25%25", "cursor"),
                ("/v1/invoices?status=overdue", "status"),
                ("/v1/invoices?limit=501", "limit"),
            ]
            for (uri, parameter) in cases {
                let response = try await api.send(.get, uri)
                #expect(response.status == .badRequest, "\(uri)")
                let problem = try response.problem()
                #expect(problem.errors?.first?.field == parameter, "\(uri)")
                #expect(problem.detail?.hasPrefix(parameter) == true, "\(uri)")
            }
        }
    }
}
