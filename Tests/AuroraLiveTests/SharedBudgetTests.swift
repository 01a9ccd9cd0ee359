import AuroraCore
import AuroraLive
import AuroraPrometheus
import AuroraStore
import AuroraTestSupport
import Foundation
import Testing

/// Several queries catching up at once share one answer budget: a round's answers together stay within
/// it, so memory does not grow with the number of queries behind.
@Suite struct SharedBudgetTests {
    static let step: Int64 = 1_000

    static func points(_ plan: [Int: ClosedRange<Int64>], series: [Int: Int]) -> Int64 {
        plan.reduce(0) { $0 + steps($1.value) * Int64(series[$1.key] ?? 0) }
    }

    static func steps(_ window: ClosedRange<Int64>) -> Int64 { (window.upperBound - window.lowerBound) / step + 1 }

    @Test func queriesEquallyBehindSplitTheBudget() {
        let demands = (0..<4).map { SubWindowPlan.Demand(index: $0, window: 0...999_000, series: 10) }
        let plan = SubWindowPlan.round(demands, budget: 200, step: Self.step)
        #expect(plan.count == 4)
        for index in 0..<4 { #expect(plan[index] == 0...4_000, "5 steps of 10 series: a quarter of 200") }
    }

    @Test func aQueryThatFitsItsShareReadsItsWholeWindowAndLeavesTheRestToTheOthers() {
        let demands = [SubWindowPlan.Demand(index: 0, window: 0...999_000, series: 10),
                       SubWindowPlan.Demand(index: 1, window: 990_000...999_000, series: 2),
                       SubWindowPlan.Demand(index: 2, window: 0...999_000, series: 10)]
        let plan = SubWindowPlan.round(demands, budget: 220, step: Self.step)
        // Query 1 needs 10 steps × 2 series = 20; the other two share the remaining 200.
        #expect(plan[1] == 990_000...999_000)
        #expect(plan[0] == 0...9_000)
        #expect(plan[2] == 0...9_000)
        #expect(Self.points(plan, series: [0: 10, 1: 2, 2: 10]) <= 220)
    }

    @Test func everyQueryReadsAtLeastOneStepEvenWhenOneStepEachIsOverTheBudget() {
        let demands = (0..<3).map { SubWindowPlan.Demand(index: $0, window: 0...99_000, series: 100) }
        let plan = SubWindowPlan.round(demands, budget: 50, step: Self.step)
        #expect(plan == [0: 0...0, 1: 0...0, 2: 0...0])
    }

    @Test func theBudgetHoldsForARoundHoweverManyQueriesAreBehind() {
        for count in [1, 2, 4, 8, 16] {
            let demands = (0..<count).map { SubWindowPlan.Demand(index: $0, window: 0...3_600_000, series: 1_000 + $0) }
            let plan = SubWindowPlan.round(demands, budget: 750_000, step: Self.step)
            #expect(plan.count == count)
            let series = Dictionary(uniqueKeysWithValues: demands.map { ($0.index, $0.series) })
            #expect(Self.points(plan, series: series) <= 750_000, "\(count) queries")
        }
    }

    /// A Prometheus answering each query with 10 series labelled by the query, a value at every step.
    static func server() -> FakeHTTPTransport { FakeHTTPTransport(answer: answer) }

    /// The answer of `server()` to one request.
    @Sendable static func answer(_ request: HTTPRequestData) -> Result<HTTPResponseData, HTTPTransportError> {
        let from = CatchUpTests.milliseconds(request, "start")
        let to = CatchUpTests.milliseconds(request, "end")
        let query = field(request, "query")
        let times = stride(from: from, through: to, by: Int(step))
        let values = times.map { "[\(Double($0) / 1000),\"1\"]" }.joined(separator: ",")
        let result = (0..<10).map { #"{"metric":{"__name__":"\#(query)","id":"s\#($0)"},"values":[\#(values)]}"# }
        let body = #"{"status":"success","data":{"resultType":"matrix","result":[\#(result.joined(separator: ","))]}}"#
        return .success(HTTPResponseData(status: 200, body: Array(body.utf8)))
    }

    static func field(_ request: HTTPRequestData, _ name: String) -> String {
        let body = String(decoding: request.body ?? [], as: UTF8.self)
        let pair = body.split(separator: "&").first { $0.hasPrefix(name + "=") }
        return pair.map { String($0.dropFirst(name.count + 1)) } ?? ""
    }

    @Test func fourQueriesCatchingUpTogetherStayWithinOneBudgetPerRoundAndStoreEverything() async throws {
        let folder = try TemporaryDirectory("aurora-catchup")
        defer { folder.remove() }
        let store = try Store(path: folder.file("a.db"))
        let fake = Self.server()
        let queries = (0..<4).map { PrometheusQuery(query: "q\($0)") }
        let source = PrometheusSource(url: "http://prom.example", stepMilliseconds: Self.step, queries: queries)
        var reader = LiveIngest(pull: try PrometheusPull.make(source: source, transport: fake, environment: [:],
                                                               retry: BackoffPolicy(attempts: 1)).pull, backfill: 100)
        reader.pointBudget = 200
        // One round a pass, so that each pass's requests are one round.
        reader.maximumRoundsPerPass = 1
        var passes = 0
        var seen = 0
        var behind: [LiveIngest.CatchUp] = []
        repeat {
            behind = try await reader.pass(store: store, now: CatchUpTests.start).catchingUp
            let round = Array(fake.requests.dropFirst(seen))
            seen = fake.requests.count
            passes += 1
            #expect(round.count <= 4)
            let points = round.reduce(Int64(0)) { total, request in
                total + Self.steps(CatchUpTests.milliseconds(request, "start")...CatchUpTests.milliseconds(request, "end")) * 10
            }
            // The first round knows no series count (one step each); every later one shares 200 points.
            #expect(points <= 200, "pass \(passes): \(points) points")
        } while !behind.isEmpty && passes < 100
        #expect(behind.isEmpty)
        // 1 step, then 100 steps at 5 a round (10 series × 5 steps × 4 queries = 200 points).
        #expect(passes == 21)
        let stored = try CatchUpTests.storedTimestamps(store)
        let now = CatchUpTests.start.unixMilliseconds
        #expect(stored.count == 40)
        #expect(stored.values.allSatisfy { $0 == Array(stride(from: now - 100_000, through: now, by: Int(Self.step))) })
        let watermarks = try store.database.read { try WatchStateStore.watermarks(in: $0) }
        #expect(queries.allSatisfy { watermarks[$0.query] == now })
    }

    @Test func theProgressShownCountsRoundsWithTheBudgetShared() async throws {
        let folder = try TemporaryDirectory("aurora-catchup")
        defer { folder.remove() }
        let store = try Store(path: folder.file("a.db"))
        let queries = (0..<2).map { PrometheusQuery(query: "q\($0)") }
        let source = PrometheusSource(url: "http://prom.example", stepMilliseconds: Self.step, queries: queries)
        var reader = LiveIngest(pull: try PrometheusPull.make(source: source, transport: Self.server(), environment: [:],
                                                               retry: BackoffPolicy(attempts: 1)).pull, backfill: 100)
        reader.pointBudget = 100
        reader.maximumRoundsPerPass = 3
        let outcome = try await reader.pass(store: store, now: CatchUpTests.start)
        // 1 step, then 5 steps a round for each (50 points of 10 series): 11 read, 90 left, 18 rounds.
        #expect(outcome.catchingUp.map(\.read) == [3, 3])
        #expect(outcome.catchingUp.map(\.total) == [3 + 18, 3 + 18])
        #expect(outcome.catchingUp.map(\.behind) == [90 * Self.step, 90 * Self.step])
    }
}
