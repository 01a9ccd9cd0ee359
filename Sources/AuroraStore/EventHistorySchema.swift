extension Schema {
    /// Version 14: how much history each anomaly event was judged on.
    static let eventHistoryMigrations: [Migration] = [
        Migration(version: 14, summary: "the history an anomaly event was judged on", sql: """
            -- Points the series' detectors had seen when the event began (NULL: not known, as for every
            -- event recorded before this version, absent-data events and webhook alerts), and whether that
            -- was less than the ensemble remembers: on real series such events are several times as
            -- common, so incidents and alerts say so.
            ALTER TABLE anomaly_events ADD COLUMN history_points INTEGER;
            ALTER TABLE anomaly_events ADD COLUMN short_history INTEGER NOT NULL DEFAULT 0;
            """),
    ]
}
