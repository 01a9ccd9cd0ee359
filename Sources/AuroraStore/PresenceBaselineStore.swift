import AuroraCore
import Foundation

/// The series one live query's last complete answer held, as of that answer's end: the absent-data
/// baseline a series missing from the next complete answer is compared with.
package struct PresenceBaseline: Sendable, Equatable {
    package var query: String
    /// The end of the answer (Unix ms).
    package var asOf: Int64
    /// The stored revision this copy was read or written at: while it is the stored one, the copy is current.
    package var revision: Int64
    package var series: Set<SeriesKey>
}

/// `aurora watch`'s absent-data baselines, kept in the database so that `aurora watch --once` (cron)
/// and a restarted watcher compare each answer with what the previous process saw. Call every
/// function inside the write transaction that stores the answer's points and moves its watermark:
/// reading the baseline, replacing it and recording what disappeared is then one step, and two
/// processes never both report one departure.
///
/// Writes only what changed: a pass whose answer holds the same series as the last one rewrites the
/// query's one header row, not a row per series.
package enum PresenceBaselineStore {
    /// What replacing a query's baseline found.
    package struct Replacement: Sendable, Equatable {
        /// The baseline before (nil for the query's first complete answer).
        package var previous: PresenceBaseline?
        /// The baseline now: the answer's series and those the catch-up it ends saw in earlier sub-windows.
        package var current: PresenceBaseline
    }

    /// The number of series of each query's baseline, by query text (the size estimate of its next
    /// sub-window, for a process that has not read an answer yet).
    package static func seriesCounts(in db: Database) throws -> [String: Int] {
        var counts: [String: Int] = [:]
        for row in try db.query("SELECT query, answered FROM watch_baselines WHERE as_of_ms IS NOT NULL") {
            if let query = row[0].string, let answered = row[1].int64 { counts[query] = Int(answered) }
        }
        return counts
    }

    /// Deletes the baselines (and catch-ups in progress) of every query not in `queries`: a query
    /// removed from the configuration, or edited (its text is its identity). Returns how many.
    @discardableResult
    package static func forget(queriesOtherThan queries: Set<String>, in db: Database) throws -> Int {
        var forgotten = 0
        for row in try db.query("SELECT id, query FROM watch_baselines") {
            guard let id = row[0].int64, let query = row[1].string, !queries.contains(query) else { continue }
            forgotten += try db.run("DELETE FROM watch_baselines WHERE id = ?", [.integer(id)])
        }
        return forgotten
    }

    /// Removes series from every query's baseline and catch-up (`aurora series drop`): a series the
    /// operator retired is then not reported absent when it leaves the source's answers, and one still
    /// answered joins the baseline again with the next complete answer. Each baseline touched moves its
    /// revision, so no process trusts a copy that still holds them. Returns how many entries went.
    @discardableResult
    package static func forget(series keys: some Sequence<SeriesKey>, in db: Database) throws -> Int {
        var touched = Set<Int64>()
        var removed = 0
        for key in keys {
            for row in try db.query("SELECT baseline_id FROM watch_baseline_series WHERE series_key = ?", [.text(key.description)]) {
                if let id = row[0].int64 { touched.insert(id) }
            }
            removed += try db.run("DELETE FROM watch_baseline_series WHERE series_key = ?", [.text(key.description)])
        }
        for id in touched.sorted() {
            try db.run("""
                UPDATE watch_baselines SET
                    answered = (SELECT count(*) FROM watch_baseline_series WHERE baseline_id = ?1 AND answered = 1),
                    catching_up = (SELECT count(*) FROM watch_baseline_series WHERE baseline_id = ?1 AND catching_up = 1),
                    revision = revision + 1
                WHERE id = ?1
                """, [.integer(id)])
        }
        return removed
    }

    /// Records the series one sub-window of an unfinished catch-up answered: the catch-up is one answer
    /// for the absent-data rule, so a series in any of its sub-windows is present, whichever process
    /// read it. Returns how many series the catch-up has seen so far.
    package static func noteCatchUp(query: String, answered series: some Sequence<SeriesKey>, at now: Date, in db: Database) throws -> Int {
        let id = try header(query: query, at: now, in: db).id
        let mark = try db.prepare("""
            INSERT INTO watch_baseline_series (baseline_id, series_key, catching_up) VALUES (?1, ?2, 1)
            ON CONFLICT(baseline_id, series_key) DO UPDATE SET catching_up = 1 WHERE catching_up = 0
            """)
        var added: Int64 = 0
        for key in series {
            try mark.bind([.integer(id), .text(key.description)])
            try mark.run()
            added += Int64(db.changes)
        }
        try db.run("UPDATE watch_baselines SET catching_up = catching_up + ?2, updated_ms = ?3 WHERE id = ?1",
                   [.integer(id), .integer(added), .integer(now.unixMilliseconds)])
        return Int(try db.scalar("SELECT catching_up FROM watch_baselines WHERE id = ?", [.integer(id)])?.int64 ?? 0)
    }

    /// Makes a complete answer ending at `end` the query's baseline: its series, with those the catch-up
    /// it ends saw in earlier sub-windows. Returns the baseline before and after, or nil when the stored
    /// one is as of `end` or later (another process stored a newer answer: this one is not news and
    /// changes nothing). `known` is this process's copy of the baseline: used instead of reading the
    /// series when its revision is still the stored one.
    package static func replace(query: String, answered series: Set<SeriesKey>, through end: Int64, known: PresenceBaseline?,
                                at now: Date, in db: Database) throws -> Replacement? {
        let stored = try header(query: query, at: now, in: db)
        if let asOf = stored.asOf, asOf >= end { return nil }
        var present = series
        if stored.catchingUp > 0 {
            present.formUnion(try keys(of: stored.id, where: .catchingUp, in: db))
            try db.run("UPDATE watch_baseline_series SET catching_up = 0 WHERE baseline_id = ? AND catching_up = 1", [.integer(stored.id)])
        }
        var previous: PresenceBaseline?
        if let asOf = stored.asOf {
            let before = known.flatMap { $0.query == query && $0.revision == stored.revision ? $0.series : nil }
            previous = PresenceBaseline(query: query, asOf: asOf, revision: stored.revision,
                                        series: try before ?? keys(of: stored.id, where: .answered, in: db))
        }
        let before = previous?.series ?? []
        let drop = try db.prepare("DELETE FROM watch_baseline_series WHERE baseline_id = ? AND series_key = ?")
        for key in before where !present.contains(key) {
            try drop.bind([.integer(stored.id), .text(key.description)])
            try drop.run()
        }
        let add = try db.prepare("""
            INSERT INTO watch_baseline_series (baseline_id, series_key, answered) VALUES (?1, ?2, 1)
            ON CONFLICT(baseline_id, series_key) DO UPDATE SET answered = 1
            """)
        for key in present where !before.contains(key) {
            try add.bind([.integer(stored.id), .text(key.description)])
            try add.run()
        }
        let revision = stored.revision + 1
        try db.run("""
            UPDATE watch_baselines SET as_of_ms = ?2, answered = ?3, catching_up = 0, revision = ?4, updated_ms = ?5 WHERE id = ?1
            """, [.integer(stored.id), .integer(end), .integer(Int64(present.count)), .integer(revision), .integer(now.unixMilliseconds)])
        return Replacement(previous: previous, current: PresenceBaseline(query: query, asOf: end, revision: revision, series: present))
    }

    /// The stored baseline of `query`, if it has one (for tests and inspection).
    package static func baseline(query: String, in db: Database) throws -> PresenceBaseline? {
        guard let row = try db.query("SELECT id, as_of_ms, revision FROM watch_baselines WHERE query = ?", [.text(query)]).first,
              let id = row[0].int64, let asOf = row[1].int64 else { return nil }
        return PresenceBaseline(query: query, asOf: asOf, revision: row[2].int64 ?? 0, series: try keys(of: id, where: .answered, in: db))
    }

    /// The query's header row, created when missing.
    private static func header(query: String, at now: Date, in db: Database) throws -> (id: Int64, asOf: Int64?, revision: Int64, catchingUp: Int64) {
        try db.run("INSERT INTO watch_baselines (query, updated_ms) VALUES (?, ?) ON CONFLICT(query) DO NOTHING",
                   [.text(query), .integer(now.unixMilliseconds)])
        guard let row = try db.query("SELECT id, as_of_ms, revision, catching_up FROM watch_baselines WHERE query = ?", [.text(query)]).first,
              let id = row[0].int64 else {
            throw SimpleFailure(.software, "the absent-data baseline of \(query) was not stored")
        }
        return (id, row[1].int64, row[2].int64 ?? 0, row[3].int64 ?? 0)
    }

    /// What a series row says of its series.
    private enum Flag: String {
        case answered
        case catchingUp = "catching_up"
    }

    /// The series of a baseline whose row has `flag` set. A key that no longer parses (written by a
    /// newer notation) is left out: at worst one series is not reported once.
    private static func keys(of id: Int64, where flag: Flag, in db: Database) throws -> Set<SeriesKey> {
        let statement = try db.prepare("SELECT series_key FROM watch_baseline_series WHERE baseline_id = ? AND \(flag.rawValue) = 1")
        try statement.bind([.integer(id)])
        defer { statement.reset() }
        var keys = Set<SeriesKey>()
        while try statement.step() {
            if let text = statement.text(0), let key = SeriesKey(notation: text) { keys.insert(key) }
        }
        return keys
    }
}
