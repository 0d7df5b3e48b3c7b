/// The score adjustments of ``MatchingEngine``'s table.
enum MatchingScores {
    static let ambiguousReference = -10
    static let shortDigitNumber = -10
    static let amountAgrees = 5
    static let payerCorroborates = 5
    static let payerContradicts = -10
    static let settledReferenceContradicts = -10
    static let otherInvoiceNamed = -10
    static let payerByIBAN = 92
    static let payerByCustomerNumber = 92
    static let payerByExactName = 90
    static let payerByFuzzyName = 80
    static let fuzzyNameSpread = 5
    static let payerKindsAgree = 3
    static let payerMaximum = 95
    static let singleShort = -6
    static let combination = -2
    static let combinationShort = -8
    static let combinationSearchIncomplete = -8
    static let maximumTextRun = 7
    static let shortNumberLength = 6
    static let minimumTextNumberLength = 3
    static let maximumPayersTried = 5
    static let maximumNameCandidates = 500
}
