extension Schema {
    /// Version 4: incidents and their timelines (diagnosis).
    static let diagnosisMigrations: [Migration] = [
        Migration(version: 4, summary: "incidents, their anomaly events and timelines", sql: """
            CREATE TABLE incidents (
                id INTEGER PRIMARY KEY,
                status TEXT NOT NULL DEFAULT 'open'
                    CHECK (status IN ('open', 'diagnosed', 'remediating', 'resolved', 'escalated')),
                services TEXT NOT NULL DEFAULT '',
                start_ms INTEGER NOT NULL,
                end_ms INTEGER NOT NULL,
                opened_ms INTEGER NOT NULL,
                detected_ms INTEGER NOT NULL,
                resolved_ms INTEGER,
                cause TEXT,
                note TEXT,
                false_positive INTEGER NOT NULL DEFAULT 0,
                confidence REAL,
                tier TEXT,
                pattern TEXT,
                remediation TEXT,
                diagnosis TEXT,
                updated_ms INTEGER NOT NULL
            );
            CREATE INDEX incidents_status ON incidents(status);
            ALTER TABLE anomaly_events ADD COLUMN incident_id INTEGER REFERENCES incidents(id);
            CREATE INDEX anomaly_events_incident ON anomaly_events(incident_id);
            CREATE TABLE incident_timeline (
                id INTEGER PRIMARY KEY,
                incident_id INTEGER NOT NULL REFERENCES incidents(id),
                at_ms INTEGER NOT NULL,
                kind TEXT NOT NULL,
                message TEXT NOT NULL
            );
            CREATE INDEX incident_timeline_incident ON incident_timeline(incident_id, id);
            """),
    ]
}
