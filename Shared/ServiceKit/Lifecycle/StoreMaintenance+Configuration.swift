import Storage

extension StoreMaintenance.Configuration {
    /// Reads `inbox.retention` (default 720h, i.e. 30 days; at least the retention of the
    /// topics the service consumes), `outbox.retention` (default 24h), `idempotency.retention`
    /// (default 24h) and `maintenance.interval` (default 5m).
    /// - Throws: `ConfigurationError` for a malformed duration, or a zero retention or interval.
    public init(reader: ConfigurationReader) throws(ConfigurationError) {
        let defaults = StoreMaintenance.Configuration()
        self.init(
            inboxRetention: try reader.duration("inbox.retention", default: defaults.inboxRetention),
            outboxRetention: try reader.duration("outbox.retention", default: defaults.outboxRetention),
            idempotencyRetention: try reader.duration("idempotency.retention", default: defaults.idempotencyRetention),
            interval: try reader.duration("maintenance.interval", default: defaults.interval))
        for (key, value) in [
            ("inbox.retention", inboxRetention), ("outbox.retention", outboxRetention),
            ("idempotency.retention", idempotencyRetention), ("maintenance.interval", interval),
        ]
        where value <= .zero {
            throw ConfigurationError(key: key, reason: "give a positive duration like 720h")
        }
    }
}
