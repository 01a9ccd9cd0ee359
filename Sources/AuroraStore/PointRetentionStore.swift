import AuroraCore
import Foundation

/// Deleting old points (`watch.retention`, `aurora db prune`), in small batches: the database is shared
/// with operators' commands and the watcher's own pass, so no transaction holds the write lock long.
///
/// A series keeps its row, its detector state and its watermarks: only points go. Points the detectors
/// have not scored yet (after the series' oldest detector watermark) are never deleted, so a watcher that
/// was stopped for a while loses nothing it has still to look at; nor are the points after a detector's
/// last checkpoint, which the next run replays to rebuild its state.
package enum PointRetentionStore {
    /// Series that may hold points older than `cutoff` (milliseconds), with the cutoff that applies to
    /// each: `cutoff`, or the series' oldest detector watermark or checkpoint when that is earlier.
    package static func candidates(olderThan cutoff: Int64, in db: Database) throws -> [(series: Int64, cutoff: Int64)] {
        // `first_ms` is NULL after a series was emptied and then appended to (the append updates only the
        // newest end); such a series is a candidate once, and its first_ms is recomputed by the prune.
        try db.query("""
            SELECT s.id, min(?1, coalesce((SELECT min(watermark_ms) FROM detector_state d WHERE d.series_id = s.id), ?1),
                             coalesce((SELECT min(at_ms) FROM detector_checkpoints c WHERE c.series_id = s.id), ?1))
            FROM series s
            WHERE s.points > 0 AND (s.first_ms IS NULL OR s.first_ms < ?1)
            ORDER BY s.id
            """, [.integer(cutoff)]).map { ($0[0].int64 ?? 0, $0[1].int64 ?? cutoff) }
    }

    /// How many points of a series are older than `cutoff`.
    package static func count(series: Int64, olderThan cutoff: Int64, in db: Database) throws -> Int {
        Int(try db.scalar("""
            SELECT (SELECT count(*) FROM points WHERE series_id = ?1 AND ts < ?2) + (SELECT count(*) FROM recent_points WHERE series_id = ?1 AND ts < ?2)
            """, [.integer(series), .integer(cutoff)])?.int64 ?? 0)
    }

    /// Deletes at most `limit` of the oldest points of a series older than `cutoff`, and updates the
    /// series' summary (count, first point). Call inside a write transaction; returns the points deleted
    /// (fewer than `limit`: none older is left).
    package static func delete(series: Int64, olderThan cutoff: Int64, limit: Int, in db: Database) throws -> Int {
        // Recent points of a watcher stopped for longer than the retention can be old too: settled first,
        // everything below works on `points` alone.
        try SeriesStore.settleRecentPoints(seriesID: series, in: db)
        // The `limit`-th oldest old point bounds the batch: the primary key (series_id, ts) is unique, so
        // deleting below it deletes exactly `limit` rows, a range scan of consecutive pages.
        let bound = try db.scalar("SELECT ts FROM points WHERE series_id = ? AND ts < ? ORDER BY ts LIMIT 1 OFFSET ?",
                                  [.integer(series), .integer(cutoff), .integer(Int64(limit))])?.int64
        let deleted = try db.run("DELETE FROM points WHERE series_id = ? AND ts < ?", [.integer(series), .integer(bound ?? cutoff)])
        try db.run("""
            UPDATE series SET points = max(0, points - ?2), first_ms = (SELECT min(ts) FROM points WHERE series_id = ?1)
            WHERE id = ?1
            """, [.integer(series), .integer(Int64(deleted))])
        return deleted
    }
}
