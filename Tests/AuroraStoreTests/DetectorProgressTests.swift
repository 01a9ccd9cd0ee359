import AuroraCore
import AuroraStore
import AuroraTestSupport
import Foundation
import Testing

/// Watermarks and checkpoints of the detectors over stored series.
@Suite struct DetectorProgressTests {
    static func database(_ folder: TemporaryDirectory, migrations: [Migration] = Schema.migrations) throws -> Database {
        let database = try Database(path: folder.file("p.db"))
        try Migrator.migrate(database, migrations: migrations)
        try database.run("INSERT INTO series (id, key, name, updated_ms) VALUES (1, 'x', 'x', 0)")
        return database
    }

    /// The watermark moves only from the value this run read: a run that lost the race changes nothing.
    @Test func theWatermarkMovesOnlyFromWhatTheRunRead() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let db = try Self.database(folder)
        #expect(try AnomalyEventStore.advanceWatermark(seriesID: 1, detector: "d", from: nil, to: 10, in: db))
        #expect(try !AnomalyEventStore.advanceWatermark(seriesID: 1, detector: "d", from: nil, to: 20, in: db))
        #expect(try AnomalyEventStore.advanceWatermark(seriesID: 1, detector: "d", from: 10, to: 30, in: db))
        #expect(try !AnomalyEventStore.advanceWatermark(seriesID: 1, detector: "d", from: 10, to: 40, in: db))
        #expect(try AnomalyEventStore.progress(seriesID: 1, detector: "d", in: db) == .init(watermark: 30, checkpoint: nil))
        try AnomalyEventStore.saveCheckpoint(seriesID: 1, detector: "d", at: 30, state: [1, 2, 3], in: db)
        #expect(try AnomalyEventStore.advanceWatermark(seriesID: 1, detector: "d", from: 30, to: 50, in: db))
        let progress = try #require(try AnomalyEventStore.progress(seriesID: 1, detector: "d", in: db))
        #expect(progress.watermark == 50 && progress.checkpoint?.at == 30 && progress.checkpoint?.state == [1, 2, 3])
        #expect(try AnomalyEventStore.progress(seriesID: 1, detector: "other", in: db) == nil)
        // Points after the watermark: the state is read; none: it is not.
        #expect(try AnomalyEventStore.progress(seriesID: 1, detector: "d", newest: 60, in: db)?.checkpoint?.state == [1, 2, 3])
        #expect(try AnomalyEventStore.progress(seriesID: 1, detector: "d", newest: 50, in: db) == .init(watermark: 50, checkpoint: nil))
    }

    /// A database from before checkpoints keeps its detectors' state: it becomes the checkpoint at the watermark.
    @Test func stateSavedBeforeCheckpointsBecomesTheCheckpoint() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let db = try Self.database(folder, migrations: Schema.migrations.filter { $0.version <= 7 })
        try db.run("INSERT INTO detector_state (series_id, detector, watermark_ms, state) VALUES (1, 'd', 99, x'0A0B')")
        try Migrator.migrate(db)
        let progress = try #require(try AnomalyEventStore.progress(seriesID: 1, detector: "d", in: db))
        #expect(progress.watermark == 99 && progress.checkpoint?.at == 99 && progress.checkpoint?.state == [0x0A, 0x0B])
        #expect(try db.scalar("SELECT length(state) FROM detector_state")?.int64 == 0)
    }
}

/// The page cache a bulk write enlarges goes back to its size after the write (a long-running watcher
/// would otherwise keep 64 MiB of pages).
@Suite struct StoreCacheTests {
    @Test func theLargerPageCacheLastsOnlyForTheWrite() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let db = try Store(path: folder.file("c.db")).database
        let before = try db.scalar("PRAGMA cache_size")?.int64
        let series = Series(key: SeriesKey(name: "x"), timestamps: [1, 2, 3], values: [1, 2, 3])
        _ = try db.write { try SeriesStore.store([series], serviceLabel: "service", at: Date(), in: $0) }
        #expect(try db.scalar("PRAGMA cache_size")?.int64 == before)
    }
}

/// Retention never deletes the points a detector replays from its checkpoint.
@Suite struct RetentionKeepsReplayTests {
    @Test func theCutoffStopsAtTheOldestCheckpoint() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let db = try DetectorProgressTests.database(folder)
        try db.run("UPDATE series SET points = 10, first_ms = 0 WHERE id = 1")
        try AnomalyEventStore.saveState(seriesID: 1, detector: "d", watermark: 500, state: [1], in: db)
        #expect(try AnomalyEventStore.advanceWatermark(seriesID: 1, detector: "d", from: 500, to: 900, in: db))
        let candidates = try PointRetentionStore.candidates(olderThan: 800, in: db)
        #expect(candidates.map(\.series) == [1] && candidates.map(\.cutoff) == [500])
    }
}
