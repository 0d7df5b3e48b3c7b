import Events
import Foundation
import HTTPTypes
import HummingbirdTesting
import Invoicing
import Money
import NIOCore
import ServiceKit
import Testing

@Suite("HTTP: Idempotency-Key")
struct IdempotencyTests {
    @Test("a retried customer registration returns the first result and creates nothing new")
    func retriedCustomer() async throws {
        let harness = try APIHarness()
        try await harness.run { api in
            let first = try await api.send(.post, "/v1/customers", json: Fixtures.customer(), idempotencyKey: "key-1")
            #expect(first.status == .created)
            #expect(first.headers[APIClient.replayed] == nil)
            let countAfterFirst = try await harness.count("customer")

            let retry = try await api.send(.post, "/v1/customers", json: Fixtures.customer(), idempotencyKey: "key-1")
            #expect(retry.status == .created)
            #expect(retry.headers[APIClient.replayed] == "true")
            #expect(retry.headers[.contentType] == "application/json")
            #expect(retry.headers[.location] == first.headers[.location])
            #expect(String(buffer: retry.body) == String(buffer: first.body))
            #expect(try await harness.count("customer") == countAfterFirst)
            #expect(countAfterFirst == 1)
        }
    }

    @Test("a retried invoice returns the first invoice and issues nothing new")
    func retriedInvoice() async throws {
        let harness = try APIHarness()
        try await harness.run { api in
            try await api.registerCustomer()
            let first = try await api.send(.post, "/v1/invoices", json: Fixtures.invoice(), idempotencyKey: "inv-1")
            #expect(first.status == .created)
            let before = try await harness.count("invoice")
            let retry = try await api.send(.post, "/v1/invoices", json: Fixtures.invoice(), idempotencyKey: "inv-1")
            #expect(retry.status == .created)
            #expect(retry.headers[APIClient.replayed] == "true")
            #expect(try retry.decode(Invoice.self) == first.decode(Invoice.self))
            #expect(try await harness.count("invoice") == before)
            #expect(before == 1)
        }
    }

    @Test("the same key with a different body is 422 idempotencyKeyReused and creates nothing")
    func keyReused() async throws {
        let harness = try APIHarness()
        try await harness.run { api in
            try await api.registerCustomer()
            let first = try await api.send(.post, "/v1/invoices", json: Fixtures.invoice(number: "INV-001"), idempotencyKey: "inv-1")
            #expect(first.status == .created)
            let other = try await api.send(.post, "/v1/invoices", json: Fixtures.invoice(number: "INV-002"), idempotencyKey: "inv-1")
            #expect(other.status == .unprocessableContent)
            #expect(try other.problem().code == "idempotencyKeyReused")
            let numbers = try await api.send(.get, "/v1/invoices").decode(Page<Invoice>.self).items.map(\.number)
            #expect(numbers == ["INV-001"])
        }
    }

    @Test("a refused request is replayed as refused, even once its cause is gone")
    func refusalReplayed() async throws {
        let harness = try APIHarness()
        try await harness.run { api in
            let refused = try await api.send(.post, "/v1/invoices", json: Fixtures.invoice(), idempotencyKey: "inv-1")
            #expect(refused.status == .unprocessableContent)
            try await api.registerCustomer()
            let retry = try await api.send(.post, "/v1/invoices", json: Fixtures.invoice(), idempotencyKey: "inv-1")
            #expect(retry.status == .unprocessableContent)
            #expect(retry.headers[APIClient.replayed] == "true")
            #expect(retry.headers[.contentType] == "application/problem+json")
            #expect(try retry.problem().code == "notFound")
            #expect(try await harness.count("invoice") == 0)

            let newKey = try await api.send(.post, "/v1/invoices", json: Fixtures.invoice(), idempotencyKey: "inv-2")
            #expect(newKey.status == .created)
        }
    }

    @Test("a retried action replays its result instead of failing on the state it created")
    func retriedAction() async throws {
        let harness = try APIHarness()
        try await harness.run { api in
            try await api.registerCustomer()
            let invoice = try await api.issueInvoice(Fixtures.invoice())
            let uri = "/v1/invoices/\(invoice.id)/dispute"
            let first = try await api.send(.post, uri, json: #"{"reason": "not delivered"}"#, idempotencyKey: "dispute-1")
            #expect(first.status == .ok)
            let retry = try await api.send(.post, uri, json: #"{"reason": "not delivered"}"#, idempotencyKey: "dispute-1")
            #expect(retry.status == .ok) // without the key: 409, already disputed
            #expect(retry.headers[APIClient.replayed] == "true")
            let unkeyed = try await api.send(.post, uri, json: #"{"reason": "not delivered"}"#)
            #expect(unkeyed.status == .conflict)
        }
    }

    @Test("keys are scoped by path: the same key on another route runs that route")
    func scopedByPath() async throws {
        let harness = try APIHarness()
        try await harness.run { api in
            let customer = try await api.send(.post, "/v1/customers", json: Fixtures.customer(), idempotencyKey: "shared")
            #expect(customer.status == .created)
            let invoice = try await api.send(.post, "/v1/invoices", json: Fixtures.invoice(), idempotencyKey: "shared")
            #expect(invoice.status == .created)
            #expect(invoice.headers[APIClient.replayed] == nil)
        }
        #expect(try await harness.count("invoice") == 1)
    }

    @Test("a key that is not 1 to 255 visible ASCII characters is 400")
    func invalidKey() async throws {
        let harness = try APIHarness()
        try await harness.run { api in
            let response = try await api.send(.post, "/v1/customers", json: Fixtures.customer(),
                                              idempotencyKey: String(repeating: "k", count: 256))
            #expect(response.status == .badRequest)
            #expect(try response.problem().errors?.first?.field == "Idempotency-Key")
        }
        #expect(try await harness.count("customer") == 0)
    }
}
