import Foundation

/// One page of a list, with the cursor of the next page (`nil` on the last).
public struct Page<Item: Codable & Sendable>: Codable, Sendable {
    public var items: [Item]
    /// Pass as `cursor` to get the next page.
    public var nextCursor: String?

    public init(items: [Item], nextCursor: String?) {
        self.items = items
        self.nextCursor = nextCursor
    }
}

/// Where a page starts and how long it is.
public struct PageRequest: Sendable, Hashable {
    /// The opaque cursor from the previous page, or `nil` for the first.
    public var cursor: String?
    /// Items per page. Default 50, at most 500.
    public var limit: Int

    public init(cursor: String? = nil, limit: Int = 50) {
        self.cursor = cursor
        self.limit = min(max(limit, 1), 500)
    }

    /// The sort key the cursor encodes (base64url of the last item's key).
    func decodedCursor() throws(InvoicingError) -> String? {
        guard let cursor else { return nil }
        var base64 = cursor.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64 += "=" }
        guard let data = Data(base64Encoded: base64) else {
            throw InvoicingError(.invalidField, "the cursor is not one this API returned; start again without it", field: "cursor")
        }
        return String(decoding: data, as: UTF8.self)
    }

    static func encodeCursor(_ key: String) -> String {
        Data(key.utf8).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }
}
