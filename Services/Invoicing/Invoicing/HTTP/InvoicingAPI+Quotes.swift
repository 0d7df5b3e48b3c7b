import Events
import Hummingbird
import ServiceKit

extension InvoicingAPI {
    /// Prospects, quotes and orders:
    /// - `POST /v1/prospects` (CustomerDraft) → 201 Customer with `relationship` `prospect`;
    /// - `PUT /v1/customers/{id}/vetting` (VettingDraft) → Customer; `POST /v1/customers/{id}/sign` → Customer;
    /// - `POST /v1/quotes` (QuoteDraft) → 201 Quote; `GET /v1/quotes?customerId=&status=&limit=&cursor=`;
    ///   `GET /v1/quotes/{id}`; `POST /v1/quotes/{id}/send`, `/accept` (`orderNumber`?,
    ///   `customerReference`?) → `{quote, order}`, `/refuse` (`reason`?);
    /// - `POST /v1/orders` (OrderDraft) → 201 Order; `GET /v1/orders?customerId=&status=&limit=&cursor=`;
    ///   `GET /v1/orders/{id}`; `POST /v1/orders/{id}/cancel` (`reason`?).
    func addQuoteRoutes(to v1: RouterGroup<RelanceRequestContext>) {
        let database = self.database
        let settings = InvoicingDatabase.ExposureSettings(includeSentQuotes: configuration.exposureIncludesSentQuotes)

        v1.post("prospects") { request, context -> Response in
            let draft = try await Self.decode(CustomerDraft.self, from: request, context: context)
            let prospect = try await database.registerCustomer(draft, relationship: .prospect)
            return try Self.json(prospect, status: .created, headers: [.location: "/v1/customers/\(prospect.id)"], context: context)
        }

        v1.put("customers/:id/vetting") { request, context -> Response in
            let id = try context.parameters.require("id")
            let draft = try await Self.decode(VettingDraft.self, from: request, context: context)
            return try Self.json(try await database.recordVetting(customerId: id, draft), context: context)
        }

        v1.post("customers/:id/sign") { _, context -> Response in
            let id = try context.parameters.require("id")
            return try Self.json(try await database.signProspect(id: id), context: context)
        }

        v1.post("quotes") { request, context -> Response in
            let draft = try await Self.decode(QuoteDraft.self, from: request, context: context)
            let quote = try await database.createQuote(draft)
            return try Self.json(quote, status: .created, headers: [.location: "/v1/quotes/\(quote.id)"], context: context)
        }

        v1.get("quotes") { request, context -> Response in
            var query = InvoicingDatabase.QuoteQuery(customerId: Self.query("customerId", request))
            query.status = try Self.enumQuery("status", request, as: "a quote status")
            return try Self.json(try await database.quotes(matching: query, page: try Self.pageRequest(request)), context: context)
        }

        v1.get("quotes/:id") { _, context -> Response in
            let id = try context.parameters.require("id")
            guard let quote = try await database.quote(id: id) else {
                throw InvoicingError(.notFound, "no quote with id \(id)")
            }
            return try Self.json(quote, context: context)
        }

        v1.post("quotes/:id/send") { _, context -> Response in
            let id = try context.parameters.require("id")
            return try Self.json(try await database.sendQuote(id: id), context: context)
        }

        v1.post("quotes/:id/accept") { request, context -> Response in
            let id = try context.parameters.require("id")
            let body = try await Self.decode(AcceptBody.self, from: request, context: context, empty: AcceptBody())
            let accepted = try await database.acceptQuote(id: id, orderNumber: body.orderNumber, customerReference: body.customerReference,
                                                          settings: settings)
            return try Self.json(AcceptedQuote(quote: accepted.quote, order: accepted.order), context: context)
        }

        v1.post("quotes/:id/refuse") { request, context -> Response in
            let id = try context.parameters.require("id")
            let reason = try await Self.optionalReason(from: request, context: context)
            return try Self.json(try await database.refuseQuote(id: id, reason: reason), context: context)
        }

        v1.post("orders") { request, context -> Response in
            let draft = try await Self.decode(OrderDraft.self, from: request, context: context)
            let order = try await database.createOrder(draft, settings: settings)
            return try Self.json(order, status: .created, headers: [.location: "/v1/orders/\(order.id)"], context: context)
        }

        v1.get("orders") { request, context -> Response in
            var query = InvoicingDatabase.OrderQuery(customerId: Self.query("customerId", request))
            query.status = try Self.enumQuery("status", request, as: "an order status")
            return try Self.json(try await database.orders(matching: query, page: try Self.pageRequest(request)), context: context)
        }

        v1.get("orders/:id") { _, context -> Response in
            let id = try context.parameters.require("id")
            guard let order = try await database.order(id: id) else {
                throw InvoicingError(.notFound, "no order with id \(id)")
            }
            return try Self.json(order, context: context)
        }

        v1.post("orders/:id/cancel") { request, context -> Response in
            let id = try context.parameters.require("id")
            let reason = try await Self.optionalReason(from: request, context: context)
            return try Self.json(try await database.cancelOrder(id: id, reason: reason), context: context)
        }
    }

    /// The body of `POST /v1/quotes/{id}/accept`; both fields optional.
    struct AcceptBody: Decodable, Sendable {
        var orderNumber: String?
        var customerReference: String?

        init(orderNumber: String? = nil, customerReference: String? = nil) {
            self.orderNumber = orderNumber
            self.customerReference = customerReference
        }

        private enum CodingKeys: String, CodingKey { case orderNumber, customerReference }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            orderNumber = try container.decodeIfGiven(String.self, forKey: .orderNumber)
            customerReference = try container.decodeIfGiven(String.self, forKey: .customerReference)
        }
    }

    /// What accepting a quote returns.
    struct AcceptedQuote: Encodable, Sendable {
        var quote: Quote
        var order: Order
    }
}
