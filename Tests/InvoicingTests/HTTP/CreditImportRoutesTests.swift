import Events
import Foundation
import HTTPTypes
import HummingbirdTesting
import Invoicing
import Money
import ServiceKit
import Testing

@Suite("HTTP: credit note and customer credit imports")
struct CreditImportRoutesTests {
    @Test("POST /v1/imports/credit-notes and /v1/imports/customer-credit report created, unchanged and rejected lines")
    func creditImports() async throws {
        let harness = try APIHarness()
        try await harness.run { api in
            _ = try await api.upload("/v1/imports/customers", csv: ImportRoutesTests.customersCSV)
            _ = try await api.upload("/v1/imports/invoices", csv: ImportRoutesTests.invoicesCSV)
            let notes = """
                number,customerNumber,invoiceNumber,amount,currency,reason,issueDate
                AV-1,C-001,INV-001,200.00,EUR,Returned goods,2026-03-10
                AV-2,C-002,INV-001,10.00,EUR,Wrong customer,2026-03-10

                """
            let first = try await api.upload("/v1/imports/credit-notes", csv: notes)
            #expect(first.status == .ok)
            let report = try first.decode(ImportReport.self)
            #expect(report.created == 1 && report.rejected.map(\.line) == [3])
            let again = try await api.upload("/v1/imports/credit-notes", csv: notes).decode(ImportReport.self)
            #expect(again.created == 0 && again.unchanged == 1)

            let credit = """
                customerNumber;reference;amount;currency;date
                C-003;ACPT-1;50,00;EUR;2026-03-05

                """
            let creditReport = try await api.upload("/v1/imports/customer-credit", csv: credit).decode(ImportReport.self)
            #expect(creditReport.created == 1 && creditReport.rejectedCount == 0)
            let customers = try await api.send(.get, "/v1/customers").decode(Page<Customer>.self).items
            let lyon = try #require(customers.first { $0.details.customerNumber == "C-003" })
            let items = try await api.send(.get, "/v1/customers/\(lyon.id)/credit-items").decode(Page<CreditItem>.self).items
            #expect(items.map(\.externalReference) == ["ACPT-1"] && items.first?.source == .paymentOnAccount)

            let missing = try await api.upload("/v1/imports/customer-credit", csv: "customerNumber,amount\nC-001,1\n")
            #expect(missing.status == .badRequest)
            let notCSV = try await api.upload("/v1/imports/credit-notes", csv: notes, contentType: "application/json")
            #expect(notCSV.status == .unsupportedMediaType)
        }
    }
}
