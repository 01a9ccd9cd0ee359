extension Schema {
    /// Version 11: when an incident was last diagnosed, and what its stored diagnosis was based on.
    static let diagnosisBasisMigrations: [Migration] = [
        Migration(version: 11, summary: "incident diagnosis time and basis", sql: """
            -- `aurora watch` re-diagnoses an open incident only when what the diagnosis depends on changed
            -- (its events, span or status, the configuration, the learned patterns) or the diagnosis is old:
            -- root-cause analysis of a large incident on every pass cost seconds of CPU and hundreds of MB.
            -- `diagnosed_ms`: when the analysis (or the learned-pattern match) last ran, by anyone.
            -- `diagnosis_basis`: what the loop saw when it last took the incident's diagnosis, as text it compares.
            ALTER TABLE incidents ADD COLUMN diagnosed_ms INTEGER;
            ALTER TABLE incidents ADD COLUMN diagnosis_basis TEXT;
            """),
    ]
}
