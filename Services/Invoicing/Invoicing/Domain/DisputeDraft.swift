import Events
import Money

/// What opening a dispute takes.
public struct DisputeDraft: Codable, Sendable, Hashable {
    /// Categories Relance knows; the set is open (any lowerCamelCase word of at most 40
    /// characters is accepted), these are the ones reports group by.
    public static let knownCategories = ["pricing", "quantity", "quality", "notReceived", "duplicate", "other"]
    /// The longest category accepted.
    public static let maximumCategoryLength = 40

    /// The contested amount, in the invoice's currency; absent: the whole total.
    public var amount: Money?
    /// Default: `other`.
    public var category: String?
    /// What the customer disputes; required.
    public var reason: String
    /// Default: today in the customer's time zone.
    public var openedOn: CalendarDate?

    public init(amount: Money? = nil, category: String? = nil, reason: String, openedOn: CalendarDate? = nil) {
        self.amount = amount
        self.category = category
        self.reason = reason
        self.openedOn = openedOn
    }

    /// The category, checked: `other` when absent.
    /// - Throws: `InvoicingError` `.invalidField` (`category`) unless it is a lowerCamelCase
    ///   word (`^[a-z][A-Za-z0-9]*$`) of at most 40 characters.
    public func validatedCategory() throws(InvoicingError) -> String {
        guard let category else { return "other" }
        let ascii = Array(category.utf8)
        let isWord = (1...Self.maximumCategoryLength).contains(ascii.count)
            && (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(ascii[0])
            && ascii.allSatisfy { (UInt8(ascii: "a")...UInt8(ascii: "z")).contains($0) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains($0)
                || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }
        guard isWord else {
            throw InvoicingError(.invalidField, """
                '\(category)' is not a dispute category: use a lowerCamelCase word of at most \(Self.maximumCategoryLength) \
                characters, like \(Self.knownCategories.joined(separator: ", "))
                """, field: "category")
        }
        return category
    }
}

/// What resolving a dispute takes.
public struct DisputeResolution: Codable, Sendable, Hashable {
    /// How the dispute ended; required.
    public var resolution: String
    /// Default: today in the customer's time zone; not before the day it was opened.
    public var resolvedOn: CalendarDate?

    public init(resolution: String, resolvedOn: CalendarDate? = nil) {
        self.resolution = resolution
        self.resolvedOn = resolvedOn
    }
}
