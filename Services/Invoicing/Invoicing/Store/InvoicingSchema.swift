import GRDB

/// The invoicing database's migrations. Shipped migrations are never edited: add new ones.
enum InvoicingSchema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("invoicing-v1") { db in
            try db.execute(sql: """
                CREATE TABLE customer (
                    id TEXT PRIMARY KEY,
                    number TEXT NOT NULL UNIQUE,
                    legal_name TEXT NOT NULL,
                    segment TEXT,
                    risk_category TEXT,
                    strategic INTEGER NOT NULL,
                    tags TEXT NOT NULL,              -- '|a|b|' so a tag filter is one LIKE
                    time_zone TEXT NOT NULL,
                    currency TEXT NOT NULL,
                    payment_terms TEXT NOT NULL,
                    credit_limit_minor INTEGER,
                    credit_limit_exceeded INTEGER NOT NULL DEFAULT 0,
                    details BLOB NOT NULL,           -- the CustomerDraft as JSON
                    created_at TEXT NOT NULL,
                    updated_at TEXT NOT NULL
                );
                CREATE INDEX customer_legal_name ON customer(legal_name);
                CREATE TABLE customer_credit (
                    customer_id TEXT NOT NULL REFERENCES customer(id),
                    currency TEXT NOT NULL,
                    amount_minor INTEGER NOT NULL,
                    PRIMARY KEY (customer_id, currency)
                ) WITHOUT ROWID;
                CREATE TABLE invoice (
                    id TEXT PRIMARY KEY,
                    number TEXT NOT NULL UNIQUE,
                    customer_id TEXT NOT NULL REFERENCES customer(id),
                    issue_date TEXT NOT NULL,
                    due_date TEXT NOT NULL,
                    currency TEXT NOT NULL,
                    total_minor INTEGER NOT NULL,
                    net_minor INTEGER,
                    vat_minor INTEGER,
                    lines BLOB,
                    order_reference TEXT,
                    payment_reference TEXT NOT NULL,
                    open_minor INTEGER NOT NULL,
                    paid_minor INTEGER NOT NULL DEFAULT 0,
                    credited_minor INTEGER NOT NULL DEFAULT 0,
                    written_off_minor INTEGER NOT NULL DEFAULT 0,
                    status TEXT NOT NULL,
                    disputed INTEGER NOT NULL DEFAULT 0,
                    dispute_reason TEXT,
                    factor_name TEXT,
                    credit_insurer TEXT,
                    paid_on TEXT,
                    cancelled_on TEXT,
                    created_at TEXT NOT NULL
                );
                -- Open invoices only, in (customer, currency) order: the outstanding report and the
                -- credit-limit check read this index alone, without sorting.
                CREATE INDEX invoice_open_by_customer ON invoice(customer_id, currency, due_date, open_minor, issue_date, status)
                    WHERE status IN ('open', 'partiallyPaid');
                CREATE INDEX invoice_customer ON invoice(customer_id);
                CREATE INDEX invoice_paid_on ON invoice(paid_on) WHERE paid_on IS NOT NULL;
                CREATE TABLE credit_note (
                    id TEXT PRIMARY KEY,
                    number TEXT NOT NULL UNIQUE,
                    invoice_id TEXT NOT NULL REFERENCES invoice(id),
                    amount_minor INTEGER NOT NULL,
                    reason TEXT NOT NULL,
                    issue_date TEXT NOT NULL
                );
                CREATE TABLE allocation (
                    allocation_id TEXT PRIMARY KEY,
                    payment_id TEXT NOT NULL,
                    invoice_id TEXT NOT NULL REFERENCES invoice(id),
                    customer_id TEXT NOT NULL,
                    currency TEXT NOT NULL,
                    applied_minor INTEGER NOT NULL,  -- what went to the invoice
                    excess_minor INTEGER NOT NULL,   -- what became customer credit
                    value_date TEXT NOT NULL,
                    reversed INTEGER NOT NULL DEFAULT 0
                );
                CREATE INDEX allocation_invoice ON allocation(invoice_id);
                CREATE TABLE idempotency_key (
                    key TEXT NOT NULL,
                    scope TEXT NOT NULL,             -- method and path
                    request_hash TEXT NOT NULL,
                    status INTEGER NOT NULL,
                    content_type TEXT,
                    body BLOB NOT NULL,
                    created_at TEXT NOT NULL,
                    PRIMARY KEY (key, scope)
                ) WITHOUT ROWID;
                """)
        }
        // RF references become unique. They were derived from the invoice number without its
        // separators and case, so `FA-2025/1`, `FA2025-1` and `fa-2025-1` shared one. Of the
        // invoices sharing a reference, the first issued (created_at, then id) keeps it; each
        // other one gets the first unused reference its number gives today
        // (`CreditorReference(invoiceNumber:attempt:)`), and the reference it had is kept in
        // `payment_reference_superseded` for the operators: it may be printed on documents the
        // payer holds. A plain index speeds the lookups on large stores, then gives way to the
        // UNIQUE one.
        migrator.registerMigration("invoicing-v3-payment-reference-unique") { db in
            try db.execute(sql: """
                CREATE TABLE payment_reference_superseded (
                    invoice_id TEXT PRIMARY KEY REFERENCES invoice(id),
                    superseded_reference TEXT NOT NULL,  -- shared with an earlier invoice; maybe printed
                    payment_reference TEXT NOT NULL,     -- the invoice's reference since this migration
                    superseded_at TEXT NOT NULL
                ) WITHOUT ROWID;
                CREATE INDEX invoice_payment_reference_lookup ON invoice(payment_reference);
                """)
            let shared = try Row.fetchAll(db, sql: """
                SELECT id, number, payment_reference FROM invoice
                WHERE payment_reference IN (SELECT payment_reference FROM invoice GROUP BY payment_reference HAVING COUNT(*) > 1)
                ORDER BY payment_reference, created_at, id
                """)
            var previous: String?
            for row in shared {
                let reference: String = row["payment_reference"]
                defer { previous = reference }
                guard reference == previous else { continue } // the first issued keeps it
                let id: String = row["id"]
                let number: String = row["number"]
                let replacement = try InvoicingDatabase.unusedPaymentReference(number: number, db)
                try db.execute(sql: "UPDATE invoice SET payment_reference = ? WHERE id = ?",
                               arguments: [replacement.electronicFormat, id])
                try db.execute(sql: """
                    INSERT INTO payment_reference_superseded (invoice_id, superseded_reference, payment_reference, superseded_at)
                    VALUES (?, ?, ?, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
                    """, arguments: [id, reference, replacement.electronicFormat])
            }
            try db.execute(sql: """
                DROP INDEX invoice_payment_reference_lookup;
                CREATE UNIQUE INDEX invoice_payment_reference ON invoice(payment_reference);
                """)
        }
        // Contacts get stable ids. Until now a contact's id was its position, computed when
        // publishing (`<customer id>-contact-<n>`), so removing or reordering contacts moved
        // history and consent to another person. Each stored contact keeps the id consumers
        // know it by, now stored in the details JSON (`contacts[i].id`); the store gives new
        // contacts a UUIDv7 and matches updated ones (`ContactIdentity`). One pass per list
        // position, so that the id follows the array order without relying on the order of an
        // aggregate. `CAST(... AS TEXT)`: the column is a BLOB of JSON text, which SQLite's JSON
        // functions refuse (before 3.45) or read as JSONB (since).
        migrator.registerMigration("invoicing-v3-contact-ids") { db in
            let longest = try Int.fetchOne(db, sql: """
                SELECT MAX(json_array_length(CAST(details AS TEXT), '$.contacts')) FROM customer
                """) ?? 0
            for position in 0..<longest {
                try db.execute(sql: """
                    UPDATE customer
                    SET details = CAST(json_set(CAST(details AS TEXT), '$.contacts[' || ?1 || '].id', id || '-contact-' || (?1 + 1)) AS BLOB)
                    WHERE json_array_length(CAST(details AS TEXT), '$.contacts') > ?1
                        AND json_type(CAST(details AS TEXT), '$.contacts[' || ?1 || '].id') IS NULL
                    """, arguments: [position])
            }
        }
        return migrator
    }
}
