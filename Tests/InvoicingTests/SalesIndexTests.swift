import GRDB
import Storage
import Testing

@testable import Invoicing

@Suite struct SalesIndexTests {
    @Test func aCustomersSalesForDSOAreReadFromTheCoveringIndexAlone() throws {
        let database = try DatabaseOpener.inMemory(migrator: InvoicingDatabase.migrator)
        let plan = try database.read { db in
            try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + InvoicingDatabase.salesSQL(forOneCustomer: true),
                             arguments: ["EUR", "2024-01-01", "2026-01-01", "customer"])
                .map { $0["detail"] as String }
        }
        #expect(plan.contains { $0.contains("USING COVERING INDEX invoice_sales_by_customer") }, "\(plan)")
    }
}
