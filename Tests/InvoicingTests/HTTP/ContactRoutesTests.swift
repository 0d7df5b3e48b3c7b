import Events
import Foundation
import HTTPTypes
import HummingbirdTesting
import Invoicing
import NIOCore
import ServiceKit
import Testing

/// Contacts through the API: stable ids (issue 7 #4), several per role (issue 7 #11).
@Suite("HTTP: contacts")
struct ContactRoutesTests {
    static func customer(_ contacts: String) -> String {
        #"{"customerNumber": "C-100", "legalName": "Acme SAS", "country": "FR", "defaultCurrency": "EUR", "contacts": [\#(contacts)]}"#
    }

    static let claire = #"{"name": "Claire", "email": "claire@acme.fr", "role": "accounting", "isDunningRecipient": true}"#
    static let paul = #"{"name": "Paul", "email": "paul@acme.fr", "role": "accounting"}"#
    static let zoe = #"{"name": "Zoé", "phone": "+33 6 12 34 56 78", "role": "management"}"#

    @Test("PUT with contacts reordered and one removed keeps each person's id")
    func reorderKeepsIDs() async throws {
        let harness = try APIHarness()
        try await harness.run { api in
            let registered = try await api.registerCustomer(Self.customer([Self.claire, Self.paul, Self.zoe].joined(separator: ",")))
            let ids = registered.details.contacts.map(\.id)
            #expect(ids.allSatisfy { $0 != nil } && Set(ids).count == 3)

            let response = try await api.send(.put, "/v1/customers/\(registered.id)", json: Self.customer([Self.zoe, Self.paul].joined(separator: ",")))
            #expect(response.status == .ok, "\(String(buffer: response.body))")
            let updated = try response.decode(Customer.self)
            #expect(updated.details.contacts.map(\.id) == [ids[2], ids[1]])
            #expect(String(buffer: response.body).contains(#""id":"\#(ids[2] ?? "")""#)) // clients see the ids

            // A client that echoes the ids keeps them too, even after renaming.
            let echoed = #"{"id": "\#(ids[1] ?? "")", "name": "Paul Durand", "email": "p.durand@acme.fr", "role": "accounting"}"#
            let renamed = try await api.send(.put, "/v1/customers/\(registered.id)", json: Self.customer(echoed))
            #expect(try renamed.decode(Customer.self).details.contacts.map(\.id) == [ids[1]])
        }
    }

    @Test("a contact id the customer does not have is 422 invalidField on contacts[0].id")
    func unknownIDRefused() async throws {
        let harness = try APIHarness()
        try await harness.run { api in
            let registered = try await api.registerCustomer(Self.customer(Self.claire))
            let stranger = #"{"id": "not-a-contact", "name": "Claire", "email": "claire@acme.fr", "role": "accounting"}"#
            let response = try await api.send(.put, "/v1/customers/\(registered.id)", json: Self.customer(stranger))
            #expect(response.status == .unprocessableContent)
            let problem = try response.problem()
            #expect(problem.code == "invalidField")
            #expect(problem.errors?.first?.field == "contacts[0].id")
        }
    }

    @Test("two accounting contacts both marked dunning recipient are accepted; the first listed is the primary")
    func twoRecipientsInARole() async throws {
        let harness = try APIHarness()
        try await harness.run { api in
            let paulMarked = #"{"name": "Paul", "email": "paul@acme.fr", "role": "accounting", "isDunningRecipient": true}"#
            let response = try await api.send(.post, "/v1/customers", json: Self.customer([Self.claire, paulMarked].joined(separator: ",")))
            #expect(response.status == .created, "\(String(buffer: response.body))")
            let customer = try response.decode(Customer.self)
            #expect(customer.details.contacts.map(\.isDunningRecipient) == [true, false])
        }
    }

    @Test("the same e-mail twice in one role is 422 duplicateContact; in two roles it is fine")
    func duplicateContact() async throws {
        let harness = try APIHarness()
        try await harness.run { api in
            let again = #"{"name": "Claire M.", "email": "CLAIRE@acme.fr", "role": "accounting"}"#
            let response = try await api.send(.post, "/v1/customers", json: Self.customer([Self.claire, again].joined(separator: ",")))
            #expect(response.status == .unprocessableContent)
            let problem = try response.problem()
            #expect(problem.code == "duplicateContact")
            #expect(problem.errors?.first?.field == "contacts[1].email")

            let otherRole = #"{"name": "Claire", "email": "claire@acme.fr", "role": "management"}"#
            try await api.registerCustomer(Self.customer([Self.claire, otherRole].joined(separator: ",")))
        }
        #expect(try await harness.count("customer") == 1)
    }
}
