import AuroraConfig
import AuroraCore
@testable import AuroraOperations
import AuroraStore
import AuroraTestSupport
import Foundation
import Testing

/// While a live source catches up over several passes, a query with fewer series reads further each pass
/// than one with many: an incident in the span only some queries have read is not diagnosed (nor
/// remediated) until all have. A real store, generated series: db's latency rises first, then checkout's
/// errors; db's query is the one behind.
@Suite struct CatchUpDiagnosisTests {
    /// Ten-second points over two hours: db's latency rises from point 640, checkout's errors and latency from 660.
    static func series(dbUntil: Int) -> [Series] {
        let start = FixedClock().now().unixMilliseconds - 7_200_000
        let specs: [(String, String, Double, Double, Int, Int)] = [
            ("latency_seconds", "db", 0.05, 1.0, 640, dbUntil), ("latency_seconds", "checkout", 0.2, 2.0, 660, 700),
            ("errors_total", "checkout", 1, 40, 660, 700), ("requests_total", "checkout", 100, 0, 660, 700)]
        return specs.map { name, service, level, fault, from, until in
            var series = Series(key: SeriesKey(name: name, labels: ["service": service]))
            for index in 0..<until {
                var state = UInt64(index) &* 6_364_136_223_846_793_005 &+ UInt64(name.utf8.count + service.utf8.count) &* 1_442_695_040_888_963_407
                state ^= state >> 33
                let noise = (Double(state % 1_000) / 1_000 - 0.5) * level * 0.05
                series.append(timestamp: start + Int64(index) * 10_000, value: level + noise + (index >= from ? fault : 0))
            }
            return series
        }
    }

    /// The time of point `index` of `series`.
    static func time(_ index: Int) -> Date { Date(unixMilliseconds: FixedClock().now().unixMilliseconds - 7_200_000 + Int64(index) * 10_000) }

    static func pass(_ context: OperationsContext, completeThrough: Date?) async throws -> HealingPass.IncidentStep {
        var pass = HealingPass(context: context, dryRun: false, actor: "aurora")
        pass.rediagnoseAfter = 300
        pass.sourceCompleteThrough = completeThrough
        let steps = try await pass.run().steps
        #expect(steps.count == 1)
        return try #require(steps.first)
    }

    /// What the loop concluded when it diagnosed on a partial catch-up: checkout, more confidently than
    /// the right answer, because db's rise (which came first) was not stored yet.
    @Test func withoutWaitingAPartialCatchUpNamesTheWrongService() async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let clock = FixedClock()
        let context = try DiagnosisReuseTests.context(folder, clock: clock)
        try DiagnosisReuseTests.store(Self.series(dbUntil: 600), context)
        let partial = try await Self.pass(context, completeThrough: nil)
        #expect(partial.diagnosis.hasPrefix("root cause checkout"), "\(partial.diagnosis)")
        try DiagnosisReuseTests.store(Self.series(dbUntil: 700), context)
        clock.advance(600)
        let whole = try await Self.pass(context, completeThrough: nil)
        #expect(whole.diagnosis.hasPrefix("root cause db"), "\(whole.diagnosis)")
    }

    /// The same incident while db's query is still catching up: not diagnosed, nothing decided or recorded,
    /// until every query has read past it; then db is named.
    @Test func anIncidentPastWhatEveryQueryHasReadWaitsForTheCatchUp() async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let clock = FixedClock()
        let context = try DiagnosisReuseTests.context(folder, clock: clock)
        try DiagnosisReuseTests.store(Self.series(dbUntil: 600), context)
        let waiting = try await Self.pass(context, completeThrough: Self.time(599))
        #expect(waiting.diagnosis == "not diagnosed: the source is catching up: all its queries are read up to "
                + "\(CivilTime.iso(Self.time(599).unixMilliseconds)), the incident reaches past it")
        #expect(waiting.outcome == "waiting for the source to catch up" && waiting.action == nil && waiting.confidence == nil)
        let incident = try #require(try context.store.database.read { try IncidentStore.get(waiting.incident, in: $0) })
        #expect(incident.status == .open && incident.diagnosis == nil)
        #expect(try context.store.database.read { try RemediationStore.list(in: $0) }.isEmpty)
        #expect(try DiagnosisReuseTests.diagnosed(context).recorded == nil, "no basis: the next pass diagnoses it")

        // db's query caught up.
        try DiagnosisReuseTests.store(Self.series(dbUntil: 700), context)
        clock.advance(60)
        let diagnosed = try await Self.pass(context, completeThrough: nil)
        #expect(diagnosed.diagnosis.hasPrefix("root cause db"), "\(diagnosed.diagnosis)")
    }

    /// An incident that ended before what every query has read is diagnosed as usual while the catch-up goes on.
    @Test func anIncidentEveryQueryHasReadIsDiagnosedDuringTheCatchUp() async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let context = try DiagnosisReuseTests.context(folder, clock: FixedClock())
        try DiagnosisReuseTests.store(Self.series(dbUntil: 700), context)
        let step = try await Self.pass(context, completeThrough: Self.time(699))
        #expect(step.diagnosis.hasPrefix("root cause db"), "\(step.diagnosis)")
    }
}
