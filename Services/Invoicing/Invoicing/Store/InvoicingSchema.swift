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
        migrator.registerMigration("invoicing-v2-ledger") { db in
            try ledgerMigration(db)
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
        // A customer's outstanding report reads every invoice of the customer twice: for its
        // DSO (net sales by issue day) and its payment behaviour (paid in the last 12 months).
        // This index answers both queries alone, without touching the table. It starts with
        // customer_id, so the plain customer_id index is redundant and goes: the number of
        // indexes a write maintains stays the same.
        migrator.registerMigration("invoicing-v4-history-by-customer") { db in
            try db.execute(sql: """
                CREATE INDEX invoice_history_by_customer ON invoice(
                    customer_id, currency, issue_date, total_minor, credited_minor, status, due_date, paid_on, paid_minor);
                DROP INDEX invoice_customer;
                """)
        }
        // Issue 7, import as a sync: every invoice says where it comes from (`issued` here or
        // `imported` by a CSV sync) and from which day it may be reminded about. Invoices
        // stored before could have been either; they are counted as issued here and may be
        // reminded about from their issue date, as before. Customers get a version, 1 plus
        // one per change, that invoice events carry so that consumers can order the topics.
        migrator.registerMigration("invoicing-v5-origin-and-sync") { db in
            try db.execute(sql: """
                ALTER TABLE invoice ADD COLUMN origin TEXT NOT NULL DEFAULT 'issued';
                ALTER TABLE invoice ADD COLUMN dunning_starts_on TEXT;
                UPDATE invoice SET dunning_starts_on = issue_date;
                ALTER TABLE customer ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
                """)
        }
        // Issue 7 (terms and payee): the terms an invoice was issued under and its document
        // URL (carried by invoice.issued, shown by the API), its instalment plan, and the
        // history of its due-date changes. Existing invoices get no terms (they were not
        // recorded then), no document, no plan and no history.
        migrator.registerMigration("invoicing-v5-terms-and-payee") { db in
            try db.execute(sql: """
                ALTER TABLE invoice ADD COLUMN payment_terms TEXT;
                ALTER TABLE invoice ADD COLUMN document_url TEXT;
                CREATE TABLE invoice_instalment (
                    invoice_id TEXT NOT NULL REFERENCES invoice(id),
                    position INTEGER NOT NULL CHECK (position >= 0),
                    due_date TEXT NOT NULL,
                    amount_minor INTEGER NOT NULL CHECK (amount_minor > 0),
                    PRIMARY KEY (invoice_id, position)
                ) WITHOUT ROWID;
                CREATE TABLE invoice_due_date_change (
                    invoice_id TEXT NOT NULL REFERENCES invoice(id),
                    changed_at TEXT NOT NULL,
                    previous_due_date TEXT NOT NULL,
                    due_date TEXT NOT NULL,
                    reason TEXT NOT NULL
                );
                CREATE INDEX invoice_due_date_change_by_invoice ON invoice_due_date_change(invoice_id, changed_at);
                """)
        }
        // Customer credit becomes open items (issue 7): one row per overpayment, payment on
        // account or credit note excess, with what is still open on it, instead of one
        // aggregate per currency that a reversal could drive negative. See `creditItemsMigration`.
        migrator.registerMigration("invoicing-v5-credit-items") { db in
            try creditItemsMigration(db)
        }
        migrator.registerMigration("invoicing-v5-dunning-holds", migrate: dunningHolds)
        // Issue 7/8: payments on account (`payment.received-on-account`, one item per payment)
        // and on-account credit imported from the ERP (one item per customer and ERP reference).
        migrator.registerMigration("invoicing-v6-imports-and-on-account") { db in
            try db.execute(sql: """
                ALTER TABLE credit_item ADD COLUMN external_reference TEXT;  -- imported on-account credit: the ERP's reference
                CREATE UNIQUE INDEX credit_item_on_account_payment ON credit_item(reference)
                    WHERE source = 'paymentOnAccount' AND external_reference IS NULL;
                CREATE UNIQUE INDEX credit_item_external_reference ON credit_item(customer_id, external_reference)
                    WHERE external_reference IS NOT NULL;
                """)
        }
        migrator.registerMigration("invoicing-v7-quotes-and-orders", migrate: quotesAndOrders)
        // What an allocation's `writeOff` wrote off (bank fees of a short payment), so that
        // reversing the allocation takes it back. Allocations applied before keep 0: their
        // reversal leaves the fees written off, as it did then.
        migrator.registerMigration("invoicing-v8-allocation-write-off") { db in
            try db.execute(sql: """
                ALTER TABLE allocation ADD COLUMN write_off_minor INTEGER NOT NULL DEFAULT 0 CHECK (write_off_minor >= 0)
                """)
        }
        return migrator
    }

    /// `invoicing-v5-credit-items` (issue 7): customer credit as open items, credit notes as
    /// documents of their own.
    ///
    /// - `credit_item`: one per source of credit (`overpayment`: the excess of an allocation,
    ///   `paymentOnAccount`, `creditNote`: what a credit note's invoice could not absorb), with
    ///   `0 ≤ open ≤ amount` and `open + withdrawn ≤ amount` as CHECK constraints; what is
    ///   neither open nor withdrawn was applied to invoices (`credit_application`).
    /// - The aggregate `customer_credit` rows become items: one per allocation with an excess
    ///   that is not reversed (the aggregate was exactly their sum: nothing consumed credit
    ///   before this migration), dated by the allocation's value date and keyed by it; a
    ///   positive rest of an aggregate no allocation explains (none is expected) becomes one
    ///   more `overpayment` item without a reference. The table is then dropped.
    /// - `credit_note` is rebuilt (SQLite cannot drop a NOT NULL): the invoice becomes
    ///   optional (standalone notes), the customer and currency are stored, with the optional
    ///   net/VAT split and how the total went (to the invoice's open balance, to a credit item).
    ///
    /// Written as literals, like every migration.
    private static func creditItemsMigration(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE credit_item (
                id TEXT PRIMARY KEY,
                customer_id TEXT NOT NULL REFERENCES customer(id),
                currency TEXT NOT NULL,
                source TEXT NOT NULL,               -- overpayment | paymentOnAccount | creditNote
                reference TEXT,                     -- the payment id or credit note id behind it
                allocation_id TEXT,                 -- overpayment: the allocation whose excess it is
                amount_minor INTEGER NOT NULL,
                open_minor INTEGER NOT NULL,
                withdrawn_minor INTEGER NOT NULL DEFAULT 0,  -- taken back by a payment reversal
                created_on TEXT NOT NULL,           -- the customer's calendar day
                created_at TEXT NOT NULL,
                CONSTRAINT credit_item_source CHECK (source IN ('overpayment', 'paymentOnAccount', 'creditNote')),
                CONSTRAINT credit_item_amounts CHECK (
                    amount_minor > 0 AND open_minor >= 0 AND open_minor <= amount_minor
                        AND withdrawn_minor >= 0 AND open_minor + withdrawn_minor <= amount_minor)
            );
            -- Oldest open items first (day, then rowid: insertion order), per customer and currency:
            -- what applying credit reads. The list of a customer's items pages by rowid.
            CREATE INDEX credit_item_open ON credit_item(customer_id, currency, created_on) WHERE open_minor > 0;
            CREATE INDEX credit_item_customer ON credit_item(customer_id);
            CREATE UNIQUE INDEX credit_item_allocation ON credit_item(allocation_id) WHERE allocation_id IS NOT NULL;
            CREATE TABLE credit_application (
                id TEXT PRIMARY KEY,
                credit_item_id TEXT NOT NULL REFERENCES credit_item(id),
                invoice_id TEXT NOT NULL REFERENCES invoice(id),
                amount_minor INTEGER NOT NULL,
                reversed_minor INTEGER NOT NULL DEFAULT 0,  -- re-opened on the invoice by a payment reversal
                applied_on TEXT NOT NULL,
                created_at TEXT NOT NULL,
                CONSTRAINT credit_application_amounts CHECK (
                    amount_minor > 0 AND reversed_minor >= 0 AND reversed_minor <= amount_minor)
            );
            CREATE INDEX credit_application_item ON credit_application(credit_item_id);
            CREATE INDEX credit_application_invoice ON credit_application(invoice_id);

            INSERT INTO credit_item (id, customer_id, currency, source, reference, allocation_id, amount_minor, open_minor,
                    created_on, created_at)
                SELECT 'credit-' || allocation_id, customer_id, currency, 'overpayment', payment_id, allocation_id,
                    excess_minor, excess_minor, value_date, strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
                FROM allocation WHERE excess_minor > 0 AND reversed = 0;
            INSERT INTO credit_item (id, customer_id, currency, source, amount_minor, open_minor, created_on, created_at)
                SELECT 'credit-migrated-' || c.customer_id || '-' || c.currency, c.customer_id, c.currency, 'overpayment',
                    c.amount_minor - COALESCE(i.total, 0), c.amount_minor - COALESCE(i.total, 0),
                    strftime('%Y-%m-%d', 'now'), strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
                FROM customer_credit c
                LEFT JOIN (SELECT customer_id, currency, SUM(amount_minor) AS total FROM credit_item GROUP BY customer_id, currency) i
                    ON i.customer_id = c.customer_id AND i.currency = c.currency
                WHERE c.amount_minor > COALESCE(i.total, 0);
            DROP TABLE customer_credit;

            CREATE TABLE credit_note_v5 (
                id TEXT PRIMARY KEY,
                number TEXT NOT NULL UNIQUE,
                customer_id TEXT NOT NULL REFERENCES customer(id),
                invoice_id TEXT REFERENCES invoice(id),  -- NULL: a standalone credit note
                currency TEXT NOT NULL,
                amount_minor INTEGER NOT NULL,
                net_minor INTEGER,
                vat_minor INTEGER,
                invoice_minor INTEGER NOT NULL,          -- what reduced the invoice's open balance
                credit_minor INTEGER NOT NULL,           -- what became a credit item
                credit_item_id TEXT REFERENCES credit_item(id),
                reason TEXT NOT NULL,
                issue_date TEXT NOT NULL,
                CONSTRAINT credit_note_amounts CHECK (
                    amount_minor > 0 AND invoice_minor >= 0 AND credit_minor >= 0 AND invoice_minor + credit_minor = amount_minor
                        AND (invoice_id IS NOT NULL OR invoice_minor = 0)),
                CONSTRAINT credit_note_split CHECK (
                    (net_minor IS NULL AND vat_minor IS NULL)
                        OR (net_minor >= 0 AND vat_minor >= 0 AND net_minor + vat_minor = amount_minor))
            );
            INSERT INTO credit_note_v5 (id, number, customer_id, invoice_id, currency, amount_minor, invoice_minor, credit_minor,
                    reason, issue_date)
                SELECT n.id, n.number, i.customer_id, n.invoice_id, i.currency, n.amount_minor, n.amount_minor, 0, n.reason, n.issue_date
                FROM credit_note n JOIN invoice i ON i.id = n.invoice_id;
            DROP TABLE credit_note;
            ALTER TABLE credit_note_v5 RENAME TO credit_note;
            CREATE INDEX credit_note_invoice ON credit_note(invoice_id) WHERE invoice_id IS NOT NULL;
            CREATE INDEX credit_note_customer ON credit_note(customer_id, number);
            """)
    }

    /// `invoicing-v2-ledger` (issue 7): the money identity of every invoice becomes a CHECK
    /// constraint, after repairing the rows the bugs it fixes left behind.
    ///
    /// - `voided_minor`: what a cancellation voided, so that a cancelled invoice keeps
    ///   `total = paid + credited + written off + voided + open` (its open balance is zero).
    /// - `paid_announced`: whether `invoice.paid` was published (it is, at most once).
    /// - Repairs, without publishing events (the migration cannot know what consumers saw):
    ///   a written-off invoice whose payment was reversed lost the reversed amount: it is owed
    ///   again, so the invoice re-opens with it (the write-off itself stands); a paid invoice
    ///   settled by a credit note had no `paid_on`: it gets the value date of its last payment;
    ///   an invoice that is not paid has no `paid_on`.
    /// - Then the table is rebuilt with the constraints (SQLite cannot add a CHECK to an
    ///   existing table), its indexes recreated. Rows still breaking a rule stop the migration
    ///   with ``InvoiceLedgerError`` naming them: they need a person, not a guess.
    ///
    /// Written as literals, like every migration: later changes to the code must not change
    /// what this one does.
    private static func ledgerMigration(_ db: Database) throws {
        try db.execute(sql: """
            ALTER TABLE invoice ADD COLUMN voided_minor INTEGER NOT NULL DEFAULT 0;
            ALTER TABLE invoice ADD COLUMN paid_announced INTEGER NOT NULL DEFAULT 0;
            -- The old code published invoice.paid when a payment made an invoice paid, and
            -- only then (paid_on set).
            UPDATE invoice SET paid_announced = 1 WHERE status = 'paid' AND paid_on IS NOT NULL;
            UPDATE invoice SET voided_minor = total_minor - paid_minor - credited_minor - written_off_minor - open_minor
                WHERE status = 'cancelled';
            UPDATE invoice SET
                open_minor = total_minor - paid_minor - credited_minor - written_off_minor,
                status = CASE WHEN paid_minor > 0 THEN 'partiallyPaid' ELSE 'open' END
                WHERE status = 'writtenOff' AND total_minor > paid_minor + credited_minor + written_off_minor + open_minor;
            UPDATE invoice SET paid_on = (
                    SELECT MAX(value_date) FROM allocation
                    WHERE allocation.invoice_id = invoice.id AND reversed = 0 AND applied_minor > 0)
                WHERE status = 'paid' AND paid_on IS NULL;
            -- The old code could date a written-off invoice on which money was received.
            UPDATE invoice SET paid_on = NULL WHERE status <> 'paid' AND paid_on IS NOT NULL;
            """)
        // One named constraint per rule, so that SQLite's error says which one broke.
        let rules: KeyValuePairs<String, String> = [
            "invoice_amounts_not_negative": """
                total_minor > 0 AND open_minor >= 0 AND paid_minor >= 0 AND credited_minor >= 0
                    AND written_off_minor >= 0 AND voided_minor >= 0
                """,
            "invoice_balance_identity": "total_minor = paid_minor + credited_minor + written_off_minor + voided_minor + open_minor",
            "invoice_status_follows_balance": """
                CASE status
                    WHEN 'open' THEN open_minor > 0 AND paid_minor = 0
                    WHEN 'partiallyPaid' THEN open_minor > 0 AND paid_minor > 0
                    WHEN 'paid' THEN open_minor = 0 AND paid_minor > 0
                    WHEN 'writtenOff' THEN open_minor = 0 AND written_off_minor > 0
                    WHEN 'cancelled' THEN open_minor = 0 AND paid_minor = 0 AND written_off_minor = 0
                    ELSE 0 END
                """,
            "invoice_paid_on_when_paid": "(status = 'paid') = (paid_on IS NOT NULL)",
            "invoice_voided_when_cancelled": "voided_minor = 0 OR status = 'cancelled'",
        ]
        let allRules = rules.map { "(\($0.value))" }.joined(separator: " AND ")
        let constraints = rules.map { "CONSTRAINT \($0.key) CHECK (\($0.value))" }.joined(separator: ",\n")
        let broken = try String.fetchAll(db, sql: "SELECT number FROM invoice WHERE NOT (\(allRules)) ORDER BY number LIMIT 20")
        guard broken.isEmpty else {
            throw InvoiceLedgerError(invoiceId: nil, reason: """
                migration invoicing-v2-ledger: invoices \(broken.joined(separator: ", ")) break the balance identity or \
                their status in a way it cannot repair; fix them by hand, then restart
                """)
        }
        let columns = """
            id, number, customer_id, issue_date, due_date, currency, total_minor, net_minor, vat_minor, lines,
            order_reference, payment_reference, open_minor, paid_minor, credited_minor, written_off_minor, voided_minor,
            status, paid_announced, disputed, dispute_reason, factor_name, credit_insurer, paid_on, cancelled_on, created_at
            """
        try db.execute(sql: """
            CREATE TABLE invoice_v2 (
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
                voided_minor INTEGER NOT NULL DEFAULT 0,     -- what a cancellation voided
                status TEXT NOT NULL,
                paid_announced INTEGER NOT NULL DEFAULT 0,   -- invoice.paid was published
                disputed INTEGER NOT NULL DEFAULT 0,
                dispute_reason TEXT,
                factor_name TEXT,
                credit_insurer TEXT,
                paid_on TEXT,
                cancelled_on TEXT,
                created_at TEXT NOT NULL,
                \(constraints)
            );
            INSERT INTO invoice_v2 (\(columns)) SELECT \(columns) FROM invoice;
            DROP TABLE invoice;
            ALTER TABLE invoice_v2 RENAME TO invoice;
            CREATE INDEX invoice_open_by_customer ON invoice(customer_id, currency, due_date, open_minor, issue_date, status)
                WHERE status IN ('open', 'partiallyPaid');
            CREATE INDEX invoice_customer ON invoice(customer_id);
            CREATE INDEX invoice_paid_on ON invoice(paid_on) WHERE paid_on IS NOT NULL;
            """)
    }

    /// `invoicing-v7-quotes-and-orders` (issue 11): prospects and their vetting, quotes, orders,
    /// and invoices that reference their order.
    ///
    /// - `customer.relationship`: `customer` for every existing row, `prospect` until signed;
    ///   `customer.vetting`: the last ``Vetting`` as JSON.
    /// - `quote` and `sales_order` (`order` is an SQL keyword): the document as JSON plus the
    ///   columns queries filter and sum on. An order's invoiced net amount never exceeds its net
    ///   amount (CHECK): that is the over-invoicing rule.
    /// - `invoice.order_id`: the order an invoice invoices.
    private static func quotesAndOrders(_ db: Database) throws {
        try db.execute(sql: """
            ALTER TABLE customer ADD COLUMN relationship TEXT NOT NULL DEFAULT 'customer';
            ALTER TABLE customer ADD COLUMN vetting BLOB;
            CREATE TABLE quote (
                id TEXT PRIMARY KEY,
                number TEXT NOT NULL UNIQUE,
                customer_id TEXT NOT NULL REFERENCES customer(id),
                status TEXT NOT NULL,
                currency TEXT NOT NULL,
                valid_until TEXT NOT NULL,
                total_minor INTEGER NOT NULL,
                document BLOB NOT NULL,          -- the Quote as JSON
                created_at TEXT NOT NULL
            );
            CREATE INDEX quote_customer ON quote(customer_id, status);
            CREATE INDEX quote_pending_by_validity ON quote(valid_until) WHERE status IN ('draft', 'sent');
            CREATE TABLE sales_order (
                id TEXT PRIMARY KEY,
                number TEXT NOT NULL UNIQUE,
                customer_id TEXT NOT NULL REFERENCES customer(id),
                quote_id TEXT REFERENCES quote(id),
                status TEXT NOT NULL,
                currency TEXT NOT NULL,
                net_minor INTEGER NOT NULL,
                total_minor INTEGER NOT NULL,
                invoiced_net_minor INTEGER NOT NULL DEFAULT 0,
                invoiced_minor INTEGER NOT NULL DEFAULT 0,
                document BLOB NOT NULL,          -- the Order as JSON
                created_at TEXT NOT NULL,
                CONSTRAINT sales_order_not_over_invoiced CHECK (invoiced_net_minor BETWEEN 0 AND net_minor)
            );
            CREATE INDEX sales_order_customer ON sales_order(customer_id, currency, status);
            ALTER TABLE invoice ADD COLUMN order_id TEXT REFERENCES sales_order(id);
            CREATE INDEX invoice_order ON invoice(order_id) WHERE order_id IS NOT NULL;
            """)
    }
}
