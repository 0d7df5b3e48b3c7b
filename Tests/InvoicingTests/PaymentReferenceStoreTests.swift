import CSV
import Events
import Foundation
import GRDB
import Invoicing
import Money
import ServiceKit
import Testing

/// Issue 7 #5 in the store: one RF reference per invoice, guaranteed by a UNIQUE index, and
/// the migration that makes existing references unique.
@Suite("RF references in the store")
struct PaymentReferenceStoreTests {
    @Test("invoices whose numbers differ only by separators or case get three different references")
    func issuedReferencesDiffer() async throws {
        let fixture = try InvoicingFixture()
        _ = try await fixture.database.registerCustomer(try InvoicingFixture.customer())
        var references: [String] = []
        for number in ["FA-2025/1", "FA2025-1", "fa-2025-1"] {
            let invoice = try await fixture.database.issueInvoice(try InvoicingFixture.invoice(number))
            #expect(try CreditorReference(validating: invoice.paymentReference).electronicFormat == invoice.paymentReference)
            references.append(invoice.paymentReference)
        }
        #expect(Set(references).count == 3)
        #expect(try fixture.outboxEvents(InvoiceIssued.self).map(\.paymentReference) == references)
    }

    @Test("a 40-character invoice number is issued")
    func longNumberIssued() async throws {
        let fixture = try InvoicingFixture()
        _ = try await fixture.database.registerCustomer(try InvoicingFixture.customer())
        let number = "ACME-FRANCE-SAS/INVOICE-2025-00000000042"
        let invoice = try await fixture.database.issueInvoice(try InvoicingFixture.invoice(number))
        #expect(invoice.number == number)
        #expect(invoice.paymentReference.count == 25)
        #expect((try? CreditorReference(validating: invoice.paymentReference)) != nil)
    }

    @Test("an invoice whose reference another invoice holds takes the next unused one")
    func takenReferenceMovesOn() async throws {
        let fixture = try InvoicingFixture()
        _ = try await fixture.database.registerCustomer(try InvoicingFixture.customer())
        let first = try await fixture.database.issueInvoice(try InvoicingFixture.invoice("FA-2025/1"))
        // A number written like the first invoice's reference proper is its own reference: taken.
        let lookalike = try CreditorReference(validating: first.paymentReference).reference
        let second = try await fixture.database.issueInvoice(try InvoicingFixture.invoice(lookalike))
        #expect(second.paymentReference != first.paymentReference)
        #expect(second.paymentReference == (try CreditorReference(invoiceNumber: lookalike, attempt: 1)).electronicFormat)
        #expect(try fixture.outboxEvents(InvoiceIssued.self).last?.paymentReference == second.paymentReference)

        // The same through the CSV import, where events are encoded before the batch commits.
        let third = try CreditorReference(invoiceNumber: "FA2025-1").reference
        let csv = """
            number,customerNumber,issueDate,currency,total
            FA2025-1,C-001,2026-05-02,EUR,10
            \(third),C-001,2026-05-02,EUR,10
            \(lookalike),C-001,2026-05-02,EUR,120
            """
        let report = try await fixture.database.importInvoices(from: CSVReader(string: csv))
        #expect(report.created == 2)
        #expect(report.alreadyPresent == 1) // the lookalike number, issued above (same total: unchanged)
        let imported = try fixture.outboxEvents(InvoiceIssued.self).suffix(2)
        #expect(imported.map(\.number) == ["FA2025-1", third])
        let stored = try await fixture.database.invoices(matching: .init(), page: PageRequest(limit: 10)).items
        #expect(Set(stored.map(\.paymentReference)).count == 4)
        for event in imported {
            #expect(stored.first { $0.number == event.number }?.paymentReference == event.paymentReference)
        }
    }

    @Test("the store refuses two invoices with one reference")
    func uniqueIndex() async throws {
        let fixture = try InvoicingFixture()
        _ = try await fixture.database.registerCustomer(try InvoicingFixture.customer())
        let invoice = try await fixture.database.issueInvoice(try InvoicingFixture.invoice("INV-1"))
        #expect(throws: DatabaseError.self) {
            try fixture.queue.write { db in
                try db.execute(sql: """
                    INSERT INTO invoice (id, number, customer_id, issue_date, due_date, currency, total_minor, payment_reference,
                        open_minor, status, created_at)
                    SELECT 'other', 'INV-2', customer_id, issue_date, due_date, currency, total_minor, payment_reference,
                        open_minor, status, created_at FROM invoice WHERE id = ?
                    """, arguments: [invoice.id])
            }
        }
    }

    // MARK: Migration

    /// A store at `invoicing-v1` with three invoices sharing the reference their numbers gave
    /// before references were unique, plus one of their own.
    static func storeWithSharedReferences() throws -> DatabaseQueue {
        let queue = try DatabaseQueue()
        try InvoicingDatabase.migrator.migrate(queue, upTo: "invoicing-v1")
        let details = try EventJSON.encode(try InvoicingFixture.customer())
        let shared = try CreditorReference(invoiceNumber: "FA20251").electronicFormat // what all three had
        try queue.write { db in
            try db.execute(sql: """
                INSERT INTO customer (id, number, legal_name, strategic, tags, time_zone, currency, payment_terms, details, created_at, updated_at)
                VALUES ('c1', 'C-001', 'Boulangerie', 0, '||', 'Europe/Paris', 'EUR', 'net:30', ?, '2025-01-01T00:00:00.000Z', '2025-01-01T00:00:00.000Z')
                """, arguments: [details])
            // Inserted out of issue order: the first issued keeps the reference, not the first row.
            for (id, number, reference, created) in [
                ("i2", "FA2025-1", shared, "2025-02-01T00:00:00.000Z"),
                ("i1", "FA-2025/1", shared, "2025-01-15T00:00:00.000Z"),
                ("i3", "fa-2025-1", shared, "2025-03-01T00:00:00.000Z"),
                ("i4", "INV20250042", "RF25INV20250042", "2025-01-01T00:00:00.000Z"),
            ] {
                try db.execute(sql: """
                    INSERT INTO invoice (id, number, customer_id, issue_date, due_date, currency, total_minor, payment_reference,
                        open_minor, status, created_at)
                    VALUES (?, ?, 'c1', '2025-01-01', '2025-01-31', 'EUR', 1000, ?, 1000, 'open', ?)
                    """, arguments: [id, number, reference, created])
            }
        }
        return queue
    }

    @Test("the migration keeps the first issued invoice's reference, gives the others unused ones and records what they had")
    func migrationResolvesDuplicates() throws {
        let queue = try Self.storeWithSharedReferences()
        let shared = try CreditorReference(invoiceNumber: "FA20251").electronicFormat
        _ = try InvoicingDatabase(queue)
        let references = try queue.read { db in
            try Dictionary(uniqueKeysWithValues: Row.fetchAll(db, sql: "SELECT id, payment_reference FROM invoice")
                .map { ($0["id"] as String, $0["payment_reference"] as String) })
        }
        #expect(references["i1"] == shared)
        #expect(references["i4"] == "RF25INV20250042")
        #expect(references["i2"] == (try CreditorReference(invoiceNumber: "FA2025-1")).electronicFormat)
        #expect(references["i3"] == (try CreditorReference(invoiceNumber: "fa-2025-1")).electronicFormat)
        #expect(Set(references.values).count == 4)
        for reference in references.values {
            #expect(try CreditorReference(validating: reference).electronicFormat == reference)
        }
        let superseded = try queue.read { db in
            try Row.fetchAll(db, sql: "SELECT invoice_id, superseded_reference, payment_reference FROM payment_reference_superseded ORDER BY invoice_id")
                .map { [$0["invoice_id"] as String, $0["superseded_reference"] as String, $0["payment_reference"] as String] }
        }
        #expect(superseded == [["i2", shared, references["i2"] ?? ""], ["i3", shared, references["i3"] ?? ""]])
        let unique = try queue.read { db in
            try Bool.fetchOne(db, sql: "SELECT \"unique\" FROM pragma_index_list('invoice') WHERE name = 'invoice_payment_reference'")
        }
        #expect(unique == true)
    }

    @Test("the migration gives the same result on two copies of a store")
    func migrationIsDeterministic() throws {
        func migrated() throws -> [String] {
            let queue = try Self.storeWithSharedReferences()
            _ = try InvoicingDatabase(queue)
            return try queue.read { db in try String.fetchAll(db, sql: "SELECT payment_reference FROM invoice ORDER BY id") }
        }
        #expect(try migrated() == migrated())
    }
}
