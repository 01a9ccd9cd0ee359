import Foundation

/// Settling recent points (`recent_points`, see `Schema.recentPointsMigrations`) into the stored history.
extension SeriesStore {
    /// Moves one series' recent points into `points`. Every write into `points` for an existing series
    /// does this first, so the two tables never hold the same point and recent points stay the newest.
    static func settleRecentPoints(seriesID: Int64, in db: Database) throws {
        try moveRecentPoints(ids: seriesID, seriesID + 1, in: db)
    }

    /// Moves the recent points of slice `slice` of `slices` of the series (by id range) into `points`;
    /// returns how many moved. A watcher settles the next slice on each pass: each series' newest history
    /// page is then rewritten once every `slices` passes instead of on every pass. Call inside a write
    /// transaction.
    @discardableResult
    package static func settleRecentPoints(slice: Int, of slices: Int, in db: Database) throws -> Int {
        guard slices > 0, let highest = try db.scalar("SELECT max(series_id) FROM recent_points")?.int64 else { return 0 }
        let width = highest / Int64(slices) + 1
        let low = Int64(slice % slices) * width
        return try moveRecentPoints(ids: low, low + width, in: db)
    }

    /// Moves the recent points of the series with ids in [low, high) into `points`. Both statements walk
    /// the primary key's range in order: one contiguous stretch of each table.
    @discardableResult
    private static func moveRecentPoints(ids low: Int64, _ high: Int64, in db: Database) throws -> Int {
        let range: [SQLValue] = [.integer(low), .integer(high)]
        let moved = try db.run("""
            INSERT OR REPLACE INTO points (series_id, ts, value)
            SELECT series_id, ts, value FROM recent_points WHERE series_id >= ?1 AND series_id < ?2
            """, range)
        if moved > 0 { try db.run("DELETE FROM recent_points WHERE series_id >= ?1 AND series_id < ?2", range) }
        return moved
    }

    /// Settles the next slice of `slices` in turn (the turn is kept in the database, so every process
    /// writing live points continues it) and returns how many points moved. Call inside a write transaction.
    @discardableResult
    package static func settleNextRecentSlice(of slices: Int, in db: Database) throws -> Int {
        let slice = Int(try db.scalar("SELECT next_slice FROM recent_points_cursor WHERE id = 1")?.int64 ?? 0)
        let moved = try settleRecentPoints(slice: slice, of: slices, in: db)
        try db.run("UPDATE recent_points_cursor SET next_slice = ? WHERE id = 1", [.integer(Int64((slice + 1) % max(slices, 1)))])
        return moved
    }

    /// How many points wait in `recent_points`.
    package static func recentPointCount(in db: Database) throws -> Int {
        Int(try db.scalar("SELECT count(*) FROM recent_points")?.int64 ?? 0)
    }
}
