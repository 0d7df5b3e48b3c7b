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

    /// A cursor this API did not hand out.
    public struct InvalidCursor: Error, Sendable, CustomStringConvertible {
        public var description: String { "the cursor is not one this API returned; start again without it" }
    }

    /// The sort key the cursor encodes (base64url of the last item's key).
    /// - Throws: ``InvalidCursor`` when the cursor is not base64url.
    public func decodedCursor() throws(InvalidCursor) -> String? {
        guard let cursor else { return nil }
        guard PageRequest.isCursor(cursor) else { throw InvalidCursor() }
        var base64 = cursor.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64 += "=" }
        guard let data = Data(base64Encoded: base64) else { throw InvalidCursor() }
        return String(decoding: data, as: UTF8.self)
    }

    /// Whether `text` has the form of the cursors this API hands out: unpadded base64url
    /// (`[A-Za-z0-9_-]`, a length that is not 1 more than a multiple of 4). The OpenAPI
    /// documents' `Cursor` pattern says the same.
    public static func isCursor(_ text: String) -> Bool {
        text.utf8.count % 4 != 1 && text.utf8.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"): true
            default: false
            }
        }
    }

    /// The cursor of a page ending with the item whose sort key is `key`.
    public static func encodeCursor(_ key: String) -> String {
        Data(key.utf8).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }
}
