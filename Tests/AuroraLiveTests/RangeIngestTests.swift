import AuroraCore
import AuroraLive
import AuroraLiveLab
import AuroraPrometheus
import AuroraStore
import AuroraTestSupport
import Foundation
import Testing

/// `aurora ingest --prometheus` reads a long window in rounds of sub-windows within one answer budget,
/// each stored in its own transaction; a failure half-way keeps what was stored and says where to go on.
@Suite struct RangeIngestTests {
    static let step: Int64 = 1_000
    static let now = CatchUpTests.start.unixMilliseconds

    static func ingest(_ transport: FakeHTTPTransport, queries: Int, budget: Int) throws -> RangeIngest {
        let source = PrometheusSource(url: "http://prom.example", stepMilliseconds: step,
                                      queries: (0..<queries).map { PrometheusQuery(query: "q\($0)") })
        var ingest = RangeIngest(pull: try PrometheusPull.make(source: source, transport: transport, environment: [:],
                                                               retry: BackoffPolicy(attempts: 1)).pull)
        ingest.pointBudget = budget
        return ingest
    }

    /// Stores a round as `aurora ingest --prometheus` does: in one transaction of its own.
    static func storeRound(_ store: Store) -> (RangeIngest.Round) throws -> Void {
        { round in
            _ = try store.database.write { try SeriesStore.store(round.series, serviceLabel: "service", at: CatchUpTests.start, in: $0) }
        }
    }

    @Test func aLongWindowIsStoredRoundByRoundEachInItsOwnTransaction() async throws {
        let folder = try TemporaryDirectory("aurora-range")
        defer { folder.remove() }
        let store = try Store(path: folder.file("a.db"))
        let fake = SharedBudgetTests.server()
        var rounds: [RangeIngest.Round] = []
        let reports = try await Self.ingest(fake, queries: 2, budget: 100).run(window: (Self.now - 100_000)...Self.now) { round in
            try Self.storeRound(store)(round)
            rounds.append(round)
        }
        // 1 step each (series unknown), then 5 steps each a round (10 series, 100 points shared by 2).
        #expect(rounds.count == 21)
        #expect(rounds.map(\.number) == Array(1...21))
        #expect(rounds.dropFirst().allSatisfy { $0.points == 100 })
        #expect(rounds[1].estimatedTotal == 21)
        #expect(reports.map(\.points) == [1010, 1010])
        #expect(reports.map(\.window) == [(Self.now - 100_000)...Self.now, (Self.now - 100_000)...Self.now])
        let stored = try CatchUpTests.storedTimestamps(store)
        #expect(stored.count == 20)
        #expect(stored.values.allSatisfy { $0 == Array(stride(from: Self.now - 100_000, through: Self.now, by: Int(Self.step))) })
    }

    @Test func aFailureHalfWayKeepsTheStoredRoundsAndSaysWhereToStartAgain() async throws {
        let folder = try TemporaryDirectory("aurora-range")
        defer { folder.remove() }
        let store = try Store(path: folder.file("a.db"))
        let failFrom = Self.now - 100_000 + 11 * Self.step
        let fake = FakeHTTPTransport(answer: { request in
            if CatchUpTests.milliseconds(request, "start") >= failFrom {
                return .success(HTTPResponseData(status: 400, body: Array(#"{"status":"error","errorType":"bad_data","error":"refused"}"#.utf8)))
            }
            return SharedBudgetTests.answer(request)
        })
        var stored = 0
        await #expect {
            try await Self.ingest(fake, queries: 2, budget: 100).run(window: (Self.now - 100_000)...Self.now) { round in
                try Self.storeRound(store)(round)
                stored += 1
            }
        } throws: { error in
            guard let failure = error as? RangeIngest.Failure else { return false }
            return failure.roundsStored == 3 && failure.resumeFrom == failFrom && failure.window == failFrom...(failFrom + 4 * Self.step)
                && failure.error.kind == .configuration && failure.others.count == 1
        }
        #expect(stored == 3)
        let timestamps = try CatchUpTests.storedTimestamps(store)
        #expect(timestamps.count == 20)
        #expect(timestamps.values.allSatisfy { $0 == Array(stride(from: Self.now - 100_000, to: failFrom, by: Int(Self.step))) })
    }
}
