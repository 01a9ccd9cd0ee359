import AuroraCore
import AuroraStore
import AuroraTestSupport
import Foundation
import Testing

/// The absent-data baseline in the database: what a new process compares with, never moved back by an
/// older answer, a stale copy never trusted, forgotten with its query, and written only where it changed.
@Suite struct PresenceBaselineStoreTests {
    let now = Date(timeIntervalSince1970: 1_800_000_000)

    static func keys(_ names: [String]) -> Set<SeriesKey> {
        Set(names.map { SeriesKey(name: "m", labels: ["id": $0, "service": "api"]) })
    }

    static func names(_ keys: Set<SeriesKey>?) -> [String] { (keys ?? []).compactMap { $0[label: "id"] }.sorted() }

    @Test func aNewProcessReadsWhatThePreviousOneStoredAndAnOlderAnswerChangesNothing() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let path = folder.file("b.db")
        let first = try Store(path: path).database
        let stored = try first.write {
            try PresenceBaselineStore.replace(query: "m", answered: Self.keys(["a", "b", "c"]), through: 1_000, known: nil, at: now, in: $0)
        }
        #expect(stored?.previous == nil, "the first complete answer only sets the baseline")
        // Another process, another connection: it compares with the stored baseline.
        let second = try Store(path: path).database
        let replaced = try #require(try second.write {
            try PresenceBaselineStore.replace(query: "m", answered: Self.keys(["a"]), through: 2_000, known: nil, at: now, in: $0)
        })
        #expect(Self.names(replaced.previous?.series) == ["a", "b", "c"] && replaced.previous?.asOf == 1_000)
        #expect(Self.names(replaced.current.series) == ["a"] && replaced.current.asOf == 2_000)
        // An answer that ends no later than the stored one (a process that read before another stored) is not news.
        let late = try first.write {
            try PresenceBaselineStore.replace(query: "m", answered: Self.keys(["a", "b", "c"]), through: 2_000, known: stored?.current, at: now, in: $0)
        }
        #expect(late == nil)
        // The first process's copy is outdated (revision moved): the stored series are read instead.
        let next = try #require(try first.write {
            try PresenceBaselineStore.replace(query: "m", answered: Self.keys(["a"]), through: 3_000, known: stored?.current, at: now, in: $0)
        })
        #expect(Self.names(next.previous?.series) == ["a"], "b and c left once, and are not reported again")
        #expect(try first.read { try PresenceBaselineStore.seriesCounts(in: $0) } == ["m": 1])
    }

    @Test func droppedSeriesLeaveEveryBaselineAndAreNotReportedAsGone() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let db = try Store(path: folder.file("b.db")).database
        let stored = try db.write { db in
            _ = try PresenceBaselineStore.replace(query: "other", answered: Self.keys(["a", "z"]), through: 1_000, known: nil, at: now, in: db)
            _ = try PresenceBaselineStore.noteCatchUp(query: "other", answered: Self.keys(["a"]), at: now, in: db)
            return try PresenceBaselineStore.replace(query: "m", answered: Self.keys(["a", "b", "c"]), through: 1_000, known: nil, at: now, in: db)
        }
        // The operator retires a and b (`aurora series drop`): from both queries' baselines and the catch-up
        // (a is one entry of `other`, answered and caught up alike).
        #expect(try db.write { try PresenceBaselineStore.forget(series: Self.keys(["a", "b"]), in: $0) } == 3)
        #expect(try db.read { try $0.scalar("SELECT catching_up FROM watch_baselines WHERE query = 'other'")?.int64 } == 0)
        #expect(try db.read { try PresenceBaselineStore.seriesCounts(in: $0) } == ["m": 1, "other": 1])
        #expect(Self.names(try db.read { try PresenceBaselineStore.baseline(query: "other", in: $0) }?.series) == ["z"])
        // The source stops answering them: nothing left, nothing to report. A copy taken before the drop is
        // not trusted (its revision moved).
        let next = try #require(try db.write {
            try PresenceBaselineStore.replace(query: "m", answered: Self.keys(["c"]), through: 2_000, known: stored?.current, at: now, in: $0)
        })
        #expect(Self.names(next.previous?.series) == ["c"], "a and b were retired, not lost")
        #expect(try db.write { try PresenceBaselineStore.forget(series: Self.keys(["q"]), in: $0) } == 0)
    }

    @Test func aCatchUpsSubWindowsAreOneAnswerWhicheverProcessReadThem() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let path = folder.file("b.db")
        let db = try Store(path: path).database
        _ = try db.write { try PresenceBaselineStore.replace(query: "m", answered: Self.keys(["a", "b", "c", "d"]), through: 1_000, known: nil, at: now, in: $0) }
        #expect(try db.write { try PresenceBaselineStore.noteCatchUp(query: "m", answered: Self.keys(["a", "b"]), at: now, in: $0) } == 2)
        #expect(try db.write { try PresenceBaselineStore.noteCatchUp(query: "m", answered: Self.keys(["b", "c"]), at: now, in: $0) } == 3)
        // The catch-up ends in another process: its last sub-window holds only b.
        let other = try Store(path: path).database
        let ended = try #require(try other.write {
            try PresenceBaselineStore.replace(query: "m", answered: Self.keys(["b"]), through: 9_000, known: nil, at: now, in: $0)
        })
        #expect(Self.names(ended.current.series) == ["a", "b", "c"])
        #expect(Self.names(ended.previous?.series.subtracting(ended.current.series)) == ["d"])
        // The catch-up's marks are cleared: the next answer is compared with the baseline alone.
        let after = try #require(try other.write {
            try PresenceBaselineStore.replace(query: "m", answered: Self.keys(["b"]), through: 10_000, known: ended.current, at: now, in: $0)
        })
        #expect(Self.names(after.current.series) == ["b"])
        #expect(try db.scalar("SELECT count(*) FROM watch_baseline_series")?.int64 == 1)
    }

    @Test func anEditedOrRemovedQuerysBaselineIsForgotten() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let db = try Store(path: folder.file("b.db")).database
        for query in ["m", "n"] {
            _ = try db.write { try PresenceBaselineStore.replace(query: query, answered: Self.keys(["a", "b"]), through: 1_000, known: nil, at: now, in: $0) }
        }
        #expect(try db.write { try PresenceBaselineStore.forget(queriesOtherThan: ["m", #"n{job="x"}"#], in: $0) } == 1)
        #expect(try db.read { try PresenceBaselineStore.baseline(query: "n", in: $0) } == nil)
        #expect(Self.names(try db.read { try PresenceBaselineStore.baseline(query: "m", in: $0) }?.series) == ["a", "b"])
        #expect(try db.scalar("SELECT count(*) FROM watch_baseline_series")?.int64 == 2, "the forgotten query's series rows went with it")
    }

    @Test func anUnchangedAnswerRewritesOnlyTheQuerysRow() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let db = try Store(path: folder.file("b.db")).database
        let series = Self.keys((0..<500).map { "s\($0)" })
        var known = try db.write { try PresenceBaselineStore.replace(query: "m", answered: series, through: 1_000, known: nil, at: now, in: $0) }?.current
        let before = try db.scalar("SELECT total_changes()")?.int64 ?? 0
        known = try db.write { try PresenceBaselineStore.replace(query: "m", answered: series, through: 2_000, known: known, at: now, in: $0) }?.current
        let changes = (try db.scalar("SELECT total_changes()")?.int64 ?? 0) - before
        #expect(changes <= 2, "\(changes) rows written for an unchanged answer of 500 series")
        #expect(known?.series.count == 500 && known?.asOf == 2_000)
    }
}
