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
}
