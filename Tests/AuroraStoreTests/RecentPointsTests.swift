import AuroraCore
import AuroraStore
import AuroraTestSupport
import Foundation
import Testing

/// Points a watcher appends wait in `recent_points` until their slice is settled; every read sees them,
/// and no write ever leaves a point in both tables.
@Suite struct RecentPointsTests {
    let now = Date(timeIntervalSince1970: 1_800_000_000)
    let minute: Int64 = 60_000

    func sample(_ service: String, _ values: [Double], start: Int64) -> Series {
        Series(key: SeriesKey(name: "latency_ms", labels: ["service": service]),
               timestamps: values.indices.map { start + Int64($0) * minute }, values: values)
    }

    func store(_ series: [Series], recent: Bool, in db: Database) throws -> StoreWriteSummary {
        try db.write { try SeriesStore.store(series, serviceLabel: "service", at: now, recent: recent, in: $0) }
    }

    func count(_ table: String, _ db: Database) throws -> Int64 { try db.scalar("SELECT count(*) FROM \(table)")?.int64 ?? -1 }

    @Test func appendsWaitApartAndEveryReadSeesThem() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let db = try Store(path: folder.file("r.db")).database
        // A new series goes to the history; what extends it goes to the recent table.
        _ = try store([sample("a", [1, 2, 3], start: 0)], recent: true, in: db)
        #expect(try count("points", db) == 3 && count("recent_points", db) == 0)
        let appended = try store([sample("a", [4, 5], start: 3 * minute)], recent: true, in: db)
        #expect(appended.newPoints == 2)
        #expect(try count("points", db) == 3 && count("recent_points", db) == 2)
        let stored = try SeriesStore.list(in: db)[0]
        #expect(stored.points == 5 && stored.first == 0 && stored.last == 4 * minute && stored.stepMilliseconds == minute)
        let all = try SeriesStore.points(seriesID: stored.id, in: db)
        #expect(all.timestamps == (0..<5).map { Int64($0) * minute })
        #expect(all.values == [1, 2, 3, 4, 5])
        // A window across both tables.
        let window = try SeriesStore.points(seriesID: stored.id, from: 2 * minute, to: 4 * minute, in: db)
        #expect(window.values == [3, 4])
    }

    @Test func aWriteIntoTheHistorySettlesTheSeriesFirst() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let db = try Store(path: folder.file("r.db")).database
        _ = try store([sample("a", [1, 2, 3], start: 0)], recent: true, in: db)
        _ = try store([sample("a", [4, 5], start: 3 * minute)], recent: true, in: db)
        // A dump that overlaps the recent points, with one value changed and a point before them.
        let overlap = try store([sample("a", [2, 3, 40, 5, 6], start: minute)], recent: false, in: db)
        #expect(overlap.newPoints == 1 && overlap.updatedPoints == 1 && overlap.unchangedPoints == 3)
        #expect(try count("recent_points", db) == 0 && count("points", db) == 6)
        let stored = try SeriesStore.list(in: db)[0]
        #expect(stored.points == 6 && stored.last == 5 * minute)
        #expect(try SeriesStore.points(seriesID: stored.id, in: db).values == [1, 2, 3, 40, 5, 6])
        // Without `recent`, even an append goes to the history (and settles nothing it does not need to).
        _ = try store([sample("a", [7], start: 6 * minute)], recent: true, in: db)
        _ = try store([sample("a", [8], start: 7 * minute)], recent: false, in: db)
        #expect(try count("recent_points", db) == 0)
        #expect(try SeriesStore.points(seriesID: stored.id, in: db).values == [1, 2, 3, 40, 5, 6, 7, 8])
    }

    @Test func slicesSettleInTurnUntilNothingWaits() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let db = try Store(path: folder.file("r.db")).database
        let services = (0..<40).map { "s\($0)" }
        _ = try store(services.map { sample($0, [1, 2], start: 0) }, recent: true, in: db)
        _ = try store(services.map { sample($0, [3, 4, 5], start: 2 * minute) }, recent: true, in: db)
        #expect(try count("recent_points", db) == 120)
        var moved: [Int] = []
        for slice in 0..<4 {
            moved.append(try db.write { try SeriesStore.settleRecentPoints(slice: slice, of: 4, in: $0) })
            // Each slice moves whole series: what waits is always a multiple of a series' three points.
            #expect(try count("recent_points", db) % 3 == 0)
        }
        #expect(moved.reduce(0, +) == 120 && moved.allSatisfy { $0 > 0 })
        #expect(try count("recent_points", db) == 0 && count("points", db) == 200)
        for series in try SeriesStore.list(in: db) {
            #expect(try SeriesStore.points(seriesID: series.id, in: db).values == [1, 2, 3, 4, 5])
            #expect(series.points == 5)
        }
        #expect(try db.write { try SeriesStore.settleRecentPoints(slice: 0, of: 4, in: $0) } == 0)
    }

    @Test func droppingASeriesDropsItsRecentPoints() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let db = try Store(path: folder.file("r.db")).database
        _ = try store([sample("a", [1], start: 0), sample("b", [1], start: 0)], recent: true, in: db)
        _ = try store([sample("a", [2], start: minute), sample("b", [2], start: minute)], recent: true, in: db)
        let ids = try SeriesStore.list(in: db).filter { $0.service == "a" }.map(\.id)
        _ = try db.write { try SeriesStore.drop(ids: ids, in: $0) }
        #expect(try count("recent_points", db) == 1 && count("points", db) == 1)
    }

    /// Version 13 rebuilds the recent table without its foreign key: the points waiting in a version-12
    /// database survive the upgrade, read back in order, and later settle as before.
    @Test func recentPointsOfAVersion12DatabaseSurviveTheUpgrade() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let path = folder.file("r.db")
        do {
            let database = try Database(path: path)
            try Migrator.migrate(database, migrations: Schema.migrations.filter { $0.version <= 12 })
            _ = try store([sample("a", [1, 2], start: 0)], recent: true, in: database)
            // What version 12 held: the appended points waiting apart.
            try database.run("INSERT INTO recent_points (series_id, ts, value) VALUES (1, ?, 3), (1, ?, 4)", [.integer(2 * minute), .integer(3 * minute)])
        }
        let db = try Store(path: path).database
        #expect(try db.scalar("PRAGMA user_version")?.int64 == Int64(Schema.latestVersion))
        #expect(try db.query("PRAGMA foreign_key_list(recent_points)").isEmpty)
        #expect(try count("recent_points", db) == 2)
        #expect(try SeriesStore.points(seriesID: 1, in: db).values == [1, 2, 3, 4])
        #expect(try db.write { try SeriesStore.settleNextRecentSlice(of: 1, in: $0) } == 2)
        #expect(try count("recent_points", db) == 0 && count("points", db) == 4)
    }

    /// A watcher stopped for longer than the retention leaves recent points that are old: pruning counts
    /// and deletes them like any other.
    @Test func pruningReachesOldRecentPoints() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let db = try Store(path: folder.file("r.db")).database
        _ = try store([sample("a", [1, 2], start: 0)], recent: true, in: db)
        _ = try store([sample("a", [3, 4], start: 2 * minute)], recent: true, in: db)
        let id = try SeriesStore.list(in: db)[0].id
        #expect(try PointRetentionStore.count(series: id, olderThan: 3 * minute, in: db) == 3)
        let deleted = try db.write { try PointRetentionStore.delete(series: id, olderThan: 3 * minute, limit: 100, in: $0) }
        #expect(deleted == 3)
        #expect(try SeriesStore.points(seriesID: id, in: db).values == [4])
        let stored = try SeriesStore.list(in: db)[0]
        #expect(stored.points == 1 && stored.first == 3 * minute)
    }
}
