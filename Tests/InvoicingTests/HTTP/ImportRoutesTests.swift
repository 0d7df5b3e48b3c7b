import Events
import Foundation
import HTTPTypes
import HummingbirdTesting
import Invoicing
import Money
import NIOCore
import ServiceKit
import Testing

@Suite("HTTP: CSV imports")
struct ImportRoutesTests {
    static let customersCSV = """
        customerNumber;legalName;country;currency;paymentTerms;contactEmail
        C-001;Acme SAS;FR;EUR;net:30;claire@acme.fr
        C-002;Boulangerie Durand;FR;EUR;eom+10;
        C-003;Mairie de Lyon;FR;EUR;net:60;compta@lyon.fr

        """

    /// Line 4 names an unknown customer; the others are valid.
    static let invoicesCSV = """
        invoiceNumber,customerNumber,issueDate,dueDate,currency,total
        INV-001,C-001,2026-03-01,2026-03-31,EUR,1200.00
        INV-002,C-002,01/03/2026,,EUR,"1 234,56"
        INV-003,C-999,2026-03-01,,EUR,99.00
        INV-004,C-003,2026-03-02,,EUR,10

        """

    /// A directory of its own, to see that uploads are deleted.
    private static func spoolDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("relance-http-tests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    @Test("importing customers then invoices reports counts and the rejected line, and deletes the upload")
    func importCustomersThenInvoices() async throws {
        let spool = try Self.spoolDirectory()
        defer { try? FileManager.default.removeItem(at: spool) }
        let harness = try APIHarness(configuration: .init(temporaryDirectory: spool))
        try await harness.run { api in
            let customers = try await api.upload("/v1/imports/customers", csv: Self.customersCSV)
            #expect(customers.status == .ok)
            let customerReport = try customers.decode(ImportReport.self)
            #expect(customerReport.rowsRead == 3)
            #expect(customerReport.created == 3)
            #expect(customerReport.rejectedCount == 0)

            let invoices = try await api.upload("/v1/imports/invoices", csv: Self.invoicesCSV)
            #expect(invoices.status == .ok)
            let report = try invoices.decode(ImportReport.self)
            #expect(report.rowsRead == 4)
            #expect(report.created == 3)
            #expect(report.alreadyPresent == 0)
            #expect(report.rejectedCount == 1)
            let rejection = try #require(report.rejected.first)
            #expect(rejection.line == 4)
            #expect(rejection.error.code == .notFound)
            #expect(rejection.error.field == "customerNumber")

            let imported = try await api.send(.get, "/v1/invoices").decode(Page<Invoice>.self).items
            #expect(imported.map(\.number) == ["INV-001", "INV-002", "INV-004"])
            #expect(imported[1].totalAmount.minorUnits == 123_456)
            #expect(imported[1].dueDate.description == "2026-04-10") // eom+10
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: spool.path).isEmpty)
    }

    @Test("re-importing the same files creates nothing and counts the rows as already present")
    func reimport() async throws {
        let harness = try APIHarness()
        try await harness.run { api in
            _ = try await api.upload("/v1/imports/customers", csv: Self.customersCSV)
            _ = try await api.upload("/v1/imports/invoices", csv: Self.invoicesCSV)
            let counts = (try await harness.count("customer"), try await harness.count("invoice"))

            let customers = try await api.upload("/v1/imports/customers", csv: Self.customersCSV).decode(ImportReport.self)
            #expect(customers.created == 0)
            #expect(customers.alreadyPresent == 3)
            let invoices = try await api.upload("/v1/imports/invoices", csv: Self.invoicesCSV).decode(ImportReport.self)
            #expect(invoices.created == 0)
            #expect(invoices.alreadyPresent == 3)
            #expect(invoices.rejectedCount == 1)
            #expect((try await harness.count("customer"), try await harness.count("invoice")) == counts)
            #expect(counts == (3, 3))
        }
    }

    @Test("a sync through HTTP reports inserted, updated with counts per change, unchanged and rejected lines")
    func syncReport() async throws {
        var configuration = InvoicingAPI.Configuration()
        configuration.importDunningStart = .fixed(try CalendarDate(iso8601: "2026-04-01"))
        let harness = try APIHarness(configuration: configuration)
        try await harness.run { api in
            _ = try await api.upload("/v1/imports/customers", csv: Self.customersCSV)
            _ = try await api.upload("/v1/imports/invoices", csv: Self.invoicesCSV)
            let sync = """
                invoiceNumber,customerNumber,issueDate,dueDate,currency,total,amountPaid,lastPaymentDate,status,disputed
                INV-001,C-001,2026-03-01,2026-03-31,EUR,1200.00,1200.00,2026-03-20,paid,
                INV-002,C-002,01/03/2026,,EUR,"1 234,56",,,,yes
                INV-004,C-003,2026-03-02,,EUR,10,,,,
                INV-005,C-003,2026-03-02,,EUR,10,,,,
                INV-006,C-003,2026-03-02,,EUR,10,12.00,,,

                """
            let response = try await api.upload("/v1/imports/invoices", csv: sync)
            #expect(response.status == .ok)
            let report = try response.decode(ImportReport.self)
            #expect(report.created == 1 && report.updated == 2 && report.unchanged == 1)
            #expect(report.changes.payments == 1 && report.changes.settled == 1 && report.changes.disputesOpened == 1)
            #expect(report.rejected.map(\.line) == [6])
            let invoices = try await api.send(.get, "/v1/invoices").decode(Page<Invoice>.self).items
            let byNumber = Dictionary(uniqueKeysWithValues: invoices.map { ($0.number, $0) })
            #expect(byNumber["INV-001"]?.status == .paid && byNumber["INV-001"]?.paidOn?.description == "2026-03-20")
            #expect(byNumber["INV-002"]?.disputed == true)
            #expect(byNumber["INV-005"]?.origin == .imported && byNumber["INV-005"]?.dunningStartsOn.description == "2026-04-01")
        }
    }

    @Test("an upload that is not text/csv is 415 and imports nothing")
    func wrongContentType() async throws {
        let harness = try APIHarness()
        try await harness.run { api in
            let response = try await api.upload("/v1/imports/customers", csv: Self.customersCSV, contentType: "application/json")
            #expect(response.status == .unsupportedMediaType)
            #expect(try response.problem().code == "unsupportedMediaType")
        }
        #expect(try await harness.count("customer") == 0)
    }

    @Test("a CSV lacking a required column is 400 missingColumn")
    func missingColumn() async throws {
        let harness = try APIHarness()
        try await harness.run { api in
            let response = try await api.upload("/v1/imports/customers", csv: "customerNumber,legalName\nC-001,Acme\n")
            #expect(response.status == .badRequest)
            let problem = try response.problem()
            #expect(problem.code == "missingColumn")
            #expect(problem.errors?.first?.field == "country")
        }
        #expect(try await harness.count("customer") == 0)
    }

    @Test("an upload over the configured maximum is 413 and imports nothing")
    func uploadTooLarge() async throws {
        let spool = try Self.spoolDirectory()
        defer { try? FileManager.default.removeItem(at: spool) }
        let harness = try APIHarness(configuration: .init(maximumImportSize: 100, temporaryDirectory: spool))
        try await harness.run { api in
            let response = try await api.upload("/v1/imports/customers", csv: Self.customersCSV)
            #expect(response.status == .contentTooLarge)
            #expect(try response.problem().code == "importTooLarge")
        }
        #expect(try await harness.count("customer") == 0)
        #expect(try FileManager.default.contentsOfDirectory(atPath: spool.path).isEmpty)
    }

    @Test("a CSV larger than the 1 MiB JSON cap streams and imports")
    func largeUpload() async throws {
        let harness = try APIHarness()
        try await harness.run { api in
            _ = try await api.upload("/v1/imports/customers", csv: Self.customersCSV)
            let padding = String(repeating: "n", count: 4_000)
            var csv = "invoiceNumber,customerNumber,issueDate,currency,total,notes\n"
            for index in 1...600 {
                csv += "BIG-\(index),C-001,2026-03-01,EUR,10.00,\(padding)\n"
            }
            #expect(csv.utf8.count > 2 * 1024 * 1024)
            let response = try await api.upload("/v1/imports/invoices", csv: csv)
            #expect(response.status == .ok)
            let report = try response.decode(ImportReport.self)
            #expect(report.created == 600)
        }
        #expect(try await harness.count("invoice") == 600)
    }
}
