import AuroraConfig
import AuroraCore
import AuroraDiagnosis
@testable import AuroraOperations
import AuroraStore
import AuroraTestSupport
import Foundation
import Testing

/// A stored incident made of absent-data events, as the live layer records them when a target stops
/// answering: diagnosed as the service that went silent, while it is gone and after it came back (the
/// case that named a random service of those that kept reporting, at confidence 0). A real store.
@Suite struct SilentIncidentDiagnosisTests {
    static let step: Int64 = 10_000
    /// Two hours of points before the clock's start.
    static let origin = FixedClock().now().unixMilliseconds - 7_200_000
    /// The first step api's series are missing from: one hour and a half in.
    static let since = origin + 540 * step

    /// api's three series report until `since` and again from `back` (if given); db and web report throughout.
    static func series(apiBack back: Int64?, until end: Int64) -> [Series] {
        let names = [("requests_total", "api", "i0"), ("requests_total", "api", "i1"), ("latency_seconds", "api", "i0"),
                     ("latency_seconds", "db", "i0"), ("requests_total", "web", "i0")]
        return names.enumerated().map { offset, item in
            var series = Series(key: SeriesKey(name: item.0, labels: ["service": item.1, "instance": item.2]))
            for time in stride(from: origin, to: end, by: Int(step)) {
                if item.1 == "api", time >= since, back.map({ time < $0 }) ?? true { continue }
                let noise = Double((time / step + Int64(offset) * 7) % 5) * 0.01
                series.append(timestamp: time, value: 1 + noise)
            }
            return series
        }
    }

    static func context(_ folder: TemporaryDirectory, clock: FixedClock) throws -> OperationsContext {
        OperationsContext(store: try Store(path: folder.file("aurora.db")), configuration: try ConfigLoader.load(yaml: "aurora: {}", file: "aurora.yaml"),
                          clock: clock, environment: [:], workingDirectory: folder.path, actor: "test",
                          processRunner: FakeProcessRunner([]), httpTransport: FakeHTTPTransport())
    }

    /// Stores the points, the absent-data event of api's three series (as `Disappearance.record` writes it,
    /// found one pass of 20 s after `since`), and groups it into an incident; returns the incident.
    static func silentIncident(_ context: OperationsContext) throws -> IncidentRecord {
        let now = context.clock.now()
        let found = since + 20_000
        return try context.store.database.write { db in
            _ = try SeriesStore.store(series(apiBack: nil, until: found), serviceLabel: "service", at: now, in: db)
            let event = AnomalyRecord(seriesKey: #"latency_seconds{instance="i0",service="api"}"#, service: "api", start: since, end: found,
                                      peakTime: found, peakValue: 0, expectedLow: nil, expectedHigh: nil, score: 1,
                                      detectors: AbsenceStore.detector, recorded: now, source: "prometheus: 3 series of api disappeared")
            try AbsenceStore.record(event, gap: 300_000, at: now, in: db)
            let opened = try IncidentStore.groupUnassignedEvents(by: IncidentGrouping(gap: 300_000, openingScore: 0.5), at: now, in: db)
            let id = try #require(opened.first)
            return try #require(try IncidentStore.get(id, in: db))
        }
    }

    static func top(_ outcome: IncidentDiagnoser.Outcome) throws -> (Diagnosis, RootCauseCandidate) {
        guard case .analysed(let diagnosis) = outcome else { throw SimpleFailure(.software, "not analysed: \(outcome)") }
        return (diagnosis, try #require(diagnosis.top))
    }

    @Test func aStoredAbsentDataIncidentIsTheSilentServiceWhileGoneAndAfterItCameBack() async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let clock = FixedClock()
        let context = try Self.context(folder, clock: clock)
        let incident = try Self.silentIncident(context)
        #expect(incident.services == ["api"])

        // While the target is gone.
        let (gone, silent) = try Self.top(try await IncidentDiagnoser(context: context).diagnose(incident))
        #expect(gone.candidates.map(\.service) == ["api"])
        #expect(silent.cause == RootCauseAnalyzer.silenceCause && silent.confidence == 0 && silent.tier == .escalate)
        #expect(silent.silence?.seriesCount == 3 && silent.silence?.returnedCount == 0)
        #expect(silent.silence?.since == Self.since && silent.silence?.lastPoint == Self.since - Self.step)
        #expect(silent.evidence.first?.text.hasSuffix("; none has reported since") == true)

        // Back five minutes later: the case that named db or web at confidence 0.
        let back = Self.since + 300_000
        clock.advance(600)
        _ = try context.store.database.write { db in
            try SeriesStore.store(Self.series(apiBack: back, until: back + 120_000).map { series in
                Series(key: series.key, timestamps: series.timestamps.filter { $0 >= back }, values: zip(series.timestamps, series.values)
                    .filter { $0.0 >= back }.map(\.1))
            }, serviceLabel: "service", at: clock.now(), recent: true, in: db)
        }
        let (returned, top) = try Self.top(try await IncidentDiagnoser(context: context).diagnose(incident))
        #expect(returned.candidates.map(\.service) == ["api"])
        #expect(top.confidence == 0 && top.tier == .escalate)
        #expect(top.silence?.returnedCount == 3 && top.silence?.returnedAt == back)
        #expect(top.evidence.first?.text == #"3 series (latency_seconds{instance="i0",service="api"} and 2 more) stopped reporting at "#
                + "\(CivilTime.iso(Self.since)), last point at \(CivilTime.iso(Self.since - Self.step)); all reporting again from \(CivilTime.iso(back))")

        // Recorded: escalated to a human, the summary naming api.
        let stored = try #require(try context.store.database.read { try IncidentStore.get(incident.id, in: $0) })
        #expect(stored.status == .escalated && stored.confidence == 0 && stored.tier == .escalate)
        #expect(StoredDiagnosis(stored.diagnosis).topService == "api")
        let summary = try context.store.database.read { try IncidentStore.lastTimelineMessage(incident.id, kind: "diagnosed", in: $0) }
        #expect(summary == "root cause: api — \(RootCauseAnalyzer.silenceCause) (confidence not measured, escalate)")
    }

    /// A target that went away, came back and went away again within the incident gap: one event, extended
    /// (`AbsenceStore`). The series reported in between, so only the first departure's step says which
    /// they were; they are not back until they report after the latest departure.
    @Test func aRepeatedDepartureCountsItsSeriesOnceAndWaitsForTheLatestReturn() async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let clock = FixedClock()
        let context = try Self.context(folder, clock: clock)
        let now = clock.now()
        let again = Self.since + 120_000
        let event = { (start: Int64, end: Int64) in
            AnomalyRecord(seriesKey: #"latency_seconds{instance="i0",service="api"}"#, service: "api", start: start, end: end, peakTime: end,
                          peakValue: 0, expectedLow: nil, expectedHigh: nil, score: 1, detectors: AbsenceStore.detector, recorded: now,
                          source: "prometheus: 3 series of api disappeared")
        }
        let incident = try context.store.database.write { db -> IncidentRecord in
            // Gone at `since`, back for a minute from since + 60 s, gone again at since + 120 s.
            let points = Self.series(apiBack: Self.since + 60_000, until: again + 20_000).map { series -> Series in
                let kept = series.timestamps.indices.filter { series.key[label: "service"] != "api" || series.timestamps[$0] < again }
                return Series(key: series.key, timestamps: kept.map { series.timestamps[$0] }, values: kept.map { series.values[$0] })
            }
            _ = try SeriesStore.store(points, serviceLabel: "service", at: now, in: db)
            try AbsenceStore.record(event(Self.since, Self.since + 20_000), gap: 300_000, at: now, in: db)
            _ = try IncidentStore.groupUnassignedEvents(by: IncidentGrouping(gap: 300_000, openingScore: 0.5), at: now, in: db)
            #expect(try AbsenceStore.record(event(again, again + 20_000), gap: 300_000, at: now, in: db) == false)
            return try #require(try IncidentStore.list(in: db).first)
        }
        #expect(try context.store.database.read { try AnomalyEventStore.events(incident: incident.id, in: $0) }.count == 1)
        let (_, gone) = try Self.top(try await IncidentDiagnoser(context: context).diagnose(incident))
        #expect(gone.service == "api" && gone.cause == RootCauseAnalyzer.silenceCause)
        #expect(gone.silence?.seriesCount == 3 && gone.silence?.since == Self.since && gone.silence?.returnedCount == 0)
    }

    /// An incident with an ordinary anomaly too (db's latency rose while api went silent): the analysis of
    /// the series that kept reporting runs, and api is among the candidates, not pushed out by db's change.
    @Test func aMixedStoredIncidentKeepsTheAnalysisAndTheSilentService() async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let clock = FixedClock()
        let context = try Self.context(folder, clock: clock)
        let now = clock.now()
        let found = Self.since + 20_000
        let incident = try context.store.database.write { db -> IncidentRecord in
            let points = Self.series(apiBack: nil, until: Self.since + 120_000).map { series -> Series in
                guard series.key.name == "latency_seconds", series.key[label: "service"] == "db" else { return series }
                return Series(key: series.key, timestamps: series.timestamps,
                              values: zip(series.timestamps, series.values).map { $0.0 >= Self.since ? $0.1 + 5 : $0.1 })
            }
            _ = try SeriesStore.store(points, serviceLabel: "service", at: now, in: db)
            try AbsenceStore.record(AnomalyRecord(seriesKey: #"latency_seconds{instance="i0",service="api"}"#, service: "api", start: Self.since,
                                                  end: found, peakTime: found, peakValue: 0, expectedLow: nil, expectedHigh: nil, score: 1,
                                                  detectors: AbsenceStore.detector, recorded: now, source: "prometheus: 3 series of api disappeared"),
                                    gap: 300_000, at: now, in: db)
            _ = try AnomalyEventStore.record([AnomalyRecord(seriesKey: #"latency_seconds{instance="i0",service="db"}"#, service: "db",
                                                            start: Self.since, end: Self.since + 110_000, peakTime: Self.since, peakValue: 6,
                                                            expectedLow: 0.9, expectedHigh: 1.1, score: 0.9, detectors: "seasonal", recorded: now,
                                                            source: "stored")], in: db)
            _ = try IncidentStore.groupUnassignedEvents(by: IncidentGrouping(gap: 300_000, openingScore: 0.5), at: now, in: db)
            return try #require(try IncidentStore.list(in: db).first)
        }
        #expect(incident.services == ["api", "db"])
        let (diagnosis, _) = try Self.top(try await IncidentDiagnoser(context: context).diagnose(incident))
        let db = try #require(diagnosis.candidates.first { $0.service == "db" })
        #expect(db.silence == nil && db.confidence > 0 && db.evidence.first?.source == .magnitude)
        let api = try #require(diagnosis.candidates.first { $0.service == "api" })
        #expect(api.cause == RootCauseAnalyzer.silenceCause && api.silence?.seriesCount == 3)
        #expect(diagnosis.changes.contains { $0.identity.service == "db" })
        // Ahead of db when db's change is too weak to act on, after it when a remediation could act on it.
        #expect((api.rank < db.rank) == (db.tier == .escalate))
    }

    /// An event whose series' points are not stored (retention dropped them): the event's own series
    /// stands for the silence, as much as is known.
    @Test func anEventWithoutStoredPointsStandsForItself() async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let context = try Self.context(folder, clock: FixedClock())
        let now = context.clock.now()
        let incident = try context.store.database.write { db -> IncidentRecord in
            try AbsenceStore.record(AnomalyRecord(seriesKey: #"up{service="cache"}"#, service: "cache", start: Self.since, end: Self.since + 20_000,
                                                  peakTime: Self.since + 20_000, peakValue: 0, expectedLow: nil, expectedHigh: nil, score: 1,
                                                  detectors: AbsenceStore.detector, recorded: now, source: "prometheus: series disappeared"),
                                    gap: 300_000, at: now, in: db)
            _ = try IncidentStore.groupUnassignedEvents(by: IncidentGrouping(gap: 300_000, openingScore: 0.5), at: now, in: db)
            return try #require(try IncidentStore.list(in: db).first)
        }
        let (_, top) = try Self.top(try await IncidentDiagnoser(context: context).diagnose(incident))
        #expect(top.service == "cache" && top.silence?.seriesCount == 1 && top.silence?.lastPoint == nil)
        #expect(top.evidence.first?.text == #"its series up{service="cache"} stopped reporting at "# + "\(CivilTime.iso(Self.since)); it has not reported since")
    }

    /// The loop's decision on it: no remediation is known for a silence, so it goes to a human.
    @Test func healEscalatesItWithTheSilenceAsEvidence() async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let context = try Self.context(folder, clock: FixedClock())
        _ = try Self.silentIncident(context)
        let steps = try await HealingPass(context: context, dryRun: false, actor: "aurora").run().steps
        let step = try #require(steps.first { $0.services == ["api"] })
        #expect(step.diagnosis == "root cause api: \(RootCauseAnalyzer.silenceCause)")
        #expect(step.confidence == 0 && !step.confidenceMeasured && step.tier == .escalate && step.action == nil)
        #expect(step.outcome == "no remediation known for this cause: escalated to a human")
        #expect(step.evidence.first?.hasPrefix("3 series (latency_seconds") == true)
    }
}
