import CSV
import Events
import Foundation
import Invoicing
import Money
import Testing

@Suite("CSV row mappers")
struct CSVRowTests {
    typealias F = DomainFixture

    static func rows(_ text: String) throws -> (header: CSVRecord, records: [CSVRecord]) {
        let reader = CSVReader(string: text)
        let header = try #require(try reader.nextRecord())
        var records: [CSVRecord] = []
        while let record = try reader.nextRecord() { records.append(record) }
        return (header, records)
    }

    @Test("maps invoice rows, with French dates and amounts")
    func invoices() throws {
        let (header, records) = try Self.rows("""
            Invoice Number;customer_number;issueDate;dueDate;currency;total;orderReference
            INV-1;C-1;2025-03-31;;EUR;1 234,56;PO-7
            INV-2;C-2;31/03/2025;30/04/2025;eur;99;
            """)
        let mapper = try InvoiceCSVRow(header: header)
        let first = try mapper.map(records[0]).get()
        #expect(first.number == "INV-1")
        #expect(first.issueDate.description == "2025-03-31")
        #expect(first.dueDate == nil)
        #expect(first.total == F.eur(123_456))
        #expect(first.orderReference == "PO-7")
        #expect(first.lines.isEmpty)
        let second = try mapper.map(records[1]).get()
        #expect(second.issueDate.description == "2025-03-31")
        #expect(second.dueDate?.description == "2025-04-30")
        #expect(second.total == F.eur(9_900))
        #expect(second.orderReference == nil)
        #expect(try second.validate(terms: .netDays(30)).creditorReference.electronicFormat == "RF79INV2ZNJB")
    }

    @Test("rejects bad invoice rows with line, column and code", arguments: [
        ("INV-1,C-1,2025-02-30,,EUR,10", "issueDate", InvoicingError.Code.invalidDate),
        ("INV-1,C-1,2025-02-01,01/13/2025,EUR,10", "dueDate", .invalidDate),
        ("INV-1,C-1,2025-02-01,,EUE,10", "currency", .unknownCurrency),
        ("INV-1,C-1,2025-02-01,,EUR,\"12,3456\"", "total", .tooManyDecimals),
        ("INV-1,C-1,2025-02-01,,EUR,douze", "total", .malformedAmount),
        ("INV-1,C-1,2025-02-01,,EUR,", "total", .missingField),
        (",C-1,2025-02-01,,EUR,10", "invoiceNumber", .missingField),
        ("INV-1,C-1,2025-02-01,,EUR,10,extra", nil, .malformedCSV),
    ] as [(String, String?, InvoicingError.Code)])
    func invoiceRejections(row: String, column: String?, code: InvoicingError.Code) throws {
        let (header, records) = try Self.rows("invoiceNumber,customerNumber,issueDate,dueDate,currency,total\nINV-0,C-0,2025-01-01,,EUR,1\n\(row)\n")
        let mapper = try InvoiceCSVRow(header: header)
        #expect(throws: Never.self) { try mapper.map(records[0]).get() }
        switch mapper.map(records[1]) {
        case .success(let draft): Issue.record("accepted \(draft)")
        case .failure(let rejection):
            #expect(rejection.line == 3)
            #expect(rejection.error.code == code)
            #expect(rejection.error.field == column)
            #expect(rejection.description.hasPrefix("line 3: "))
        }
    }

    @Test("a header without required columns is refused")
    func missingColumns() throws {
        let error = #expect(throws: InvoicingError.self) {
            try InvoiceCSVRow(header: CSVRecord(line: 1, fields: ["invoiceNumber", "customerNumber", "currency"]))
        }
        #expect(error?.code == .missingColumn)
        #expect(error?.reason.contains("issueDate, total") == true)
    }

    @Test("maps a customer row with its contact")
    func customer() throws {
        let (header, records) = try Self.rows("""
            customerNumber,legalName,country,language,timeZone,currency,paymentTerms,creditLimit,segment,riskCategory,strategic,tags,contactName,contactEmail,contactPhone,contactRole,addressLine1,postalCode,city
            C-1,Acme SAS,FR,,,EUR,45eom,"50 000,00",SMB,high,oui,key account|export,Claire Martin,claire@acme.fr,+33 6 12 34 56 78,accounting,12 rue de la Paix,75002,Paris
            C-2,Globex,US,en,America/Chicago,USD,,,,,,,,,,,,,
            """)
        let mapper = try CustomerCSVRow(header: header)
        let acme = try mapper.map(records[0]).get()
        #expect(acme.customerNumber == "C-1")
        #expect(acme.language == .fr)
        #expect(acme.timeZone.identifier == "Europe/Paris")
        #expect(acme.paymentTerms == .daysEndOfMonth(45))
        #expect(acme.creditLimit == F.eur(5_000_000))
        #expect(acme.riskCategory == .high)
        #expect(acme.strategic)
        #expect(acme.tags == ["key account", "export"])
        #expect(acme.billingAddress?.city == "Paris")
        let contact = try #require(acme.contacts.first)
        #expect(contact.email?.address == "claire@acme.fr")
        #expect(contact.phone?.e164 == "+33612345678")
        #expect(contact.role == .accounting)
        #expect(contact.preferredChannel == .email)
        #expect(contact.isDunningRecipient)
        let globex = try mapper.map(records[1]).get()
        #expect(globex.paymentTerms == .netDays(30))
        #expect(globex.contacts.isEmpty)
        #expect(globex.defaultCurrency == .usd)
        #expect(!globex.strategic)
    }

    @Test("rejects bad customer rows with line, column and code", arguments: [
        ("C-1,Acme,FR,EUR,not-an-email,", "contactEmail", InvoicingError.Code.invalidEmail),
        ("C-1,Acme,FR,EUR,,06 12 34 56 78", "contactPhone", .invalidPhone),
        ("C-1,Acme,US,USD,,", "timeZone", .missingField),
        ("C-1,Acme,UK,GBP,,", "country", .invalidCountry),
        ("C-1,,FR,EUR,,", "legalName", .missingField),
        ("C-1,Acme,FR,XXX,,", "currency", .unknownCurrency),
    ] as [(String, String, InvoicingError.Code)])
    func customerRejections(row: String, column: String, code: InvoicingError.Code) throws {
        let (header, records) = try Self.rows("customerNumber,legalName,country,currency,contactEmail,contactPhone\n\n\(row)\n")
        switch try CustomerCSVRow(header: header).map(records[0]) {
        case .success(let draft): Issue.record("accepted \(draft)")
        case .failure(let rejection):
            #expect(rejection.line == 3)
            #expect(rejection.error.code == code)
            #expect(rejection.error.field == column)
        }
    }

    @Test("a semicolon file with a BOM imports end to end")
    func endToEnd() throws {
        let text = "\u{FEFF}invoiceNumber;customerNumber;issueDate;currency;total\r\n"
            + (1...500).map { "INV-\($0);C-\($0 % 7);2025-03-\(String(format: "%02d", $0 % 28 + 1));EUR;\($0),50\r\n" }.joined()
        let reader = CSVReader(string: text)
        let mapper = try InvoiceCSVRow(header: try #require(try reader.nextRecord()))
        var total: Int64 = 0
        var count = 0
        while let record = try reader.nextRecord() {
            let invoice = try mapper.map(record).get().validate(terms: .netDays(30))
            total += invoice.total.minorUnits
            count += 1
        }
        #expect(count == 500)
        #expect(total == 12_550_000) // Σ (n × 100 + 50) cents for n = 1...500
    }
}
