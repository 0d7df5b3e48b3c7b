import GRDB

/// The payment-matching database's migrations. Shipped migrations are never edited: add new ones.
enum PaymentMatchingSchema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("payment-matching-v1") { db in
            try db.execute(sql: """
                -- What identifies a payer, from customer.registered / customer.updated. No foreign
                -- keys to it: the customers and invoices topics are not ordered with each other.
                CREATE TABLE payer (
                    customer_id TEXT PRIMARY KEY,
                    customer_number TEXT NOT NULL,
                    legal_name TEXT NOT NULL,
                    customer_version INTEGER,
                    updated_at TEXT NOT NULL
                );
                -- IBANs and name variants a payer is known by: learned from allocations decided on
                -- a reference or by a person, or entered through the API.
                CREATE TABLE payer_alias (
                    customer_id TEXT NOT NULL,
                    kind TEXT NOT NULL CHECK (kind IN ('iban', 'name')),
                    value TEXT NOT NULL,
                    source TEXT NOT NULL CHECK (source IN ('learned', 'manual')),
                    created_at TEXT NOT NULL,
                    PRIMARY KEY (customer_id, kind, value)
                ) WITHOUT ROWID;
                -- Every invoice the invoices topic announced, with the balance invoicing last
                -- published. What the engine may allocate is that balance minus this service's
                -- allocations invoicing has not acknowledged yet (see `allocation.acknowledged`).
                CREATE TABLE ledger_invoice (
                    id TEXT PRIMARY KEY,
                    number TEXT NOT NULL,
                    payment_reference TEXT,
                    customer_id TEXT NOT NULL,
                    currency TEXT NOT NULL,
                    total_minor INTEGER NOT NULL,
                    balance_minor INTEGER NOT NULL CHECK (balance_minor >= 0),
                    issue_date TEXT NOT NULL,
                    due_date TEXT NOT NULL,
                    status TEXT NOT NULL,
                    updated_at TEXT NOT NULL
                );
                CREATE INDEX ledger_invoice_open ON ledger_invoice(customer_id, due_date) WHERE balance_minor > 0;
                CREATE INDEX ledger_invoice_number ON ledger_invoice(number);

                CREATE TABLE statement_import (
                    id TEXT PRIMARY KEY,
                    file_name TEXT,
                    format TEXT NOT NULL,
                    file_size INTEGER NOT NULL,
                    origin TEXT NOT NULL CHECK (origin IN ('upload', 'folder')),
                    imported_at TEXT NOT NULL,
                    statements BLOB NOT NULL,      -- [StatementImported.Statement] as JSON
                    summary BLOB NOT NULL,         -- StatementImported.Summary as JSON
                    warnings BLOB NOT NULL         -- [ImportWarning] as JSON
                );
                CREATE INDEX statement_import_time ON statement_import(imported_at, id);

                -- One credit entry (or one transaction of a batch entry). `identity` makes a
                -- re-imported or overlapping statement add nothing (see PaymentIdentity).
                CREATE TABLE payment (
                    id TEXT PRIMARY KEY,
                    identity TEXT NOT NULL UNIQUE,
                    import_id TEXT NOT NULL REFERENCES statement_import(id),
                    account TEXT NOT NULL,
                    currency TEXT NOT NULL,
                    amount_minor INTEGER NOT NULL CHECK (amount_minor > 0),
                    value_date TEXT NOT NULL,
                    booking_date TEXT NOT NULL,
                    bank_reference TEXT,
                    end_to_end_id TEXT,
                    payer_name TEXT,
                    payer_iban TEXT,
                    remittance TEXT,
                    status TEXT NOT NULL CHECK (status IN ('allocated', 'partlyAllocated', 'unmatched', 'notCustomer', 'reversed')),
                    allocated_minor INTEGER NOT NULL DEFAULT 0,
                    on_account_minor INTEGER NOT NULL DEFAULT 0,
                    on_account_customer_id TEXT,
                    suggestions BLOB,              -- [PaymentSuggestion] as JSON, while unmatched
                    notes BLOB,                    -- [String] as JSON
                    location TEXT,                 -- where in the file
                    created_at TEXT NOT NULL,
                    CHECK (allocated_minor >= 0 AND on_account_minor >= 0 AND allocated_minor + on_account_minor <= amount_minor)
                );
                CREATE INDEX payment_status ON payment(status, id);
                CREATE INDEX payment_end_to_end ON payment(end_to_end_id) WHERE end_to_end_id IS NOT NULL;
                CREATE INDEX payment_bank_reference ON payment(bank_reference) WHERE bank_reference IS NOT NULL;

                CREATE TABLE allocation (
                    id TEXT PRIMARY KEY,
                    payment_id TEXT NOT NULL REFERENCES payment(id),
                    invoice_id TEXT NOT NULL,
                    invoice_number TEXT NOT NULL,
                    customer_id TEXT NOT NULL,
                    currency TEXT NOT NULL,
                    amount_minor INTEGER NOT NULL CHECK (amount_minor > 0),
                    write_off_minor INTEGER NOT NULL DEFAULT 0 CHECK (write_off_minor >= 0),
                    rule TEXT NOT NULL,
                    score INTEGER,
                    decided_by TEXT NOT NULL,
                    decided_at TEXT NOT NULL,
                    -- invoicing published the balance change this allocation caused
                    acknowledged INTEGER NOT NULL DEFAULT 0,
                    undone_at TEXT,
                    undone_by TEXT
                );
                CREATE INDEX allocation_payment ON allocation(payment_id);
                CREATE INDEX allocation_pending ON allocation(invoice_id) WHERE acknowledged = 0 AND undone_at IS NULL;

                -- Reversal entries already applied (a re-imported statement reverses nothing twice).
                CREATE TABLE bank_reversal (
                    identity TEXT PRIMARY KEY,
                    payment_id TEXT REFERENCES payment(id),
                    import_id TEXT NOT NULL REFERENCES statement_import(id),
                    created_at TEXT NOT NULL
                ) WITHOUT ROWID;

                -- Every decision about a payment, automatic or by a person: who, when, what.
                CREATE TABLE decision (
                    id TEXT PRIMARY KEY,
                    payment_id TEXT NOT NULL REFERENCES payment(id),
                    kind TEXT NOT NULL,
                    actor TEXT NOT NULL,
                    at TEXT NOT NULL,
                    detail TEXT NOT NULL
                );
                CREATE INDEX decision_payment ON decision(payment_id, at);
                """)
        }
        return migrator
    }
}
