import Events
import Money
@testable import PaymentMatching

/// Small builders so each matching test reads as its scenario.
enum MatchingFixture {
    static func eur(_ minorUnits: Int64) -> Money { Money(minorUnits: minorUnits, currency: .eur) }

    static func day(_ text: String) -> CalendarDate { try! CalendarDate(iso8601: text) }

    /// An RF reference with correct check digits for `reference` (computed here independently
    /// of the engine, checked against the ISO 11649 example in `RFReferenceTests`).
    static func rf(_ reference: String) -> String {
        var remainder = 0
        for character in (reference + "RF00").unicodeScalars {
            if character.properties.numericType != nil {
                remainder = (remainder * 10 + Int(character.value - 48)) % 97
            } else {
                remainder = (remainder * 100 + Int(character.value - 55)) % 97
            }
        }
        let check = 98 - remainder
        return "RF" + (check < 10 ? "0" : "") + String(check) + reference
    }

    static func invoice(_ id: String, number: String, customer: String = "C1", open: Int64, currency: Currency = .eur,
                        due: String = "2025-03-31", issued: String = "2025-03-01", reference: String? = nil) -> OpenInvoice {
        OpenInvoice(id: id, number: number, paymentReference: reference, customerId: customer,
                    openAmount: Money(minorUnits: open, currency: currency), issueDate: day(issued), dueDate: day(due))
    }

    static func payment(_ amount: Int64, currency: Currency = .eur, structured: [String] = [], text: String? = nil,
                        name: String? = nil, iban: String? = nil, on date: String = "2025-04-10") -> Payment {
        Payment(id: "P1", amount: Money(minorUnits: amount, currency: currency), valueDate: day(date),
                remittance: Remittance(structured: structured, unstructured: text),
                counterparty: name == nil && iban == nil ? nil : Counterparty(name: name, iban: iban))
    }

    static let acme = PayerProfile(customerId: "C1", customerNumber: "CUST-0042", legalName: "Acme Industries SAS",
                                   nameVariants: ["Acme Group"], ibans: ["FR76 3000 6000 0112 3456 7890 189"])
    static let globex = PayerProfile(customerId: "C2", customerNumber: "CUST-0077", legalName: "Globex GmbH",
                                     ibans: ["DE89370400440532013000"])
}

extension MatchDecision {
    /// Invoice id → allocated minor units, of the allocated candidate (empty when unmatched).
    var allocatedAmounts: [String: Int64] {
        Dictionary(uniqueKeysWithValues: (allocated?.allocations ?? []).map { ($0.invoiceId, $0.amount.minorUnits) })
    }
}
