import Testing
@testable import PaymentMatching

/// ``PayerName/mayReach(_:with:)`` lets the fuzzy look-up skip names without comparing them:
/// it must never skip a name that would reach the threshold, and should skip most far-off ones.
@Suite struct PayerNameBoundTests {
    static let words = ["Acme", "Dupont", "Dupond", "Globex", "Initech", "Martin", "Martins", "Bernard", "Bertrand", "Muller",
                        "Müller", "Schmidt", "Schmitt", "Nordic", "Nordik", "Atlas", "Orion", "Vega", "Groupe", "Services",
                        "Transports", "Boulangerie", "Industries", "Holding", "3", "8", "Société", "Générale", "Café"]

    static func name(_ random: inout MatchingRandom) -> PayerName {
        let count = Int.random(in: 1...4, using: &random)
        var text = (0..<count).map { _ in words[Int.random(in: 0..<words.count, using: &random)] }.joined(separator: " ")
        if Bool.random(using: &random) {
            // A typo: a letter dropped, doubled or changed.
            var characters = Array(text)
            let at = Int.random(in: 0..<characters.count, using: &random)
            switch Int.random(in: 0..<3, using: &random) {
            case 0: characters.remove(at: at)
            case 1: characters.insert(characters[at], at: at)
            default: characters[at] = "x"
            }
            text = String(characters)
        }
        return PayerName(text + [" SARL", " GmbH", "", " Ltd"][Int.random(in: 0..<4, using: &random)])
    }

    @Test func neverSkipsANameThatReachesTheThreshold() {
        var random = MatchingRandom(seed: 17)
        var skipped = 0, reaching = 0
        for _ in 0..<20_000 {
            let a = PayerNameBoundTests.name(&random), b = PayerNameBoundTests.name(&random)
            for threshold in [0.85, 0.92, 0.97] {
                let similarity = a.similarity(to: b)
                if similarity >= threshold {
                    reaching += 1
                    #expect(a.mayReach(threshold, with: b), "'\(a.normalised)' / '\(b.normalised)': \(similarity) ≥ \(threshold) skipped")
                } else if !a.mayReach(threshold, with: b) {
                    skipped += 1
                }
            }
        }
        #expect(reaching > 500)
        #expect(skipped > 20_000, "only \(skipped) skipped")
    }

    @Test func namesSharingFewLettersAreSkippedEvenWhenAsLong() {
        let query = PayerName("Boulangerie Martin")
        // Same length, few letters in common: the length bound alone would compare them.
        #expect(!PayerName("Transports Vegaxy").mayReach(0.92, with: query))
        #expect(PayerName("Boulangerie Martn").mayReach(0.92, with: query))
    }
}
