import Events
import Foundation

/// What setting a customer's legal status takes.
public struct LegalStatusDraft: Codable, Sendable, Hashable {
    /// The longest court reference accepted.
    public static let maximumCourtReferenceLength = 200

    public var status: LegalProceedings
    /// Required in proceedings; forbidden with `none`.
    public var judgmentDate: CalendarDate?
    /// The BODACC publication; optional in proceedings (it follows the judgment by days or
    /// weeks), forbidden with `none`.
    public var publicationDate: CalendarDate?
    public var courtReference: String?
    /// Default: the publication date plus two months, when it is known.
    public var claimFilingDeadline: CalendarDate?

    public init(
        status: LegalProceedings, judgmentDate: CalendarDate? = nil, publicationDate: CalendarDate? = nil,
        courtReference: String? = nil, claimFilingDeadline: CalendarDate? = nil
    ) {
        self.status = status
        self.judgmentDate = judgmentDate
        self.publicationDate = publicationDate
        self.courtReference = courtReference
        self.claimFilingDeadline = claimFilingDeadline
    }

    /// Decodes the JSON body; an explicit `null` for an optional field is refused (400).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        status = try container.decode(LegalProceedings.self, forKey: .status)
        judgmentDate = try container.decodeIfGiven(CalendarDate.self, forKey: .judgmentDate)
        publicationDate = try container.decodeIfGiven(CalendarDate.self, forKey: .publicationDate)
        courtReference = try container.decodeIfGiven(String.self, forKey: .courtReference)
        claimFilingDeadline = try container.decodeIfGiven(CalendarDate.self, forKey: .claimFilingDeadline)
    }

    private enum CodingKeys: String, CodingKey {
        case status, judgmentDate, publicationDate, courtReference, claimFilingDeadline
    }

    /// The status, checked, with the claim-filing deadline computed when not given.
    /// - Throws: `InvoicingError` `.invalidField` for dates or a reference given with `none`,
    ///   a publication before the judgment, or a deadline before the publication (or the
    ///   judgment); `.missingField` (`judgmentDate`) in proceedings; `.limitExceeded`.
    public func validated() throws(InvoicingError) -> CustomerLegalStatus {
        let reference = courtReference.map(TextNormalisation.trimmed)
        guard status != .none else {
            let given = [("judgmentDate", judgmentDate != nil), ("publicationDate", publicationDate != nil),
                         ("courtReference", courtReference != nil), ("claimFilingDeadline", claimFilingDeadline != nil)]
            if let field = given.first(where: \.1)?.0 {
                throw InvoicingError(.invalidField, "status none takes no dates or court reference; leave \(field) out", field: field)
            }
            return .none
        }
        guard let judgmentDate else {
            throw InvoicingError(.missingField, "give the date of the \(status.rawValue) judgment", field: "judgmentDate")
        }
        if let publicationDate, publicationDate < judgmentDate {
            throw InvoicingError(.invalidField, "the publication (\(publicationDate)) is before the judgment (\(judgmentDate))", field: "publicationDate")
        }
        if let reference {
            try InputLimits.check(courtReference ?? reference, atMost: Self.maximumCourtReferenceLength, field: "courtReference", "the court reference")
            guard !reference.isEmpty else { throw InvoicingError(.missingField, "the court reference is blank; leave it out instead", field: "courtReference") }
        }
        let deadline = claimFilingDeadline ?? publicationDate.map(CustomerLegalStatus.claimFilingDeadline(publishedOn:))
        if let deadline, deadline < (publicationDate ?? judgmentDate) {
            throw InvoicingError(.invalidField, """
                the claim-filing deadline (\(deadline)) is before the \(publicationDate == nil ? "judgment" : "publication") \
                (\(publicationDate ?? judgmentDate))
                """, field: "claimFilingDeadline")
        }
        return CustomerLegalStatus(
            status: status, judgmentDate: judgmentDate, publicationDate: publicationDate, courtReference: reference,
            claimFilingDeadline: deadline)
    }
}
