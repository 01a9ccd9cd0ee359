extension Schema {
    /// Version 7 on: the state of `aurora watch` (live operation); 8: the ungrouped-events index.
    static let watchMigrations: [Migration] = [
        Migration(version: 7, summary: "watcher lease, per-query watermarks, webhook alerts seen", sql: """
            -- One watcher per database: the row names the holder, refreshed by its heartbeat; a lease
            -- whose heartbeat is older than its time to live belongs to a dead watcher.
            CREATE TABLE watch_lease (
                name TEXT PRIMARY KEY,
                holder TEXT NOT NULL,
                host TEXT NOT NULL,
                pid INTEGER NOT NULL,
                acquired_ms INTEGER NOT NULL,
                heartbeat_ms INTEGER NOT NULL,
                expires_ms INTEGER NOT NULL
            );
            -- Per query (its PromQL text: a changed query starts afresh), the end of the last window
            -- stored: the next pass reads from there, so a restart neither skips nor re-reads points.
            CREATE TABLE watch_watermarks (
                query TEXT PRIMARY KEY,
                until_ms INTEGER NOT NULL,
                updated_ms INTEGER NOT NULL
            );
            -- Alertmanager webhooks already handled: Alertmanager re-sends until it gets a 2xx, and
            -- each (fingerprint, startsAt, status) is acted on once.
            CREATE TABLE watch_webhook_alerts (
                fingerprint TEXT NOT NULL,
                starts_at TEXT NOT NULL,
                status TEXT NOT NULL,
                service TEXT,
                incident_id INTEGER,
                received_ms INTEGER NOT NULL,
                PRIMARY KEY (fingerprint, starts_at, status)
            );
            """),
        Migration(version: 8, summary: "events not in an incident, by end", sql: """
            -- The events grouping reads: those in no incident yet. A watcher reads only the ones that
            -- ended within its retention, so weak events that never joined an incident are not read
            -- again on every pass as they pile up.
            CREATE INDEX anomaly_events_ungrouped ON anomaly_events(end_ms) WHERE incident_id IS NULL;
            """),
    ]
}
