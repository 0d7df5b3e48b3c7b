import Events
import Foundation
import Money

/// A customer as the API shows it: the details it was registered with, plus what invoicing
/// derives (credit held, whether it is over its limit).
public struct Customer: Codable, Sendable, Hashable {
    public var id: String
    public var details: CustomerDraft
    /// Open customer credit per currency: the sum of what is still open on its credit items
    /// (overpayments, credit notes beyond an invoice's balance); currencies without any left out.
    public var credit: [Money]
    /// Whether the open balance is above the credit limit.
    public var creditLimitExceeded: Bool
    public var createdAt: Date
    public var updatedAt: Date
    /// 1 when registered, one more on every change of the details; customer events and
    /// `invoice.issued` carry it (`customerVersion`) so that consumers can tell stale
    /// customer events from current ones.
    public var version: Int
    /// The customer's credit insurance policy, if any.
    public var creditInsurance: CreditInsurancePolicy?
    /// Where the customer stands in collective proceedings; `none` by default.
    public var legalStatus: CustomerLegalStatus = .none
    /// `prospect` until signed (``InvoicingDatabase/signProspect(id:)``), then `customer`.
    public var relationship: CustomerRelationship = .customer
    /// The last vetting recorded (prospects are vetted before they are signed).
    public var vetting: Vetting?

    public init(id: String, details: CustomerDraft, credit: [Money], creditLimitExceeded: Bool, createdAt: Date, updatedAt: Date,
                version: Int = 1) {
        self.version = version
        self.id = id
        self.details = details
        self.credit = credit
        self.creditLimitExceeded = creditLimitExceeded
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    private enum CodingKeys: String, CodingKey {
        case id, credit, creditLimitExceeded, createdAt, updatedAt, version, creditInsurance, legalStatus, relationship, vetting
    }

    // The details are flattened into the customer object, as a client sent them.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(String.self, forKey: .id)
        credit = try container.decode([Money].self, forKey: .credit)
        creditLimitExceeded = try container.decode(Bool.self, forKey: .creditLimitExceeded)
        createdAt = try container.decode(Date.self, forKey: .createdAt)
        updatedAt = try container.decode(Date.self, forKey: .updatedAt)
        version = try container.decodeIfPresent(Int.self, forKey: .version) ?? 1
        creditInsurance = try container.decodeIfPresent(CreditInsurancePolicy.self, forKey: .creditInsurance)
        legalStatus = try container.decodeIfPresent(CustomerLegalStatus.self, forKey: .legalStatus) ?? CustomerLegalStatus.none
        relationship = try container.decodeIfPresent(CustomerRelationship.self, forKey: .relationship) ?? .customer
        vetting = try container.decodeIfPresent(Vetting.self, forKey: .vetting)
        details = try CustomerDraft(from: decoder)
    }

    public func encode(to encoder: any Encoder) throws {
        try details.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(credit, forKey: .credit)
        try container.encode(creditLimitExceeded, forKey: .creditLimitExceeded)
        try container.encode(createdAt, forKey: .createdAt)
        try container.encode(updatedAt, forKey: .updatedAt)
        try container.encode(version, forKey: .version)
        try container.encodeIfPresent(creditInsurance, forKey: .creditInsurance)
        try container.encode(legalStatus, forKey: .legalStatus)
        try container.encode(relationship, forKey: .relationship)
        try container.encodeIfPresent(vetting, forKey: .vetting)
    }

    /// What `invoice.issued` carries about the customer.
    var invoiceSnapshot: InvoiceCustomerSnapshot {
        InvoiceCustomerSnapshot(
            customerNumber: details.customerNumber, legalName: details.legalName, timeZone: details.timeZone.identifier,
            language: details.language.rawValue, segment: details.segment, riskCategory: details.riskCategory?.rawValue,
            strategic: details.strategic)
    }

    /// The customer as published in customer events.
    var snapshot: CustomerSnapshot {
        CustomerSnapshot(
            customerId: id, customerNumber: details.customerNumber, legalName: details.legalName,
            country: details.country.code, language: details.language.rawValue, timeZone: details.timeZone.identifier,
            defaultCurrency: details.defaultCurrency, paymentTerms: details.paymentTerms.description,
            creditLimit: details.creditLimit, segment: details.segment, riskCategory: details.riskCategory?.rawValue,
            strategic: details.strategic, tags: details.tags,
            contacts: details.contacts.enumerated().map { index, contact in
                // Stored contacts always have an id (the store assigns them, migration
                // invoicing-v3-contact-ids gave the older ones theirs); the fallback is the id
                // such a contact had before.
                ContactSnapshot(
                    contactId: contact.id ?? "\(id)-contact-\(index + 1)", name: contact.name, email: contact.email?.address,
                    phone: contact.phone?.e164, role: contact.role.rawValue, preferredChannel: contact.preferredChannel.rawValue,
                    isDunningRecipient: contact.isDunningRecipient, externalReference: contact.externalReference,
                    language: contact.language?.tag, consents: contact.consents.isEmpty ? nil : contact.consents.map(\.snapshot),
                    cc: contact.cc.isEmpty ? nil : contact.cc.map(\.address))
            },
            registrationId: details.registrationId, vatId: details.vatId,
            billingAddress: details.billingAddress.map {
                PostalAddressSnapshot(lines: $0.lines, postalCode: $0.postalCode, city: $0.city, country: $0.country.code)
            },
            lateInterestRateBasisPoints: details.lateInterestRateBasisPoints,
            autoApplyCredit: details.autoApplyCredit, relationship: relationship.rawValue, creditPolicy: details.creditPolicy.rawValue)
    }
}
