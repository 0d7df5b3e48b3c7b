/// The forms of an invoice number (or of words of a remittance text) the engine compares, so
/// that what payers write differently still meets the number:
///
/// - ``compact``: letters and digits only, upper case (`fa-2025/0042` → `FA20250042`):
///   tolerant to spacing, separators and case.
/// - ``segmented``: groups split at separators and at letter/digit changes, leading zeros of
///   digit groups removed, joined with `-` (`FA 2025 0042` → `FA-2025-42`): tolerant to
///   leading zeros as well, without merging groups (`FA-20-25042` stays apart).
/// - ``folded``: ``compact`` with the letters people and OCR confuse with digits replaced
///   (`O` → `0`, `I` and `L` → `1`): `FA2O25OO42` meets `FA20250042`.
/// - ``digits``: the digits of ``compact`` alone, for numbers quoted without their prefix.
struct InvoiceNumberKey: Sendable, Hashable {
    let compact: String
    let segmented: String
    let folded: String
    let digits: String
    /// Whether the number has any letter (when it has none, ``digits`` is ``compact``).
    let hasLetters: Bool

    /// The keys of a number, or of words already split into upper-case alphanumeric parts.
    init(parts: some Sequence<Substring>) {
        var compact = ""
        var segments: [String] = []
        var hasLetters = false
        for part in parts {
            compact += part
            var current = ""
            var currentIsDigit = false
            for character in part.unicodeScalars {
                let isDigit = (48...57).contains(character.value)
                if !isDigit { hasLetters = true }
                if !current.isEmpty && isDigit != currentIsDigit {
                    segments.append(InvoiceNumberKey.strippingZeros(current, isDigits: currentIsDigit))
                    current = ""
                }
                currentIsDigit = isDigit
                current.unicodeScalars.append(character)
            }
            if !current.isEmpty { segments.append(InvoiceNumberKey.strippingZeros(current, isDigits: currentIsDigit)) }
        }
        self.compact = compact
        self.segmented = segments.joined(separator: "-")
        self.folded = InvoiceNumberKey.fold(compact)
        self.digits = String(String.UnicodeScalarView(compact.unicodeScalars.filter { (48...57).contains($0.value) }))
        self.hasLetters = hasLetters
    }

    /// The keys of an invoice number as written.
    init(_ number: String) {
        self.init(parts: InvoiceNumberKey.parts(of: number))
    }

    /// `text` split into upper-case ASCII alphanumeric parts; every other character separates.
    static func parts(of text: String) -> [Substring] {
        var parts: [Substring] = []
        var current: [UInt8] = []
        func flush() {
            if !current.isEmpty { parts.append(Substring(String(decoding: current, as: UTF8.self))) }
            current.removeAll(keepingCapacity: true)
        }
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "A")...UInt8(ascii: "Z"): current.append(byte)
            case UInt8(ascii: "a")...UInt8(ascii: "z"): current.append(byte - 32)
            default: flush()
            }
        }
        flush()
        return parts
    }

    /// `compact` with O → 0, I → 1, L → 1.
    static func fold(_ compact: String) -> String {
        String(String.UnicodeScalarView(compact.unicodeScalars.map { scalar -> Unicode.Scalar in
            switch scalar {
            case "O": "0"
            case "I", "L": "1"
            default: scalar
            }
        }))
    }

    private static func strippingZeros(_ group: String, isDigits: Bool) -> String {
        guard isDigits else { return group }
        let stripped = group.drop { $0 == "0" }
        return stripped.isEmpty ? "0" : String(stripped)
    }

    /// `key` and every string made by deleting one of its characters: two keys within one
    /// edit (substitution, insertion, deletion, adjacent transposition) share one of these.
    static func deletionNeighbourhood(_ key: String) -> [String] {
        let scalars = Array(key.unicodeScalars)
        var result = [key]
        result.reserveCapacity(scalars.count + 1)
        for index in scalars.indices {
            var view = String.UnicodeScalarView()
            view.append(contentsOf: scalars[..<index])
            view.append(contentsOf: scalars[(index + 1)...])
            result.append(String(view))
        }
        return result
    }

    /// Optimal string alignment distance (Levenshtein plus adjacent transpositions), computed
    /// only as far as `limit + 1`: callers ask "within one edit?".
    static func editDistance(_ a: String, _ b: String, limit: Int = 1) -> Int {
        let x = Array(a.unicodeScalars), y = Array(b.unicodeScalars)
        if abs(x.count - y.count) > limit { return limit + 1 }
        var previousPrevious = [Int](repeating: 0, count: y.count + 1)
        var previous = Array(0...y.count)
        var current = [Int](repeating: 0, count: y.count + 1)
        for i in 1...max(x.count, 1) where !x.isEmpty {
            current[0] = i
            var rowMinimum = current[0]
            for j in stride(from: 1, through: y.count, by: 1) {
                let cost = x[i - 1] == y[j - 1] ? 0 : 1
                var value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                if i > 1 && j > 1 && x[i - 1] == y[j - 2] && x[i - 2] == y[j - 1] {
                    value = min(value, previousPrevious[j - 2] + 1)
                }
                current[j] = value
                rowMinimum = min(rowMinimum, value)
            }
            if rowMinimum > limit { return limit + 1 }
            (previousPrevious, previous, current) = (previous, current, previousPrevious)
        }
        return min(x.isEmpty ? y.count : previous[y.count], limit + 1)
    }
}
