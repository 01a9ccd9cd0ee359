extension Schema {
    /// Version 12: points a watcher appends, kept apart until they are settled into `points`; version 13
    /// drops their foreign key.
    static let recentPointsMigrations: [Migration] = [
        Migration(version: 12, summary: "recent live points apart from the stored history", sql: """
            -- A live pass appends a few points to each of thousands of series. Written straight into
            -- `points`, each series' newest page was rewritten (and copied back from the log) on every
            -- pass: most of a pass's writing. Here they fill a small table whose pages hold many series'
            -- points, and are settled into `points` a slice of the series at a time (see SeriesStore).
            -- A point is in exactly one of the two tables; every read of a series' points reads both.
            CREATE TABLE recent_points (
                series_id INTEGER NOT NULL REFERENCES series(id) ON DELETE CASCADE,
                ts INTEGER NOT NULL,
                value REAL NOT NULL,
                PRIMARY KEY (series_id, ts)
            ) WITHOUT ROWID;
            -- The slice of the series the next settling moves: kept here, not in a process, so that
            -- one-pass runs (`aurora watch --once` from cron) settle every slice in turn too.
            CREATE TABLE recent_points_cursor (
                id INTEGER PRIMARY KEY CHECK (id = 1),
                next_slice INTEGER NOT NULL
            );
            INSERT INTO recent_points_cursor (id, next_slice) VALUES (1, 0);
            """),
        Migration(version: 13, summary: "recent live points without a foreign key", sql: """
            -- With a foreign key, every recent point written was a lookup of its series, and settling a
            -- slice deleted its rows one lookup at a time (some 40 ms a pass at 10,000 series, against 5
            -- without). Recent points are only ever written for a stored series, and dropping a series
            -- deletes its recent points first (SeriesStore.drop), so the key guarded nothing.
            CREATE TABLE recent_points_unchecked (
                series_id INTEGER NOT NULL,
                ts INTEGER NOT NULL,
                value REAL NOT NULL,
                PRIMARY KEY (series_id, ts)
            ) WITHOUT ROWID;
            INSERT INTO recent_points_unchecked (series_id, ts, value)
                SELECT series_id, ts, value FROM recent_points WHERE series_id IN (SELECT id FROM series);
            DROP TABLE recent_points;
            ALTER TABLE recent_points_unchecked RENAME TO recent_points;
            """),
    ]
}
