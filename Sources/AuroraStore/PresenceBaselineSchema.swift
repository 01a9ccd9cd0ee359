extension Schema {
    /// Version 17: the watcher's absent-data baseline, kept across processes.
    static let presenceBaselineMigrations: [Migration] = [
        Migration(version: 17, summary: "the series each live query answered last", sql: """
            -- The absent-data baseline of `aurora watch`, per query (its PromQL text, as the watermarks: an
            -- edited query starts afresh): the series its last complete answer held and when that answer
            -- ended, and the series an unfinished catch-up has seen so far. Kept here, not in the watcher's
            -- memory, so that `aurora watch --once` (cron) and a restarted watcher compare each answer with
            -- what the previous process saw: a target that stopped between two runs is reported.
            CREATE TABLE watch_baselines (
                id INTEGER PRIMARY KEY,
                query TEXT NOT NULL UNIQUE,
                -- The end of the last complete answer (Unix ms); NULL until the first is complete.
                as_of_ms INTEGER,
                -- Series in that answer, and series seen so far by an unfinished catch-up (0: none).
                answered INTEGER NOT NULL DEFAULT 0,
                catching_up INTEGER NOT NULL DEFAULT 0,
                -- Moved by every change of the answered series: a process's copy of them is current
                -- while its revision is the stored one.
                revision INTEGER NOT NULL DEFAULT 0,
                updated_ms INTEGER NOT NULL
            );
            -- One row per series: in the last complete answer, seen by the catch-up in progress, or both.
            CREATE TABLE watch_baseline_series (
                baseline_id INTEGER NOT NULL REFERENCES watch_baselines(id) ON DELETE CASCADE,
                series_key TEXT NOT NULL,
                answered INTEGER NOT NULL DEFAULT 0,
                catching_up INTEGER NOT NULL DEFAULT 0,
                PRIMARY KEY (baseline_id, series_key)
            ) WITHOUT ROWID;
            """),
    ]
}
