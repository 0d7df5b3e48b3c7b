import Events
import Foundation
import GRDB

extension InvoicingSchema {
    /// Migration `invoicing-v5-dunning-holds`: disputes become rows (several per invoice,
    /// history kept), factoring gets its mode and date, customers get a credit insurance
    /// policy and a legal status.
    ///
    /// `invoice.disputed` / `dispute_reason` stay, kept in step by the store as a summary (any
    /// open dispute / the latest open one's reason), so readers of the invoice row alone keep
    /// working. An invoice disputed before this migration gets one open dispute for its whole
    /// total, category `other`, opened on its issue date (the day it was really opened was
    /// never stored). Invoices assigned to a factor before it were all collected by the factor:
    /// mode `notified`.
    static func dunningHolds(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE dispute (
                id TEXT PRIMARY KEY,
                invoice_id TEXT NOT NULL REFERENCES invoice(id),
                amount_minor INTEGER NOT NULL,           -- in the invoice's currency
                category TEXT NOT NULL,
                reason TEXT NOT NULL,
                opened_on TEXT NOT NULL,
                resolved_on TEXT,
                resolution TEXT,
                CONSTRAINT dispute_amount_positive CHECK (amount_minor > 0),
                CONSTRAINT dispute_resolved_with_resolution CHECK ((resolved_on IS NULL) = (resolution IS NULL)),
                CONSTRAINT dispute_resolved_after_opened CHECK (resolved_on IS NULL OR resolved_on >= opened_on)
            );
            CREATE INDEX dispute_by_invoice ON dispute(invoice_id, opened_on);
            ALTER TABLE invoice ADD COLUMN factoring_mode TEXT;
            ALTER TABLE invoice ADD COLUMN factor_assigned_on TEXT;
            UPDATE invoice SET factoring_mode = 'notified' WHERE factor_name IS NOT NULL;
            CREATE TABLE customer_credit_insurance (
                customer_id TEXT PRIMARY KEY REFERENCES customer(id),
                insurer TEXT NOT NULL,
                policy_reference TEXT NOT NULL,
                cover_minor INTEGER NOT NULL,
                currency TEXT NOT NULL,
                declaration_days INTEGER NOT NULL,
                starts_on TEXT,
                ends_on TEXT,
                CONSTRAINT credit_insurance_cover CHECK (cover_minor > 0),
                CONSTRAINT credit_insurance_days CHECK (declaration_days BETWEEN 1 AND 365),
                CONSTRAINT credit_insurance_period CHECK (starts_on IS NULL OR ends_on IS NULL OR starts_on <= ends_on)
            ) WITHOUT ROWID;
            CREATE TABLE customer_legal_status (
                customer_id TEXT PRIMARY KEY REFERENCES customer(id),
                status TEXT NOT NULL,
                judgment_date TEXT NOT NULL,
                publication_date TEXT,
                court_reference TEXT,
                claim_filing_deadline TEXT,
                CONSTRAINT legal_status_in_proceedings CHECK (status IN ('safeguard', 'receivership', 'liquidation'))
            ) WITHOUT ROWID;
            """)
        let disputed = try Row.fetchAll(db, sql: "SELECT id, total_minor, dispute_reason, issue_date FROM invoice WHERE disputed = 1")
        for row in disputed {
            let reason = (row["dispute_reason"] as String?).flatMap { $0.trimmingCharacters(in: .whitespaces).isEmpty ? nil : $0 }
            try db.execute(
                sql: "INSERT INTO dispute (id, invoice_id, amount_minor, category, reason, opened_on) VALUES (?, ?, ?, 'other', ?, ?)",
                arguments: [TimeOrderedID.make(), row["id"], row["total_minor"], reason ?? "disputed (no reason recorded)", row["issue_date"]])
        }
    }
}
