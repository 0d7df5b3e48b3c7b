import Foundation
import Invoicing
import Testing

/// Real published numbers, each with where it is published:
/// - SIREN 552 032 534 and VAT FR27552032534: Danone SA, legal notice of danone.com and its
///   universal registration document.
/// - SIREN 552 081 317 and VAT FR03552081317: Électricité de France (EDF) SA, legal notice of edf.fr.
/// - SIRET 732 829 320 00074: the example of the French Wikipedia article "Système
///   d'identification du répertoire des établissements" (7th establishment of SIREN 732 829 320).
/// - SIRET 356 000 000 00048: La Poste's head office, the one La Poste SIRET that follows Luhn
///   (same article); 356 000 000 49837: a La Poste establishment, whose digits add up to 45.
@Suite("SIREN, SIRET and VAT identifiers")
struct CompanyIdentifierTests {
    @Test("published SIRENs pass, spaces allowed", arguments: ["552032534", "552 081 317", "732829320", "356000000"])
    func validSIREN(text: String) throws {
        let siren = try SIREN(text)
        #expect(siren.digits == text.replacingOccurrences(of: " ", with: ""))
    }

    @Test("a wrong SIREN check digit is refused with its field", arguments: ["552032535", "552081318", "732829321"])
    func wrongSIRENCheckDigit(text: String) {
        do {
            _ = try SIREN(text, field: "vetting.registrationId")
            Issue.record("\(text) accepted")
        } catch {
            #expect(error.code == .invalidField)
            #expect(error.field == "vetting.registrationId")
            #expect(error.reason.contains("check digit"))
        }
    }

    @Test("a SIREN of the wrong length or with letters is refused", arguments: ["55203253", "5520325340", "55203253A", ""])
    func malformedSIREN(text: String) {
        #expect(throws: InvoicingError.self) { try SIREN(text) }
    }

    @Test("published SIRETs pass, La Poste by its own rule", arguments: ["73282932000074", "732 829 320 00074", "35600000000048", "35600000049837"])
    func validSIRET(text: String) throws {
        let siret = try SIRET(text)
        #expect(siret.digits.count == 14)
        #expect(siret.siren == String(siret.digits.prefix(9)))
    }

    @Test("La Poste's establishments do not follow Luhn, other companies must")
    func laPosteRuleOnlyForLaPoste() throws {
        // 35600000049837 fails Luhn and passes the digit-sum rule: valid only because it is La Poste's.
        _ = try SIRET("35600000049837")
        // A La Poste establishment whose digits add up to 46: refused.
        #expect(throws: InvoicingError.self) { try SIRET("35600000049838") }
    }

    @Test("a wrong SIRET check digit or a wrong SIREN part is refused", arguments: ["73282932000075", "73282932100074", "7328293200007"])
    func wrongSIRET(text: String) {
        do {
            _ = try SIRET(text)
            Issue.record("\(text) accepted")
        } catch {
            #expect(error.code == .invalidField)
            #expect(error.field == "registrationId")
        }
    }

    @Test("French VAT keys of published numbers", arguments: [("552032534", 27), ("552081317", 3)])
    func frenchKey(siren: String, key: Int) throws {
        let parsed = try SIREN(siren)
        #expect(VATIdentifier.frenchKey(for: parsed) == key)
    }

    @Test("published French VAT numbers pass, written with spaces or lower case", arguments: ["FR27552032534", "FR 27 552 032 534", "fr03552081317"])
    func validFrenchVAT(text: String) throws {
        let vat = try VATIdentifier(text)
        #expect(vat.value.hasPrefix("FR"))
        #expect(vat.value.count == 13)
    }

    @Test("a wrong French VAT key names the expected one", arguments: ["FR28552032534", "FR04552081317"])
    func wrongFrenchKey(text: String) {
        do {
            _ = try VATIdentifier(text, field: "vetting.vatId")
            Issue.record("\(text) accepted")
        } catch {
            #expect(error.code == .invalidField)
            #expect(error.field == "vetting.vatId")
            #expect(error.reason.contains("the key for SIREN"))
        }
    }

    @Test("a French VAT number with a wrong SIREN or a letter key is refused", arguments: ["FR27552032535", "FRA7552032534", "FR2755203253"])
    func malformedFrenchVAT(text: String) {
        #expect(throws: InvoicingError.self) { try VATIdentifier(text) }
    }

    @Test("other countries' VAT numbers are free text")
    func otherCountries() throws {
        #expect(try VATIdentifier("DE 129 273 398").value == "DE129273398")
        #expect(try VATIdentifier("IE6388047V").value == "IE6388047V")
        #expect(throws: InvoicingError.self) { try VATIdentifier("DE/129") }
    }
}
