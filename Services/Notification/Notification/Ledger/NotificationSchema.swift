import GRDB

/// The notification service's migrations. Shipped migrations are never edited: add new ones.
enum NotificationSchema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("notification-v1") { db in
            try db.execute(sql: """
                -- The ledger of the partitions this instance owns: restored from the changelog
                -- on assignment, forgotten on revocation. The primary key is the notification id.
                CREATE TABLE notification (
                    id TEXT PRIMARY KEY,
                    partition INTEGER NOT NULL,
                    customer_id TEXT NOT NULL,
                    channel TEXT NOT NULL,
                    state TEXT NOT NULL,
                    attempts INTEGER NOT NULL DEFAULT 0,
                    entry BLOB NOT NULL,              -- LedgerEntry as JSON
                    updated_at TEXT NOT NULL
                ) WITHOUT ROWID;
                CREATE INDEX notification_partition ON notification(partition);
                CREATE INDEX notification_state ON notification(state, updated_at);
                """)
        }
        migrator.registerMigration("notification-v2") { db in
            try db.execute(sql: """
                -- The daily spending cap: what each row's provider calls cost (minor units) and
                -- the day of the last charge, so a partition's spending of a day is a sum.
                ALTER TABLE notification ADD COLUMN cost INTEGER NOT NULL DEFAULT 0;
                ALTER TABLE notification ADD COLUMN spent_on TEXT;
                CREATE INDEX notification_spending ON notification(partition, spent_on);
                """)
        }
        return migrator
    }
}
