import Foundation

/// Media types of request bodies.
enum ContentType {
    /// Whether a `Content-Type` value is `text/csv`, parameters (`; charset=utf-8`) and case ignored.
    static func isCSV(_ value: String) -> Bool {
        mediaType(value) == "text/csv"
    }

    /// The media type without parameters, lower case.
    static func mediaType(_ value: String) -> String {
        let type = value.split(separator: ";", maxSplits: 1).first.map(String.init) ?? ""
        return type.trimmingCharacters(in: .whitespaces).lowercased()
    }
}
