import CSV
import Events
import Foundation
import GRDB
import Invoicing
import Money
import ServiceKit
import Testing

/// The invoice CSV import as a sync with an ERP (issue 7): upsert by number, the ledger moved
/// through payments and write-offs, nothing reminder-eligible published about settled history.
@Suite struct InvoiceSyncTests {
    /// An ERP export with history: paid years ago, paid after a bank-fee deduction, open and
    /// old, partly paid, disputed, written off in the ERP.
    static let history = """
        invoiceNumber,customerNumber,issueDate,dueDate,currency,total,amountPaid,amountDue,lastPaymentDate,status,disputed
        H-2023-01,C-001,2023-01-10,2023-02-09,EUR,1000.00,1000.00,0,2023-02-20,paid,no
        H-2023-02,C-001,2023-03-10,2023-04-09,EUR,500.00,496.50,0,2023-04-12,paid,
        H-2024-01,C-001,2024-06-01,2024-07-01,EUR,300.00,0,300.00,,open,
        H-2025-01,C-001,2025-09-01,2025-10-01,EUR,800.00,200.00,600.00,2025-10-15,partiallyPaid,
        H-2026-01,C-001,2026-10-01,2026-10-31,EUR,240.00,0,240.00,,open,yes
        H-2022-01,C-001,2022-05-01,2022-05-31,EUR,90.00,0,0,,settled,
        """

    /// A literal day (tests only: the literals are valid).
    static func day(_ text: String) -> CalendarDate {
        // swiftlint:disable:next force_try
        try! CalendarDate(iso8601: text)
    }

    private func fixture() async throws -> InvoicingFixture {
        let fixture = try InvoicingFixture()
        try fixture.setToday("2026-12-01")
        _ = try await fixture.database.registerCustomer(try InvoicingFixture.customer())
        return fixture
    }

    private func invoice(_ number: String, _ fixture: InvoicingFixture) async throws -> Invoice {
        let page = try await fixture.database.invoices(matching: .init(), page: PageRequest(limit: 100))
        return try #require(page.items.first { $0.number == number })
    }

    @Test("an ERP export with history: settled invoices are inserted paid with paidOn, old open items are reminded from the import day")
    func historyImportsSettledAndOpen() async throws {
        let fixture = try await fixture()
        let report = try await fixture.database.importInvoices(from: CSVReader(string: Self.history))
        #expect(report.rejected.isEmpty, "\(report.rejected)")
        #expect(report.created == 6)
        #expect(report.changes.settled == 3)
        #expect(report.changes.disputesOpened == 1)

        let paid = try await invoice("H-2023-01", fixture)
        #expect(paid.status == .paid && paid.balance.isZero && paid.paidOn == Self.day("2023-02-20"))
        #expect(paid.origin == .imported)
        let fees = try await invoice("H-2023-02", fixture)
        #expect(fees.status == .paid && fees.paidAmount.minorUnits == 496_50 && fees.writtenOffAmount.minorUnits == 3_50)
        let lost = try await invoice("H-2022-01", fixture)
        #expect(lost.status == .writtenOff && lost.paidOn == nil)
        let old = try await invoice("H-2024-01", fixture)
        #expect(old.status == .open && old.dunningStartsOn == Self.day("2026-12-01"))
        let partly = try await invoice("H-2025-01", fixture)
        #expect(partly.status == .partiallyPaid && partly.balance.minorUnits == 600_00)
        #expect(try await invoice("H-2026-01", fixture).disputed)

        // What a consumer sees: no settled invoice is ever published open.
        let issued = try fixture.outboxEvents(InvoiceIssued.self)
        let issuedStatus = Dictionary(uniqueKeysWithValues: issued.map { ($0.number, $0.status) })
        #expect(issuedStatus["H-2023-01"] == .paid)
        #expect(issuedStatus["H-2022-01"] == .writtenOff)
        #expect(issuedStatus["H-2024-01"] == .open)
        #expect(issued.allSatisfy { $0.origin == .imported && $0.dunningStartsOn == Self.day("2026-12-01") })
        let settled = try fixture.outboxEvents(InvoiceSettled.self)
        #expect(Set(settled.map(\.number)) == ["H-2023-01", "H-2023-02", "H-2022-01"])
        #expect(settled.allSatisfy { $0.cause == .sync })
        #expect(Set(try fixture.outboxEvents(InvoicePaid.self).map(\.number)) == ["H-2023-01", "H-2023-02"])
    }

    @Test("importing the same export twice changes nothing and publishes nothing")
    func reimportIsANoOp() async throws {
        let fixture = try await fixture()
        _ = try await fixture.database.importInvoices(from: CSVReader(string: Self.history))
        let events = try fixture.outboxTypes().count
        let before = try await fixture.database.invoices(matching: .init(), page: PageRequest(limit: 100)).items

        let again = try await fixture.database.importInvoices(from: CSVReader(string: Self.history))
        #expect(again.created == 0 && again.updated == 0)
        #expect(again.unchanged == 6 && again.alreadyPresent == 6)
        #expect(again.rejected.isEmpty, "\(again.rejected)")
        #expect(try fixture.outboxTypes().count == events)
        #expect(try await fixture.database.invoices(matching: .init(), page: PageRequest(limit: 100)).items == before)
    }

    @Test("a paid amount that grew is a payment dated the last payment date; paid in full settles with cause sync")
    func grownPaymentSettles() async throws {
        let fixture = try await fixture()
        let header = "invoiceNumber,customerNumber,issueDate,currency,total,amountPaid,lastPaymentDate,status"
        _ = try await fixture.database.importInvoices(from: CSVReader(string: "\(header)\nS-1,C-001,2026-10-01,EUR,100.00,0,,open"))
        let part = try await fixture.database.importInvoices(from: CSVReader(string: "\(header)\nS-1,C-001,2026-10-01,EUR,100.00,40.00,2026-11-05,"))
        #expect(part.updated == 1 && part.changes.payments == 1 && part.changes.settled == 0)
        #expect(try await invoice("S-1", fixture).status == .partiallyPaid)

        let full = try await fixture.database.importInvoices(from: CSVReader(string: "\(header)\nS-1,C-001,2026-10-01,EUR,100.00,100.00,2026-11-20,paid"))
        #expect(full.updated == 1 && full.changes.payments == 1 && full.changes.settled == 1)
        let settled = try await invoice("S-1", fixture)
        #expect(settled.status == .paid && settled.paidOn == Self.day("2026-11-20"))
        let event = try #require(try fixture.outboxEvents(InvoiceSettled.self).last)
        #expect(event.cause == .sync && event.settledOn == Self.day("2026-11-20"))
        #expect(try fixture.outboxEvents(InvoiceBalanceChanged.self).map(\.cause) == ["allocation", "allocation"])
        #expect(try fixture.outboxEvents(InvoicePaid.self).count == 1)
    }

    @Test("a status settled without amounts takes the rest as paid; a lower amount due beyond the payments is written off")
    func statusAndWriteOff() async throws {
        let fixture = try await fixture()
        _ = try await fixture.database.importInvoices(from: CSVReader(string: """
            invoiceNumber,customerNumber,issueDate,currency,total
            W-1,C-001,2026-10-01,EUR,100.00
            W-2,C-001,2026-10-01,EUR,100.00
            """))
        let report = try await fixture.database.importInvoices(from: CSVReader(string: """
            invoiceNumber,customerNumber,issueDate,currency,total,amountPaid,amountDue,status
            W-1,C-001,2026-10-01,EUR,100.00,,,settled
            W-2,C-001,2026-10-01,EUR,100.00,50.00,30.00,
            """))
        #expect(report.rejected.isEmpty, "\(report.rejected)")
        #expect(report.updated == 2 && report.changes.payments == 2 && report.changes.writeOffs == 1 && report.changes.settled == 1)
        let first = try await invoice("W-1", fixture)
        #expect(first.status == .paid && first.paidAmount.minorUnits == 100_00)
        let second = try await invoice("W-2", fixture)
        #expect(second.status == .partiallyPaid && second.paidAmount.minorUnits == 50_00)
        #expect(second.writtenOffAmount.minorUnits == 20_00 && second.balance.minorUnits == 30_00)
    }

    @Test("figures that do not add up, money taken back, a changed total or customer: rejected with the line, nothing changed")
    func inconsistentRowsAreRejected() async throws {
        let fixture = try await fixture()
        _ = try await fixture.database.registerCustomer(try InvoicingFixture.customer("C-002"))
        let header = "invoiceNumber,customerNumber,issueDate,currency,total,amountPaid,amountDue,status"
        _ = try await fixture.database.importInvoices(from: CSVReader(string: "\(header)\nR-1,C-001,2026-10-01,EUR,100.00,60.00,40.00,"))
        let events = try fixture.outboxTypes().count
        let report = try await fixture.database.importInvoices(from: CSVReader(string: """
            \(header)
            R-2,C-001,2026-10-01,EUR,100.00,60.00,50.00,
            R-1,C-001,2026-10-01,EUR,100.00,20.00,80.00,
            R-1,C-001,2026-10-01,EUR,120.00,60.00,40.00,
            R-1,C-002,2026-10-01,EUR,100.00,60.00,40.00,
            R-3,C-001,2026-10-01,EUR,100.00,0,100.00,paid
            R-1,C-001,2026-10-01,EUR,100.00,60.00,40.00,open
            """))
        #expect(report.rejected.map(\.line) == [2, 3, 4, 5, 6])
        #expect(report.rejected.map { $0.error.field } == ["amountDue", "amountPaid", "total", "customerNumber", "status"])
        #expect(report.unchanged == 1 && report.created == 0 && report.updated == 0)
        #expect(try fixture.outboxTypes().count == events)
        #expect(try await invoice("R-1", fixture).paidAmount.minorUnits == 60_00)
    }

    @Test("the dispute flag opens and resolves the invoice's dispute")
    func disputeFlag() async throws {
        let fixture = try await fixture()
        let header = "invoiceNumber,customerNumber,issueDate,currency,total,disputed"
        _ = try await fixture.database.importInvoices(from: CSVReader(string: "\(header)\nD-1,C-001,2026-10-01,EUR,100.00,"))
        let opened = try await fixture.database.importInvoices(from: CSVReader(string: "\(header)\nD-1,C-001,2026-10-01,EUR,100.00,oui"))
        #expect(opened.updated == 1 && opened.changes.disputesOpened == 1)
        #expect(try await invoice("D-1", fixture).disputed)
        let same = try await fixture.database.importInvoices(from: CSVReader(string: "\(header)\nD-1,C-001,2026-10-01,EUR,100.00,yes"))
        #expect(same.unchanged == 1 && same.changes.disputesOpened == 0)
        let resolved = try await fixture.database.importInvoices(from: CSVReader(string: "\(header)\nD-1,C-001,2026-10-01,EUR,100.00,false"))
        #expect(resolved.updated == 1 && resolved.changes.disputesResolved == 1)
        #expect(try await !invoice("D-1", fixture).disputed)
        #expect(try fixture.outboxEvents(InvoiceDisputed.self).count == 1)
        #expect(try fixture.outboxEvents(InvoiceDisputeResolved.self).count == 1)
    }

    @Test("dunningStartsOn: the CSV's day, else the configured default; issued invoices from their issue date")
    func dunningStart() async throws {
        let fixture = try await fixture()
        let live = try CalendarDate(iso8601: "2027-01-04")
        let report = try await fixture.database.importInvoices(from: CSVReader(string: """
            invoiceNumber,customerNumber,issueDate,currency,total,dunningStartsOn
            G-1,C-001,2026-10-01,EUR,100.00,2026-10-15
            G-2,C-001,2026-10-01,EUR,100.00,
            """), options: .init(defaultDunningStart: .fixed(live)))
        #expect(report.created == 2)
        #expect(try await invoice("G-1", fixture).dunningStartsOn == Self.day("2026-10-15"))
        #expect(try await invoice("G-2", fixture).dunningStartsOn == live)
        let issued = try await fixture.database.issueInvoice(try InvoicingFixture.invoice("G-3", issued: "2026-11-20"))
        #expect(issued.origin == .issued && issued.dunningStartsOn == issued.issueDate)
        #expect(try fixture.outboxEvents(InvoiceIssued.self).last?.dunningStartsOn == issued.issueDate)
    }

    @Test("the demo's ERP export (Deploy/local/erp-export.csv) syncs with no settled invoice open, twice with no change")
    func demoExport() async throws {
        let fixture = try InvoicingFixture()
        try fixture.setToday("2026-12-01")
        for number in ["C-1001", "C-1002", "C-1003"] {
            _ = try await fixture.database.registerCustomer(try InvoicingFixture.customer(number))
        }
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../Deploy/local/erp-export.csv")
        let report = try await fixture.database.importInvoices(from: try CSVReader(url: url))
        #expect(report.rowsRead == 12 && report.created == 12 && report.rejectedCount == 0, "\(report.rejected)")
        let events = try fixture.outboxTypes().count
        let again = try await fixture.database.importInvoices(from: try CSVReader(url: url))
        #expect(again.unchanged == 12)
        #expect(try fixture.outboxTypes().count == events)

        let invoices = try await fixture.database.invoices(matching: .init(), page: PageRequest(limit: 100)).items
        let importDay = try CalendarDate(iso8601: "2026-12-01")
        for invoice in invoices {
            #expect(invoice.origin == .imported)
            if invoice.status.isOpen {
                #expect(invoice.dunningStartsOn == importDay, "\(invoice.number)")
            } else {
                #expect(invoice.balance.isZero && (invoice.status != .paid || invoice.paidOn != nil), "\(invoice.number)")
            }
        }
        #expect(invoices.filter(\.status.isOpen).map(\.number) == ["ERP-2024-0077", "ERP-2025-0031", "ERP-2025-0164"])
        #expect(invoices.filter(\.disputed).map(\.number) == ["ERP-2025-0164"])
        #expect(try fixture.outboxEvents(InvoiceIssued.self).filter { $0.status?.isOpen == true }.map(\.number)
            == ["ERP-2024-0077", "ERP-2025-0031", "ERP-2025-0164"])
    }
}
