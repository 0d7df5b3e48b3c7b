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
        return migrator
    }
}
