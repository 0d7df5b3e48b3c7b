import Events
import Foundation
import ServiceKit

/// The creditor as invoices name it to the payer: who to pay and where. Carried by
/// `invoice.issued` so that reminders can say it without asking invoicing.
///
/// Configuration keys `payee.legal.name`, `payee.iban` and `payee.bic`. Without any of them,
/// the service uses ``demo``, a fictitious creditor, and says so in its start-up log.
public struct Payee: Sendable, Hashable {
    /// The creditor's registered name.
    public var legalName: String
    /// The account to pay into, electronic form (upper case, no spaces).
    public var iban: String
    /// The bank's BIC, 8 or 11 characters, upper case.
    public var bic: String?

    /// A fictitious creditor for demos and trials: the bank code 99999 and the BIC's
    /// institution `DEMO` belong to no bank.
    public static let demo = Payee(uncheckedLegalName: "Relance Demo Creditor (fictitious)", iban: "FR2999999000010000000000185", bic: "DEMOFRPPXXX")

    /// Checks and normalises a payee.
    /// - Throws: `InvoicingError` `.invalidField` (field `legalName`, `iban` or `bic`) for a
    ///   blank name, an IBAN whose format or ISO 13616 mod-97 check fails, or a BIC not of
    ///   the ISO 9362 form (4 letters, 2-letter country, 2 letters or digits, optional 3 more).
    public init(legalName: String, iban: String, bic: String?) throws(InvoicingError) {
        let name = TextNormalisation.trimmed(legalName)
        guard !name.isEmpty, name.unicodeScalars.count <= 200 else {
            throw InvoicingError(.invalidField, "the payee's legal name must be 1...200 characters", field: "legalName")
        }
        let cleanIBAN = iban.filter { $0 != " " }.uppercased()
        guard Payee.isValidIBAN(cleanIBAN) else {
            throw InvoicingError(.invalidField, "'\(iban)' is not a valid IBAN (country, 2 check digits, up to 30 letters or digits, mod-97 check); copy it from the bank details", field: "iban")
        }
        let cleanBIC = bic.map { TextNormalisation.trimmed($0).uppercased() }.flatMap { $0.isEmpty ? nil : $0 }
        if let cleanBIC, !Payee.isValidBIC(cleanBIC) {
            throw InvoicingError(.invalidField, "'\(cleanBIC)' is not a BIC (e.g. BNPAFRPP or BNPAFRPPXXX)", field: "bic")
        }
        self.init(uncheckedLegalName: name, iban: cleanIBAN, bic: cleanBIC)
    }

    private init(uncheckedLegalName: String, iban: String, bic: String?) {
        self.legalName = uncheckedLegalName
        self.iban = iban
        self.bic = bic
    }

    /// Reads `payee.legal.name`, `payee.iban` and `payee.bic`; ``demo`` when none is set.
    /// - Throws: `ConfigurationError` when some but not all of the name and IBAN are set, or
    ///   a value is invalid.
    public init(reader: ConfigurationReader) throws(ConfigurationError) {
        let name = reader.string("payee.legal.name")
        let iban = reader.string("payee.iban")
        let bic = reader.string("payee.bic")
        guard name != nil || iban != nil || bic != nil else {
            self = .demo
            return
        }
        guard let name else { throw ConfigurationError(key: "payee.legal.name", reason: "give the creditor's legal name with its IBAN") }
        guard let iban else { throw ConfigurationError(key: "payee.iban", reason: "give the IBAN payments are made to") }
        do throws(InvoicingError) {
            try self.init(legalName: name, iban: iban, bic: bic)
        } catch {
            let key = switch error.field { case "iban": "payee.iban"; case "bic": "payee.bic"; default: "payee.legal.name" }
            throw ConfigurationError(key: key, reason: error.reason)
        }
    }

    /// The payee as published in events.
    public var snapshot: PayeeSnapshot { PayeeSnapshot(legalName: legalName, iban: iban, bic: bic) }

    /// ISO 13616: 2 letters, 2 digits, 11...30 letters or digits, and the number made of the
    /// BBAN, the country and the check digits (letters as 10...35) is 1 modulo 97.
    static func isValidIBAN(_ iban: String) -> Bool {
        let scalars = Array(iban.unicodeScalars)
        guard (15...34).contains(scalars.count),
              scalars[0...1].allSatisfy({ ("A"..."Z").contains($0) }),
              scalars[2...3].allSatisfy({ ("0"..."9").contains($0) }),
              scalars.allSatisfy({ ("A"..."Z").contains($0) || ("0"..."9").contains($0) }) else { return false }
        var remainder = 0
        for scalar in scalars[4...] + scalars[..<4] {
            let value = ("0"..."9").contains(scalar) ? Int(scalar.value - 48) : Int(scalar.value - 55)
            remainder = (value < 10 ? remainder * 10 : remainder * 100) + value
            remainder %= 97
        }
        return remainder == 1
    }

    /// ISO 9362: 4 letters (institution), 2 letters (country), 2 letters or digits
    /// (location), optionally 3 letters or digits (branch).
    static func isValidBIC(_ bic: String) -> Bool {
        let scalars = Array(bic.unicodeScalars)
        guard scalars.count == 8 || scalars.count == 11 else { return false }
        let letter: (Unicode.Scalar) -> Bool = { ("A"..."Z").contains($0) }
        let alphanumeric: (Unicode.Scalar) -> Bool = { letter($0) || ("0"..."9").contains($0) }
        return scalars[0..<6].allSatisfy(letter) && scalars[6...].allSatisfy(alphanumeric)
    }
}
