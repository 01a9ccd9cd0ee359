extension Schema {
    /// Version 5: learned patterns, and what the SLO report needs to know about incidents.
    static let learningMigrations: [Migration] = [
        Migration(version: 5, summary: "learned patterns; incident resolution facts", sql: """
            CREATE TABLE learned_patterns (
                id INTEGER PRIMARY KEY,
                name TEXT NOT NULL,
                symptoms TEXT NOT NULL,
                root_service TEXT,
                cause TEXT NOT NULL DEFAULT '',
                remediation TEXT,
                risk TEXT NOT NULL DEFAULT 'medium',
                occurrences INTEGER NOT NULL DEFAULT 1,
                successes INTEGER NOT NULL DEFAULT 0,
                failures INTEGER NOT NULL DEFAULT 0,
                false_positives INTEGER NOT NULL DEFAULT 0,
                mean_recovery_s REAL NOT NULL DEFAULT 0,
                first_seen_ms INTEGER NOT NULL,
                last_seen_ms INTEGER NOT NULL
            );
            ALTER TABLE incidents ADD COLUMN learned_pattern_id INTEGER REFERENCES learned_patterns(id) ON DELETE SET NULL;
            ALTER TABLE incidents ADD COLUMN resolved_by TEXT;
            ALTER TABLE incidents ADD COLUMN auto_resolved INTEGER NOT NULL DEFAULT 0;
            """),
    ]
}
