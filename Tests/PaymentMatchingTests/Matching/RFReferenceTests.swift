import Testing
@testable import PaymentMatching

@Suite struct RFReferenceTests {
    @Test func theStandardsExampleIsValidPrintedOrElectronicInAnyCase() {
        #expect(RFReference.validated("RF18539007547034") == "RF18539007547034")
        #expect(RFReference.validated("RF18 5390 0754 7034") == "RF18539007547034")
        #expect(RFReference.validated("rf18 5390 0754 7034") == "RF18539007547034")
        #expect(MatchingFixture.rf("539007547034") == "RF18539007547034")
    }

    @Test func wrongCheckDigitsOrASwappedCharacterAreRefused() {
        #expect(RFReference.validated("RF19539007547034") == nil)
        #expect(RFReference.validated("RF18539007547043") == nil)
        #expect(RFReference.validated("RF18") == nil)
        #expect(RFReference.validated("RF18-5390") == nil)
        #expect(RFReference.looksLikeReference("RF19 5390 0754 7034"))
        #expect(!RFReference.looksLikeReference("FA-2025-0042"))
    }

    @Test func printFormatGroupsByFour() {
        #expect(RFReference.printFormat("RF18539007547034") == "RF18 5390 0754 7034")
    }
}
