import Events
import Foundation
import HTTPTypes
import Hummingbird
import ServiceKit

extension SchedulerAPI {
    /// The body of `POST /v1/clock/advance`: `days`, or an instant `to` (forward only).
    struct AdvanceRequest: Decodable {
        /// Whole days to move the clock forward (0 to 400).
        var days: Int?
        /// The instant to move the clock to (at most 400 days ahead).
        var to: Date?
    }

    /// - `GET /v1/preview?scenario=&due=&tz=[&calendar=]`: the `preview` command's JSON.
    /// - `GET /v1/charges?amount=&due=&asOf=[&currency=&annualRate=&paid=DATE:AMOUNT...]`: the
    ///   `charges` command's JSON.
    /// - `POST /v1/tick`: runs the due actions now and says what it did.
    /// - `GET /v1/clock`; `POST /v1/clock/advance` (development clock only, else 409).
    func addToolRoutes(to v1: RouterGroup<RelanceRequestContext>) {
        let database = self.database
        let wake = self.wakeTicker
        v1.get("preview") { request, context -> Response in
            // Every planned day must stay a four-digit year (the document's `date` format):
            // offsets reach 10 years after the due date and 90 days before it.
            if let text = APISupport.formattedQuery("due", request), let due = try? CalendarDate(iso8601: text), !(1000...9899).contains(due.year) {
                throw APISupport.badParameter("due", "'\(text)' is outside the years 1000 to 9899")
            }
            var arguments = ["--json"]
            for (name, option) in [("scenario", "--scenario"), ("due", "--due"), ("tz", "--tz"), ("calendar", "--calendar")] {
                if let value = APISupport.formattedQuery(name, request) { arguments += [option, value] }
            }
            return try Self.commandResponse(PreviewCommand.run(arguments: arguments), parameters: ["scenario", "due", "tz", "calendar"])
        }
        v1.get("charges") { request, context -> Response in
            var arguments = ["--json"]
            for (name, option) in [("amount", "--amount"), ("currency", "--currency"), ("due", "--due"), ("asOf", "--as-of"),
                                   ("annualRate", "--annual-rate")] {
                if let value = APISupport.formattedQuery(name, request) { arguments += [option, value] }
            }
            for paid in request.uri.queryParameters.getAll("paid") { arguments += ["--paid", String(paid)] }
            return try Self.commandResponse(ChargesCommand.run(arguments: arguments), parameters: ["amount", "currency", "due", "asOf", "annualRate", "paid"])
        }
        v1.post("tick") { _, context -> Response in
            try APISupport.json(try await database.runDueActions(), context: context)
        }
        v1.get("clock") { _, context -> Response in
            let clock = database.clock
            return try APISupport.json(SchedulerViews.Clock(now: clock.now(), offsetSeconds: clock.offsetSeconds, adjustable: clock.isAdjustable),
                                       context: context)
        }
        v1.post("clock/advance") { request, context -> Response in
            let body = try await APISupport.decode(AdvanceRequest.self, from: request, context: context)
            let clock = database.clock
            let seconds: TimeInterval
            switch (body.days, body.to) {
            case (let days?, nil):
                guard (0...400).contains(days) else { throw SchedulerError.invalid("days: give 0 to 400 days") }
                seconds = TimeInterval(days) * 86_400
            case (nil, let instant?):
                seconds = instant.timeIntervalSince(clock.now())
                guard seconds >= 0, seconds <= 400 * 86_400 else {
                    throw SchedulerError.invalid("to: give an instant after the scheduler's now (\(clock.now())) and at most 400 days ahead")
                }
            default:
                throw SchedulerError.invalid("give either days or to, not both and not neither")
            }
            try clock.advance(by: seconds)
            wake()
            return try APISupport.json(SchedulerViews.Clock(now: clock.now(), offsetSeconds: clock.offsetSeconds, adjustable: clock.isAdjustable),
                                       context: context)
        }
    }

    /// A calculator's answer: its JSON, or a 400 problem with its message (the command names
    /// the option; the message maps options back to query parameters).
    static func commandResponse(_ outcome: (exitCode: Int32, standardOutput: String, standardError: String), parameters: [String]) throws -> Response {
        guard outcome.exitCode == 0 else {
            var message = outcome.standardError.split(separator: "\n").first.map(String.init) ?? "the request is invalid"
            // The command's name is no part of the answer (and "scenario-scheduler" must not
            // be taken for the parameter `scenario`).
            for prefix in ["scenario-scheduler preview: ", "scenario-scheduler charges: "] where message.hasPrefix(prefix) {
                message.removeFirst(prefix.count)
            }
            let cleaned = message.replacingOccurrences(of: "--as-of", with: "asOf").replacingOccurrences(of: "--annual-rate", with: "annualRate")
                .replacingOccurrences(of: "--", with: "")
            // The parameter the message starts with ("tz: ...", "amount is required"), else the first it names.
            // The charges' rate table starting after the due date is the due date's problem.
            let field = parameters.first { cleaned.hasPrefix($0 + ":") || cleaned.hasPrefix($0 + " ") || cleaned.hasPrefix($0 + ",") }
                ?? (cleaned.contains("reference rate table") && parameters.contains("due") ? "due" : nil)
                ?? parameters.first { cleaned.contains($0) } ?? "query"
            let reason = cleaned.hasPrefix(field + ": ") ? String(cleaned.dropFirst(field.count + 2)) : cleaned
            throw APISupport.badParameter(field, reason)
        }
        return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: outcome.standardOutput)))
    }
}
