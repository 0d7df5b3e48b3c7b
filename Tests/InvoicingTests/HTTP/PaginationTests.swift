import Events
import Foundation
import HTTPTypes
import HummingbirdTesting
import Invoicing
import Money
import NIOCore
import ServiceKit
import Testing

@Suite("HTTP: cursor pagination")
struct PaginationTests {
    @Test("walking the customer pages returns every customer once, in number order")
    func customerPages() async throws {
        let harness = try APIHarness()
        try await harness.run { api in
            let numbers = (1...7).map { String(format: "C-%03d", $0) }
            for number in numbers.shuffled() {
                try await api.registerCustomer(Fixtures.customer(number: number))
            }
            var seen: [String] = []
            var cursor: String?
            var pages = 0
            repeat {
                let query = "?limit=3" + (cursor.map { "&cursor=\($0)" } ?? "")
                let response = try await api.send(.get, "/v1/customers\(query)")
                #expect(response.status == .ok)
                let page = try response.decode(Page<Customer>.self)
                #expect(page.items.count <= 3)
                seen += page.items.map(\.details.customerNumber)
                cursor = page.nextCursor
                pages += 1
            } while cursor != nil && pages < 10
            #expect(pages == 3)
            #expect(seen == numbers)
        }
    }

    @Test("walking filtered invoice pages returns every match once and ends without a cursor")
    func invoicePages() async throws {
        let harness = try APIHarness()
        try await harness.run { api in
            try await api.registerCustomer()
            for index in 1...5 {
                let invoice = try await api.issueInvoice(Fixtures.invoice(number: "INV-\(index)"))
                if index.isMultiple(of: 2) {
                    #expect(try await api.send(.post, "/v1/invoices/\(invoice.id)/cancel").status == .ok)
                }
            }
            do {
                var seen: [String] = []
                var cursor: String?
                var pages = 0
                repeat {
                    let query = "?status=open&limit=2" + (cursor.map { "&cursor=\($0)" } ?? "")
                    let response = try await api.send(.get, "/v1/invoices\(query)")
                    #expect(response.status == .ok)
                    let page = try response.decode(Page<Invoice>.self)
                    seen += page.items.map(\.number)
                    cursor = page.nextCursor
                    pages += 1
                } while cursor != nil && pages < 10
                #expect(seen == ["INV-1", "INV-3", "INV-5"])
                #expect(Set(seen).count == seen.count)
                #expect(pages == 2)
            }
        }
    }
}
