import Events

/// Where a customer stands in French collective proceedings, as the API shows it.
public struct CustomerLegalStatus: Codable, Sendable, Hashable {
    public var status: LegalProceedings
    /// The day of the opening (or conversion) judgment.
    public var judgmentDate: CalendarDate?
    /// The day the judgment was published in the BODACC.
    public var publicationDate: CalendarDate?
    /// The court and case reference.
    public var courtReference: String?
    /// The last day to file claims with the mandataire judiciaire.
    public var claimFilingDeadline: CalendarDate?
    /// Whether reminders must stop: true in any proceedings.
    public var individualCollectionSuspended: Bool

    public init(
        status: LegalProceedings, judgmentDate: CalendarDate? = nil, publicationDate: CalendarDate? = nil,
        courtReference: String? = nil, claimFilingDeadline: CalendarDate? = nil
    ) {
        self.status = status
        self.judgmentDate = judgmentDate
        self.publicationDate = publicationDate
        self.courtReference = courtReference
        self.claimFilingDeadline = claimFilingDeadline
        self.individualCollectionSuspended = status.suspendsIndividualCollection
    }

    /// No proceedings.
    public static let none = CustomerLegalStatus(status: .none)

    /// The default claim-filing deadline: two months after the BODACC publication (Code de
    /// commerce R622-24), the same day of the month, or the month's last day when it has no
    /// such day (2026-12-31 gives 2027-02-28).
    public static func claimFilingDeadline(publishedOn publication: CalendarDate) -> CalendarDate {
        publication.adding(months: 2)
    }
}
