import GRDB

/// The scenario scheduler's migrations. Shipped migrations are never edited: add new ones.
enum SchedulerSchema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("scenario-scheduler-v1") { db in
            try db.execute(sql: """
                -- Scenario versions published through the API (the shipped ones are built in and
                -- not stored). Versions are never edited: an edit is version n + 1.
                CREATE TABLE scenario_version (
                    name TEXT NOT NULL,
                    version INTEGER NOT NULL,
                    yaml TEXT NOT NULL,
                    created_at TEXT NOT NULL,
                    PRIMARY KEY (name, version)
                ) WITHOUT ROWID;

                -- The customers topic's view, plus the customer's scenario assignment.
                CREATE TABLE customer (
                    id TEXT PRIMARY KEY,
                    snapshot BLOB NOT NULL,          -- CustomerSnapshot as JSON
                    customer_version INTEGER,
                    legal_status TEXT NOT NULL DEFAULT 'none',
                    claim_filing_deadline TEXT,
                    explicit_scenario TEXT,          -- a person's choice
                    scenario TEXT,                   -- the scenario new schedules start on
                    scenario_level INTEGER NOT NULL DEFAULT 0,
                    scenario_reason TEXT,
                    updated_at TEXT NOT NULL
                );

                -- One row per invoice the invoices topic announced: the ledger's facts and the
                -- dunning state. `next_action_at` (Unix seconds) is what the tick's index reads.
                CREATE TABLE invoice (
                    id TEXT PRIMARY KEY,
                    customer_id TEXT NOT NULL,
                    number TEXT NOT NULL,
                    payment_reference TEXT,
                    currency TEXT NOT NULL,
                    total_minor INTEGER NOT NULL,
                    balance_minor INTEGER NOT NULL,
                    disputed_minor INTEGER NOT NULL DEFAULT 0,
                    issue_date TEXT NOT NULL,
                    due_date TEXT NOT NULL,
                    status TEXT NOT NULL,
                    factor_collects INTEGER NOT NULL DEFAULT 0,
                    dunning_starts_on TEXT,
                    promise_until TEXT,
                    promise_id TEXT,
                    case_id TEXT,
                    scenario TEXT NOT NULL,
                    scenario_version INTEGER NOT NULL,
                    steps_done INTEGER NOT NULL DEFAULT 0,
                    not_before TEXT,
                    payments BLOB,                   -- [LatePaymentCharges.Payment] as JSON
                    contractual_rate_bp INTEGER,
                    payee BLOB,                      -- PayeeSnapshot as JSON
                    held INTEGER NOT NULL DEFAULT 0,
                    next_action_at INTEGER,
                    customer_time_zone TEXT NOT NULL,
                    updated_at TEXT NOT NULL
                );
                CREATE INDEX invoice_next_action ON invoice(next_action_at) WHERE next_action_at IS NOT NULL;
                CREATE INDEX invoice_customer ON invoice(customer_id);

                -- Invoices settled by payment: payment behaviour (days late) for the assignment.
                CREATE TABLE settlement (
                    invoice_id TEXT PRIMARY KEY,
                    customer_id TEXT NOT NULL,
                    due_date TEXT NOT NULL,
                    settled_on TEXT NOT NULL,
                    days_late INTEGER NOT NULL,
                    amount_minor INTEGER NOT NULL
                ) WITHOUT ROWID;
                CREATE INDEX settlement_customer ON settlement(customer_id, settled_on);

                -- The timeline: every step executed, hold, skip and outcome, per customer.
                CREATE TABLE action (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    customer_id TEXT NOT NULL,
                    kind TEXT NOT NULL,              -- notification, task, case, held, skipped, promise...
                    scenario TEXT,
                    scenario_version INTEGER,
                    step_id TEXT,
                    channel TEXT,
                    notification_id TEXT,
                    task_id TEXT,
                    case_id TEXT,
                    outcome TEXT,                    -- requested, sent, failed (notifications)
                    detail TEXT,
                    at INTEGER NOT NULL              -- Unix seconds, scheduler clock
                );
                CREATE INDEX action_customer ON action(customer_id, at);
                CREATE UNIQUE INDEX action_notification ON action(notification_id) WHERE notification_id IS NOT NULL;
                CREATE TABLE action_invoice (
                    action_id INTEGER NOT NULL REFERENCES action(id),
                    invoice_id TEXT NOT NULL,
                    PRIMARY KEY (invoice_id, action_id)
                ) WITHOUT ROWID;

                CREATE TABLE task (
                    id TEXT PRIMARY KEY,
                    customer_id TEXT NOT NULL,
                    kind TEXT NOT NULL,
                    invoice_ids BLOB NOT NULL,       -- [String] as JSON
                    due_on TEXT NOT NULL,
                    scenario TEXT,
                    scenario_version INTEGER,
                    step_id TEXT,
                    contact_id TEXT,
                    status TEXT NOT NULL CHECK (status IN ('open', 'done')),
                    outcome TEXT,
                    note TEXT,
                    created_at TEXT NOT NULL,
                    completed_at TEXT
                );
                CREATE INDEX task_open ON task(status, due_on, id);

                CREATE TABLE promise (
                    id TEXT PRIMARY KEY,
                    customer_id TEXT NOT NULL,
                    invoice_ids BLOB NOT NULL,
                    pay_by TEXT NOT NULL,
                    amount_minor INTEGER NOT NULL,
                    currency TEXT NOT NULL,
                    status TEXT NOT NULL CHECK (status IN ('open', 'kept', 'broken')),
                    created_at TEXT NOT NULL,
                    closed_at TEXT
                );
                CREATE INDEX promise_customer ON promise(customer_id, created_at);

                CREATE TABLE collection_case (
                    id TEXT PRIMARY KEY,
                    customer_id TEXT NOT NULL,
                    invoice_ids BLOB NOT NULL,
                    status TEXT NOT NULL,
                    opened_at TEXT NOT NULL,
                    collected_minor INTEGER NOT NULL DEFAULT 0,
                    currency TEXT NOT NULL,
                    updated_at TEXT NOT NULL
                );

                -- The freshness guard: the newest statement imported, and a person's override.
                CREATE TABLE freshness (
                    id INTEGER PRIMARY KEY CHECK (id = 1),
                    last_import_at INTEGER,          -- Unix seconds, scheduler clock
                    last_booking_date TEXT,
                    override_until INTEGER,
                    override_by TEXT
                );
                INSERT INTO freshness (id) VALUES (1);
                """)
        }
        migrator.registerMigration("scenario-scheduler-v2") { db in
            try db.execute(sql: """
                -- Credit insurance (customer.credit-insurance-changed): a task warns before an
                -- invoice's declaration deadline (due date + the policy's days) passes.
                ALTER TABLE customer ADD COLUMN insurance BLOB;          -- the event as JSON, when insured
                ALTER TABLE invoice ADD COLUMN insurance_warn_at INTEGER; -- Unix seconds; NULL: nothing to warn
                ALTER TABLE invoice ADD COLUMN insurance_deadline TEXT;
                CREATE INDEX invoice_insurance_warn ON invoice(insurance_warn_at) WHERE insurance_warn_at IS NOT NULL;
                """)
        }
        migrator.registerMigration("scenario-scheduler-v3") { db in
            try db.execute(sql: """
                -- A timeline line carries its invoices as one JSON list of ids (sorted) instead
                -- of a link row per invoice: the busy tick wrote a row into the
                -- (invoice_id, action_id) index per invoice reminded. An invoice's timeline is
                -- read among its customer's lines (action_customer index).
                ALTER TABLE action ADD COLUMN invoice_ids TEXT NOT NULL DEFAULT '[]';
                -- The link rows are keyed by invoice: without an index by action, the UPDATE
                -- below would scan them all once per line.
                CREATE INDEX action_invoice_by_action ON action_invoice(action_id, invoice_id);
                UPDATE action SET invoice_ids = (
                    SELECT json_group_array(invoice_id) FROM (SELECT invoice_id FROM action_invoice WHERE action_id = action.id ORDER BY invoice_id)
                );
                DROP TABLE action_invoice;
                """)
        }
        return migrator
    }
}
