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

    /// The keys of a number, or of words already split into upper-case ASCII alphanumeric parts.
    init(parts: some Collection<Substring>) {
        var length = 0
        for part in parts { length += part.utf8.count }
        // The text scan makes a key of every run of words: the four forms are written into one
        // stack buffer rather than four growing arrays (mallocs were a tenth of matching).
        // Segmented: per byte at most a `0`, a `-` and the byte; per part a `-` and a `0`.
        let segmentedCapacity = 3 * length + 2 * parts.count
        var hasLetters = false
        var keys: (compact: String, segmented: String, folded: String, digits: String) = ("", "", "", "")
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: max(1, 3 * length + segmentedCapacity)) { buffer in
            var compactEnd = 0
            var foldedEnd = length
            var digitsEnd = 2 * length
            let segmentedStart = 3 * length
            var segmentedEnd = segmentedStart
            for part in parts {
                var previousIsDigit: Bool?
                var leadingZero = false // inside a digit group, only zeros so far (not yet written)
                if segmentedEnd > segmentedStart { buffer[segmentedEnd] = UInt8(ascii: "-"); segmentedEnd += 1 }
                for byte in part.utf8 {
                    buffer[compactEnd] = byte
                    compactEnd += 1
                    let isDigit = byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
                    switch byte {
                    case UInt8(ascii: "O"): buffer[foldedEnd] = UInt8(ascii: "0")
                    case UInt8(ascii: "I"), UInt8(ascii: "L"): buffer[foldedEnd] = UInt8(ascii: "1")
                    default: buffer[foldedEnd] = byte
                    }
                    foldedEnd += 1
                    if let previous = previousIsDigit, previous != isDigit {
                        if leadingZero { buffer[segmentedEnd] = UInt8(ascii: "0"); segmentedEnd += 1 }
                        buffer[segmentedEnd] = UInt8(ascii: "-")
                        segmentedEnd += 1
                    }
                    if isDigit {
                        buffer[digitsEnd] = byte
                        digitsEnd += 1
                        if previousIsDigit != true { leadingZero = true }
                        if leadingZero && byte == UInt8(ascii: "0") { previousIsDigit = true; continue }
                        leadingZero = false
                    } else {
                        hasLetters = true
                        leadingZero = false
                    }
                    buffer[segmentedEnd] = byte
                    segmentedEnd += 1
                    previousIsDigit = isDigit
                }
                if leadingZero { buffer[segmentedEnd] = UInt8(ascii: "0"); segmentedEnd += 1 }
            }
            func text(_ range: Range<Int>) -> String {
                String(decoding: UnsafeBufferPointer(rebasing: buffer[range]), as: UTF8.self)
            }
            keys = (text(0..<compactEnd), text(segmentedStart..<segmentedEnd), text(length..<foldedEnd), text((2 * length)..<digitsEnd))
        }
        self.compact = keys.compact
        self.segmented = keys.segmented
        self.folded = keys.folded
        self.digits = keys.digits
        self.hasLetters = hasLetters
    }

    /// The keys of an invoice number as written.
    init(_ number: String) {
        self.init(parts: TextParts(number).parts)
    }

    /// `key` and every distinct string made by deleting one of its characters: two keys
    /// within one edit (substitution, insertion, deletion, adjacent transposition) share one
    /// of these. Deleting either of two equal neighbours gives the same string, kept once.
    static func deletionNeighbourhood(_ key: String) -> [String] {
        let bytes = Array(key.utf8)
        var result = [key]
        result.reserveCapacity(bytes.count + 1)
        var buffer: [UInt8] = []
        buffer.reserveCapacity(bytes.count)
        for index in bytes.indices where index == 0 || bytes[index] != bytes[index - 1] {
            buffer.removeAll(keepingCapacity: true)
            buffer.append(contentsOf: bytes[..<index])
            buffer.append(contentsOf: bytes[(index + 1)...])
            result.append(String(decoding: buffer, as: UTF8.self))
        }
        return result
    }

    /// Whether `a` and `b` are exactly one edit apart (``editDistance(_:_:limit:)`` is 1): one
    /// substitution, insertion, deletion or adjacent transposition. Linear, allocates nothing:
    /// the typo look-up asks it of every candidate.
    static func isOneEditApart(_ a: String, _ b: String) -> Bool {
        var a = a, b = b
        return a.withUTF8 { x in b.withUTF8 { y in isOneEditApart(x, y) } }
    }

    private static func isOneEditApart(_ x: UnsafeBufferPointer<UInt8>, _ y: UnsafeBufferPointer<UInt8>) -> Bool {
        if x.count == y.count {
            var first = -1
            for index in 0..<x.count where x[index] != y[index] {
                guard first < 0 else {
                    // A second difference: only an adjacent transposition is one edit.
                    guard index == first + 1, x[first] == y[index], x[index] == y[first] else { return false }
                    return (index + 1..<x.count).allSatisfy { x[$0] == y[$0] }
                }
                first = index
            }
            return first >= 0
        }
        let (long, short) = x.count > y.count ? (x, y) : (y, x)
        guard long.count == short.count + 1 else { return false }
        var index = 0
        while index < short.count, short[index] == long[index] { index += 1 }
        // Delete long[index]: the rest must agree.
        while index < short.count, short[index] == long[index + 1] { index += 1 }
        return index == short.count
    }

    /// Optimal string alignment distance (Levenshtein plus adjacent transpositions), computed
    /// only as far as `limit + 1`: callers ask "within one edit?".
    static func editDistance(_ a: String, _ b: String, limit: Int = 1) -> Int {
        let x = Array(a.utf8), y = Array(b.utf8)
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
