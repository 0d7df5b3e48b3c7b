import Events
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NotificationTemplates
import ServiceKit

/// The notification HTTP API under `/v1` (API key required): a notification by id with its
/// attempts, notifications by state (e.g. `unconfirmed`, for a person to check; `parked`,
/// held back by the daily spending cap), a page at a time, the release of a parked one, the
/// templates loaded, and a preview of a template rendered with sample or given data; its
/// OpenAPI document at `/openapi.json`.
public struct NotificationAPI: Sendable {
    let ledger: NotificationLedger
    let templates: TemplateLibrary
    let dispatcher: NotificationDispatcher?
    let releaser: ParkedReleaser?
    let logger: Logger

    /// - Parameters:
    ///   - dispatcher: releases parked notifications (`POST .../release`; 404 without it).
    ///   - releaser: woken after a release, so the notification goes at once.
    public init(ledger: NotificationLedger, templates: TemplateLibrary, dispatcher: NotificationDispatcher? = nil,
                releaser: ParkedReleaser? = nil, logger: Logger) {
        self.dispatcher = dispatcher
        self.releaser = releaser
        self.ledger = ledger
        self.templates = templates
        self.logger = logger
    }

    /// The body of `POST /v1/preview`.
    struct PreviewRequest: Decodable {
        var templateId: String?
        var channel: String?
        var language: String?
        /// A whole `notification.requested` command; the shipped sample when absent.
        var data: NotificationRequested?
    }

    public func addRoutes(to router: Router<RelanceRequestContext>) {
        OperationalRoutes.addOpenAPIDocument(
            to: router, document: Bundle.module.url(forResource: "openapi", withExtension: "json"), logger: logger)
        let v1 = router.group("v1")
        let ledger = self.ledger
        let templates = self.templates
        v1.get("notifications/{id}") { _, context -> Response in
            let id = try context.parameters.require("id")
            guard id.count <= 100, let entry = try await ledger.entry(id) else {
                throw Problem(status: .notFound, type: "not-found", title: "Not found",
                              detail: "no notification \(id) in the ledger of this instance's partitions", code: "notFound")
            }
            return try APISupport.json(entry, context: context)
        }
        v1.get("notifications") { request, context -> Response in
            var state: NotificationState?
            if let text = APISupport.formattedQuery("state", request) {
                guard let value = NotificationState(rawValue: text) else {
                    throw APISupport.badParameter("state", "'\(text)' is not a state; use one of \(NotificationState.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                state = value
            }
            let page = try APISupport.pageRequest(request)
            return try APISupport.json(try await ledger.page(in: state, page: page), context: context)
        }
        let dispatcher = self.dispatcher
        let releaser = self.releaser
        let logger = self.logger
        v1.post("notifications/{id}/release") { _, context -> Response in
            let id = try context.parameters.require("id")
            let result: NotificationDispatcher.ReleaseResult = id.count <= 100 ? (try await dispatcher?.release(id) ?? .unknown) : .unknown
            switch result {
            case .unknown:
                throw Problem(status: .notFound, type: "not-found", title: "Not found",
                              detail: "no notification \(id) in the ledger of this instance's partitions", code: "notFound")
            case .notParked(let entry):
                throw Problem(status: .conflict, type: "conflict", title: "Not parked",
                              detail: "notification \(id) is \(entry.state.rawValue), not parked: only a parked notification can be released",
                              code: "notParked")
            case .released(let entry):
                releaser?.wake()
                logger.info("release requested", metadata: ["relance.notification.id": "\(id)"])
                return try APISupport.json(entry, status: .accepted, context: context)
            }
        }
        v1.get("templates") { _, context -> Response in
            struct Item: Codable, Sendable { var language: String; var templateId: String; var part: String; var source: String }
            let items = templates.entries.map { Item(language: $0.language, templateId: $0.templateId.rawValue, part: $0.part.rawValue, source: "\($0.source)") }
            return try APISupport.json(Page(items: items, nextCursor: nil), context: context)
        }
        v1.post("preview") { request, context -> Response in
            let body = try await APISupport.decode(PreviewRequest.self, from: request, context: context, empty: PreviewRequest())
            // The render model negates daysOverdue (days until due): Int.min would trap and stop
            // the process. No real invoice is a million days off its due date.
            if let invoices = body.data?.invoices, let index = invoices.firstIndex(where: { !(-1_000_000...1_000_000).contains($0.daysOverdue) }) {
                throw Problem(status: .badRequest, type: "validation", title: "The request is invalid",
                              detail: "data.invoices[\(index)].daysOverdue must be from -1000000 to 1000000", code: "invalidField",
                              errors: [.init(field: "data.invoices[\(index)].daysOverdue", reason: "from -1000000 to 1000000")])
            }
            var command = body.data ?? NotificationRequested.templateSample
            if let template = body.templateId { command.templateId = NotificationTemplateId(rawValue: template) }
            if let channel = body.channel { command.channel = NotificationChannel(rawValue: channel) }
            if let language = body.language { command.language = language }
            let today = CalendarDate(date: Date(), in: TimeZone(identifier: "Europe/Paris") ?? .current)
            do {
                let rendered = try templates.render(command, date: today)
                return try APISupport.json(RenderCommand.view(of: rendered), context: context)
            } catch let error as NotificationTemplateError {
                throw Problem(status: .unprocessableContent, type: "validation", title: "The template cannot be rendered",
                              detail: error.description, code: error.code.rawValue)
            }
        }
    }
}

