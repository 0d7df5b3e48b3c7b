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
            let id = try Self.identifier(try context.parameters.require("id"), name: "id")
            guard let view = try await database.customerDunning(id) else { throw SchedulerError.notFound("the scheduler knows no customer \(id)") }
            return try APISupport.json(view, context: context)
        }
        v1.put("customers/{id}/scenario") { request, context -> Response in
            let id = try Self.identifier(try context.parameters.require("id"), name: "id")
            let body = try await APISupport.decode(AssignmentRequest.self, from: request, context: context)
            try await database.assign(customerId: id, scenario: body.scenario)
            guard let view = try await database.customerDunning(id) else { throw SchedulerError.notFound("the scheduler knows no customer \(id)") }
            return try APISupport.json(view, context: context)
        }
        v1.get("invoices/{id}/dunning") { _, context -> Response in
            let id = try Self.identifier(try context.parameters.require("id"), name: "id")
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
            let id = try Self.identifier(try context.parameters.require("id"), name: "id")
            let body = try await APISupport.decode(SchedulerDatabase.TaskCompletion.self, from: request, context: context)
            let task = try await database.complete(taskId: id, body)
            return try APISupport.json(task, context: context)
        }
        v1.get("promises") { request, context -> Response in
            let customerId = try APISupport.query("customerId", request).map { try Self.identifier($0, name: "customerId") }
            return try APISupport.json(try await database.promises(customerId: customerId, page: try APISupport.pageRequest(request)), context: context)
        }
        v1.post("promises") { request, context -> Response in
            let body = try await APISupport.decode(SchedulerDatabase.PromiseRequest.self, from: request, context: context)
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
            guard !body.decidedBy.isEmpty, body.decidedBy.count <= 100 else {
                throw SchedulerError.invalid("decidedBy: say who decided, 1 to 100 characters")
            }
            try await database.overrideFreshness(until: body.until, by: body.decidedBy)
            wake()
            return try APISupport.json(try await database.holds(), context: context)
        }
    }
}
