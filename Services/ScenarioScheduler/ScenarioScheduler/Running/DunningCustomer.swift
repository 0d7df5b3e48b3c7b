import Events
import Foundation

/// A customer as the scheduler needs it to remind: who to write to, in which language and
/// time zone, and what stops collection (a collective insolvency proceeding).
public struct DunningCustomer: Sendable, Hashable {
    public var customerId: String
    public var customerNumber: String
    public var legalName: String
    /// BCP 47 language of its messages.
    public var language: String
    /// Its time zone: sending windows and "today" are in it.
    public var timeZone: TimeZone
    public var segment: String?
    public var risk: RiskCategory?
    public var strategic: Bool
    public var contacts: [ContactSnapshot]
    public var billingAddress: PostalAddressSnapshot?
    public var registrationId: String?
    public var vatId: String?
    /// A collective proceeding (safeguard, receivership, liquidation) suspends individual
    /// collection: no reminder, a claim-filing task instead.
    public var legalStatus: LegalProceedings
    /// The day by which the claim must be filed with the court's representative.
    public var claimFilingDeadline: CalendarDate?
    /// The late-interest rate agreed with this customer, in basis points; nil for ECB + 10.
    public var lateInterestRateBasisPoints: Int?

    public init(
        customerId: String, customerNumber: String, legalName: String, language: String = "fr", timeZone: TimeZone,
        segment: String? = nil, risk: RiskCategory? = nil, strategic: Bool = false, contacts: [ContactSnapshot] = [],
        billingAddress: PostalAddressSnapshot? = nil, registrationId: String? = nil, vatId: String? = nil,
        legalStatus: LegalProceedings = .none, claimFilingDeadline: CalendarDate? = nil, lateInterestRateBasisPoints: Int? = nil
    ) {
        self.customerId = customerId
        self.customerNumber = customerNumber
        self.legalName = legalName
        self.language = language
        self.timeZone = timeZone
        self.segment = segment
        self.risk = risk
        self.strategic = strategic
        self.contacts = contacts
        self.billingAddress = billingAddress
        self.registrationId = registrationId
        self.vatId = vatId
        self.legalStatus = legalStatus
        self.claimFilingDeadline = claimFilingDeadline
        self.lateInterestRateBasisPoints = lateInterestRateBasisPoints
    }

    /// The time zone named by an event, or UTC when the name is unknown (a reminder at the
    /// wrong hour is better than none; the projection logs it).
    public static func timeZone(named identifier: String) -> TimeZone {
        TimeZone(identifier: identifier) ?? TimeZone(secondsFromGMT: 0) ?? .current
    }

    /// The profile scenario assignment rules look at.
    public var profile: CustomerDunningProfile {
        CustomerDunningProfile(customerID: customerId, segment: segment, risk: risk, strategic: strategic)
    }
}
