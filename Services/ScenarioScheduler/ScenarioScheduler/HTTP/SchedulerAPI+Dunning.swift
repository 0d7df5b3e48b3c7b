import Events
import Foundation
import HTTPTypes
import Hummingbird
import ServiceKit

extension SchedulerAPI {
    struct AssignmentRequest: Decodable {
        /// The scenario; null removes the explicit assignment (rules and default apply again).
        var scenario: String?
    }

    struct OverrideRequest: Decodable {
        /// Until when automatic reminders go despite stale statements.
        var until: Date
        /// Who decided.
        var decidedBy: String
    }

    /// - `GET /v1/customers/{id}/dunning`, `PUT /v1/customers/{id}/scenario`
    /// - `GET /v1/invoices/{id}/dunning`
    /// - `GET /v1/tasks[?status=open|done&customerId=]`, `POST /v1/tasks/{id}/complete`
    /// - `GET /v1/promises[?customerId=]`, `POST /v1/promises`
    /// - `GET /v1/cases`
    /// - `GET /v1/holds`, `POST /v1/holds/freshness/override`
    func addDunningRoutes(to v1: RouterGroup<RelanceRequestContext>) {
        let database = self.database
        let wake = self.wakeTicker
        v1.get("customers/{id}/dunning") { _, context -> Response in
            let id = try Self.pathIdentifier(context, "id")
            guard let view = try await database.customerDunning(id) else { throw SchedulerError.notFound("the scheduler knows no customer \(id)") }
            return try APISupport.json(view, context: context)
        }
        v1.put("customers/{id}/scenario") { request, context -> Response in
            let id = try Self.pathIdentifier(context, "id")
            let body = try await APISupport.decode(AssignmentRequest.self, from: request, context: context)
            try await database.assign(customerId: id, scenario: body.scenario)
            guard let view = try await database.customerDunning(id) else { throw SchedulerError.notFound("the scheduler knows no customer \(id)") }
            return try APISupport.json(view, context: context)
        }
        v1.get("invoices/{id}/dunning") { _, context -> Response in
            let id = try Self.pathIdentifier(context, "id")
            guard let view = try await database.invoiceDunning(id) else { throw SchedulerError.notFound("the scheduler knows no invoice \(id)") }
            return try APISupport.json(view, context: context)
        }
        v1.get("tasks") { request, context -> Response in
            let status = APISupport.formattedQuery("status", request)
            if let status, status != "open", status != "done" { throw APISupport.badParameter("status", "'\(status)' is not open or done") }
            let customerId = try APISupport.query("customerId", request).map { try Self.identifier($0, name: "customerId") }
            return try APISupport.json(try await database.tasks(status: status, customerId: customerId, page: try APISupport.pageRequest(request)),
                                       context: context)
        }
        v1.post("tasks/{id}/complete") { request, context -> Response in
            let id = try Self.pathIdentifier(context, "id")
            let body = try await APISupport.decode(SchedulerDatabase.TaskCompletion.self, from: request, context: context)
            try Self.check(body)
            let task = try await database.complete(taskId: id, body)
            return try APISupport.json(task, context: context)
        }
        v1.get("promises") { request, context -> Response in
            let customerId = try APISupport.query("customerId", request).map { try Self.identifier($0, name: "customerId") }
            return try APISupport.json(try await database.promises(customerId: customerId, page: try APISupport.pageRequest(request)), context: context)
        }
        v1.post("promises") { request, context -> Response in
            let body = try await APISupport.decode(SchedulerDatabase.PromiseRequest.self, from: request, context: context)
            try Self.check(body)
            return try APISupport.json(try await database.recordPromise(body), status: .created, context: context)
        }
        v1.get("cases") { request, context -> Response in
            try APISupport.json(try await database.cases(page: try APISupport.pageRequest(request)), context: context)
        }
        v1.get("holds") { _, context -> Response in
            try APISupport.json(try await database.holds(), context: context)
        }
        v1.post("holds/freshness/override") { request, context -> Response in
            let body = try await APISupport.decode(OverrideRequest.self, from: request, context: context)
            guard Self.isFilledText(body.decidedBy, maximum: 100) else {
                throw Problem(SchedulerError.invalid("decidedBy: say who decided, 1 to 100 characters, not only spaces"), field: "decidedBy")
            }
            try await database.overrideFreshness(until: body.until, by: body.decidedBy)
            wake()
            return try APISupport.json(try await database.holds(), context: context)
        }
    }

    /// What the document says of a task completion and JSON cannot refuse by itself: a known
    /// outcome (the type is an open set for readers of the events, not for writers), a note
    /// of at most 1000 characters.
    /// - Throws: ``Problem`` 422 naming the field.
    static func check(_ body: SchedulerDatabase.TaskCompletion) throws {
        guard DunningTaskOutcome.known.contains(body.outcome) else {
            let known = DunningTaskOutcome.known.map(\.rawValue).joined(separator: ", ")
            throw Problem(SchedulerError.invalid("outcome: '\(body.outcome.rawValue)' is not one of \(known)"), field: "outcome")
        }
        if let note = body.note, note.unicodeScalars.count > 1000 {
            throw Problem(SchedulerError.invalid("note: at most 1000 characters"), field: "note")
        }
    }

    /// What the document says of a promise: a customer id and 1 to 200 distinct invoice ids of
    /// 1 to 100 characters each.
    /// - Throws: ``Problem`` 422 naming the field.
    static func check(_ body: SchedulerDatabase.PromiseRequest) throws {
        guard (1...100).contains(body.customerId.unicodeScalars.count) else {
            throw Problem(SchedulerError.invalid("customerId: 1 to 100 characters"), field: "customerId")
        }
        guard (1...200).contains(body.invoiceIds.count) else {
            throw Problem(SchedulerError.invalid("invoiceIds: name 1 to 200 invoices"), field: "invoiceIds")
        }
        for (index, id) in body.invoiceIds.enumerated() {
            guard (1...100).contains(id.unicodeScalars.count) else {
                throw Problem(SchedulerError.invalid("invoiceIds[\(index)]: 1 to 100 characters"), field: "invoiceIds[\(index)]")
            }
            guard !body.invoiceIds[..<index].contains(id) else {
                throw Problem(SchedulerError.invalid("invoiceIds[\(index)]: \(id) is named twice"), field: "invoiceIds[\(index)]")
            }
        }
    }
}
