import GRDB
import Storage
import Testing

@testable import Invoicing

/// A customer's outstanding report reads all the customer's invoices for DSO and payment
/// behaviour: from a covering index, never the table.
@Suite struct CustomerHistoryIndexTests {
    private func plan(_ sql: String, _ arguments: StatementArguments) throws -> [String] {
        let database = try DatabaseOpener.inMemory(migrator: InvoicingDatabase.migrator)
        return try database.read { db in
            try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + sql, arguments: arguments).map { $0["detail"] as String }
        }
    }

    @Test func aCustomersSalesForDSOAreReadFromTheCoveringIndexAlone() throws {
        let plan = try plan(InvoicingDatabase.salesSQL(forOneCustomer: true), ["EUR", "2024-01-01", "2026-01-01", "customer"])
        #expect(plan.contains { $0.contains("USING COVERING INDEX invoice_history_by_customer") }, "\(plan)")
    }

    @Test func aCustomersPaidInvoicesAreReadFromTheCoveringIndexAlone() throws {
        let plan = try plan(InvoicingDatabase.paidSQL(forOneCustomer: true), ["2025-01-01", "2026-01-01", "customer"])
        #expect(plan.contains { $0.contains("USING COVERING INDEX invoice_history_by_customer") }, "\(plan)")
    }
}
