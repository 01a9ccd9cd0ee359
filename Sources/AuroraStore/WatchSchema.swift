extension Schema {
    /// Version 7 on: the state of `aurora watch` (live operation); 8: the ungrouped-events index; 9: detector checkpoints.
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
        Migration(version: 9, summary: "detector state checkpoints apart from the watermarks", sql: """
            -- A detector's state (some 20 KB a series) is saved every few dozen points, not every pass:
            -- rewriting every series' state on every pass was most of a live pass's cost. The watermark
            -- (`detector_state.watermark_ms`) still moves every pass with the events; a run restores the
            -- checkpoint and replays the stored points after it up to the watermark without reporting them.
            -- `detector_state.state` is left empty: a narrow row that is cheap to update.
            CREATE TABLE detector_checkpoints (
                series_id INTEGER NOT NULL REFERENCES series(id) ON DELETE CASCADE,
                detector TEXT NOT NULL,
                at_ms INTEGER NOT NULL,
                state BLOB NOT NULL,
                PRIMARY KEY (series_id, detector)
            );
            INSERT INTO detector_checkpoints (series_id, detector, at_ms, state)
                SELECT series_id, detector, watermark_ms, state FROM detector_state WHERE length(state) > 0;
            UPDATE detector_state SET state = x'';
            """),
    ]
}
