extension Schema {
    /// Version 6 on: remediation requests, approvals, executions, freeze windows (remediation).
    static let remediationMigrations: [Migration] = [
        Migration(version: 6, summary: "remediations and freeze windows", sql: """
            -- One row per remediation request, from request to outcome. Secrets never reach this table:
            -- `description` is the redacted rendering, `params` are the operator's plain parameters.
            CREATE TABLE remediations (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                action TEXT NOT NULL,
                action_type TEXT NOT NULL,
                service TEXT NOT NULL,
                params TEXT NOT NULL DEFAULT '{}',
                rendered_hash TEXT NOT NULL,
                description TEXT NOT NULL DEFAULT '',
                requester TEXT NOT NULL,
                request_reason TEXT NOT NULL DEFAULT '',
                approver TEXT,
                tier TEXT NOT NULL,
                confidence REAL,
                incident TEXT,
                state TEXT NOT NULL CHECK (state IN ('queued', 'approved', 'running', 'succeeded', 'failed',
                    'rolled_back', 'rejected', 'expired', 'refused', 'interrupted')),
                rule TEXT NOT NULL DEFAULT '',
                reason TEXT NOT NULL DEFAULT '',
                owner_pid INTEGER,
                owner_start INTEGER,
                child_pid INTEGER,
                child_pgid INTEGER,
                heartbeat_ms INTEGER,
                attempts INTEGER NOT NULL DEFAULT 0,
                outcome TEXT,
                output TEXT NOT NULL DEFAULT '',
                duration_ms INTEGER,
                created_ms INTEGER NOT NULL,
                updated_ms INTEGER NOT NULL,
                approved_ms INTEGER,
                started_ms INTEGER,
                finished_ms INTEGER
            );
            CREATE INDEX remediations_state ON remediations(state);
            CREATE INDEX remediations_service_started ON remediations(service, started_ms);
            CREATE INDEX remediations_started ON remediations(started_ms);
            CREATE INDEX remediations_incident ON remediations(incident);

            CREATE TABLE freeze_windows (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                service TEXT,
                kind TEXT NOT NULL CHECK (kind IN ('one-off', 'weekly')),
                from_ms INTEGER,
                until_ms INTEGER,
                weekly TEXT,
                reason TEXT NOT NULL DEFAULT '',
                created_by TEXT NOT NULL,
                created_ms INTEGER NOT NULL
            );
            """),
    ]
}

extension Schema {
    /// Version 9: when a standing decision was last taken again (see `RemediationStore.markEvaluated`).
    /// Listed after the watch migrations: versions apply in array order.
    static let remediationEvaluationMigrations: [Migration] = [
        Migration(version: 9, summary: "when a remediation's decision was last taken again", sql: """
            -- The loop asks again, pass after pass, for a remediation that stays refused, escalated or
            -- waiting for approval for the same reason; it records the decision once and refreshes this
            -- instead of adding a row per pass. NULL: the decision was never taken again.
            ALTER TABLE remediations ADD COLUMN evaluated_ms INTEGER;
            """),
    ]
}
