import AuroraConfig
import AuroraCore
import AuroraLive
import AuroraOperations
import AuroraPrometheus
import AuroraStore
import AuroraTestSupport
import Foundation
import Testing

/// An incident that recovered without action (`diagnosis.recovered-after`) stops firing: its alert is
/// posted resolved (`endsAt` at the resolution), as Prometheus resolves an alert whose condition cleared,
/// saying what it was and that it recovered. Before, it was re-sent every minute for ever. The loop's
/// own pass over a real store: generated ten-second points, one anomaly event an hour in.
@Suite struct IncidentAlertRecoveryTests {
    static let step: Int64 = 10_000
    static let origin = FixedClock().now().unixMilliseconds

    /// checkout's latency, deterministic noise around 0.2 s, from `origin` for `count` points.
    static func series(from first: Int, count: Int) -> [Series] {
        var series = Series(key: SeriesKey(name: "latency_seconds", labels: ["service": "checkout"]))
        for index in first..<(first + count) {
            var state = UInt64(index) &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            state ^= state >> 33
            series.append(timestamp: origin + Int64(index) * step, value: 0.2 + (Double(state % 1_000) / 1_000 - 0.5) * 0.01)
        }
        return [series]
    }

    /// Stores points `first..<first+count`, sets the clock 20 s past the last, runs one pass and records the
    /// alert text as `aurora watch` does.
    static func pass(_ context: OperationsContext, clock: FixedClock, from first: Int, count: Int) async throws -> [HealingPass.IncidentStep] {
        try context.store.database.write { db in
            _ = try SeriesStore.store(series(from: first, count: count), serviceLabel: "service", at: clock.now(), in: db)
        }
        clock.set(Date(unixMilliseconds: origin + Int64(first + count - 1) * step + 20_000))
        var pass = HealingPass(context: context, dryRun: false, actor: "aurora")
        pass.rediagnoseAfter = 300
        let steps = try await pass.run().steps
        try context.store.database.write { db in
            try IncidentAlertTextStore.record(Dictionary(steps.map { ($0.incident, $0.alertText) }) { _, latest in latest },
                                              at: clock.now(), in: db)
        }
        return steps
    }

    @Test func aRecoveredIncidentIsPostedResolvedAndStopsFiring() async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let clock = FixedClock()
        let context = OperationsContext(store: try Store(path: folder.file("aurora.db")),
                                        configuration: try ConfigLoader.load(yaml: "aurora: {}", file: "aurora.yaml"), clock: clock,
                                        environment: [:], workingDirectory: folder.path, actor: "test",
                                        processRunner: FakeProcessRunner([]), httpTransport: FakeHTTPTransport())
        // An hour of points, then a two-minute anomaly on checkout's latency at the end of them.
        let anomaly = Self.origin + 360 * Self.step
        try context.store.database.write { db in
            _ = try AnomalyEventStore.record([AnomalyRecord(seriesKey: #"latency_seconds{service="checkout"}"#, service: "checkout",
                                                            start: anomaly, end: anomaly + 120_000, peakTime: anomaly, peakValue: 2,
                                                            expectedLow: 0.19, expectedHigh: 0.21, score: 0.9, detectors: "seasonal",
                                                            recorded: clock.now(), source: "test")], in: db)
            _ = try IncidentStore.groupUnassignedEvents(by: IncidentGrouping(gap: 300_000, openingScore: 0.5), at: clock.now(), in: db)
        }
        let transport = FakeHTTPTransport(answer: { _ in .success(HTTPResponseData(status: 200, headers: [:], body: [])) })
        let publisher = AlertPublisher(client: AlertmanagerClient(baseURL: "http://am:9093", transport: transport))
        func post() async throws -> [Alert] {
            let alerts = try context.store.database.read { try IncidentAlerts.current(now: clock.now(), validity: 240, in: $0) }
            let before = transport.requests.count
            _ = await publisher.flush(alerts, now: clock.now())
            return try transport.requests.dropFirst(before).flatMap { try JSONDecoder().decode([Alert].self, from: Data($0.body ?? [])) }
        }

        // Ten minutes after it: open, firing.
        _ = try await Self.pass(context, clock: clock, from: 0, count: 385)
        let firing = try #require(try await post().first)
        #expect(firing.labels["incident"] == "1" && firing.endsAt > clock.now())

        // Quiet points up to ten seconds short of 30 minutes after the anomaly's end (point 372): still firing.
        #expect(try await Self.pass(context, clock: clock, from: 385, count: 167).allSatisfy { $0.recoveredAfter == nil })
        #expect(try await post().first?.endsAt ?? .distantPast > clock.now())

        // Past them: resolved without action, posted with endsAt at the resolution.
        let steps = try await Self.pass(context, clock: clock, from: 552, count: 9)
        #expect(steps.last?.recoveredAfter == 1800, "\(steps.map(\.outcome))")
        let resolved = try #require(try await post().first)
        #expect(resolved.labels == firing.labels, "the same alert (Alertmanager's identity), resolved")
        #expect(resolved.endsAt == clock.now())
        #expect(resolved.annotations["action"]?.hasPrefix("recovered without action after 30m quiet") == true, "\(resolved.annotations)")
        #expect(resolved.annotations["summary"] == firing.annotations["summary"], "it still says what it was")

        // Once Alertmanager has it, the resolution is not sent again, and nothing fires.
        clock.advance(60)
        #expect(try await post().isEmpty)
    }
}
