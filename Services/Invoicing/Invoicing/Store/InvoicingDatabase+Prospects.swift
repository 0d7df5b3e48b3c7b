import Events
import Foundation
import GRDB
import Money

extension InvoicingDatabase {
    /// Records a vetting of a prospect (or a customer, vetted again) and publishes
    /// `customer.vetted`. The identifiers are checked against the customer's country (SIREN,
    /// SIRET and French VAT key for France); the customer's own `registrationId` and `vatId`
    /// are filled from it when they are empty (a `customer.updated` then follows).
    /// - Throws: `InvoicingError` `.notFound`, or a validation code of ``VettingDraft/validated(country:currency:today:)``.
    public func recordVetting(customerId: String, _ draft: VettingDraft) async throws -> Customer {
        let now = self.now()
        return try await write { db in
            guard var customer = try Self.fetchCustomer(id: customerId, db) else {
                throw InvoicingError(.notFound, "no customer with id \(customerId)")
            }
            let today = CalendarDate(date: now, in: customer.details.timeZone.timeZone)
            let vetting = try draft.validated(country: customer.details.country, currency: customer.details.defaultCurrency, today: today)
            try db.execute(sql: "UPDATE customer SET vetting = ? WHERE id = ?",
                           arguments: [try EventJSON.encode(Vetting(details: vetting, decidedAt: now)), customerId])
            try enqueue(CustomerVetted(
                customerId: customerId, customerNumber: customer.details.customerNumber, relationship: customer.relationship.rawValue,
                decision: vetting.decision.rawValue, decidedBy: vetting.decidedBy, registrationId: vetting.registrationId,
                vatId: vetting.vatId, legalForm: vetting.legalForm, creationDate: vetting.creationDate, creditScore: vetting.creditScore,
                ratingSource: vetting.ratingSource, rating: vetting.rating, suggestedCreditLimit: vetting.suggestedCreditLimit,
                suggestedPaymentTerms: vetting.suggestedPaymentTerms?.description), db)
            var details = customer.details
            if details.registrationId == nil { details.registrationId = vetting.registrationId }
            if details.vatId == nil { details.vatId = vetting.vatId }
            if details != customer.details {
                try replaceDetails(of: &customer, with: details, now: now, db)
            }
            return try Self.fetchCustomer(id: customerId, db) ?? customer
        }
    }

    /// Signs a prospect: it becomes a customer (quotes can be accepted, orders taken, invoices
    /// issued). A prospect vetted `limited` gets the suggested credit limit and payment terms
    /// unless it has its own. Publishes `customer.updated` (`relationship` and what changed).
    /// - Throws: `InvoicingError` `.notFound`; `.invalidState` when it is a customer already,
    ///   has no vetting, or its last vetting is `refused`.
    public func signProspect(id: String) async throws -> Customer {
        let now = self.now()
        return try await write { db in
            guard var customer = try Self.fetchCustomer(id: id, db) else {
                throw InvoicingError(.notFound, "no customer with id \(id)")
            }
            guard customer.relationship == .prospect else {
                throw InvoicingError(.invalidState, "\(customer.details.customerNumber) is a customer already")
            }
            guard let vetting = customer.vetting else {
                throw InvoicingError(.invalidState, "prospect \(customer.details.customerNumber) is not vetted; record a vetting (PUT /v1/customers/\(id)/vetting) first")
            }
            guard vetting.details.decision != .refused else {
                throw InvoicingError(.invalidState, "prospect \(customer.details.customerNumber) was refused by \(vetting.details.decidedBy); record a new vetting to sign it")
            }
            var details = customer.details
            if vetting.details.decision == .limited {
                if details.creditLimit == nil { details.creditLimit = vetting.details.suggestedCreditLimit }
                if let terms = vetting.details.suggestedPaymentTerms { details.paymentTerms = terms }
            }
            try db.execute(sql: "UPDATE customer SET relationship = ? WHERE id = ?", arguments: [CustomerRelationship.customer.rawValue, id])
            customer.relationship = .customer
            try replaceDetails(of: &customer, with: details, now: now, extraChange: "relationship", db)
            try checkCreditLimit(customerId: id, db)
            return try Self.fetchCustomer(id: id, db) ?? customer
        }
    }

    /// Stores new details (or only a relationship change), bumps the version and publishes
    /// `customer.updated` naming the fields that changed.
    func replaceDetails(of customer: inout Customer, with details: CustomerDraft, now: Date, extraChange: String? = nil,
                        _ db: Database) throws {
        let changed = Self.changedFields(from: customer.details, to: details) + (extraChange.map { [$0] } ?? [])
        guard !changed.isEmpty else { return }
        customer.details = details
        customer.updatedAt = now
        customer.version += 1
        try db.execute(sql: """
            UPDATE customer SET number = ?, legal_name = ?, segment = ?, risk_category = ?, strategic = ?, tags = ?,
                time_zone = ?, currency = ?, payment_terms = ?, credit_limit_minor = ?, details = ?, updated_at = ?,
                version = ?
            WHERE id = ?
            """, arguments: Self.columns(of: details) + [Self.timestamp(now), customer.version, customer.id])
        try enqueue(CustomerUpdated(customer: customer.snapshot, changedFields: changed, customerVersion: customer.version), db)
    }

    /// Refuses to invoice a prospect: it would be reminded.
    static func requireSigned(customerId: String, number: String, _ db: Database) throws {
        let relationship = try String.fetchOne(db, sql: "SELECT relationship FROM customer WHERE id = ?", arguments: [customerId])
        guard relationship != CustomerRelationship.prospect.rawValue else {
            throw InvoicingError(.invalidState, "'\(number)' is a prospect: sign it (POST /v1/customers/{id}/sign) before taking orders or invoicing it",
                                 field: "customerNumber")
        }
    }
}
