import AuroraConfig
import AuroraCore
@testable import AuroraOperations
import AuroraStore
import AuroraTestSupport
import Foundation
import Testing

/// `aurora watch` takes an open incident's stored diagnosis again while nothing it depends on changed:
/// a second pass does not run the analysis, a pass after an event joined the incident does, and so does
/// one after the age bound. A real store, generated series, a clock the tests move.
@Suite struct DiagnosisReuseTests {
    /// Ten-second points from two hours before the clock's start, with a fault on checkout's latency and
    /// errors from `faultFrom` on (deterministic noise).
    static func series(points range: Range<Int>, faultFrom: Int = 660) -> [Series] {
        let start = FixedClock().now().unixMilliseconds - 7_200_000
        return [("latency_seconds", 0.2, 2.0), ("errors_total", 1, 40), ("requests_total", 100, 0)].map { name, level, fault in
            var series = Series(key: SeriesKey(name: name, labels: ["service": "checkout"]))
            for index in range {
                var state = UInt64(index) &* 6_364_136_223_846_793_005 &+ UInt64(name.utf8.count) &* 1_442_695_040_888_963_407
                state ^= state >> 33
                let noise = (Double(state % 1_000) / 1_000 - 0.5) * level * 0.05
                series.append(timestamp: start + Int64(index) * 10_000, value: level + noise + (index >= faultFrom ? fault : 0))
            }
            return series
        }
    }

    static func context(_ folder: TemporaryDirectory, clock: FixedClock) throws -> OperationsContext {
        OperationsContext(store: try Store(path: folder.file("aurora.db")), configuration: try ConfigLoader.load(yaml: "aurora: {}", file: "aurora.yaml"),
                          clock: clock, environment: [:], workingDirectory: folder.path, actor: "test",
                          processRunner: FakeProcessRunner([]), httpTransport: FakeHTTPTransport())
    }

    static func store(_ series: [Series], _ context: OperationsContext) throws {
        _ = try context.store.database.write { try SeriesStore.store(series, serviceLabel: "service", at: context.clock.now(), in: $0) }
    }

    /// One loop pass as `aurora watch` runs it.
    static func pass(_ context: OperationsContext) async throws -> HealingPass.IncidentStep {
        var pass = HealingPass(context: context, dryRun: false, actor: "aurora")
        pass.rediagnoseAfter = 300
        let steps = try await pass.run().steps
        #expect(steps.count == 1)
        return try #require(steps.first)
    }

    static func diagnosed(_ context: OperationsContext) throws -> DiagnosisBasisRow {
        try #require(try context.store.database.read { try IncidentStore.diagnosisBases(statuses: IncidentStatus.allCases, in: $0) }.values.first)
    }

    /// Two passes over a diagnosed incident; returns the context, the clock and both steps.
    static func twoPasses(_ folder: TemporaryDirectory) async throws -> (OperationsContext, FixedClock, HealingPass.IncidentStep, HealingPass.IncidentStep) {
        let clock = FixedClock()
        let context = try Self.context(folder, clock: clock)
        try Self.store(Self.series(points: 0..<700), context)
        let first = try await Self.pass(context)
        #expect(first.reusedDiagnosisFrom == nil)
        #expect(first.diagnosis.hasPrefix("root cause checkout"), "\(first.diagnosis)")
        #expect(try Self.diagnosed(context).diagnosed == clock.now())
        clock.advance(15)
        let second = try await Self.pass(context)
        return (context, clock, first, second)
    }

    @Test func aSecondPassWithNothingNewTakesTheStoredDiagnosisAndDecidesTheSame() async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let (context, clock, first, second) = try await Self.twoPasses(folder)
        // The analysis did not run: the stored diagnosis is as old as the first pass.
        let made = clock.now().addingTimeInterval(-15)
        #expect(second.reusedDiagnosisFrom == made)
        #expect(try Self.diagnosed(context).diagnosed == made)
        // The decision step saw what a fresh diagnosis gave it.
        #expect(second.diagnosis == first.diagnosis)
        #expect(second.evidence == first.evidence)
        #expect(second.confidence == first.confidence)
        #expect(second.tier == first.tier)
        #expect(second.action == first.action)
        #expect(second.target == first.target)
        #expect(second.outcome == first.outcome)
    }

    @Test func aPassAfterAnEventJoinedTheIncidentDiagnosesItAgain() async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let (context, clock, _, second) = try await Self.twoPasses(folder)
        #expect(second.reusedDiagnosisFrom != nil)
        let before = try Self.diagnosed(context)
        // The fault goes on: new points, new anomaly events in the same incident.
        try Self.store(Self.series(points: 700..<712, faultFrom: 700).map { series in
            var louder = Series(key: series.key)
            for (timestamp, value) in zip(series.timestamps, series.values) { louder.append(timestamp: timestamp, value: value * 3) }
            return louder
        }, context)
        clock.advance(15)
        let third = try await Self.pass(context)
        let after = try Self.diagnosed(context)
        #expect(after.events > before.events || after.end > before.end)
        #expect(third.reusedDiagnosisFrom == nil)
        #expect(after.diagnosed == clock.now())
    }

    @Test func aDiagnosisOlderThanTheBoundIsMadeAgain() async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let (context, clock, _, second) = try await Self.twoPasses(folder)
        #expect(second.reusedDiagnosisFrom != nil)
        clock.advance(300)
        let third = try await Self.pass(context)
        #expect(third.reusedDiagnosisFrom == nil)
        #expect(try Self.diagnosed(context).diagnosed == clock.now())
        // And taken again on the pass after.
        clock.advance(15)
        #expect(try await Self.pass(context).reusedDiagnosisFrom == clock.now().addingTimeInterval(-15))
    }

    @Test func aPassAfterTheConfigurationChangedDiagnosesAgain() async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let (context, clock, _, second) = try await Self.twoPasses(folder)
        #expect(second.reusedDiagnosisFrom != nil)
        // A reload with another diagnosis setting: the same store, another configuration.
        var reloaded = context
        reloaded.configuration = try ConfigLoader.load(yaml: "aurora:\n  diagnosis:\n    history-window: 90m\n", file: "aurora.yaml")
        clock.advance(15)
        #expect(try await Self.pass(reloaded).reusedDiagnosisFrom == nil)
        #expect(try Self.diagnosed(context).diagnosed == clock.now())
    }

    @Test func aOneShotPassDiagnosesAfresh() async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let (context, clock, _, _) = try await Self.twoPasses(folder)
        clock.advance(15)
        let step = try #require(try await HealingPass(context: context, dryRun: false, actor: "aurora").run().steps.first)
        #expect(step.reusedDiagnosisFrom == nil)
        #expect(try Self.diagnosed(context).diagnosed == clock.now())
    }

    @Test func anIncidentWithoutDataTakesItsStoredFailureUntilPointsReachItsWindow() async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let clock = FixedClock()
        let context = try Self.context(folder, clock: clock)
        // An event on a series with no stored point (an alert from elsewhere, or pruned points): its
        // incident cannot be diagnosed.
        let now = clock.now().unixMilliseconds
        let event = AnomalyRecord(seriesKey: "latency_seconds{service=\"checkout\"}", service: "checkout", start: now - 600_000, end: now - 300_000,
                                  peakTime: now - 400_000, peakValue: 2, expectedLow: 0.1, expectedHigh: 0.3, score: 0.9, detectors: "seasonal",
                                  recorded: clock.now(), source: "stored")
        _ = try context.store.database.write { try AnomalyEventStore.record([event], in: $0) }
        let first = try await Self.pass(context)
        #expect(first.diagnosis.hasPrefix("not diagnosed"), "\(first.diagnosis)")
        #expect(first.reusedDiagnosisFrom == nil)
        let failedAt = clock.now()
        clock.advance(15)
        // Nothing came: the failure is taken again, the analysis does not run.
        let second = try await Self.pass(context)
        #expect(second.reusedDiagnosisFrom == failedAt)
        #expect(second.diagnosis == first.diagnosis)
        #expect(second.outcome == first.outcome)
        // Past the age bound it is tried again (and fails again, from then on).
        clock.advance(300)
        let third = try await Self.pass(context)
        #expect(third.reusedDiagnosisFrom == nil)
        let retriedAt = clock.now()
        clock.advance(15)
        #expect(try await Self.pass(context).reusedDiagnosisFrom == retriedAt)
        // Points in the incident's window are new evidence: the next pass runs the analysis.
        try Self.store(Self.series(points: 0..<700, faultFrom: 10_000), context)
        clock.advance(15)
        var pass = HealingPass(context: context, dryRun: false, actor: "aurora")
        pass.rediagnoseAfter = 300
        let fourth = try #require(try await pass.run().steps.first { $0.incident == first.incident })
        #expect(fourth.reusedDiagnosisFrom == nil)
        #expect(!fourth.diagnosis.hasPrefix("not diagnosed"), "\(fourth.diagnosis)")
    }
}
