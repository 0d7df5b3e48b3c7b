import Testing
@testable import PaymentMatching

@Suite struct PayerNameTests {
    @Test func legalFormsCaseAccentsAndPunctuationAreSetAside() {
        #expect(PayerName("ACME S.A.R.L.").normalised == "acme")
        #expect(PayerName("Acme SARL").normalised == "acme")
        #expect(PayerName("Müller GmbH & Co. KG").normalised == "muller")
        #expect(PayerName("SOCIETE GENERALE SA").normalised == PayerName("Société Générale").normalised)
        #expect(PayerName("Widgets Ltd").normalised == PayerName("WIDGETS LIMITED").normalised)
    }

    @Test func aNameMadeOnlyOfLegalWordsKeepsThem() {
        #expect(PayerName("S.A.").normalised == "sa")
    }

    @Test func jaroWinklerGivesTheTextbookValue() {
        #expect(abs(PayerName.jaroWinkler("martha", "marhta") - 0.9611) < 0.001)
        #expect(abs(PayerName.jaroWinkler("dixon", "dicksonx") - 0.8133) < 0.001)
    }

    @Test func aTypoOrAnotherWordOrderIsSimilarAnotherNameIsNot() {
        let threshold = MatchingPolicy().nameSimilarityThreshold
        #expect(PayerName("Dupont Industries").similarity(to: PayerName("Dupond Industries SA")) >= threshold)
        #expect(PayerName("Industries Dupont").similarity(to: PayerName("Dupont Industries")) >= threshold)
        #expect(PayerName("Martin Transports").similarity(to: PayerName("Bernard Logistique")) < threshold)
        #expect(PayerName("Acme").similarity(to: PayerName("Apex")) < threshold)
    }

    @Test func namesWithDifferentNumbersAreDifferentPayers() {
        #expect(PayerName("Atlas Vega 3 SARL").similarity(to: PayerName("Atlas Vega 8 SARL")) == 0)
        #expect(PayerName("Atlas Vega 3 SARL").similarity(to: PayerName("ATLAS VEGA 3")) == 1)
    }
}
