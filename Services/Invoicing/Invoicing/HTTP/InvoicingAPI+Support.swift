import Events
import Foundation
import HTTPTypes
import Hummingbird
import ServiceKit

extension InvoicingAPI {
    // The generic helpers live in ServiceKit's `APISupport`; these names keep the routes short.
    static func decode<Body: Decodable>(
        _ type: Body.Type, from request: Request, context: RelanceRequestContext, empty: Body? = nil
    ) async throws -> Body {
        try await APISupport.decode(type, from: request, context: context, empty: empty)
    }

    static func json<Body: Encodable>(
        _ value: Body, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:], context: RelanceRequestContext
    ) throws -> Response {
        try APISupport.json(value, status: status, headers: headers, context: context)
    }

    static func query(_ name: String, _ request: Request) -> String? { APISupport.query(name, request) }
    static func formattedQuery(_ name: String, _ request: Request) -> String? { APISupport.formattedQuery(name, request) }
    static func pageRequest(_ request: Request) throws -> PageRequest { try APISupport.pageRequest(request) }
    static func dateParameter(_ name: String, _ request: Request) throws -> CalendarDate? { try APISupport.dateParameter(name, request) }
    static func badParameter(_ name: String, _ reason: String) -> Problem { APISupport.badParameter(name, reason) }
    static func enumQuery<Value: RawRepresentable & CaseIterable>(_ name: String, _ request: Request, as what: String) throws -> Value?
    where Value.RawValue == String { try APISupport.enumQuery(name, request, as: what) }

    /// A required text field of an action body, trimmed.
    /// - Throws: `InvoicingError` `.limitExceeded` when longer than `maximumLength` (as
    ///   given), `.missingField` when absent or blank.
    static func requiredText(_ value: String?, field: String, maximumLength: Int, _ what: String) throws(InvoicingError) -> String {
        guard let trimmed = try optionalText(value, field: field, maximumLength: maximumLength, field) else {
            throw InvoicingError(.missingField, what, field: field)
        }
        return trimmed
    }

    /// An optional text field of an action body, trimmed; blank is `nil`.
    /// - Throws: `InvoicingError` `.limitExceeded` when longer than `maximumLength` (as given).
    static func optionalText(_ value: String?, field: String, maximumLength: Int, _ what: String) throws(InvoicingError) -> String? {
        guard let value else { return nil }
        try InputLimits.check(value, atMost: maximumLength, field: field, what)
        let trimmed = TextNormalisation.trimmed(value)
        return trimmed.isEmpty ? nil : trimmed
    }
}
