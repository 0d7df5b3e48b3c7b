import Events
import Foundation
import Hummingbird
import Money
import ServiceKit

extension InvoicingAPI {
    /// Customer credit and credit notes:
    /// - `POST /v1/invoices/{id}/apply-credit` `{amount?, creditItemId?}` (the body may be
    ///   empty) → CreditApplicationResult;
    /// - `GET /v1/customers/{id}/credit-items?limit=&cursor=` → a page of credit items, oldest first;
    /// - `POST /v1/credit-notes` (CreditNoteDraft + `customerId`) → 201 CreditNote, `Location`;
    /// - `GET /v1/credit-notes?customerId=&invoiceId=&limit=&cursor=` → a page by number;
    /// - `GET /v1/credit-notes/{id}`.
    func addCreditRoutes(to v1: RouterGroup<RelanceRequestContext>) {
        let database = self.database

        v1.post("invoices/:id/apply-credit") { request, context -> Response in
            let id = try context.parameters.require("id")
            let body = try await Self.decode(ApplyCreditBody.self, from: request, context: context, empty: ApplyCreditBody())
            let result = try await database.applyCredit(invoiceId: id, amount: body.amount, creditItemId: body.creditItemId)
            return try Self.json(result, context: context)
        }

        v1.get("customers/:id/credit-items") { request, context -> Response in
            let id = try context.parameters.require("id")
            return try Self.json(try await database.creditItems(customerId: id, page: try Self.pageRequest(request)), context: context)
        }

        v1.post("credit-notes") { request, context -> Response in
            var draft = try await Self.decode(StandaloneCreditNoteDraft.self, from: request, context: context)
            draft.note = try Self.checkedCreditNote(draft.note)
            let note = try await database.issueStandaloneCreditNote(draft)
            return try Self.json(note, status: .created, headers: [.location: "/v1/credit-notes/\(note.id)"], context: context)
        }

        v1.get("credit-notes") { request, context -> Response in
            let query = InvoicingDatabase.CreditNoteQuery(customerId: Self.query("customerId", request), invoiceId: Self.query("invoiceId", request))
            return try Self.json(try await database.creditNotes(matching: query, page: try Self.pageRequest(request)), context: context)
        }

        v1.get("credit-notes/:id") { _, context -> Response in
            let id = try context.parameters.require("id")
            guard let note = try await database.creditNote(id: id) else {
                throw InvoicingError(.notFound, "no credit note with id \(id)")
            }
            return try Self.json(note, context: context)
        }
    }

    /// The number trimmed and within its limits, the reason within its length.
    static func checkedCreditNote(_ draft: CreditNoteDraft) throws -> CreditNoteDraft {
        var draft = draft
        draft.number = try CustomerDraft.identifier(draft.number, field: "number", maximumLength: InvoiceDraft.maximumNumberLength)
        try InputLimits.check(draft.reason, atMost: Self.maximumReasonLength, field: "reason", "the reason")
        return draft
    }

    /// `{"amount": Money?, "creditItemId": "..."?}`; `null` is refused (400).
    struct ApplyCreditBody: Decodable, Sendable {
        var amount: Money?
        var creditItemId: String?

        init() {}

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            amount = try container.decodeIfGiven(Money.self, forKey: .amount)
            creditItemId = try container.decodeIfGiven(String.self, forKey: .creditItemId)
        }

        private enum CodingKeys: String, CodingKey { case amount, creditItemId }
    }
}
