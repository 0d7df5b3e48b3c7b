import Events
import Foundation
import Hummingbird
import Money
import ServiceKit

extension InvoicingAPI {
    /// Invoices and their lifecycle:
    /// - `POST /v1/invoices` (InvoiceDraft) → 201 Invoice, `Location`;
    /// - `GET /v1/invoices?customerId=&status=&limit=&cursor=` → a page of invoices by number;
    /// - `GET /v1/invoices/{id}`;
    /// - `POST /v1/invoices/{id}/cancel` `{reason?}`, `/credit-notes` (CreditNoteDraft) → 201
    ///   `{creditNote, invoice}`, `/dispute` `{reason}`, `/dispute/resolve` `{resolution}`,
    ///   `/factor` `{factorName, mode?, assignedOn?}`, `/write-off` `{reason, amount?, category?}` (`/dispute` and
    ///   `/dispute/resolve` are deprecated: see ``addDunningHoldRoutes(to:)``);
    /// - `PUT /v1/invoices/{id}/credit-insurance` `{insurer}` (`null` clears it);
    /// - `PUT /v1/invoices/{id}/schedule` `{instalments: [{dueDate, amount}]}`;
    /// - `POST /v1/invoices/{id}/due-date` `{dueDate, reason}`.
    func addInvoiceRoutes(to v1: RouterGroup<RelanceRequestContext>) {
        let database = self.database

        v1.post("invoices") { request, context -> Response in
            let draft = try await Self.decode(InvoiceDraft.self, from: request, context: context)
            let invoice = try await database.issueInvoice(draft)
            return try Self.json(invoice, status: .created, headers: [.location: "/v1/invoices/\(invoice.id)"], context: context)
        }

        v1.get("invoices") { request, context -> Response in
            var query = InvoicingDatabase.InvoiceQuery(customerId: Self.query("customerId", request))
            query.status = try Self.enumQuery("status", request, as: "an invoice status")
            let page = try await database.invoices(matching: query, page: try Self.pageRequest(request))
            return try Self.json(page, context: context)
        }

        v1.get("invoices/:id") { _, context -> Response in
            let id = try context.parameters.require("id")
            guard let invoice = try await database.invoice(id: id) else {
                throw InvoicingError(.notFound, "no invoice with id \(id)")
            }
            return try Self.json(invoice, context: context)
        }

        v1.post("invoices/:id/cancel") { request, context -> Response in
            let id = try context.parameters.require("id")
            let reason = try await Self.optionalReason(from: request, context: context)
            return try Self.json(try await database.cancelInvoice(id: id, reason: reason), context: context)
        }

        v1.post("invoices/:id/credit-notes") { request, context -> Response in
            let id = try context.parameters.require("id")
            let draft = try Self.checkedCreditNote(try await Self.decode(CreditNoteDraft.self, from: request, context: context))
            let (note, invoice) = try await database.issueCreditNote(invoiceId: id, draft)
            return try Self.json(CreditNoteAndInvoice(creditNote: note, invoice: invoice), status: .created, context: context)
        }

        v1.post("invoices/:id/dispute") { request, context -> Response in
            let id = try context.parameters.require("id")
            let body = try await Self.decode(ReasonBody.self, from: request, context: context)
            let reason = try Self.requiredText(body.reason, field: "reason", maximumLength: Self.maximumReasonLength,
                                               "say why the customer disputes the invoice")
            return try Self.json(try await database.openDispute(invoiceId: id, reason: reason), context: context)
        }

        v1.post("invoices/:id/dispute/resolve") { request, context -> Response in
            let id = try context.parameters.require("id")
            let body = try await Self.decode(ResolutionBody.self, from: request, context: context)
            let resolution = try Self.requiredText(body.resolution, field: "resolution", maximumLength: Self.maximumReasonLength,
                                                   "say how the dispute was resolved")
            return try Self.json(try await database.resolveDispute(invoiceId: id, resolution: resolution), context: context)
        }

        v1.post("invoices/:id/factor") { request, context -> Response in
            let id = try context.parameters.require("id")
            let body = try await Self.decode(FactorBody.self, from: request, context: context)
            let factor = try Self.requiredText(body.factorName, field: "factorName", maximumLength: Self.maximumNameLength,
                                               "name the factor the invoice was sold to")
            let invoice = try await database.assignToFactor(
                invoiceId: id, factorName: factor, mode: body.mode ?? .notified, assignedOn: body.assignedOn)
            return try Self.json(invoice, context: context)
        }

        v1.put("invoices/:id/credit-insurance") { request, context -> Response in
            let id = try context.parameters.require("id")
            let body = try await Self.decode(InsuranceBody.self, from: request, context: context)
            let insurer = try Self.optionalText(body.insurer, field: "insurer", maximumLength: Self.maximumNameLength, "the insurer")
            return try Self.json(try await database.setCreditInsurer(invoiceId: id, insurer: insurer), context: context)
        }

        v1.put("invoices/:id/schedule") { request, context -> Response in
            let id = try context.parameters.require("id")
            let body = try await Self.decode(ScheduleBody.self, from: request, context: context)
            return try Self.json(try await database.setSchedule(invoiceId: id, instalments: body.instalments), context: context)
        }

        v1.post("invoices/:id/due-date") { request, context -> Response in
            let id = try context.parameters.require("id")
            let body = try await Self.decode(DueDateBody.self, from: request, context: context)
            let reason = try Self.requiredText(body.reason, field: "reason", maximumLength: Self.maximumReasonLength,
                                               "say why the due date changes")
            return try Self.json(try await database.changeDueDate(invoiceId: id, to: body.dueDate, reason: reason), context: context)
        }

        v1.post("invoices/:id/write-off") { request, context -> Response in
            let id = try context.parameters.require("id")
            let body = try await Self.decode(WriteOffBody.self, from: request, context: context)
            let reason = try Self.requiredText(body.reason, field: "reason", maximumLength: Self.maximumReasonLength,
                                               "say why the balance is written off")
            guard let amount = body.amount else {
                return try Self.json(try await database.writeOff(invoiceId: id, reason: reason, category: body.category), context: context)
            }
            let tolerance = Money(minorUnits: self.configuration.writeOffTolerance, currency: amount.currency)
            return try Self.json(try await database.writeOffPart(
                invoiceId: id, amount: amount, tolerance: tolerance, category: body.category ?? .other, reason: reason), context: context)
        }
    }

    /// The longest reason or resolution accepted (cancellation, dispute, write-off, credit
    /// note); invoice events carry them.
    static let maximumReasonLength = 1000
    /// The longest factor or insurer name accepted.
    static let maximumNameLength = 200

    /// `{"reason": "..."}`: optional when cancelling (the body may be empty); required for
    /// disputes and write-offs (blank is refused with 422). `null` is refused (400).
    /// The optional `reason` of an action's body (cancel, refuse), trimmed; an empty body
    /// gives none.
    /// - Throws: a decoding problem, or `InvoicingError` `.limitExceeded` for a reason over
    ///   ``maximumReasonLength``.
    static func optionalReason(from request: Request, context: RelanceRequestContext) async throws -> String? {
        let body = try await decode(ReasonBody.self, from: request, context: context, empty: ReasonBody(reason: nil))
        return try optionalText(body.reason, field: "reason", maximumLength: maximumReasonLength, "the reason")
    }

    struct ReasonBody: Decodable, Sendable {
        var reason: String?

        init(reason: String?) {
            self.reason = reason
        }

        init(from decoder: any Decoder) throws {
            reason = try decoder.container(keyedBy: CodingKeys.self).decodeIfGiven(String.self, forKey: .reason)
        }

        private enum CodingKeys: String, CodingKey { case reason }
    }

    /// `{"reason": "...", "amount"?: Money, "category"?: "bankFees" | "rounding" | "other"}`:
    /// without `amount`, the whole balance is written off as a loss; with one, that amount
    /// within the tolerance (`writeoff.tolerance`), the rest staying open.
    struct WriteOffBody: Decodable, Sendable {
        var reason: String?
        var amount: Money?
        var category: WriteOffCategory?

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            reason = try container.decodeIfGiven(String.self, forKey: .reason)
            amount = try container.decodeIfGiven(Money.self, forKey: .amount)
            category = try container.decodeIfGiven(WriteOffCategory.self, forKey: .category)
        }

        private enum CodingKeys: String, CodingKey { case reason, amount, category }
    }

    /// `{"resolution": "..."}`.
    struct ResolutionBody: Decodable, Sendable {
        var resolution: String?

        init(from decoder: any Decoder) throws {
            resolution = try decoder.container(keyedBy: CodingKeys.self).decodeIfGiven(String.self, forKey: .resolution)
        }

        private enum CodingKeys: String, CodingKey { case resolution }
    }

    /// `{"factorName": "...", "mode"?: "notified" | "confidential", "assignedOn"?}`; mode
    /// default `notified`, date default today.
    struct FactorBody: Decodable, Sendable {
        var factorName: String?
        var mode: FactoringMode?
        var assignedOn: CalendarDate?

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            factorName = try container.decodeIfGiven(String.self, forKey: .factorName)
            mode = try container.decodeIfGiven(FactoringMode.self, forKey: .mode)
            assignedOn = try container.decodeIfGiven(CalendarDate.self, forKey: .assignedOn)
        }

        private enum CodingKeys: String, CodingKey { case factorName, mode, assignedOn }
    }

    /// `{"instalments": [{"dueDate": "2026-01-31", "amount": {...}}]}`.
    struct ScheduleBody: Decodable, Sendable {
        var instalments: [Instalment]
    }

    /// `{"dueDate": "2026-02-28", "reason": "..."}`.
    struct DueDateBody: Decodable, Sendable {
        var dueDate: CalendarDate
        var reason: String?

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            dueDate = try container.decode(CalendarDate.self, forKey: .dueDate)
            reason = try container.decodeIfGiven(String.self, forKey: .reason)
        }

        private enum CodingKeys: String, CodingKey { case dueDate, reason }
    }

    /// `{"insurer": "..."}`; `null`, blank or absent clears the insurer.
    struct InsuranceBody: Decodable, Sendable {
        var insurer: String?
    }

    /// The answer to issuing a credit note: the note and the invoice as it is afterwards.
    struct CreditNoteAndInvoice: Encodable, Sendable {
        var creditNote: CreditNote
        var invoice: Invoice
    }
}
