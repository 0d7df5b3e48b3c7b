import Money

/// The tunable numbers of the matching engine. See ``MatchingEngine`` for how scores are made.
public struct MatchingPolicy: Sendable, Hashable {
    /// The lowest score (0...100) allocated without a person. Default: 90.
    public var autoAllocationThreshold: Int
    /// How far (in score points) the best candidate must be ahead of the runner-up to be
    /// allocated automatically. Default: 5.
    public var clearMargin: Int
    /// Short-payment tolerance per currency, in minor units: a payment short of the amount due
    /// by at most this much settles the invoices and the difference is written off (bank fees).
    /// Currencies not listed use ``defaultShortPaymentTolerance``. Default: none listed.
    public var shortPaymentTolerance: [Currency: Int64]
    /// Tolerance, in minor units, for currencies not in ``shortPaymentTolerance``.
    /// Default: 0 (a short payment is a partial payment).
    public var defaultShortPaymentTolerance: Int64
    /// The most invoices of one payer combined to explain an amount. Default: 4.
    public var maxInvoicesPerCombination: Int
    /// The payer's oldest open invoices considered for combinations. Default: 25.
    public var maxCombinationCandidates: Int
    /// Search steps allowed for combinations of one payer, so a pathological ledger costs a
    /// bounded time; counted in steps, not time, so the result is deterministic. Default: 200,000.
    public var maxCombinationSearchSteps: Int
    /// The shortest normalised invoice number (letters and digits) matched with a one-character
    /// typo; shorter numbers are too easily confused with other numbers. Default: 8.
    public var minimumTypoNumberLength: Int
    /// The lowest name similarity (Jaro-Winkler on normalised names, 0...1) that identifies a
    /// payer by name. Default: 0.92.
    public var nameSimilarityThreshold: Double
    /// The most suggestions kept for an unmatched payment. Default: 5.
    public var maxSuggestions: Int

    public init(autoAllocationThreshold: Int = 90, clearMargin: Int = 5, shortPaymentTolerance: [Currency: Int64] = [:],
                defaultShortPaymentTolerance: Int64 = 0, maxInvoicesPerCombination: Int = 4, maxCombinationCandidates: Int = 25,
                maxCombinationSearchSteps: Int = 200_000, minimumTypoNumberLength: Int = 8, nameSimilarityThreshold: Double = 0.92,
                maxSuggestions: Int = 5) {
        self.autoAllocationThreshold = autoAllocationThreshold
        self.clearMargin = clearMargin
        self.shortPaymentTolerance = shortPaymentTolerance
        self.defaultShortPaymentTolerance = defaultShortPaymentTolerance
        self.maxInvoicesPerCombination = maxInvoicesPerCombination
        self.maxCombinationCandidates = maxCombinationCandidates
        self.maxCombinationSearchSteps = maxCombinationSearchSteps
        self.minimumTypoNumberLength = minimumTypoNumberLength
        self.nameSimilarityThreshold = nameSimilarityThreshold
        self.maxSuggestions = maxSuggestions
    }

    /// The short-payment tolerance in minor units of `currency` (never negative).
    public func tolerance(for currency: Currency) -> Int64 {
        max(0, shortPaymentTolerance[currency] ?? defaultShortPaymentTolerance)
    }
}
