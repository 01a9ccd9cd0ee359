import AuroraCore

/// One schema step. Append-only: a released migration is never edited, a change is a new one.
package struct Migration: Sendable {
    package let version: Int
    package let summary: String
    package let sql: String

    package init(version: Int, summary: String, sql: String) {
        self.version = version
        self.summary = summary
        self.sql = sql
    }
}

/// The schema, as the ordered list of migrations that build it. Each capability keeps its own
/// migrations in its own file (`…Schema.swift`) and adds them here, in version order.
package enum Schema {
    package static let migrations: [Migration] = foundation + diagnosisMigrations + learningMigrations + remediationMigrations
        + watchMigrations + remediationEvaluationMigrations + detectorCheckpointMigrations + diagnosisBasisMigrations
        + recentPointsMigrations + eventHistoryMigrations + eventConfidenceMigrations + alertTextMigrations
        + presenceBaselineMigrations + actingConfidenceMigrations

    /// Versions 1–3: audit, kill switches, series, anomaly events.
    static let foundation: [Migration] = [
        Migration(version: 1, summary: "audit trail and kill switches", sql: """
            CREATE TABLE audit_log (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                at_ms INTEGER NOT NULL,
                actor TEXT NOT NULL,
                action TEXT NOT NULL,
                subject TEXT NOT NULL DEFAULT '',
                detail TEXT NOT NULL DEFAULT '',
                outcome TEXT NOT NULL DEFAULT ''
            );
            CREATE INDEX audit_log_at ON audit_log(at_ms);
            -- The audit trail is append-only: no command, and no hand-written SQL, may rewrite history.
            CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
                BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
            CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
                BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;

            CREATE TABLE kill_switches (
                scope TEXT NOT NULL CHECK (scope IN ('global', 'service', 'type')),
                target TEXT NOT NULL DEFAULT '',
                reason TEXT NOT NULL DEFAULT '',
                set_by TEXT NOT NULL,
                set_at_ms INTEGER NOT NULL,
                expires_at_ms INTEGER,
                PRIMARY KEY (scope, target)
            );
            """),
        Migration(version: 2, summary: "stored series and their points", sql: """
            CREATE TABLE series (
                id INTEGER PRIMARY KEY,
                key TEXT NOT NULL UNIQUE,
                name TEXT NOT NULL,
                labels TEXT NOT NULL DEFAULT '',
                service TEXT,
                first_ms INTEGER,
                last_ms INTEGER,
                points INTEGER NOT NULL DEFAULT 0,
                step_ms INTEGER,
                updated_ms INTEGER NOT NULL
            );
            CREATE INDEX series_service ON series(service);
            CREATE INDEX series_name ON series(name);
            -- Clustered by series and time: range scans for one series read consecutive pages.
            CREATE TABLE points (
                series_id INTEGER NOT NULL REFERENCES series(id) ON DELETE CASCADE,
                ts INTEGER NOT NULL,
                value REAL NOT NULL,
                PRIMARY KEY (series_id, ts)
            ) WITHOUT ROWID;
            """),
        Migration(version: 3, summary: "anomaly events and per-series detector state", sql: """
            CREATE TABLE anomaly_events (
                id INTEGER PRIMARY KEY,
                series_key TEXT NOT NULL,
                service TEXT,
                start_ms INTEGER NOT NULL,
                end_ms INTEGER NOT NULL,
                peak_ms INTEGER NOT NULL,
                peak_value REAL NOT NULL,
                expected_low REAL,
                expected_high REAL,
                score REAL NOT NULL,
                detectors TEXT NOT NULL DEFAULT '',
                recorded_ms INTEGER NOT NULL,
                source TEXT NOT NULL DEFAULT '',
                UNIQUE (series_key, start_ms)
            );
            CREATE INDEX anomaly_events_time ON anomaly_events(start_ms);
            -- Where `aurora detect` over stored series stopped, and the detectors' state there, so a cron
            -- job continues from the trained state and never reports the same point twice.
            CREATE TABLE detector_state (
                series_id INTEGER NOT NULL REFERENCES series(id) ON DELETE CASCADE,
                detector TEXT NOT NULL,
                watermark_ms INTEGER NOT NULL,
                state BLOB NOT NULL,
                PRIMARY KEY (series_id, detector)
            );
            """),
    ]

    /// The newest schema version this build knows.
    package static var latestVersion: Int { migrations.last?.version ?? 0 }
}

/// Brings a database up to the latest schema.
package enum Migrator {
    /// Applies the missing migrations in one `BEGIN IMMEDIATE` transaction that reads
    /// `PRAGMA user_version` inside it, so several processes opening a new database at once migrate
    /// it exactly once. Refuses a database newer than this build.
    package static func migrate(_ database: Database, migrations: [Migration] = Schema.migrations) throws {
        let latest = migrations.last?.version ?? 0
        // Fast path without a write lock: the common case is an up-to-date database.
        let seen = try database.scalar("PRAGMA user_version")?.int64 ?? 0
        if seen == latest { return }
        if seen > latest { throw newer(database, version: Int(seen), latest: latest) }
        try database.write { db in
            let current = Int(try db.scalar("PRAGMA user_version")?.int64 ?? 0)
            if current > latest { throw newer(db, version: current, latest: latest) }
            for migration in migrations where migration.version > current {
                try db.execute(migration.sql)
                // PRAGMA takes no bound parameters; the version is an integer from the table above.
                try db.execute("PRAGMA user_version = \(migration.version)")
            }
        }
    }

    private static func newer(_ database: Database, version: Int, latest: Int) -> SimpleFailure {
        SimpleFailure(.dataError, "\(database.path): schema version \(version) is newer than this aurora knows (\(latest)); upgrade aurora, or use a backup made by this version")
    }
}
