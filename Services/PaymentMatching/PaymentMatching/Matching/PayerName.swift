import Foundation

/// A company or person name reduced to what identifies it, and compared with tolerance.
///
/// Normalisation: accents and case folded (`Société Générale` → `societe generale`), every
/// character other than a letter or digit separates words, runs of single letters joined
/// (`S.A.R.L.` → `sarl`), legal forms and linking words removed (SARL, SAS, SA, GmbH, AG, KG,
/// Ltd, Inc, LLC, BV, SRL, & Co, ...). A name made only of such words keeps them.
///
/// Similarity: the larger of the Jaro-Winkler similarity of the normalised names and that of
/// their words sorted (so word order does not matter), 0...1; 1 means equal normalised names.
/// Names that both have number words, and not the same ones, have similarity 0.
struct PayerName: Sendable, Hashable {
    /// The normalised words, in the name's order.
    let words: [String]
    /// The words joined by one space.
    let normalised: String
    /// The words sorted, joined by one space.
    let sortedForm: String
    /// The words made only of digits.
    let numbers: Set<String>
    /// ``normalised`` and ``sortedForm`` as Unicode scalars, made once: the fuzzy look-up
    /// compares one name with hundreds.
    let normalisedScalars: [Unicode.Scalar]
    let sortedScalars: [Unicode.Scalar]

    init(_ name: String) {
        let folded = name.folding(options: [.caseInsensitive, .diacriticInsensitive, .widthInsensitive], locale: nil).lowercased()
        var raw: [String] = []
        var current = ""
        for character in folded {
            if character.isLetter || character.isNumber {
                current.append(character)
            } else if !current.isEmpty {
                raw.append(current)
                current = ""
            }
        }
        if !current.isEmpty { raw.append(current) }
        // "s a r l" and "g m b h" were one word before their dots.
        var joined: [String] = []
        var letters = ""
        for word in raw {
            if word.count == 1 && (word.first?.isLetter ?? false) {
                letters += word
            } else {
                if !letters.isEmpty { joined.append(letters); letters = "" }
                joined.append(word)
            }
        }
        if !letters.isEmpty { joined.append(letters) }
        let meaningful = joined.filter { !PayerName.legalForms.contains($0) }
        self.words = meaningful.isEmpty ? joined : meaningful
        self.normalised = words.joined(separator: " ")
        self.sortedForm = words.sorted().joined(separator: " ")
        self.numbers = Set(words.filter { $0.allSatisfy(\.isNumber) })
        self.normalisedScalars = Array(normalised.unicodeScalars)
        self.sortedScalars = Array(sortedForm.unicodeScalars)
    }

    /// 0...1: 1 for equal normalised names, ``MatchingPolicy/nameSimilarityThreshold`` and
    /// above for names taken as the same payer.
    func similarity(to other: PayerName) -> Double {
        if normalised == other.normalised { return 1 }
        if normalised.isEmpty || other.normalised.isEmpty { return 0 }
        // "Atlas 3" and "Atlas 8" are two companies however alike the letters look.
        if !numbers.isEmpty && !other.numbers.isEmpty && numbers != other.numbers { return 0 }
        return max(PayerName.jaroWinkler(normalisedScalars, other.normalisedScalars), PayerName.jaroWinkler(sortedScalars, other.sortedScalars))
    }

    /// Whether ``similarity(to:)`` can reach `threshold` at all, from the lengths and the
    /// characters the names share: the fuzzy look-up compares one name with hundreds, most of
    /// them far off. Never false for a pair that reaches it.
    ///
    /// Jaro-Winkler is at most 0.8 + 0.2 × (shorter / longer); and, with a common prefix of at
    /// most 4, at most 0.6 × Jaro + 0.4, where Jaro is at most (m / |s| + m / |t| + 1) / 3 for
    /// m characters matched, never more than the characters the two have in common (counted
    /// in 64 classes, which can only count more). The words sorted have the same characters.
    func mayReach(_ threshold: Double, with other: PayerName) -> Bool {
        if normalised == other.normalised { return true }
        let s = normalisedScalars, t = other.normalisedScalars
        guard PayerName.lengthsMayReach(threshold, s.count, t.count) else { return false }
        guard t.count < Int(UInt16.max) else { return true }
        let common = withUnsafeTemporaryAllocation(of: UInt16.self, capacity: PayerName.classCount) { counts in
            counts.initialize(repeating: 0)
            for scalar in t { counts[PayerName.characterClass(scalar)] += 1 }
            var common = 0
            for scalar in s {
                let slot = PayerName.characterClass(scalar)
                if counts[slot] > 0 {
                    counts[slot] -= 1
                    common += 1
                }
            }
            return common
        }
        return PayerName.mayReach(threshold, lengths: (s.count, t.count), common: common)
    }

    /// The bound of ``mayReach(_:with:)`` once the lengths pass: names of `lengths` scalars
    /// with `common` characters in common (as counted there). Shared with ``NameSketches``.
    static func mayReach(_ threshold: Double, lengths: (Int, Int), common: Int) -> Bool {
        let m = Double(common)
        let jaro = (m / Double(lengths.0) + m / Double(lengths.1) + 1) / 3
        // The margin keeps rounding from ever dropping a pair exactly at the threshold.
        return 0.6 * jaro + 0.4 >= threshold - 1e-9
    }

    /// Whether names of these lengths (in scalars) can reach `threshold` (see ``mayReach(_:with:)``).
    static func lengthsMayReach(_ threshold: Double, _ s: Int, _ t: Int) -> Bool {
        let shorter = Double(min(s, t))
        let longer = Double(max(s, t))
        return longer > 0 && 0.8 + 0.2 * shorter / longer >= threshold
    }

    /// How many classes ``characterClass(_:)`` counts in.
    static let classCount = 64

    /// `scalars` counted by ``characterClass(_:)``.
    static func classCounts(_ scalars: [Unicode.Scalar]) -> [Int] {
        var counts = [Int](repeating: 0, count: classCount)
        for scalar in scalars { counts[characterClass(scalar)] += 1 }
        return counts
    }

    /// 0..<64: a class of its own for each ASCII lower-case letter, digit and the space; other
    /// characters share the rest.
    static func characterClass(_ scalar: Unicode.Scalar) -> Int {
        switch scalar.value {
        case 97...122: Int(scalar.value - 97)
        case 48...57: Int(scalar.value - 22)
        case 32: 36
        default: 37 + Int(scalar.value % 27)
        }
    }

    /// Keys under which the name is filed for fuzzy lookup: each word of 3+ characters and the
    /// first 4 characters of longer words, so one typo in a word still meets the name by
    /// another word or by the word's beginning.
    var blockingKeys: [String] {
        var keys: [String] = []
        for word in words where word.count >= 3 {
            keys.append(word)
            if word.count > 4 { keys.append(String(word.prefix(4)) + "*") }
        }
        if keys.isEmpty, !normalised.isEmpty { keys.append(normalised) }
        return keys
    }

    /// Legal forms and linking words, normalised (dots removed, lower case).
    static let legalForms: Set<String> = [
        // French
        "sarl", "sas", "sasu", "sa", "eurl", "sci", "snc", "scop", "selarl", "scp", "gie", "ei", "eirl", "cie", "et",
        // German, Austrian, Swiss
        "gmbh", "mbh", "ag", "kg", "kgaa", "ohg", "ug", "ek", "ev", "gbr", "haftungsbeschrankt", "und",
        // English
        "ltd", "limited", "inc", "incorporated", "llc", "llp", "lp", "plc", "corp", "corporation", "co", "company", "the", "and",
        // Benelux, Southern and Northern Europe
        "bv", "nv", "vof", "bvba", "sprl", "srl", "spa", "sl", "slu", "sae", "lda", "ltda", "oy", "oyj", "ab", "as", "asa", "aps",
        // Central Europe
        "sp", "zoo", "kft", "sro", "doo", "pty",
    ]

    /// Jaro-Winkler similarity (prefix scale 0.1, prefix up to 4), on Unicode scalars.
    static func jaroWinkler(_ a: String, _ b: String) -> Double {
        jaroWinkler(Array(a.unicodeScalars), Array(b.unicodeScalars))
    }

    static func jaroWinkler(_ s: [Unicode.Scalar], _ t: [Unicode.Scalar]) -> Double {
        if s.isEmpty || t.isEmpty { return s.isEmpty && t.isEmpty ? 1 : 0 }
        // The match flags on the stack: this runs for hundreds of names a payment.
        return withUnsafeTemporaryAllocation(of: Bool.self, capacity: s.count + t.count) { flags in
            flags.initialize(repeating: false)
            return jaroWinkler(s, t, sMatched: UnsafeMutableBufferPointer(rebasing: flags[..<s.count]),
                               tMatched: UnsafeMutableBufferPointer(rebasing: flags[s.count...]))
        }
    }

    private static func jaroWinkler(_ s: [Unicode.Scalar], _ t: [Unicode.Scalar], sMatched: UnsafeMutableBufferPointer<Bool>,
                                    tMatched: UnsafeMutableBufferPointer<Bool>) -> Double {
        let window = max(0, max(s.count, t.count) / 2 - 1)
        var matches = 0
        for i in s.indices {
            let low = max(0, i - window), high = min(t.count - 1, i + window)
            if low > high { continue }
            for j in low...high where !tMatched[j] && s[i] == t[j] {
                sMatched[i] = true
                tMatched[j] = true
                matches += 1
                break
            }
        }
        if matches == 0 { return 0 }
        var transpositions = 0
        var k = 0
        for i in s.indices where sMatched[i] {
            while !tMatched[k] { k += 1 }
            if s[i] != t[k] { transpositions += 1 }
            k += 1
        }
        let m = Double(matches)
        let jaro = (m / Double(s.count) + m / Double(t.count) + (m - Double(transpositions) / 2) / m) / 3
        var prefix = 0
        while prefix < min(4, s.count, t.count) && s[prefix] == t[prefix] { prefix += 1 }
        return jaro + Double(prefix) * 0.1 * (1 - jaro)
    }
}
