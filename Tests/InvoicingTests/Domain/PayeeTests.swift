import Events
import Foundation
@testable import Invoicing
import ServiceKit
import Testing

@Suite("Payee: IBAN, BIC and configuration")
struct PayeeTests {
    @Test("valid IBANs pass the mod-97 check, spaces and case tolerated", arguments: [
        "FR7630006000011234567890189", "fr76 3000 6000 0112 3456 7890 189", "DE89370400440532013000", "GB29NWBK60161331926819",
        "BE68539007547034",
    ])
    func validIBAN(iban: String) throws {
        let payee = try Payee(legalName: "Acme", iban: iban, bic: nil)
        #expect(payee.iban == iban.replacingOccurrences(of: " ", with: "").uppercased())
    }

    @Test("invalid IBANs are refused", arguments: [
        "FR7630006000011234567890188", "DE89370400440532013001", "FR76", "XX", "", "FR76-3000-6000", "7630006000011234567890189FR",
        "FR763000600001123456789018912345678901",
    ])
    func invalidIBAN(iban: String) {
        let error = #expect(throws: InvoicingError.self) { try Payee(legalName: "Acme", iban: iban, bic: nil) }
        #expect(error?.field == "iban")
    }

    @Test("BIC has 8 or 11 characters: bank, country, location, branch")
    func bic() throws {
        #expect(try Payee(legalName: "Acme", iban: "FR7630006000011234567890189", bic: "bnpafrpp").bic == "BNPAFRPP")
        #expect(try Payee(legalName: "Acme", iban: "FR7630006000011234567890189", bic: "BNPAFRPPXXX").bic == "BNPAFRPPXXX")
        #expect(try Payee(legalName: "Acme", iban: "FR7630006000011234567890189", bic: " ").bic == nil)
        for bad in ["BNPAFRP", "BNPAFRPPXX", "BNP1FRPP", "BNPAF1PP", "BNPAFRPP-XX"] {
            let error = #expect(throws: InvoicingError.self) { try Payee(legalName: "Acme", iban: "FR7630006000011234567890189", bic: bad) }
            #expect(error?.field == "bic", "\(bad)")
        }
    }

    @Test("the demo payee is itself valid")
    func demo() throws {
        let demo = Payee.demo
        #expect(try Payee(legalName: demo.legalName, iban: demo.iban, bic: demo.bic) == demo)
    }

    @Test("configuration: none set is the demo payee; partial or invalid settings are refused with the key")
    func configuration() throws {
        #expect(try Payee(reader: ConfigurationReader(values: [:])) == .demo)
        let configured = try Payee(reader: ConfigurationReader(values: [
            "payee.legal.name": "Acme SAS", "payee.iban": "DE89 3704 0044 0532 0130 00", "payee.bic": "COBADEFFXXX",
        ]))
        #expect(configured.legalName == "Acme SAS")
        #expect(configured.iban == "DE89370400440532013000")
        #expect(configured.bic == "COBADEFFXXX")
        #expect((#expect(throws: ConfigurationError.self) { try Payee(reader: ConfigurationReader(values: ["payee.iban": "DE89370400440532013000"])) })?.key == "payee.legal.name")
        #expect((#expect(throws: ConfigurationError.self) { try Payee(reader: ConfigurationReader(values: ["payee.legal.name": "Acme"])) })?.key == "payee.iban")
        #expect((#expect(throws: ConfigurationError.self) {
            try Payee(reader: ConfigurationReader(values: ["payee.legal.name": "Acme", "payee.iban": "DE89370400440532013001"]))
        })?.key == "payee.iban")
        #expect((#expect(throws: ConfigurationError.self) {
            try Payee(reader: ConfigurationReader(values: ["payee.legal.name": "Acme", "payee.iban": "DE89370400440532013000", "payee.bic": "X"]))
        })?.key == "payee.bic")
    }
}
