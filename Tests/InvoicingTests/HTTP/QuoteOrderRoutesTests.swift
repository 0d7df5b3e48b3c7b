import Events
import Foundation
import GRDB
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Invoicing
import Money
import ServiceKit
import Testing

/// Issue 11 through the HTTP API: prospects and vetting, quotes, orders, invoices of orders
/// and the exposure the outstanding report shows.
@Suite("Quotes, orders, prospects and exposure routes")
struct QuoteOrderRoutesTests {
    static func eur(_ cents: Int64) -> Money { Money(minorUnits: cents, currency: .eur) }

    /// Lines of `quantity` × 500.00 EUR net at 20 % VAT.
    static func lines(_ quantity: Int) -> String {
        #"[{"description": "Consulting day", "quantity": \#(quantity), "unitPrice": {"minorUnits": 50000, "currency": "EUR"}, "vatRateBasisPoints": 2000}]"#
    }

    static func quote(number: String = "Q-001", customer: String = "C-001", quantity: Int = 10, validUntil: String = "2026-03-31",
                      extra: String = "") -> String {
        #"{"number": "\#(number)", "customerNumber": "\#(customer)", "issueDate": "2026-03-10", "validUntil": "\#(validUntil)", "currency": "EUR", "lines": \#(lines(quantity))\#(extra)}"#
    }

    static func order(number: String = "O-001", customer: String = "C-001", quantity: Int) -> String {
        #"{"number": "\#(number)", "customerNumber": "\#(customer)", "orderDate": "2026-03-14", "currency": "EUR", "lines": \#(lines(quantity))}"#
    }

    static func invoice(number: String, orderId: String, quantity: Int) -> String {
        #"{"number": "\#(number)", "customerNumber": "C-001", "issueDate": "2026-03-15", "dueDate": "2026-04-14", "currency": "EUR", "orderId": "\#(orderId)", "lines": \#(lines(quantity))}"#
    }

    static func limit(_ cents: Int64, policy: String) -> String {
        #""creditLimit": {"minorUnits": \#(cents), "currency": "EUR"}, "creditPolicy": "\#(policy)""#
    }

    /// The EUR exposure line of the customer's outstanding report.
    static func exposure(_ api: APIClient, _ customerId: String) async throws -> CreditExposure.Breakdown? {
        let response = try await api.send(.get, "/v1/customers/\(customerId)/outstanding")
        #expect(response.status == .ok)
        return try response.decode(Outstanding.self).exposure?.first { $0.currency == .eur }
    }

    static func outboxTypes(_ harness: APIHarness) async throws -> [String] {
        try await harness.database.reader.read { try String.fetchAll($0, sql: "SELECT type FROM relance_outbox ORDER BY sequence") }
    }

    static func outbox<Event: DomainEvent>(_ harness: APIHarness, _: Event.Type) async throws -> [Event] {
        try await harness.database.reader.read { db in
            try Data.fetchAll(db, sql: "SELECT data FROM relance_outbox WHERE type = ? ORDER BY sequence", arguments: [Event.eventType])
        }.map { try EventJSON.decoder.decode(Event.self, from: $0) }
    }

    @Test("quote → order → two partial invoices → paid: the exposure follows every step")
    func story() async throws {
        let harness = try APIHarness()
        try await harness.run { api in
            let customer = try await api.registerCustomer(Fixtures.customer(extra: Self.limit(1_000_000, policy: "block")))
            #expect(try await Self.exposure(api, customer.id) == nil)

            // A quote of 10 days: 5,000.00 net, 6,000.00 with VAT. A draft or sent quote does not count.
            let created = try await api.send(.post, "/v1/quotes", json: Self.quote(), idempotencyKey: "quote-1")
            #expect(created.status == .created, "\(String(buffer: created.body))")
            let quote = try created.decode(Quote.self)
            #expect(quote.status == .draft && quote.totalAmount == Self.eur(600_000) && quote.paymentTerms == "net:30")
            #expect(quote.latePaymentTerms.recoveryIndemnity == Self.eur(4_000))
            #expect(try await api.send(.post, "/v1/quotes/\(quote.id)/accept").status == .conflict, "a draft cannot be accepted")
            #expect(try await api.send(.post, "/v1/quotes/\(quote.id)/send").decode(Quote.self).status == .sent)
            #expect(try await Self.exposure(api, customer.id) == nil)

            // Accepted: the order counts in full.
            let accepted = try await api.send(.post, "/v1/quotes/\(quote.id)/accept", json: #"{"customerReference": "PO-77"}"#)
            #expect(accepted.status == .ok, "\(String(buffer: accepted.body))")
            let order = try accepted.decode(QuoteOrderRoutesTests.Accepted.self).order
            #expect(order.status == .open && order.origin == .quote && order.quoteId == quote.id && order.number == "Q-001")
            #expect(order.customerReference == "PO-77" && order.totalAmount == Self.eur(600_000))
            var exposure = try #require(try await Self.exposure(api, customer.id))
            #expect(exposure.openInvoices == Self.eur(0) && exposure.uninvoicedOrders == Self.eur(600_000) && exposure.exposure == Self.eur(600_000))

            // First partial invoice: 4 days (2,000.00 net, 2,400.00 gross).
            let first = try await api.issueInvoice(Self.invoice(number: "INV-101", orderId: order.id, quantity: 4))
            #expect(first.orderId == order.id)
            var stored = try await api.send(.get, "/v1/orders/\(order.id)").decode(Order.self)
            #expect(stored.status == .partlyInvoiced && stored.invoicedNetAmount == Self.eur(200_000) && stored.uninvoicedAmount == Self.eur(360_000))
            exposure = try #require(try await Self.exposure(api, customer.id))
            #expect(exposure.openInvoices == Self.eur(240_000) && exposure.uninvoicedOrders == Self.eur(360_000) && exposure.exposure == Self.eur(600_000))

            // More than what is left (7 days > 6): over-invoicing is refused, nothing changes.
            let over = try await api.send(.post, "/v1/invoices", json: Self.invoice(number: "INV-102", orderId: order.id, quantity: 7))
            #expect(over.status == .conflict)
            #expect(try over.problem().errors?.first?.field == "orderId")

            // Second invoice: the 6 days left; the order is invoiced.
            let second = try await api.issueInvoice(Self.invoice(number: "INV-102", orderId: order.id, quantity: 6))
            stored = try await api.send(.get, "/v1/orders/\(order.id)").decode(Order.self)
            #expect(stored.status == .invoiced && stored.uninvoicedAmount == Self.eur(0))
            exposure = try #require(try await Self.exposure(api, customer.id))
            #expect(exposure.openInvoices == Self.eur(600_000) && exposure.uninvoicedOrders == Self.eur(0) && exposure.exposure == Self.eur(600_000))
            #expect(try await api.send(.post, "/v1/invoices", json: Self.invoice(number: "INV-103", orderId: order.id, quantity: 1)).status == .conflict,
                    "an invoiced order takes no more invoices")

            // Paid through payment allocations: nothing is exposed any more.
            for (index, invoice) in [first, second].enumerated() {
                _ = try await harness.database.applyPaymentEvent(try Envelope(
                    PaymentAllocated(customerId: customer.id, paymentId: "pay-\(index)", allocationId: "alloc-\(index)", invoiceId: invoice.id,
                                     invoiceNumber: invoice.number, amount: invoice.totalAmount, valueDate: try CalendarDate(iso8601: "2026-03-15")),
                    source: "/relance/payment-matching", time: Date()))
            }
            #expect(try await Self.exposure(api, customer.id) == nil, "nothing open, no credit: no currency to show")
            #expect(try await api.send(.get, "/v1/invoices/\(second.id)").decode(Invoice.self).status == .paid)

            let types = try await Self.outboxTypes(harness)
            for type in [QuoteCreated.eventType, QuoteSent.eventType, QuoteAccepted.eventType, OrderCreated.eventType] {
                #expect(types.filter { $0 == type }.count == 1, "\(type)")
            }
            let invoiced = try await Self.outbox(harness, OrderInvoiced.self)
            #expect(invoiced.map(\.status) == ["partlyInvoiced", "invoiced"])
            #expect(invoiced.map(\.invoiceNumber) == ["INV-101", "INV-102"])
            // order.invoiced follows its invoice.issued.
            let issuedIndex = try #require(types.lastIndex(of: InvoiceIssued.eventType))
            #expect(types.lastIndex(of: OrderInvoiced.eventType).map { $0 > issuedIndex } == true)
            #expect(try await Self.outbox(harness, CustomerExposureExceeded.self).isEmpty)
        }
    }

    struct Accepted: Decodable {
        var quote: Quote
        var order: Order
    }

    @Test("an order over the limit is blocked under block, flagged under warn, silent under allow", arguments: ["block", "warn", "allow"])
    func overLimit(policy: String) async throws {
        let harness = try APIHarness()
        try await harness.run { api in
            // Limit 1,000.00; an open invoice of 500.00; an order of 600.00 gross would make 1,100.00.
            let customer = try await api.registerCustomer(Fixtures.customer(extra: Self.limit(100_000, policy: policy)))
            try await api.issueInvoice(Fixtures.invoice(number: "INV-001", total: 50_000))
            let response = try await api.send(.post, "/v1/orders", json: Self.order(quantity: 1))
            let events = try await Self.outbox(harness, CustomerExposureExceeded.self)
            switch policy {
            case "block":
                #expect(response.status == .conflict)
                let problem = try response.problem()
                #expect(problem.code == "creditLimitExceeded")
                #expect(problem.detail?.contains("1100.00") == true || problem.detail?.contains("1,100.00") == true || problem.detail?.contains("110000") == true,
                        "\(problem.detail ?? "")")
                #expect(try await harness.count("sales_order") == 0)
                #expect(events.count == 1)
                #expect(events.first?.outcome == "refused" && events.first?.documentId == nil)
            case "warn":
                #expect(response.status == .created)
                let order = try response.decode(Order.self)
                #expect(order.creditWarning?.exposureAfter == Self.eur(110_000) && order.creditWarning?.policy == .warn)
                #expect(events.count == 1)
                #expect(events.first?.outcome == "accepted" && events.first?.documentId == order.id)
            default:
                #expect(response.status == .created)
                #expect(try response.decode(Order.self).creditWarning == nil)
                #expect(events.isEmpty)
            }
            if let event = events.first {
                #expect(event.customerId == customer.id && event.creditLimit == Self.eur(100_000))
                #expect(event.exposureBefore == Self.eur(50_000) && event.amount == Self.eur(60_000) && event.exposureAfter == Self.eur(110_000))
                #expect(event.documentType == "order" && event.documentNumber == "O-001")
            }
        }
    }

    @Test("accepting a quote over the limit under block is 409 and leaves the quote sent")
    func quoteAcceptanceBlocked() async throws {
        let harness = try APIHarness()
        try await harness.run { api in
            _ = try await api.registerCustomer(Fixtures.customer(extra: Self.limit(500_000, policy: "block")))
            let quote = try await api.send(.post, "/v1/quotes", json: Self.quote()).decode(Quote.self)
            _ = try await api.send(.post, "/v1/quotes/\(quote.id)/send")
            let response = try await api.send(.post, "/v1/quotes/\(quote.id)/accept")
            #expect(response.status == .conflict)
            #expect(try response.problem().code == "creditLimitExceeded")
            #expect(try await api.send(.get, "/v1/quotes/\(quote.id)").decode(Quote.self).status == .sent)
            let event = try #require(try await Self.outbox(harness, CustomerExposureExceeded.self).first)
            #expect(event.documentType == "quote" && event.documentId == quote.id && event.outcome == "refused")
        }
    }

    @Test("a quote past its validity cannot be accepted: 409, it becomes expired and quote.expired is published once")
    func expiredQuote() async throws {
        let harness = try APIHarness()
        try await harness.run { api in
            _ = try await api.registerCustomer()
            // The clock is 2026-03-15; valid until 2026-03-20, sent, then the sweep runs on the 15th: nothing.
            let quote = try await api.send(.post, "/v1/quotes", json: Self.quote(validUntil: "2026-03-20")).decode(Quote.self)
            _ = try await api.send(.post, "/v1/quotes/\(quote.id)/send")
            #expect(try await harness.database.expireDueQuotes() == 0)
            let late = try await api.send(.post, "/v1/quotes", json: Self.quote(number: "Q-002", validUntil: "2026-03-14")).decode(Quote.self)
            let response = try await api.send(.post, "/v1/quotes/\(late.id)/send")
            #expect(response.status == .conflict)
            #expect(try response.problem().detail?.contains("expired") == true)
            #expect(try await api.send(.get, "/v1/quotes/\(late.id)").decode(Quote.self).status == .expired)
            #expect(try await harness.database.expireDueQuotes() == 0, "already expired")
            #expect(try await Self.outbox(harness, QuoteExpired.self).map(\.number) == ["Q-002"])
            let listed = try await api.send(.get, "/v1/quotes?status=expired").decode(Page<Quote>.self)
            #expect(listed.items.map(\.number) == ["Q-002"])
        }
    }

    @Test("the sweep expires quotes whose validity has passed")
    func sweep() async throws {
        let fixture = try InvoicingFixture()
        try fixture.setToday("2026-03-10")
        _ = try await fixture.database.registerCustomer(try InvoicingFixture.customer())
        let line = try InvoiceLine(description: "Day", quantity: try Quantity(parsing: "1"), unitPrice: Money(minorUnits: 50_000, currency: .eur), vatRateBasisPoints: 2000)
        let quote = try await fixture.database.createQuote(QuoteDraft(
            number: "Q-1", customerNumber: "C-001", issueDate: try CalendarDate(iso8601: "2026-03-10"),
            validUntil: try CalendarDate(iso8601: "2026-03-12"), currency: .eur, lines: [line]))
        #expect(try await fixture.database.expireDueQuotes() == 0)
        try fixture.setToday("2026-03-13")
        #expect(try await fixture.database.expireDueQuotes() == 1)
        #expect(try await fixture.database.quote(id: quote.id)?.status == .expired)
        #expect(try fixture.outboxEvents(QuoteExpired.self).count == 1)
    }

    @Test("a prospect is vetted, refused signing until approved, never invoiced, then signed with the suggested limit")
    func prospect() async throws {
        let harness = try APIHarness()
        try await harness.run { api in
            let created = try await api.send(.post, "/v1/prospects", json: Fixtures.customer(number: "P-001", name: "Danone"))
            #expect(created.status == .created)
            let prospect = try created.decode(Customer.self)
            #expect(prospect.relationship == .prospect)
            #expect(try await Self.outbox(harness, CustomerRegistered.self).first?.customer.relationship == "prospect")

            // Never invoiced, no orders; a quote is fine.
            let invoice = try await api.send(.post, "/v1/invoices", json: Fixtures.invoice(customer: "P-001"))
            #expect(invoice.status == .conflict)
            #expect(try await api.send(.post, "/v1/orders", json: Self.order(customer: "P-001", quantity: 1)).status == .conflict)
            let quote = try await api.send(.post, "/v1/quotes", json: Self.quote(customer: "P-001")).decode(Quote.self)
            _ = try await api.send(.post, "/v1/quotes/\(quote.id)/send")
            #expect(try await api.send(.post, "/v1/quotes/\(quote.id)/accept").status == .conflict, "sign the prospect first")

            // Not vetted: cannot sign. A wrong SIREN check digit: 422 naming the field.
            #expect(try await api.send(.post, "/v1/customers/\(prospect.id)/sign").status == .conflict)
            let wrong = try await api.send(.put, "/v1/customers/\(prospect.id)/vetting",
                                           json: #"{"registrationId": "552032535", "decision": "approved", "decidedBy": "Claire"}"#)
            #expect(wrong.status == .unprocessableContent)
            #expect(try wrong.problem().errors?.first?.field == "registrationId")
            let wrongKey = try await api.send(.put, "/v1/customers/\(prospect.id)/vetting",
                                              json: #"{"vatId": "FR28552032534", "decision": "approved", "decidedBy": "Claire"}"#)
            #expect(try wrongKey.problem().errors?.first?.field == "vatId")

            // Refused: signing stays refused.
            let refused = try await api.send(.put, "/v1/customers/\(prospect.id)/vetting", json: #"{"decision": "refused", "decidedBy": "Claire"}"#)
            #expect(refused.status == .ok)
            #expect(try await api.send(.post, "/v1/customers/\(prospect.id)/sign").status == .conflict)

            // Limited, with Danone's published SIREN and VAT number: signing applies the limit.
            let vetted = try await api.send(.put, "/v1/customers/\(prospect.id)/vetting", json: """
                {"registrationId": "552 032 534", "vatId": "FR 27 552032534", "legalForm": "SA", "creationDate": "1919-01-01",
                 "creditScore": 88, "ratingSource": "Banque de France", "rating": "3+", "decision": "limited",
                 "suggestedCreditLimit": {"minorUnits": 500000, "currency": "EUR"}, "suggestedPaymentTerms": "net:45", "decidedBy": "Claire"}
                """)
            #expect(vetted.status == .ok, "\(String(buffer: vetted.body))")
            let withVetting = try vetted.decode(Customer.self)
            #expect(withVetting.vetting?.details.registrationId == "552032534" && withVetting.vetting?.details.vatId == "FR27552032534")
            #expect(withVetting.details.registrationId == "552032534", "the customer's empty registration id is filled")
            let signed = try await api.send(.post, "/v1/customers/\(prospect.id)/sign")
            #expect(signed.status == .ok)
            let customer = try signed.decode(Customer.self)
            #expect(customer.relationship == .customer && customer.details.creditLimit == Self.eur(500_000))
            #expect(customer.details.paymentTerms == .netDays(45))
            let update = try #require(try await Self.outbox(harness, CustomerUpdated.self).last)
            #expect(update.changedFields.contains("relationship") && update.customer.relationship == "customer")
            #expect(try await Self.outbox(harness, CustomerVetted.self).map(\.decision) == ["refused", "limited"])
            #expect(try await api.send(.post, "/v1/customers/\(prospect.id)/sign").status == .conflict, "signed once")
            // Now it can be invoiced.
            #expect(try await api.send(.post, "/v1/invoices", json: Fixtures.invoice(customer: "P-001")).status == .created)
        }
    }

    @Test("an order is cancelled only while nothing is invoiced; a cancelled invoice gives its amount back to the order")
    func cancellation() async throws {
        let harness = try APIHarness()
        try await harness.run { api in
            _ = try await api.registerCustomer()
            let order = try await api.send(.post, "/v1/orders", json: Self.order(quantity: 4)).decode(Order.self)
            let invoice = try await api.issueInvoice(Self.invoice(number: "INV-1", orderId: order.id, quantity: 4))
            #expect(try await api.send(.get, "/v1/orders/\(order.id)").decode(Order.self).status == .invoiced)
            #expect(try await api.send(.post, "/v1/orders/\(order.id)/cancel").status == .conflict)
            #expect(try await api.send(.post, "/v1/invoices/\(invoice.id)/cancel", json: #"{"reason": "wrong"}"#).status == .ok)
            let reopened = try await api.send(.get, "/v1/orders/\(order.id)").decode(Order.self)
            #expect(reopened.status == .open && reopened.uninvoicedAmount == Self.eur(240_000))
            let cancelled = try await api.send(.post, "/v1/orders/\(order.id)/cancel", json: #"{"reason": "customer withdrew"}"#)
            #expect(try cancelled.decode(Order.self).status == .cancelled)
            #expect(try await api.send(.post, "/v1/invoices", json: Self.invoice(number: "INV-2", orderId: order.id, quantity: 1)).status == .conflict)
            #expect(try await Self.outbox(harness, OrderInvoiced.self).map(\.change) == ["issued", "cancelled"])
        }
    }

    @Test("an invoice of another customer's order, in another currency, or without lines is refused")
    func invoiceOrderRules() async throws {
        let harness = try APIHarness()
        try await harness.run { api in
            _ = try await api.registerCustomer()
            _ = try await api.registerCustomer(Fixtures.customer(number: "C-002"))
            let order = try await api.send(.post, "/v1/orders", json: Self.order(customer: "C-002", quantity: 4)).decode(Order.self)
            let other = try await api.send(.post, "/v1/invoices", json: Self.invoice(number: "INV-1", orderId: order.id, quantity: 1))
            #expect(other.status == .unprocessableContent)
            #expect(try other.problem().errors?.first?.field == "orderId")
            let unknown = try await api.send(.post, "/v1/invoices", json: Self.invoice(number: "INV-1", orderId: "nope", quantity: 1))
            #expect(unknown.status == .unprocessableContent)
            let noLines = #"{"number": "INV-1", "customerNumber": "C-002", "issueDate": "2026-03-15", "currency": "EUR", "orderId": "\#(order.id)", "total": {"minorUnits": 100, "currency": "EUR"}}"#
            #expect(try await api.send(.post, "/v1/invoices", json: noLines).status == .unprocessableContent)
            #expect(try await harness.count("invoice") == 0)
        }
    }

    @Test("lists are paginated by number and filtered by status")
    func lists() async throws {
        let harness = try APIHarness()
        try await harness.run { api in
            _ = try await api.registerCustomer()
            for number in ["O-3", "O-1", "O-2"] {
                #expect(try await api.send(.post, "/v1/orders", json: Self.order(number: number, quantity: 1)).status == .created)
            }
            let first = try await api.send(.get, "/v1/orders?limit=2").decode(Page<Order>.self)
            #expect(first.items.map(\.number) == ["O-1", "O-2"])
            let cursor = try #require(first.nextCursor)
            let second = try await api.send(.get, "/v1/orders?limit=2&cursor=\(cursor)").decode(Page<Order>.self)
            #expect(second.items.map(\.number) == ["O-3"] && second.nextCursor == nil)
            #expect(try await api.send(.get, "/v1/orders?status=invoiced").decode(Page<Order>.self).items.isEmpty)
            #expect(try await api.send(.get, "/v1/orders?status=nope").status == .badRequest)
        }
    }

    @Test("sent quotes count in exposure only when exposure.quotes is on")
    func sentQuotesSetting() async throws {
        var configuration = InvoicingAPI.Configuration()
        configuration.exposureIncludesSentQuotes = true
        let harness = try APIHarness(configuration: configuration)
        try await harness.run { api in
            let customer = try await api.registerCustomer()
            let quote = try await api.send(.post, "/v1/quotes", json: Self.quote()).decode(Quote.self)
            #expect(try await Self.exposure(api, customer.id) == nil, "a draft does not count")
            _ = try await api.send(.post, "/v1/quotes/\(quote.id)/send")
            let exposure = try #require(try await Self.exposure(api, customer.id))
            #expect(exposure.sentQuotes == Self.eur(600_000) && exposure.exposure == Self.eur(600_000))
        }
    }
    @Test("open orders are synced by number from CSV: created, unchanged, cancelled, different refused, blocked over the limit")
    func importOrders() async throws {
        let harness = try APIHarness()
        try await harness.run { api in
            _ = try await api.registerCustomer()
            _ = try await api.registerCustomer(Fixtures.customer(number: "C-002", extra: Self.limit(10_000, policy: "block")))
            let csv = """
                number;customerNumber;orderDate;currency;netAmount;vatRate;customerReference
                BC-1;C-001;2026-03-01;EUR;1 000,00;20;PO-1
                BC-2;C-001;01/03/2026;EUR;500.00;5,5;
                BC-3;C-002;2026-03-01;EUR;500.00;20;
                BC-4;C-404;2026-03-01;EUR;500.00;20;
                """
            let first = try await api.upload("/v1/imports/orders", csv: csv).decode(ImportReport.self)
            #expect(first.created == 2 && first.rejectedCount == 2)
            #expect(Set(first.rejected.map(\.error.code)) == [.creditLimitExceeded, .notFound])
            let orders = try await api.send(.get, "/v1/orders").decode(Page<Order>.self).items
            #expect(orders.map(\.number) == ["BC-1", "BC-2"])
            #expect(orders.first?.totalAmount == Self.eur(120_000) && orders.first?.origin == .imported)
            #expect(orders.last?.vatAmount == Self.eur(2_750))

            // The same file again changes nothing; a cancellation cancels; a different amount is refused.
            #expect(try await api.upload("/v1/imports/orders", csv: csv).decode(ImportReport.self).unchanged == 2)
            let second = try await api.upload("/v1/imports/orders", csv: """
                number,customerNumber,orderDate,currency,netAmount,vatRate,status
                BC-1,C-001,2026-03-01,EUR,1000.00,20,cancelled
                BC-2,C-001,2026-03-01,EUR,600.00,5.5,open
                """).decode(ImportReport.self)
            #expect(second.updated == 1 && second.rejected.first?.error.code == .duplicateNumber)
            #expect(try await api.send(.get, "/v1/orders?status=cancelled").decode(Page<Order>.self).items.map(\.number) == ["BC-1"])
            #expect(try await Self.outbox(harness, OrderCancelled.self).count == 1)
        }
    }
}
