extension Schema {
    /// Version 10: detector state saved as checkpoints every few dozen points, apart from the watermarks.
    static let detectorCheckpointMigrations: [Migration] = [
        Migration(version: 10, summary: "detector state checkpoints apart from the watermarks", sql: """
            -- A detector's state (some 20 KB a series) is saved every few dozen points, not every pass:
            -- rewriting every series' state on every pass was most of a live pass's cost. The watermark
            -- (`detector_state.watermark_ms`) still moves every pass with the events; a run restores the
            -- checkpoint and replays the stored points after it up to the watermark without reporting them.
            -- `detector_state.state` is left empty: a narrow row that is cheap to update.
            CREATE TABLE detector_checkpoints (
                series_id INTEGER NOT NULL REFERENCES series(id) ON DELETE CASCADE,
                detector TEXT NOT NULL,
                at_ms INTEGER NOT NULL,
                state BLOB NOT NULL,
                PRIMARY KEY (series_id, detector)
            );
            INSERT INTO detector_checkpoints (series_id, detector, at_ms, state)
                SELECT series_id, detector, watermark_ms, state FROM detector_state WHERE length(state) > 0;
            UPDATE detector_state SET state = x'';
            """),
    ]
}
