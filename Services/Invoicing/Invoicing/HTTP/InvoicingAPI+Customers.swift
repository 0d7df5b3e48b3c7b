import Hummingbird
import ServiceKit

extension InvoicingAPI {
    /// Customers and outstanding balances:
    /// - `POST /v1/customers` (CustomerDraft) → 201 Customer, `Location`;
    /// - `GET /v1/customers?q=&segment=&risk=&tag=&limit=&cursor=` → a page of customers by number;
    /// - `GET /v1/customers/{id}`, `PUT /v1/customers/{id}` (the full CustomerDraft);
    /// - `GET /v1/customers/{id}/outstanding?asOf=YYYY-MM-DD` (default: today in the customer's
    ///   zone), `GET /v1/outstanding?asOf=` (default: today in the business time zone).
    func addCustomerRoutes(to v1: RouterGroup<RelanceRequestContext>) {
        let database = self.database
        let businessTimeZone = configuration.businessTimeZone
        let exposureIncludesSentQuotes = configuration.exposureIncludesSentQuotes

        v1.post("customers") { request, context -> Response in
            let draft = try await Self.decode(CustomerDraft.self, from: request, context: context)
            let customer = try await database.registerCustomer(draft)
            return try Self.json(customer, status: .created, headers: [.location: "/v1/customers/\(customer.id)"], context: context)
        }

        v1.get("customers") { request, context -> Response in
            var query = InvoicingDatabase.CustomerQuery(
                text: Self.query("q", request), segment: Self.query("segment", request), tag: Self.query("tag", request))
            query.riskCategory = try Self.enumQuery("risk", request, as: "a risk category")
            let page = try await database.customers(matching: query, page: try Self.pageRequest(request))
            return try Self.json(page, context: context)
        }

        v1.get("customers/:id") { _, context -> Response in
            let id = try context.parameters.require("id")
            guard let customer = try await database.customer(id: id) else {
                throw InvoicingError(.notFound, "no customer with id \(id)")
            }
            return try Self.json(customer, context: context)
        }

        v1.put("customers/:id") { request, context -> Response in
            let id = try context.parameters.require("id")
            let draft = try await Self.decode(CustomerDraft.self, from: request, context: context)
            return try Self.json(try await database.updateCustomer(id: id, draft), context: context)
        }

        v1.get("customers/:id/outstanding") { request, context -> Response in
            let id = try context.parameters.require("id")
            let asOf = try Self.dateParameter("asOf", request)
            let settings = InvoicingDatabase.ExposureSettings(includeSentQuotes: exposureIncludesSentQuotes)
            return try Self.json(try await database.outstanding(customerId: id, asOf: asOf, settings: settings), context: context)
        }

        v1.get("outstanding") { request, context -> Response in
            let asOf = try Self.dateParameter("asOf", request)
            return try Self.json(try await database.portfolioOutstanding(asOf: asOf, businessTimeZone: businessTimeZone), context: context)
        }
    }
}
