import Foundation
import HTTPTypes
import Hummingbird
import ServiceKit

extension PaymentMatchingAPI {
    /// The body of `POST /v1/payments/{id}/not-customer`.
    struct NotCustomerRequest: Decodable {
        var decidedBy: String
        var reason: String?
    }

    /// The body of `POST /v1/payments/{id}/undo`.
    struct UndoRequest: Decodable {
        var decidedBy: String
        /// The allocations to undo; all of them and the credit on account when absent.
        var allocationIds: [String]?
        var reason: String?
    }

    /// - `GET /v1/payments[?status=unmatched,partlyAllocated&importId=…]`: payments, oldest first.
    /// - `GET /v1/payments/{id}`: one, with allocations, suggestions and decisions.
    /// - `POST /v1/payments/{id}/allocations` (``ManualAllocation``), `…/not-customer`, `…/undo`.
    /// - `GET /v1/invoices[?customerId=&number=&open=true]`: the invoices as this service knows
    ///   them, with what may still be allocated.
    func addPaymentRoutes(to v1: RouterGroup<RelanceRequestContext>) {
        let database = self.database
        v1.get("payments") { request, context -> Response in
            var query = PaymentQuery(importId: try Self.identifier("importId", request))
            if let text = APISupport.formattedQuery("status", request) {
                for name in text.split(separator: ",", omittingEmptySubsequences: false) {
                    guard let status = PaymentStatus(rawValue: String(name)) else {
                        throw APISupport.badParameter(
                            "status", "'\(name)' is not a status; give one or more of \(PaymentStatus.allCases.map(\.rawValue).joined(separator: ", ")), comma separated")
                    }
                    query.statuses.insert(status)
                }
            }
            let page = try APISupport.pageRequest(request)
            return try APISupport.json(try await database.payments(matching: query, page: page), context: context)
        }
        v1.get("payments/{id}") { _, context -> Response in
            let id = try context.parameters.require("id")
            guard let payment = try await database.payment(id: id) else {
                throw PaymentMatchingError(.notFound, "no payment with id \(id)")
            }
            return try APISupport.json(payment, context: context)
        }
        v1.post("payments/{id}/allocations") { request, context -> Response in
            let id = try context.parameters.require("id")
            let body = try await APISupport.decode(ManualAllocation.self, from: request, context: context)
            return try APISupport.json(try await database.allocate(paymentId: id, body), context: context)
        }
        v1.post("payments/{id}/not-customer") { request, context -> Response in
            let id = try context.parameters.require("id")
            let body = try await APISupport.decode(NotCustomerRequest.self, from: request, context: context)
            return try APISupport.json(
                try await database.markNotCustomer(paymentId: id, decidedBy: body.decidedBy, reason: body.reason), context: context)
        }
        v1.post("payments/{id}/undo") { request, context -> Response in
            let id = try context.parameters.require("id")
            let body = try await APISupport.decode(UndoRequest.self, from: request, context: context)
            return try APISupport.json(
                try await database.undo(paymentId: id, allocationIds: body.allocationIds, decidedBy: body.decidedBy, reason: body.reason),
                context: context)
        }
        v1.get("invoices") { request, context -> Response in
            var openOnly = false
            if let text = APISupport.formattedQuery("open", request) {
                guard let value = Bool(text) else { throw APISupport.badParameter("open", "'\(text)' is not true or false") }
                openOnly = value
            }
            let page = try APISupport.pageRequest(request)
            return try APISupport.json(try await database.ledgerInvoices(
                customerId: try Self.identifier("customerId", request), number: try Self.identifier("number", request),
                openOnly: openOnly, page: page), context: context)
        }
    }

    /// An optional identifier query parameter: at most 100 characters, as the document says.
    static func identifier(_ name: String, _ request: Request) throws -> String? {
        guard let value = APISupport.query(name, request) else { return nil }
        guard value.count <= 100 else { throw APISupport.badParameter(name, "at most 100 characters") }
        return value
    }
}
