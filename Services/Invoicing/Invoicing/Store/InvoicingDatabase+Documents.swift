import Events
import Foundation
import GRDB
import ServiceKit

extension InvoicingDatabase {
    /// The tables that keep each row's domain value whole, as JSON, in a `document` column,
    /// beside the `number`, `customer_id` and `status` columns their lists filter on.
    enum DocumentTable: String {
        case quote
        case salesOrder = "sales_order"
    }

    /// One page of a document table, by number, optionally for one customer and one status.
    /// - Parameters:
    ///   - number: The document's number, the page's order and cursor.
    /// - Throws: `PageRequest.InvalidCursor` for a cursor this API did not return.
    func documents<Document: Decodable & Sendable>(
        in table: DocumentTable, customerId: String?, status: String?, page: PageRequest,
        number: @escaping @Sendable (Document) -> String
    ) async throws -> Page<Document> {
        let after = try page.decodedCursor()
        return try await writer.read { db in
            // The table name comes from `DocumentTable`, never from the request.
            let rows = try Data.fetchAll(db, sql: """
                SELECT document FROM \(table.rawValue)
                WHERE (?1 IS NULL OR number > ?1) AND (?2 IS NULL OR customer_id = ?2) AND (?3 IS NULL OR status = ?3)
                ORDER BY number LIMIT ?4
                """, arguments: [after, customerId, status, page.limit + 1])
            let items = try rows.prefix(page.limit).map { try EventJSON.decode(Document.self, from: $0) }
            let next = rows.count > page.limit ? items.last.map { PageRequest.encodeCursor(number($0)) } : nil
            return Page(items: items, nextCursor: next)
        }
    }
}
