import Events
import Foundation
import HTTPTypes
import Hummingbird
import ServiceKit

extension SchedulerAPI {
    /// - `GET /v1/scenarios`: the newest version of each scenario.
    /// - `GET /v1/scenarios/{name}[?version=n]`: one version (the newest by default), as JSON.
    /// - `GET /v1/scenarios/{name}/yaml[?version=n]`: the same as YAML (export).
    /// - `PUT /v1/scenarios/{name}`: publishes a new version from YAML (`Content-Type:
    ///   application/yaml`) or JSON; 201 with the version, 200 when identical to the newest.
    /// - `POST /v1/scenarios/{name}/migrate`: moves running schedules from one version to another.
    func addScenarioRoutes(to v1: RouterGroup<RelanceRequestContext>) {
        let database = self.database
        Self.addMigrationRoute(to: v1, database: database)
        v1.get("scenarios") { _, context -> Response in
            let catalog = database.catalog
            let shipped = Set(ShippedScenarios.yamlByName.map(\.name))
            let items = catalog.names.compactMap { name -> SchedulerViews.ScenarioSummary? in
                guard let latest = catalog.latest(name) else { return nil }
                return .init(name: name, version: latest.version, description: latest.description, steps: latest.steps.count,
                             versions: catalog.versions(of: name).count, shipped: shipped.contains(name))
            }
            return try APISupport.json(Page(items: items, nextCursor: nil), context: context)
        }
        v1.get("scenarios/{name}") { request, context -> Response in
            try APISupport.json(try Self.scenario(request, context, database), context: context)
        }
        v1.get("scenarios/{name}/yaml") { request, context -> Response in
            let scenario = try Self.scenario(request, context, database)
            return Response(status: .ok, headers: [.contentType: "application/yaml"],
                            body: .init(byteBuffer: ByteBuffer(string: ScenarioYAML.encode(scenario))))
        }
        v1.put("scenarios/{name}") { request, context -> Response in
            let name = try Self.pathIdentifier(context, "name")
            let buffer = try await request.body.collect(upTo: context.maxUploadSize)
            let text = String(decoding: buffer.readableBytesView, as: UTF8.self)
            let contentType = request.headers[.contentType]?.lowercased() ?? ""
            var scenario: DunningScenario
            if contentType.contains("json") {
                // A `DecodingError` goes to the problem middleware, which names the JSON path
                // (400 malformedBody) or the refused value (422, an unknown currency).
                scenario = try EventJSON.decoder.decode(DunningScenario.self, from: Data(text.utf8))
            } else {
                scenario = try ScenarioYAML.decode(text)
            }
            guard scenario.name == name else {
                throw Problem(status: .unprocessableContent, type: "validation", title: "The request is invalid",
                              detail: "the body names scenario '\(scenario.name)' but the URL '\(name)'; they must agree", code: "nameMismatch",
                              errors: [.init(field: "name", reason: "must be '\(name)'")])
            }
            let before = database.catalog.latest(name)?.version
            let reference = try await database.publish(scenario)
            guard let published = database.catalog.scenario(reference) else { throw SchedulerError.notFound("scenario \(reference) vanished") }
            return try APISupport.json(published, status: before == reference.version ? .ok : .created, context: context)
        }
    }

    /// The body of `POST /v1/scenarios/{name}/migrate`.
    struct MigrationRequest: Decodable {
        var fromVersion: Int
        /// The newest version when absent.
        var toVersion: Int?
    }

    static func addMigrationRoute(to v1: RouterGroup<RelanceRequestContext>, database: SchedulerDatabase) {
        v1.post("scenarios/{name}/migrate") { request, context -> Response in
            let name = try identifier(try context.parameters.require("name"), name: "name")
            let body = try await APISupport.decode(MigrationRequest.self, from: request, context: context)
            guard body.fromVersion >= 1, (body.toVersion ?? 1) >= 1 else {
                throw SchedulerError.invalid("fromVersion, toVersion: versions start at 1")
            }
            return try APISupport.json(try await database.migrate(scenario: name, fromVersion: body.fromVersion, toVersion: body.toVersion),
                                       context: context)
        }
    }

    static func scenario(_ request: Request, _ context: RelanceRequestContext, _ database: SchedulerDatabase) throws -> DunningScenario {
        let name = try pathIdentifier(context, "name")
        let catalog = database.catalog
        guard let latest = catalog.latest(name) else {
            throw SchedulerError.notFound("no scenario named '\(name)'; known: \(catalog.names.joined(separator: ", "))")
        }
        guard let text = APISupport.formattedQuery("version", request) else { return latest }
        guard let version = Int(text), version >= 1 else { throw APISupport.badParameter("version", "'\(text)' is not a version number (1, 2...)") }
        guard let scenario = catalog.scenario(ScenarioReference(name: name, version: version)) else {
            throw SchedulerError.notFound("scenario '\(name)' has versions 1 to \(latest.version), not \(version)")
        }
        return scenario
    }
}
