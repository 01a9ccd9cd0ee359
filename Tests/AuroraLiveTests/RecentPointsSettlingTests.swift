import AuroraCore
import AuroraLive
import AuroraStore
import AuroraTestSupport
import Foundation
import Testing

/// Live points wait in the recent table and are settled into the history a slice of the series per
/// pass, in a turn the database keeps: one-pass runs (a new process each time) settle every slice too.
@Suite struct RecentPointsSettlingTests {
    @Test func passesOfFreshProcessesSettleEverySliceInTurnAndLoseNothing() async throws {
        let folder = try TemporaryDirectory("aurora-recent")
        defer { folder.remove() }
        let store = try Store(path: folder.file("a.db"))
        let fake = CatchUpTests.server(CatchUpTests.names(16))
        let secondsPerPass = 4.0
        let passes = 3 * LiveIngest.recentPointSlices
        for pass in 0...passes {
            // A new reader each pass: nothing carries over in memory, as with `aurora watch --once` from cron.
            var reader = try CatchUpTests.reader(fake, backfill: 20, budget: 100_000)
            _ = try await reader.pass(store: store, now: CatchUpTests.start.addingTimeInterval(Double(pass) * secondsPerPass))
        }
        let waiting = try store.database.read { db in
            try db.scalar("SELECT max(c) FROM (SELECT count(*) AS c FROM recent_points GROUP BY series_id)")?.int64 ?? 0
        }
        // A series waits at most one turn of the slices: about `slices` passes of points, never all of them.
        let perPass = Int64(secondsPerPass * 1000) / CatchUpTests.step
        #expect(waiting > 0)
        #expect(waiting <= Int64(LiveIngest.recentPointSlices) * perPass)
        #expect(try store.database.read { try SeriesStore.recentPointCount(in: $0) } < 16 * passes * Int(perPass))
        // Every point once, in order, through both tables.
        let stored = try CatchUpTests.storedTimestamps(store)
        #expect(stored.count == 16)
        for timestamps in stored.values {
            #expect(timestamps == Array(stride(from: timestamps[0], through: timestamps[timestamps.count - 1], by: Int(CatchUpTests.step))))
        }
        let summaries = try store.database.read { try SeriesStore.list(in: $0) }
        #expect(summaries.allSatisfy { $0.points == stored[$0.key.description]?.count })
    }
}
