import Events
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
@testable import Invoicing
import Money
import ServiceKit
import Testing

/// `/v1/invoices/{id}/disputes`, `/factor` and `/factor/release`, and the customer's
/// `/credit-insurance` and `/legal-status` (the harness's today: 2026-03-15).
@Suite struct DunningHoldRoutesTests {
    @Test("disputes: open two partial ones, list them, resolve one; the invoice shows what is still open")
    func disputeLifecycle() async throws {
        try await APIHarness().run { api in
            try await api.registerCustomer()
            let invoice = try await api.issueInvoice(Fixtures.invoice())
            let opened = try await api.send(.post, "/v1/invoices/\(invoice.id)/disputes", json: """
                {"amount": {"minorUnits": 20000, "currency": "EUR"}, "category": "pricing", "reason": "price", "openedOn": "2026-03-10"}
                """)
            #expect(opened.status == .created)
            let first = try opened.decode(DisputeChange.self)
            #expect(try first.dispute.category == "pricing" && first.dispute.openedOn == (CalendarDate(iso8601: "2026-03-10")))
            let second = try await api.send(.post, "/v1/invoices/\(invoice.id)/disputes", json: #"{"reason": "quality"}"#)
            #expect(second.status == .unprocessableContent) // the whole total is above what is not yet disputed
            #expect(try second.problem().errors?.first?.field == "amount")
            let third = try await api.send(.post, "/v1/invoices/\(invoice.id)/disputes", json: #"{"reason": "late", "amount": {"minorUnits": 5000, "currency": "EUR"}}"#)
            #expect(third.status == .created)
            let thirdChange = try third.decode(DisputeChange.self)
            #expect(thirdChange.invoice.disputedAmount == Money(minorUnits: 25_000, currency: .eur))
            #expect(thirdChange.invoice.openDisputes.count == 2)

            let resolve = try await api.send(
                .post, "/v1/invoices/\(invoice.id)/disputes/\(first.dispute.id)/resolve", json: #"{"resolution": "price confirmed"}"#)
            #expect(resolve.status == .ok)
            let resolved = try resolve.decode(DisputeChange.self)
            #expect(try resolved.dispute.resolvedOn == (CalendarDate(iso8601: "2026-03-15")))
            #expect(resolved.invoice.disputed && resolved.invoice.openDisputes.map(\.id) == [thirdChange.dispute.id])

            let list = try await api.send(.get, "/v1/invoices/\(invoice.id)/disputes")
            #expect(list.status == .ok)
            let items = try list.decode(DisputeList.self).items
            #expect(items.map(\.id) == [first.dispute.id, thirdChange.dispute.id])
            #expect(items.first?.resolution == "price confirmed")
        }
    }

    @Test("disputes: unknown dispute 404, resolved before opened 422, currency mismatch 422, null refused 400")
    func disputeErrors() async throws {
        try await APIHarness().run { api in
            try await api.registerCustomer()
            let invoice = try await api.issueInvoice(Fixtures.invoice())
            let unknown = try await api.send(.post, "/v1/invoices/\(invoice.id)/disputes/nope/resolve", json: #"{"resolution": "x"}"#)
            #expect(unknown.status == .notFound)
            #expect(try await api.send(.get, "/v1/invoices/nope/disputes").status == .notFound)
            let gbp = try await api.send(.post, "/v1/invoices/\(invoice.id)/disputes", json: #"{"reason": "x", "amount": {"minorUnits": 100, "currency": "GBP"}}"#)
            #expect(try gbp.status == .unprocessableContent && (gbp.problem().code) == "currencyMismatch")
            let nullAmount = try await api.send(.post, "/v1/invoices/\(invoice.id)/disputes", json: #"{"reason": "x", "amount": null}"#)
            #expect(nullAmount.status == .badRequest)
            let opened = try await api.send(.post, "/v1/invoices/\(invoice.id)/disputes", json: #"{"reason": "x", "openedOn": "2026-03-12"}"#)
            let id = try opened.decode(DisputeChange.self).dispute.id
            let early = try await api.send(.post, "/v1/invoices/\(invoice.id)/disputes/\(id)/resolve", json: #"{"resolution": "ok", "resolvedOn": "2026-03-11"}"#)
            #expect(try early.status == .unprocessableContent && (early.problem().errors?.first?.field) == "resolvedOn")
        }
    }

    @Test("factor: the mode is recorded (default notified) and a release hands the invoice back")
    func factorModeAndRelease() async throws {
        try await APIHarness().run { api in
            try await api.registerCustomer()
            let invoice = try await api.issueInvoice(Fixtures.invoice())
            let badMode = try await api.send(.post, "/v1/invoices/\(invoice.id)/factor", json: #"{"factorName": "F", "mode": "silent"}"#)
            #expect(badMode.status == .badRequest)
            let assigned = try await api.send(.post, "/v1/invoices/\(invoice.id)/factor", json: #"{"factorName": "Factor SA", "mode": "confidential"}"#)
            #expect(assigned.status == .ok)
            let factored = try assigned.decode(Invoice.self)
            #expect(try factored.factoringMode == .confidential && factored.factorAssignedOn == (CalendarDate(iso8601: "2026-03-15")))
            let released = try await api.send(.post, "/v1/invoices/\(invoice.id)/factor/release")
            #expect(released.status == .ok)
            #expect(try released.decode(Invoice.self).factorName == nil)
            let again = try await api.send(.post, "/v1/invoices/\(invoice.id)/factor/release", json: #"{"releasedOn": "2026-03-16"}"#)
            #expect(again.status == .conflict)
            let defaulted = try await api.send(.post, "/v1/invoices/\(invoice.id)/factor", json: #"{"factorName": "Other"}"#)
            #expect(try defaulted.decode(Invoice.self).factoringMode == .notified)
        }
    }

    @Test("credit insurance: PUT shows it on the customer and the deadline on its invoices; DELETE ends it")
    func creditInsurance() async throws {
        try await APIHarness().run { api in
            let customer = try await api.registerCustomer()
            let invoice = try await api.issueInvoice(Fixtures.invoice())
            let put = try await api.send(.put, "/v1/customers/\(customer.id)/credit-insurance", json: """
                {"insurer": "Allianz Trade", "policyReference": "POL-1", "coverAmount": {"minorUnits": 5000000, "currency": "EUR"}, "declarationDeadlineDays": 90}
                """)
            #expect(put.status == .ok)
            #expect(try put.decode(Customer.self).creditInsurance?.declarationDeadlineDays == 90)
            let shown = try await api.send(.get, "/v1/invoices/\(invoice.id)")
            #expect(try shown.decode(Invoice.self).insuranceDeclarationDeadline == (CalendarDate(iso8601: "2026-06-29")))
            let listed = try await api.send(.get, "/v1/invoices")
            #expect(try listed.decode(Page<Invoice>.self).items.first?.insuranceDeclarationDeadline == (CalendarDate(iso8601: "2026-06-29")))
            let wrong = try await api.send(.put, "/v1/customers/\(customer.id)/credit-insurance", json: """
                {"insurer": "A", "policyReference": "P", "coverAmount": {"minorUnits": 100, "currency": "USD"}, "declarationDeadlineDays": 90}
                """)
            #expect(try wrong.status == .unprocessableContent && (wrong.problem().code) == "currencyMismatch")
            let deleted = try await api.send(.delete, "/v1/customers/\(customer.id)/credit-insurance")
            #expect(deleted.status == .ok)
            #expect(try deleted.decode(Customer.self).creditInsurance == nil)
            #expect(try await api.send(.get, "/v1/invoices/\(invoice.id)").decode(Invoice.self).insuranceDeclarationDeadline == nil)
            #expect(try await api.send(.delete, "/v1/customers/nobody/credit-insurance").status == .notFound)
        }
    }

    @Test("legal status: PUT computes the claim deadline and shows it; status none with dates is a 422")
    func legalStatus() async throws {
        try await APIHarness().run { api in
            let customer = try await api.registerCustomer()
            #expect(customer.legalStatus.status == LegalProceedings.none)
            let put = try await api.send(.put, "/v1/customers/\(customer.id)/legal-status", json: """
                {"status": "safeguard", "judgmentDate": "2026-12-20", "publicationDate": "2026-12-31", "courtReference": "TC Lyon 2026J7"}
                """)
            #expect(put.status == .ok)
            let status = try put.decode(Customer.self).legalStatus
            #expect(try status.claimFilingDeadline == (CalendarDate(iso8601: "2027-02-28")) && status.individualCollectionSuspended)
            let shown = try await api.send(.get, "/v1/customers/\(customer.id)")
            #expect(try shown.decode(Customer.self).legalStatus.courtReference == "TC Lyon 2026J7")
            let invalid = try await api.send(.put, "/v1/customers/\(customer.id)/legal-status", json: #"{"status": "none", "judgmentDate": "2026-12-20"}"#)
            #expect(invalid.status == .unprocessableContent)
            #expect(try invalid.problem().errors?.first?.field == "judgmentDate")
            let unknownStatus = try await api.send(.put, "/v1/customers/\(customer.id)/legal-status", json: #"{"status": "bankrupt"}"#)
            #expect(unknownStatus.status == .badRequest)
            let left = try await api.send(.put, "/v1/customers/\(customer.id)/legal-status", json: #"{"status": "none"}"#)
            #expect(try left.decode(Customer.self).legalStatus.individualCollectionSuspended == false)
        }
    }

    @Test("the document's limits on the new bodies are the server's", arguments: [
        ("OpenDisputeRequest/reason", "maxLength", InvoicingAPI.maximumReasonLength),
        ("OpenDisputeRequest/category", "maxLength", DisputeDraft.maximumCategoryLength),
        ("ResolveInvoiceDisputeRequest/resolution", "maxLength", InvoicingAPI.maximumReasonLength),
        ("CreditInsurancePolicy/insurer", "maxLength", CreditInsuranceDraft.maximumTextLength),
        ("CreditInsurancePolicy/policyReference", "maxLength", CreditInsuranceDraft.maximumTextLength),
        ("CreditInsurancePolicy/declarationDeadlineDays", "maximum", CreditInsuranceDraft.maximumDeclarationDays),
    ])
    func limits(path: String, keyword: String, limit: Int) throws {
        let parts = path.split(separator: "/").map(String.init)
        #expect(try OpenAPIConstraintTests.property(parts[0], parts[1])[keyword] as? Int == limit)
    }

    @Test("the court reference's limit, in the in-proceedings branch of the legal status body")
    func courtReferenceLimit() throws {
        let property = try OpenAPIConstraintTests.node("components", "schemas", "LegalStatusRequest", "oneOf", 1, "properties", "courtReference")
        #expect(property["maxLength"] as? Int == LegalStatusDraft.maximumCourtReferenceLength)
    }

    @Test("the category pattern accepts exactly the categories the server does",
          arguments: ["pricing", "notReceived", "other2", "Pricing", "not received", "", "a" + String(repeating: "b", count: 40), "é"])
    func categoryPattern(category: String) throws {
        let pattern = try #require(try OpenAPIConstraintTests.property("OpenDisputeRequest", "category")["pattern"] as? String)
        let accepted = (try? DisputeDraft(category: category, reason: "x").validatedCategory()) != nil
        #expect(try OpenAPIConstraintTests.matches(pattern, category) == accepted)
    }
}
