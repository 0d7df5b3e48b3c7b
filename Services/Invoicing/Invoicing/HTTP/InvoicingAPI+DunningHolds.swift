import Events
import Foundation
import Hummingbird
import Money
import ServiceKit

extension InvoicingAPI {
    /// Reasons to stop or slow dunning:
    /// - `POST /v1/invoices/{id}/disputes` (DisputeRequest) → 201 `{dispute, invoice}`;
    ///   `GET /v1/invoices/{id}/disputes` → `{items}`;
    ///   `POST /v1/invoices/{id}/disputes/{disputeId}/resolve` `{resolution, resolvedOn?}` → `{dispute, invoice}`;
    /// - `POST /v1/invoices/{id}/factor/release` `{releasedOn?}` (body optional) → Invoice;
    /// - `PUT /v1/customers/{id}/credit-insurance` (CreditInsuranceDraft), `DELETE` ends it → Customer;
    /// - `PUT /v1/customers/{id}/legal-status` (LegalStatusDraft) → Customer.
    ///
    /// The older `POST /v1/invoices/{id}/dispute`, `/dispute/resolve` and `/factor` stay in
    /// ``addInvoiceRoutes(to:)``.
    func addDunningHoldRoutes(to v1: RouterGroup<RelanceRequestContext>) {
        let database = self.database

        v1.post("invoices/:id/disputes") { request, context -> Response in
            let id = try context.parameters.require("id")
            let body = try await Self.decode(DisputeBody.self, from: request, context: context)
            let reason = try Self.requiredText(body.reason, field: "reason", maximumLength: Self.maximumReasonLength,
                                               "say why the customer disputes the invoice")
            let draft = DisputeDraft(amount: body.amount, category: body.category, reason: reason, openedOn: body.openedOn)
            return try Self.json(try await database.openDispute(invoiceId: id, draft), status: .created, context: context)
        }

        v1.get("invoices/:id/disputes") { _, context -> Response in
            let id = try context.parameters.require("id")
            return try Self.json(DisputeList(items: try await database.disputes(invoiceId: id)), context: context)
        }

        v1.post("invoices/:id/disputes/:disputeId/resolve") { request, context -> Response in
            let id = try context.parameters.require("id")
            let disputeId = try context.parameters.require("disputeId")
            let body = try await Self.decode(ResolveBody.self, from: request, context: context)
            let resolution = try Self.requiredText(body.resolution, field: "resolution", maximumLength: Self.maximumReasonLength,
                                                   "say how the dispute was resolved")
            let change = try await database.resolveDispute(
                invoiceId: id, disputeId: disputeId, DisputeResolution(resolution: resolution, resolvedOn: body.resolvedOn))
            return try Self.json(change, context: context)
        }

        v1.post("invoices/:id/factor/release") { request, context -> Response in
            let id = try context.parameters.require("id")
            let body = try await Self.decode(ReleaseBody.self, from: request, context: context, empty: ReleaseBody())
            return try Self.json(try await database.releaseFromFactor(invoiceId: id, releasedOn: body.releasedOn), context: context)
        }

        v1.put("customers/:id/credit-insurance") { request, context -> Response in
            let id = try context.parameters.require("id")
            let draft = try await Self.decode(CreditInsuranceDraft.self, from: request, context: context)
            return try Self.json(try await database.setCreditInsurance(customerId: id, draft), context: context)
        }

        v1.delete("customers/:id/credit-insurance") { _, context -> Response in
            let id = try context.parameters.require("id")
            return try Self.json(try await database.endCreditInsurance(customerId: id), context: context)
        }

        v1.put("customers/:id/legal-status") { request, context -> Response in
            let id = try context.parameters.require("id")
            let draft = try await Self.decode(LegalStatusDraft.self, from: request, context: context)
            return try Self.json(try await database.setLegalStatus(customerId: id, draft), context: context)
        }
    }

    /// `{"reason", "amount"?, "category"?, "openedOn"?}`; an explicit `null` is refused (400).
    struct DisputeBody: Decodable, Sendable {
        var reason: String?
        var amount: Money?
        var category: String?
        var openedOn: CalendarDate?

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            reason = try container.decodeIfGiven(String.self, forKey: .reason)
            amount = try container.decodeIfGiven(Money.self, forKey: .amount)
            category = try container.decodeIfGiven(String.self, forKey: .category)
            openedOn = try container.decodeIfGiven(CalendarDate.self, forKey: .openedOn)
        }

        private enum CodingKeys: String, CodingKey { case reason, amount, category, openedOn }
    }

    /// `{"resolution", "resolvedOn"?}`.
    struct ResolveBody: Decodable, Sendable {
        var resolution: String?
        var resolvedOn: CalendarDate?

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            resolution = try container.decodeIfGiven(String.self, forKey: .resolution)
            resolvedOn = try container.decodeIfGiven(CalendarDate.self, forKey: .resolvedOn)
        }

        private enum CodingKeys: String, CodingKey { case resolution, resolvedOn }
    }

    /// `{"releasedOn"?}`; the body may be empty.
    struct ReleaseBody: Decodable, Sendable {
        var releasedOn: CalendarDate?

        init(releasedOn: CalendarDate? = nil) {
            self.releasedOn = releasedOn
        }

        init(from decoder: any Decoder) throws {
            releasedOn = try decoder.container(keyedBy: CodingKeys.self).decodeIfGiven(CalendarDate.self, forKey: .releasedOn)
        }

        private enum CodingKeys: String, CodingKey { case releasedOn }
    }
}
