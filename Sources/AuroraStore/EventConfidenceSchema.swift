extension Schema {
    /// Version 15: each anomaly event's confidence.
    static let eventConfidenceMigrations: [Migration] = [
        Migration(version: 15, summary: "the confidence of an anomaly event", sql: """
            -- The probability, fitted on labelled outcomes, that the event marks a real fault (NULL: none,
            -- as for events only configured rules raised, absent-data events, webhook alerts and every
            -- event recorded before this version).
            ALTER TABLE anomaly_events ADD COLUMN confidence REAL;
            """),
    ]
}
