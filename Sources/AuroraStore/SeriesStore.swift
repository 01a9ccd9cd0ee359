import AuroraCore
import Foundation

/// A stored series' summary.
package struct StoredSeries: Sendable, Equatable {
    package var id: Int64
    package var key: SeriesKey
    package var service: String?
    package var first: Int64?
    package var last: Int64?
    package var points: Int
    package var stepMilliseconds: Int64?

    package init(id: Int64, key: SeriesKey, service: String?, first: Int64?, last: Int64?, points: Int, stepMilliseconds: Int64?) {
        self.id = id
        self.key = key
        self.service = service
        self.first = first
        self.last = last
        self.points = points
        self.stepMilliseconds = stepMilliseconds
    }
}

/// What storing a batch of series changed.
package struct StoreWriteSummary: Sendable, Equatable {
    /// Points that were not stored before.
    package var newPoints = 0
    /// Points already stored with the same timestamp whose value changed.
    package var updatedPoints = 0
    /// Points already stored exactly as given.
    package var unchangedPoints = 0
    /// Series created by this write.
    package var newSeries = 0

    package init() {}

    /// Adds another write's counts (several transactions of one ingest).
    package mutating func add(_ other: StoreWriteSummary) {
        newPoints += other.newPoints
        updatedPoints += other.updatedPoints
        unchangedPoints += other.unchangedPoints
        newSeries += other.newSeries
    }
}

/// Series and points in the database. Storing is idempotent: a point is identified by its series
/// and timestamp, so ingesting the same dump twice stores each point once.
package enum SeriesStore {
    /// Rows per multi-row INSERT: one statement step per batch instead of per point (SQLite allows 32766
    /// bound parameters; 3 × 256 stays far below).
    static let batchSize = 256
    /// Points from which a write counts as a bulk load (a large page cache for its duration).
    static let bulkPoints = 1_000_000

    /// Stores every series; call inside one write transaction so a failure stores nothing.
    ///
    /// With `recent`, points that only extend a series (all after its newest point: what a live pass
    /// brings) go to `recent_points`, to be settled later (`settleRecentPoints`); any other write to a
    /// series first settles its recent points, so that a point is only ever in one table and the recent
    /// ones are the newest.
    package static func store(_ series: [Series], serviceLabel: String, at now: Date, recent: Bool = false,
                              in db: Database) throws -> StoreWriteSummary {
        var summary = StoreWriteSummary()
        // Bulk loads touch many pages; a larger page cache for this connection keeps the B-tree's inner
        // pages in memory (64 MiB; the default is 2 MiB) — for a bulk write, and for it only: a live
        // pass's few points per series do not need it, and kept, it filled up over a few passes of a
        // long-running watcher (whose memory grew from 150 to 220 MB).
        let previousCacheSize = try db.scalar("PRAGMA cache_size")?.int64 ?? -2_000
        if series.reduce(0, { $0 + $1.count }) >= bulkPoints { try db.execute("PRAGMA cache_size = -65536") }
        // PRAGMA takes no bound parameters; the value is the integer SQLite itself reported.
        defer { try? db.execute("PRAGMA cache_size = \(previousCacheSize)") }
        let updates = (history: try updateStatement(table: "points", in: db), recent: try updateStatement(table: "recent_points", in: db))
        for item in series where !item.isEmpty {
            let row = try seriesRow(for: item.key, serviceLabel: serviceLabel, at: now, in: db)
            let id = row.id
            if row.created { summary.newSeries += 1 }
            let newBefore = summary.newPoints
            let extends = !row.created && row.last.map { last in item.timestamps.allSatisfy { $0 > last } } ?? false
            let toRecent = recent && extends
            if !toRecent && !row.created { try settleRecentPoints(seriesID: id, in: db) }
            let update = toRecent ? updates.recent : updates.history
            try item.timestamps.withUnsafeBufferPointer { timestamps in
                try item.values.withUnsafeBufferPointer { values in
                    var start = 0
                    while start < timestamps.count {
                        let end = min(start + batchSize, timestamps.count)
                        // One multi-row INSERT for the batch, whatever its size: a live pass brings a few points
                        // to each of thousands of series, and a statement step per point was most of its writing.
                        let batch = try db.prepare(insertSQL(rows: end - start, recent: toRecent))
                        var parameter: Int32 = 1
                        for index in start..<end {
                            batch.bindInt64(id, at: parameter)
                            batch.bindInt64(timestamps[index], at: parameter + 1)
                            batch.bindDouble(values[index], at: parameter + 2)
                            parameter += 3
                        }
                        try batch.step()
                        batch.reset()
                        if db.changes == end - start {
                            summary.newPoints += end - start
                            start = end
                            continue
                        }
                        // Some points were stored before: redo this batch point by point to tell new,
                        // updated and unchanged apart (the batch's new rows are now "unchanged", so
                        // count them from the batch's own result).
                        let inserted = db.changes
                        summary.newPoints += inserted
                        var unchangedSeen = 0
                        for index in start..<end {
                            try updatePoint(update, id: id, timestamp: timestamps[index], value: values[index], db: db,
                                            summary: &summary, unchanged: &unchangedSeen)
                        }
                        summary.unchangedPoints += unchangedSeen - inserted
                        start = end
                    }
                }
            }
            try updateSummary(row, inserted: summary.newPoints - newBefore, timestamps: item.timestamps, at: now, in: db)
        }
        return summary
    }

    /// The UPDATE of one stored point's value in `table`, when it changed.
    private static func updateStatement(table: String, in db: Database) throws -> Statement {
        try db.prepare("UPDATE \(table) SET value = ?3 WHERE series_id = ?1 AND ts = ?2 AND value IS NOT ?3")
    }

    /// The INSERT of `rows` (1...`batchSize`) points into `points` or, with `recent`, `recent_points`
    /// (the database keeps each size's statement prepared).
    static func insertSQL(rows: Int, recent: Bool = false) -> String {
        (recent ? recentInserts : historyInserts)[rows - 1]
    }

    /// Every size's INSERT text, written once: a live pass looks one up for each of thousands of series.
    private static let historyInserts = (1...batchSize).map { insertText(rows: $0, into: "points") }
    private static let recentInserts = (1...batchSize).map { insertText(rows: $0, into: "recent_points") }

    private static func insertText(rows: Int, into table: String) -> String {
        "INSERT OR IGNORE INTO \(table) (series_id, ts, value) VALUES " + Array(repeating: "(?, ?, ?)", count: rows).joined(separator: ", ")
    }

    /// Brings the series' summary up to date after a write. Points appended after the newest stored one
    /// (what every live pass does) update it in place: the count grows by the points inserted and the step,
    /// read from the first thousand points, cannot have changed once there are that many. Anything else
    /// (a new series, points before or among the stored ones) recomputes it from the points; counting
    /// every point on every pass made a pass cost grow with the history kept.
    /// `row` is the summary as it was before the write (storing points leaves the series row alone).
    private static func updateSummary(_ row: SeriesRow, inserted: Int, timestamps: [Int64], at now: Date, in db: Database) throws {
        guard !row.created, let newest = timestamps.max(), let oldest = timestamps.min(),
              let last = row.last, let stored = row.points, oldest > last else {
            return try refreshSummary(seriesID: row.id, at: now, in: db)
        }
        try db.run("UPDATE series SET last_ms = ?2, points = points + ?3, updated_ms = ?4 WHERE id = ?1",
                   [.integer(row.id), .integer(max(newest, last)), .integer(Int64(inserted)), .integer(now.unixMilliseconds)])
        if stored < stepSample, !extendsEvenly(from: last, step: row.step, with: timestamps) { try refreshStep(seriesID: row.id, in: db) }
    }

    /// Whether the appended points continue the series at its known step, gap after gap: more gaps equal
    /// to the most common one cannot change which is the most common, so the step needs no re-reading
    /// (re-reading up to a thousand points per series on every pass was most of a young series' write).
    private static func extendsEvenly(from last: Int64, step: Int64?, with timestamps: [Int64]) -> Bool {
        guard let step, step > 0 else { return false }
        var previous = last
        for timestamp in timestamps {
            guard timestamp - previous == step else { return false }
            previous = timestamp
        }
        return true
    }

    /// Points from which the step is read.
    static let stepSample: Int64 = 1001

    /// Updates a stored point whose value changed; counts it as updated or unchanged.
    private static func updatePoint(_ update: Statement, id: Int64, timestamp: Int64, value: Double, db: Database,
                                    summary: inout StoreWriteSummary, unchanged: inout Int) throws {
        update.bindInt64(id, at: 1)
        update.bindInt64(timestamp, at: 2)
        update.bindDouble(value, at: 3)
        try update.step()
        update.reset()
        if db.changes == 1 { summary.updatedPoints += 1 } else { unchanged += 1 }
    }

    /// A series' id and the summary `updateSummary` starts from.
    private struct SeriesRow {
        var id: Int64
        var created: Bool
        var last: Int64?
        var points: Int64?
        var step: Int64?
    }

    /// The series' row, created if new. The id and the summary come from one statement: a live pass
    /// looks up every series it stores, and a second SELECT per series was ten thousand statements a pass.
    private static func seriesRow(for key: SeriesKey, serviceLabel: String, at now: Date, in db: Database) throws -> SeriesRow {
        let text = key.description
        let lookup = try db.prepare("SELECT id, last_ms, points, step_ms FROM series WHERE key = ?")
        try lookup.bind([.text(text)])
        let found = try lookup.step() ? SeriesRow(id: lookup.int64(0), created: false, last: lookup.optionalInt64(1),
                                                 points: lookup.optionalInt64(2), step: lookup.optionalInt64(3)) : nil
        lookup.reset()
        if let found { return found }
        let labels = key.labels.map { "\($0.name)=\($0.value)" }.joined(separator: "\u{1F}")
        try db.run("INSERT INTO series (key, name, labels, service, updated_ms) VALUES (?, ?, ?, ?, ?)",
                   [.text(text), .text(key.name), .text(labels), .optional(key[label: serviceLabel]),
                    .integer(now.unixMilliseconds)])
        return SeriesRow(id: db.lastInsertRowID, created: true)
    }

    /// Recomputes first/last/count and the median step from the stored points.
    private static func refreshSummary(seriesID: Int64, at now: Date, in db: Database) throws {
        try db.run("""
            UPDATE series SET
                first_ms = (SELECT min(ts) FROM points WHERE series_id = ?1),
                last_ms = (SELECT max(ts) FROM points WHERE series_id = ?1),
                points = (SELECT count(*) FROM points WHERE series_id = ?1),
                updated_ms = ?2
            WHERE id = ?1
            """, [.integer(seriesID), .integer(now.unixMilliseconds)])
        try refreshStep(seriesID: seriesID, in: db)
    }

    /// The step: the most common gap between the first thousand points (cheap, and robust to gaps).
    private static func refreshStep(seriesID: Int64, in db: Database) throws {
        let stamps = try db.query("""
            SELECT ts FROM points WHERE series_id = ?1 UNION ALL SELECT ts FROM recent_points WHERE series_id = ?1 ORDER BY ts LIMIT ?2
            """, [.integer(seriesID), .integer(stepSample)])
            .compactMap { $0[0].int64 }
        if stamps.count >= 2 {
            var counts: [Int64: Int] = [:]
            for index in 1..<stamps.count { counts[stamps[index] - stamps[index - 1], default: 0] += 1 }
            let step = counts.max { ($0.value, -$0.key) < ($1.value, -$1.key) }?.key
            try db.run("UPDATE series SET step_ms = ? WHERE id = ?", [.optional(step), .integer(seriesID)])
        }
    }

    /// How many stored series have a point span (first to last point) that reaches into `from...to`, Unix
    /// milliseconds: when none does, no point lies in that window (one pass over the series table).
    package static func reaching(from: Int64, to: Int64, in db: Database) throws -> Int {
        Int(try db.scalar("SELECT COUNT(*) FROM series WHERE first_ms <= ?2 AND last_ms >= ?1", [.integer(from), .integer(to)])?.int64 ?? 0)
    }

    /// The timestamp of the newest stored point of any series (the data's "now"), or nil when empty.
    package static func newestPoint(in db: Database) throws -> Int64? {
        try db.scalar("SELECT max(last_ms) FROM series")?.int64
    }

    /// Stored series, optionally filtered by a predicate on the key, in key order.
    package static func list(in db: Database, where matches: (SeriesKey) -> Bool = { _ in true }) throws -> [StoredSeries] {
        try db.query("SELECT id, key, name, labels, service, first_ms, last_ms, points, step_ms FROM series ORDER BY key")
            .compactMap { row in
                // The key column is the key's notation, which reads back losslessly; the labels column is
                // a convenience copy joined by U+001F, which a label value may itself contain.
                let key = SeriesKey(notation: row[1].string ?? "")
                    ?? decodeKey(name: row[2].string ?? "", labels: row[3].string ?? "")
                guard matches(key) else { return nil }
                return StoredSeries(id: row[0].int64 ?? 0, key: key, service: row[4].string, first: row[5].int64,
                                    last: row[6].int64, points: Int(row[7].int64 ?? 0), stepMilliseconds: row[8].int64)
            }
    }

    /// The points of one series, optionally within [from, to): its history and its recent points (merged
    /// by SQLite in key order, without a sort).
    package static func points(seriesID: Int64, from: Int64? = nil, to: Int64? = nil, in db: Database) throws -> (timestamps: [Int64], values: [Double]) {
        let statement = try db.prepare("""
            SELECT ts, value FROM points WHERE series_id = ?1 AND ts >= ?2 AND ts < ?3
            UNION ALL SELECT ts, value FROM recent_points WHERE series_id = ?1 AND ts >= ?2 AND ts < ?3 ORDER BY ts
            """)
        try statement.bind([.integer(seriesID), .integer(from ?? Int64.min), .integer(to ?? Int64.max)])
        defer { statement.reset() }
        var timestamps: [Int64] = []
        var values: [Double] = []
        while try statement.step() {
            timestamps.append(statement.int64(0))
            values.append(statement.double(1))
        }
        return (timestamps, values)
    }

    /// The first point of a series after `time` (Unix ms), history or recent, or nil when it has none:
    /// when a series that stopped reporting came back.
    package static func firstPoint(seriesID: Int64, after time: Int64, in db: Database) throws -> Int64? {
        try db.scalar("""
            SELECT min(ts) FROM (SELECT min(ts) AS ts FROM points WHERE series_id = ?1 AND ts > ?2
                                 UNION ALL SELECT min(ts) FROM recent_points WHERE series_id = ?1 AND ts > ?2)
            """, [.integer(seriesID), .integer(time)])?.int64
    }

    /// Loads whole series (for detection and diagnosis over stored data).
    package static func load(_ stored: StoredSeries, from: Int64? = nil, to: Int64? = nil, in db: Database) throws -> Series {
        let (timestamps, values) = try points(seriesID: stored.id, from: from, to: to, in: db)
        return Series(key: stored.key, timestamps: timestamps, values: values)
    }

    /// Deletes series and their points; returns how many series were dropped.
    @discardableResult
    package static func drop(ids: [Int64], in db: Database) throws -> Int {
        var dropped = 0
        for id in ids {
            try db.run("DELETE FROM points WHERE series_id = ?", [.integer(id)])
            try db.run("DELETE FROM recent_points WHERE series_id = ?", [.integer(id)])
            dropped += try db.run("DELETE FROM series WHERE id = ?", [.integer(id)])
        }
        return dropped
    }

    static func decodeKey(name: String, labels: String) -> SeriesKey {
        let pairs = labels.split(separator: "\u{1F}").compactMap { part -> Label? in
            let pieces = part.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard pieces.count == 2 else { return nil }
            return Label(String(pieces[0]), String(pieces[1]))
        }
        return SeriesKey(name: name, labels: pairs)
    }
}
