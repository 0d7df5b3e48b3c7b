import Events
import Foundation

/// Gives a customer's contacts their stable ids when the customer is registered or updated.
///
/// A contact's id is what its history (reminders sent, replies) and consent hang on in every
/// service, so it must follow the person, not the position in the list. Each contact of the
/// new list is matched with at most one stored contact, in these passes (each pass over the
/// whole list, in order, before the next, so a weaker key never takes a contact a stronger one
/// names later in the list):
///
/// 1. **`id`**: the id the API returned for the contact. It must be one of the customer's
///    stored contacts (anything else is refused, so a typo never creates a new person).
/// 2. **`externalReference`**: the client's own key, equal on both sides.
/// 3. **e-mail** (case-insensitive), first with the same role, then with any role.
/// 4. **phone** (E.164), same role first, when at most one of the two has an e-mail: a
///    shared switchboard number must not merge two colleagues whose addresses differ.
/// 5. **name** (case-insensitive), same role first, for contacts with neither e-mail nor
///    phone on both sides (a department reached by letter).
///
/// In passes 3 to 5 a contact is never matched with one whose `externalReference` differs
/// from its own: two different keys are two different people. A matched contact keeps the
/// stored id; an unmatched one gets a new time-ordered id (``TimeOrderedID``); stored
/// contacts left unmatched are removed.
enum ContactIdentity {
    /// The new contacts with their ids: kept from the stored contact each matches, new ones
    /// for the others.
    /// - Parameters:
    ///   - contacts: The validated new list (``CustomerDraft/validated()``: no duplicates).
    ///   - stored: The customer's stored contacts; empty when registering.
    ///   - newID: Makes the id of a contact not matched.
    /// - Throws: `InvoicingError` `.invalidField` (`contacts[i].id`) for an `id` that is not
    ///   one of the stored contacts'.
    static func assigningIDs(
        to contacts: [ContactDraft], stored: [ContactDraft], newID: () -> String = { TimeOrderedID.make() }
    ) throws(InvoicingError) -> [ContactDraft] {
        var matches = Matches(count: contacts.count)

        for (index, contact) in contacts.enumerated() {
            guard let id = contact.id else { continue }
            guard let found = stored.indices.first(where: { stored[$0].id == id && !matches.isTaken($0) }) else {
                throw InvoicingError(.invalidField,
                                     "contact id \(id) is not one of this customer's contacts; leave id out to add a new contact",
                                     field: "contacts[\(index)].id")
            }
            matches.pair(index, found)
        }
        matches.pass(contacts, stored) { new, old in
            new.externalReference != nil && new.externalReference == old.externalReference
        }
        for sameRole in [true, false] {
            matches.pass(contacts, stored) { new, old in
                compatible(new, old, sameRole: sameRole) && new.emailKey != nil && new.emailKey == old.emailKey
            }
        }
        for sameRole in [true, false] {
            matches.pass(contacts, stored) { new, old in
                compatible(new, old, sameRole: sameRole) && new.phone != nil && new.phone == old.phone
                    && (new.email == nil || old.email == nil)
            }
        }
        for sameRole in [true, false] {
            matches.pass(contacts, stored) { new, old in
                compatible(new, old, sameRole: sameRole) && new.email == nil && new.phone == nil && old.email == nil
                    && old.phone == nil && new.name.lowercased() == old.name.lowercased()
            }
        }

        var result = contacts
        for index in result.indices {
            result[index].id = matches.storedIndex(of: index).flatMap { stored[$0].id } ?? newID()
        }
        return result
    }

    /// The contacts, each without an id given a new one (contacts of a new customer, as the
    /// CSV import builds them; the API goes through ``assigningIDs(to:stored:newID:)``).
    static func identifyingNew(_ contacts: [ContactDraft], newID: () -> String = { TimeOrderedID.make() }) -> [ContactDraft] {
        var result = contacts
        for index in result.indices where result[index].id == nil {
            result[index].id = newID()
        }
        return result
    }

    /// Whether a weak key (e-mail, phone, name) may match two contacts: same role if asked,
    /// and no two different external references.
    private static func compatible(_ new: ContactDraft, _ old: ContactDraft, sameRole: Bool) -> Bool {
        (!sameRole || new.role == old.role)
            && (new.externalReference == nil || old.externalReference == nil || new.externalReference == old.externalReference)
    }

    /// Which stored contact each new contact is paired with, one-to-one.
    private struct Matches {
        private var storedByNew: [Int?]
        private var taken: Set<Int> = []

        init(count: Int) {
            storedByNew = Array(repeating: nil, count: count)
        }

        func isTaken(_ storedIndex: Int) -> Bool { taken.contains(storedIndex) }

        func storedIndex(of newIndex: Int) -> Int? { storedByNew[newIndex] }

        mutating func pair(_ newIndex: Int, _ storedIndex: Int) {
            storedByNew[newIndex] = storedIndex
            taken.insert(storedIndex)
        }

        /// Pairs each new contact still alone with the first free stored contact satisfying
        /// `matches`.
        mutating func pass(_ contacts: [ContactDraft], _ stored: [ContactDraft],
                           _ matches: (ContactDraft, ContactDraft) -> Bool) {
            for (index, contact) in contacts.enumerated() where storedByNew[index] == nil {
                if let found = stored.indices.first(where: { !taken.contains($0) && matches(contact, stored[$0]) }) {
                    pair(index, found)
                }
            }
        }
    }
}
