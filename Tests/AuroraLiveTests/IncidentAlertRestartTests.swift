import AuroraConfig
import AuroraCore
import AuroraLive
import AuroraOperations
import AuroraPrometheus
import AuroraStore
import AuroraTestSupport
import Foundation
import Testing

/// A restarted watcher posts the annotations the previous one did. Each incident is diagnosed by the
/// loop's own pass over a real store (generated series), its alert text recorded as `aurora watch`
/// records it; the restarted watcher has nothing in memory and reads the same store. Before, the text
/// lived in the watcher's memory and a restart fell back on the record's `cause` column, which only a
/// learned pattern's match (or an operator's `--cause`) fills: an analysed incident was posted as
/// "anomaly on … (not diagnosed yet)" with the remediation's name as its action.
@Suite struct IncidentAlertRestartTests {
    static let step: Int64 = 10_000
    static let origin = FixedClock().now().unixMilliseconds - 7_200_000

    static func context(_ folder: TemporaryDirectory, clock: FixedClock) throws -> OperationsContext {
        OperationsContext(store: try Store(path: folder.file("aurora.db")), configuration: try ConfigLoader.load(yaml: "aurora: {}", file: "aurora.yaml"),
                          clock: clock, environment: [:], workingDirectory: folder.path, actor: "test",
                          processRunner: FakeProcessRunner([]), httpTransport: FakeHTTPTransport())
    }

    /// Ten-second points over two hours, checkout's latency and errors up from point 660 (deterministic noise).
    static func faultSeries() -> [Series] {
        [("latency_seconds", 0.2, 2.0), ("errors_total", 1, 40), ("requests_total", 100, 0)].map { name, level, fault in
            var series = Series(key: SeriesKey(name: name, labels: ["service": "checkout"]))
            for index in 0..<700 {
                var state = UInt64(index) &* 6_364_136_223_846_793_005 &+ UInt64(name.utf8.count) &* 1_442_695_040_888_963_407
                state ^= state >> 33
                let noise = (Double(state % 1_000) / 1_000 - 0.5) * level * 0.05
                series.append(timestamp: origin + Int64(index) * step, value: level + noise + (index >= 660 ? Double(fault) : 0))
            }
            return series
        }
    }

    /// api's three series stop reporting 90 minutes in (recorded as the live layer records a departure); db keeps reporting.
    static func silentIncident(_ context: OperationsContext) throws {
        let since = origin + 540 * step
        let now = context.clock.now()
        try context.store.database.write { db in
            let series = [("requests_total", "api", "i0"), ("requests_total", "api", "i1"), ("latency_seconds", "api", "i0"),
                          ("latency_seconds", "db", "i0")].enumerated().map { offset, item in
                var series = Series(key: SeriesKey(name: item.0, labels: ["service": item.1, "instance": item.2]))
                for time in stride(from: origin, to: since + 20_000, by: Int(step)) where item.1 != "api" || time < since {
                    series.append(timestamp: time, value: 1 + Double((time / step + Int64(offset) * 7) % 5) * 0.01)
                }
                return series
            }
            _ = try SeriesStore.store(series, serviceLabel: "service", at: now, in: db)
            try AbsenceStore.record(AnomalyRecord(seriesKey: #"latency_seconds{instance="i0",service="api"}"#, service: "api", start: since,
                                                  end: since + 20_000, peakTime: since + 20_000, peakValue: 0, expectedLow: nil, expectedHigh: nil,
                                                  score: 1, detectors: AbsenceStore.detector, recorded: now,
                                                  source: "prometheus: 3 series of api disappeared"), gap: 300_000, at: now, in: db)
        }
    }

    /// An incident of one event on a series the store has no points of: it cannot be diagnosed.
    static func incidentWithoutData(_ context: OperationsContext) throws {
        let now = context.clock.now()
        try context.store.database.write { db in
            _ = try AnomalyEventStore.record([AnomalyRecord(seriesKey: "gone_total", service: "payments", start: origin, end: origin + step,
                                                            peakTime: origin, peakValue: 9, expectedLow: 1, expectedHigh: 2, score: 0.9,
                                                            detectors: "seasonal", recorded: now, source: "test")], in: db)
        }
    }

    enum Kind: String, CaseIterable, Sendable { case analysed, stoppedReporting, notDiagnosed }

    /// One pass of the loop as `aurora watch` runs it, its steps' alert text recorded as the watcher records it.
    static func watcherPass(_ context: OperationsContext) async throws -> [HealingPass.IncidentStep] {
        var pass = HealingPass(context: context, dryRun: false, actor: "aurora")
        pass.rediagnoseAfter = 300
        let steps = try await pass.run().steps
        try context.store.database.write { db in
            try IncidentAlertTextStore.record(Dictionary(uniqueKeysWithValues: steps.map { ($0.incident, $0.alertText) }), at: context.clock.now(), in: db)
        }
        return steps
    }

    static func alerts(_ context: OperationsContext) throws -> [IncidentAlert] {
        try context.store.database.read { try IncidentAlerts.current(now: context.clock.now(), validity: 240, in: $0) }
    }

    @Test(arguments: Kind.allCases) func aRestartedWatcherPostsTheSameAlert(_ kind: Kind) async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let clock = FixedClock()
        let context = try Self.context(folder, clock: clock)
        switch kind {
        case .analysed: _ = try context.store.database.write { try SeriesStore.store(Self.faultSeries(), serviceLabel: "service", at: clock.now(), in: $0) }
        case .stoppedReporting: try Self.silentIncident(context)
        case .notDiagnosed: try Self.incidentWithoutData(context)
        }
        let step = try #require(try await Self.watcherPass(context).first)
        let posted = try #require(try Self.alerts(context).first)
        // What the running watcher posts is its step, in words.
        #expect(posted.summary == step.diagnosis && posted.action == (step.action.map { "\($0): \(step.outcome)" } ?? step.outcome))
        #expect(posted.confidence == step.confidence && posted.confidenceMeasured == step.confidenceMeasured)
        if let evidence = step.evidence.first { #expect(posted.description == evidence) }
        switch kind {
        case .analysed:
            #expect(step.diagnosis.hasPrefix("root cause checkout"), "\(step.diagnosis)")
            #expect(posted.confidenceMeasured && posted.confidence != nil && step.evidence.first != nil)
        case .stoppedReporting:
            #expect(step.diagnosis.hasPrefix("root cause api") && posted.confidence == 0 && !posted.confidenceMeasured, "\(step.diagnosis)")
        case .notDiagnosed:
            #expect(step.diagnosis.hasPrefix("not diagnosed: ") && step.outcome == "waiting for more data", "\(step.diagnosis)")
        }

        // Restarted a minute later: nothing in memory. Its first post (before its own pass reaches the
        // incident, and for an incident no pass visits, such as one waiting for approval) says the same;
        // so does its post after a pass that takes the stored diagnosis again.
        clock.advance(60)
        let restarted = try #require(try Self.alerts(context).first)
        #expect(restarted == posted)
        _ = try await Self.watcherPass(context)
        #expect(try Self.alerts(context).first == posted)
    }

    /// An incident the watcher stored no text for (a database from before the text was stored, or a
    /// diagnosis by `aurora heal` or `aurora diagnose`): described from its stored diagnosis as the loop
    /// words it, not as undiagnosed. Only what the loop did about it is not in the diagnosis.
    @Test(arguments: [Kind.analysed, Kind.stoppedReporting]) func withoutStoredTextTheDiagnosisIsDescribedAsTheLoopDid(_ kind: Kind) async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let clock = FixedClock()
        let context = try Self.context(folder, clock: clock)
        if kind == .analysed {
            _ = try context.store.database.write { try SeriesStore.store(Self.faultSeries(), serviceLabel: "service", at: clock.now(), in: $0) }
        } else {
            try Self.silentIncident(context)
        }
        _ = try await Self.watcherPass(context)
        let posted = try #require(try Self.alerts(context).first)
        try context.store.database.write { _ = try $0.run("DELETE FROM incident_alert_text") }
        let described = try #require(try Self.alerts(context).first)
        #expect(described.summary.range(of: "not diagnosed") == nil, "\(described.summary)")
        #expect(described.summary == posted.summary)
        #expect(described.description == posted.description)
        #expect(described.confidence == posted.confidence)
        #expect(described.confidenceMeasured == posted.confidenceMeasured)
        // The labels (Alertmanager's identity) too.
        #expect(described.incident == posted.incident)
        #expect(described.service == posted.service)
        #expect(described.severity == posted.severity)
    }

    /// A learned pattern's match, stored as `Immunity.check` stores it: described as the loop words it.
    @Test func withoutStoredTextALearnedPatternsMatchIsNamed() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let db = try Store(path: folder.file("a.db")).database
        let json = #"{"learned_pattern":3,"cause":"connection pool exhausted","candidates":[{"service":"db","cause":"connection pool exhausted"}],"symptoms":[]}"#
        try db.write { db in
            try db.run("""
                INSERT INTO incidents (id, status, services, start_ms, end_ms, opened_ms, detected_ms, updated_ms)
                VALUES (1, 'open', 'api,db', 0, 1, 0, 0, 0)
                """)
            try IncidentStore.recordDiagnosis(1, json: json, cause: "connection pool exhausted", confidence: 0.9, tier: .autoExecute,
                                              pattern: "pool exhausted", remediation: "restart-db", escalate: false, summary: "immunised",
                                              at: Date(unixMilliseconds: 20), in: db)
        }
        let alert = try #require(try IncidentAlerts.current(now: Date(unixMilliseconds: 60_000), validity: 240, in: db).first)
        #expect(alert.summary == #"known pattern #3 "pool exhausted": connection pool exhausted (root-cause analysis skipped)"#)
        #expect(alert.confidence == 0.9 && alert.confidenceMeasured && alert.action == "remediation: restart-db")
    }
}
