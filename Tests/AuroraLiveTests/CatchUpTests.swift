import AuroraCore
import AuroraLive
import AuroraPrometheus
import AuroraStore
import AuroraTestSupport
import Foundation
import Testing

/// A long catch-up read in sub-windows bounded by their expected answer size, each stored before the
/// next is asked, against a fake Prometheus that answers any window from a rule.
@Suite struct CatchUpTests {
    static let step: Int64 = 1_000
    static let start = Date(timeIntervalSince1970: 1_700_000_000)

    /// A Prometheus whose series `s0`, `s1`, … each have the value 1 at every step where `present`
    /// says so; a request starting at or after `failFrom` (ms) is refused.
    static func server(_ names: [String], failFrom: Int64 = .max,
                       present: @escaping @Sendable (String, Int64) -> Bool = { _, _ in true }) -> FakeHTTPTransport {
        FakeHTTPTransport(answer: { request in
            let from = milliseconds(request, "start")
            let to = milliseconds(request, "end")
            if from >= failFrom {
                return .success(HTTPResponseData(status: 400, body: Array(#"{"status":"error","errorType":"bad_data","error":"refused"}"#.utf8)))
            }
            let result = names.compactMap { name -> String? in
                let times = stride(from: from, through: to, by: Int(step)).filter { present(name, $0) }
                guard !times.isEmpty else { return nil }
                let values = times.map { "[\(Double($0) / 1000),\"1\"]" }.joined(separator: ",")
                return #"{"metric":{"__name__":"m","id":"\#(name)"},"values":[\#(values)]}"#
            }
            let body = #"{"status":"success","data":{"resultType":"matrix","result":[\#(result.joined(separator: ","))]}}"#
            return .success(HTTPResponseData(status: 200, body: Array(body.utf8)))
        })
    }

    static func reader(_ transport: FakeHTTPTransport, backfill: Double, budget: Int, rounds: Int = 100) throws -> LiveIngest {
        let source = PrometheusSource(url: "http://prom.example", stepMilliseconds: step, queries: [PrometheusQuery(query: "m")])
        var reader = LiveIngest(pull: try PrometheusPull.make(source: source, transport: transport, environment: [:],
                                                               retry: BackoffPolicy(attempts: 1)).pull, backfill: backfill)
        reader.pointBudget = budget
        reader.maximumRoundsPerPass = rounds
        return reader
    }

    static func names(_ count: Int) -> [String] { (0..<count).map { "s\($0)" } }

    /// A time field of a form-encoded request (`start=1700000000.5`), in milliseconds.
    static func milliseconds(_ request: HTTPRequestData, _ field: String) -> Int64 {
        let body = String(decoding: request.body ?? [], as: UTF8.self)
        for pair in body.split(separator: "&") where pair.hasPrefix(field + "=") {
            let seconds = Double(pair.dropFirst(field.count + 1)) ?? 0
            return Int64((seconds * 1000).rounded())
        }
        return 0
    }

    /// (start, end) of each request, in milliseconds.
    static func asked(_ transport: FakeHTTPTransport) -> [(Int64, Int64)] {
        transport.requests.map { (milliseconds($0, "start"), milliseconds($0, "end")) }
    }

    static func storedTimestamps(_ store: Store) throws -> [String: [Int64]] {
        try store.database.read { db in
            var result: [String: [Int64]] = [:]
            for series in try SeriesStore.list(in: db) {
                result[series.key.description] = try SeriesStore.points(seriesID: series.id, in: db).timestamps
            }
            return result
        }
    }

    @Test func aLongWindowWithManySeriesIsReadInRequestsWithinTheBudgetAndStoredWhole() async throws {
        let folder = try TemporaryDirectory("aurora-catchup")
        defer { folder.remove() }
        let store = try Store(path: folder.file("a.db"))
        let fake = Self.server(Self.names(10))
        var reader = try Self.reader(fake, backfill: 100, budget: 50)
        let outcome = try await reader.pass(store: store, now: Self.start)
        let asked = Self.asked(fake)
        // Unknown at first: one step (10,000 series assumed), then 5 steps of 10 series per request.
        #expect(asked.count == 21)
        for (from, to) in asked { #expect(((to - from) / Self.step + 1) * 10 <= 50) }
        for (earlier, later) in zip(asked, asked.dropFirst()) { #expect(later.0 == earlier.1 + Self.step) }
        #expect(outcome.stored.newPoints == 101 * 10)
        #expect(outcome.pull.points == 101 * 10)
        #expect(outcome.catchingUp.isEmpty)
        #expect(outcome.seriesWatched == 10)
        let watermarks = try store.database.read { try WatchStateStore.watermarks(in: $0) }
        #expect(watermarks["m"] == Self.start.unixMilliseconds)
    }

    @Test func aPassReadsAtMostItsRoundsAndTheNextGoesOnFromTheWatermark() async throws {
        let folder = try TemporaryDirectory("aurora-catchup")
        defer { folder.remove() }
        let store = try Store(path: folder.file("a.db"))
        let fake = Self.server(Self.names(10))
        var reader = try Self.reader(fake, backfill: 100, budget: 50, rounds: 4)
        let first = try await reader.pass(store: store, now: Self.start)
        #expect(fake.requests.count == 4)
        #expect(first.catchingUp.count == 1)
        #expect(first.catchingUp.first?.read == 4)
        // 1 + 3 × 5 steps read; 85 left, 5 a request.
        #expect(first.catchingUp.first?.total == 4 + 17)
        // What is stored ends 85 steps before now: the next pass starts one step after it.
        #expect(first.catchingUp.first?.behind == 85 * Self.step)
        #expect(first.catchingUp.first?.readUntil == Self.start.unixMilliseconds - 85 * Self.step)
        #expect(first.completeThrough == Self.start.unixMilliseconds - 85 * Self.step)
        let second = try await reader.pass(store: store, now: Self.start)
        #expect(first.stored.newPoints == 16 * 10)
        #expect(Self.asked(fake)[4].0 == Self.start.unixMilliseconds - 84 * Self.step)
        #expect(second.stored.newPoints == 20 * 10 && second.stored.unchangedPoints == 0)
        #expect(second.catchingUp.first?.total == 4 + 13)
        let stored = try Self.storedTimestamps(store)
        #expect(stored.count == 10)
        #expect(stored.values.allSatisfy { $0.count == 16 + 20 })
    }

    @Test func aFailureOnTheSecondSubWindowKeepsTheFirstAndTheNextPassResumesWithoutGapOrDuplicate() async throws {
        let folder = try TemporaryDirectory("aurora-catchup")
        defer { folder.remove() }
        let store = try Store(path: folder.file("a.db"))
        let now = Self.start.unixMilliseconds
        let firstStart = now - 100_000
        // The first request reads one step; the second (from one step later) is refused.
        let failing = Self.server(Self.names(10), failFrom: firstStart + Self.step)
        var reader = try Self.reader(failing, backfill: 100, budget: 50)
        let first = try await reader.pass(store: store, now: Self.start)
        #expect(failing.requests.count == 2)
        #expect(first.pull.errors.count == 1)
        #expect(first.stored.newPoints == 10)
        let afterFirst = try store.database.read { try WatchStateStore.watermarks(in: $0) }
        #expect(afterFirst["m"] == firstStart)

        let healthy = Self.server(Self.names(10))
        var next = try Self.reader(healthy, backfill: 100, budget: 50)
        next.keepBaseline(from: reader)
        let second = try await next.pass(store: store, now: Self.start)
        #expect(Self.asked(healthy).first?.0 == firstStart + Self.step)
        #expect(second.pull.errors.isEmpty)
        #expect(second.stored.newPoints == 100 * 10)
        #expect(second.stored.unchangedPoints == 0 && second.stored.updatedPoints == 0)
        let stored = try Self.storedTimestamps(store)
        #expect(stored.count == 10)
        #expect(stored.values.allSatisfy { $0 == Array(stride(from: firstStart, through: now, by: Int(Self.step))) })
    }

    @Test func aSeriesMissingFromOneSubWindowButInAnotherHasNotDisappeared() async throws {
        let folder = try TemporaryDirectory("aurora-catchup")
        defer { folder.remove() }
        let store = try Store(path: folder.file("a.db"))
        let t0 = Self.start.unixMilliseconds
        // The baseline: all four series in the first pass's answer.
        var reader = try Self.reader(Self.server(["a", "b", "c", "d"]), backfill: 5, budget: 40)
        _ = try await reader.pass(store: store, now: Self.start)
        #expect(reader.lastSeen["m"]?.count == 4)
        // A 100-second catch-up: `a` only comes back late, `b` is always there, `c` goes early, `d` is gone.
        let catchUp = Self.server(["a", "b", "c", "d"]) { name, time in
            switch name {
            case "a": time > t0 + 80_000
            case "b": true
            case "c": time < t0 + 20_000
            default: false
            }
        }
        var next = try Self.reader(catchUp, backfill: 5, budget: 40)
        next.keepBaseline(from: reader)
        let behind = try await next.pass(store: store, now: Self.start.addingTimeInterval(100))
        #expect(catchUp.requests.count >= 5, "the catch-up is read in sub-windows")
        #expect(behind.disappeared.map(\.description) == [#"m{id="d"}"#])
        // The pass after: `c` is missing from a whole answer now; `a` and `b` are there.
        var after = try Self.reader(catchUp, backfill: 5, budget: 40)
        after.keepBaseline(from: next)
        let settled = try await after.pass(store: store, now: Self.start.addingTimeInterval(102))
        #expect(settled.disappeared.map(\.description) == [#"m{id="c"}"#])
        let events = try store.database.read { try AnomalyEventStore.events(in: $0) }
        #expect(events.map(\.seriesKey).sorted() == [#"m{id="c"}"#, #"m{id="d"}"#])
    }
}
