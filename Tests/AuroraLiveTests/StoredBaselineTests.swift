import AuroraCore
import AuroraLive
import AuroraStore
import AuroraTestSupport
import Foundation
import Testing

/// `LiveIngest` with the baseline in the database: readers built afresh (as each process builds its
/// own) compare with what the previous one stored, a catch-up split between processes is still one
/// answer, and a baseline older than its lifetime is not compared.
@Suite struct StoredBaselineTests {
    static let start = CatchUpTests.start

    @Test func aCatchUpSplitBetweenProcessesIsOneAnswer() async throws {
        let folder = try TemporaryDirectory("aurora-stored-baseline")
        defer { folder.remove() }
        let path = folder.file("a.db")
        let t0 = Self.start.unixMilliseconds
        // The baseline: all four series, stored by a first process.
        var first = try CatchUpTests.reader(CatchUpTests.server(["a", "b", "c", "d"]), backfill: 5, budget: 40)
        _ = try await first.pass(store: try Store(path: path), now: Self.start)
        // 100 s later: `a` answers only early in the catch-up, `b` always, `c` only late, `d` never.
        let catchUp = CatchUpTests.server(["a", "b", "c", "d"]) { name, time in
            switch name {
            case "a": time < t0 + 10_000
            case "b": true
            case "c": time > t0 + 90_000
            default: false
            }
        }
        // A second process reads the first rounds of the catch-up and stops.
        var second = try CatchUpTests.reader(catchUp, backfill: 5, budget: 40, rounds: 3)
        let behind = try await second.pass(store: try Store(path: path), now: Self.start.addingTimeInterval(100))
        #expect(behind.catchingUp.count == 1 && behind.disappeared.isEmpty)
        #expect(behind.seriesWatched == 2, "a and b seen so far")
        // A third finishes it: `a` was in a sub-window the second read, so only `d` is gone.
        var third = try CatchUpTests.reader(catchUp, backfill: 5, budget: 40)
        let done = try await third.pass(store: try Store(path: path), now: Self.start.addingTimeInterval(100))
        #expect(done.catchingUp.isEmpty)
        #expect(done.disappeared.map(\.description) == [#"m{id="d"}"#])
        #expect(done.absences.first?.since == t0 + CatchUpTests.step, "missing since the first step after the stored baseline")
        #expect(third.lastSeen["m"].map { Set($0.map(\.description)) } == [#"m{id="a"}"#, #"m{id="b"}"#, #"m{id="c"}"#])
    }

    @Test func twoProcessesPassingAtOnceRecordADepartureOnce() async throws {
        let folder = try TemporaryDirectory("aurora-stored-baseline")
        defer { folder.remove() }
        let path = folder.file("a.db")
        let t0 = Self.start.unixMilliseconds
        let transport = CatchUpTests.server(["a", "b"]) { name, time in name == "a" || time <= t0 }
        var first = try CatchUpTests.reader(transport, backfill: 5, budget: 1_000_000)
        _ = try await first.pass(store: try Store(path: path), now: Self.start)
        // Two processes, each with its own connection, read and store the same window at once: whichever
        // commits second finds the baseline already as of its answer's end, or `b` already gone from it.
        let later = Self.start.addingTimeInterval(30)
        let reported = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<2 {
                group.addTask {
                    var reader = try CatchUpTests.reader(transport, backfill: 5, budget: 1_000_000)
                    return try await reader.pass(store: try Store(path: path), now: later).disappeared.count
                }
            }
            return try await group.reduce(into: [Int]()) { $0.append($1) }
        }
        #expect(reported.sorted() == [0, 1])
        let events = try Store(path: path).database.read { try AnomalyEventStore.events(in: $0) }
        #expect(events.map(\.seriesKey) == [#"m{id="b"}"#])
    }

    @Test func aBaselineOlderThanItsLifetimeIsReplacedWithoutReporting() async throws {
        let folder = try TemporaryDirectory("aurora-stored-baseline")
        defer { folder.remove() }
        let path = folder.file("a.db")
        let t0 = Self.start.unixMilliseconds
        let transport = CatchUpTests.server(["a", "b"]) { name, time in name == "a" || time <= t0 }
        var first = try CatchUpTests.reader(transport, backfill: 5, budget: 1_000)
        _ = try await first.pass(store: try Store(path: path), now: Self.start)
        // The next process starts two hours later, with a lifetime of one hour: `b` stopped too long ago to be news.
        var later = try CatchUpTests.reader(transport, backfill: 5, budget: 1_000_000)
        later.baselineLifetime = 3_600_000
        let outcome = try await later.pass(store: try Store(path: path), now: Self.start.addingTimeInterval(7_200))
        #expect(outcome.disappeared.isEmpty)
        let stored = try Store(path: path).database.read { try PresenceBaselineStore.baseline(query: "m", in: $0) }
        #expect(stored?.series.map(\.description) == [#"m{id="a"}"#] && stored?.asOf == t0 + 7_200_000)
    }
}
