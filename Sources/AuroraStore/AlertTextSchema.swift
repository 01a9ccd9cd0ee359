extension Schema {
    /// Version 16: what the watcher's alert last said of each incident.
    static let alertTextMigrations: [Migration] = [
        Migration(version: 16, summary: "the text of each incident's alert", sql: """
            -- The summary, description, action and confidence `aurora watch` posts for an incident, as it
            -- last made them from its own step (the diagnosis and what was done about it). Kept here, not in
            -- the watcher's memory, so that a restarted watcher posts the same annotations: the action
            -- (`queued for approval … aurora approve 7`, a refusal's rule, a dry run) is in no other column.
            CREATE TABLE incident_alert_text (
                incident_id INTEGER PRIMARY KEY REFERENCES incidents(id) ON DELETE CASCADE,
                summary TEXT NOT NULL,
                description TEXT,
                action TEXT NOT NULL,
                confidence REAL,
                confidence_measured INTEGER NOT NULL DEFAULT 1,
                updated_ms INTEGER NOT NULL
            );
            """),
    ]

    /// Version 18: the confidence the loop acted on, beside the cause's.
    static let actingConfidenceMigrations: [Migration] = [
        Migration(version: 18, summary: "the confidence each incident's remediation was decided on", sql: """
            -- The alert's `confidence` is the diagnosis' confidence in its cause, given a fault; the loop decides
            -- on that times the chance the fault is real (an anomaly alone is right about 4 times in 10). The
            -- alert says both, so a person paged for an approval sees why. NULL: not decided by the loop.
            ALTER TABLE incident_alert_text ADD COLUMN acting_confidence REAL;
            """),
    ]
}
