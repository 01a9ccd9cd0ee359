import AuroraCore
import AuroraPrometheus
import AuroraTestSupport
import Foundation
import Testing

@Suite struct AlertPublisherTests {
    let start = Date(timeIntervalSince1970: 1_800_000_000)

    func incident(_ id: Int64 = 7, resolvedAt: Date? = nil, summary: String = "connection pool exhausted") -> IncidentAlert {
        IncidentAlert(incident: id, service: "postgres", severity: "warning", summary: summary,
                      description: "pool usage 100% (+8.1σ)", confidence: 0.87, action: "restart-postgres: executing",
                      startsAt: start, resolvedAt: resolvedAt)
    }

    func posted(_ transport: FakeHTTPTransport) throws -> [[Alert]] {
        try transport.requests.map { request in
            #expect(request.method == "POST" && request.url == "http://am:9093/api/v2/alerts")
            return try JSONDecoder().decode([Alert].self, from: Data(request.body ?? []))
        }
    }

    @Test func anOpenIncidentFiresWithLabelsAnnotationsAndFourMinutesOfValidity() async throws {
        let transport = FakeHTTPTransport(answer: { _ in json(200, "") })
        let publisher = AlertPublisher(client: AlertmanagerClient(baseURL: "http://am:9093", transport: transport),
                                       extraLabels: ["team": "sre"])
        let report = await publisher.flush([incident()], now: start.addingTimeInterval(5))
        #expect(report.firing == 1 && report.error == nil)
        let alert = try #require(try posted(transport).first?.first)
        #expect(alert.labels == ["alertname": "AuroraIncident", "service": "postgres", "incident": "7", "severity": "warning", "team": "sre"])
        #expect(alert.annotations == ["summary": "connection pool exhausted", "description": "pool usage 100% (+8.1σ)",
                                      "confidence": "0.87", "action": "restart-postgres: executing"])
        #expect(alert.startsAt == start)
        #expect(alert.endsAt == start.addingTimeInterval(5 + 240))
    }

    /// An incident whose every anomaly came from a short history says so in a `history` annotation;
    /// its labels (Alertmanager's identity) are the same as without it.
    @Test func anIncidentOnAShortHistorySaysSo() async throws {
        let transport = FakeHTTPTransport(answer: { _ in json(200, "") })
        let publisher = AlertPublisher(client: AlertmanagerClient(baseURL: "http://am:9093", transport: transport))
        var young = incident()
        young.shortHistory = true
        _ = await publisher.flush([young], now: start)
        let alert = try #require(try posted(transport).first?.first)
        #expect(alert.annotations["history"] == AlertPublisher.shortHistoryNote)
        let plain = await publisher.alert(for: incident(), now: start)
        #expect(alert.labels == plain.labels)
        #expect(plain.annotations["history"] == nil)
    }

    /// The confidence the remediation was decided on is an annotation beside the cause's, so a person
    /// paged for an approval sees why the cause's 0.87 was not enough; never for an unmeasured cause.
    @Test func theActingConfidenceIsAnAnnotationBesideTheCauses() async {
        let publisher = AlertPublisher(client: AlertmanagerClient(baseURL: "http://am:9093", transport: FakeHTTPTransport(answer: { _ in json(200, "") })))
        var weighed = incident()
        weighed.actingConfidence = 0.6007
        let alert = await publisher.alert(for: weighed, now: start)
        #expect(alert.annotations["acting_confidence"] == "0.60" && alert.annotations["confidence"] == "0.87")
        // Held just below the act line it reads as below it, not as a rounded 0.70.
        weighed.actingConfidence = 0.7 - 1e-6
        #expect((await publisher.alert(for: weighed, now: start)).annotations["acting_confidence"] == "0.69")
        weighed.actingConfidence = 0.58
        #expect((await publisher.alert(for: weighed, now: start)).annotations["acting_confidence"] == "0.58")
        weighed.actingConfidence = 0.6007
        #expect(alert.labels == (await publisher.alert(for: incident(), now: start)).labels)
        #expect((await publisher.alert(for: incident(), now: start)).annotations["acting_confidence"] == nil)
        weighed.confidence = 0
        weighed.confidenceMeasured = false
        weighed.actingConfidence = 0
        let unmeasured = await publisher.alert(for: weighed, now: start)
        #expect(unmeasured.annotations["acting_confidence"] == nil && unmeasured.annotations["confidence"] == AlertPublisher.unmeasuredConfidence)
    }

    /// The likeliest anomaly's confidence is an annotation (the diagnosis' is `confidence`); labels, the
    /// alert's identity, do not change with it.
    @Test func theLikeliestAnomalysConfidenceIsAnAnnotation() async {
        let publisher = AlertPublisher(client: AlertmanagerClient(baseURL: "http://am:9093", transport: FakeHTTPTransport(answer: { _ in json(200, "") })))
        var evidenced = incident()
        evidenced.anomalyConfidence = 0.634
        let alert = await publisher.alert(for: evidenced, now: start)
        #expect(alert.annotations["anomaly_confidence"] == "0.63")
        let plain = await publisher.alert(for: incident(), now: start)
        #expect(plain.annotations["anomaly_confidence"] == nil && plain.labels == alert.labels)
    }

    /// A diagnosis of series that stopped reporting measured nothing: its `confidence` annotation says so
    /// instead of "0.00"; labels, the alert's identity, do not change with it.
    @Test func anUnmeasuredConfidenceIsSaidNotShownAsZero() async {
        let publisher = AlertPublisher(client: AlertmanagerClient(baseURL: "http://am:9093", transport: FakeHTTPTransport(answer: { _ in json(200, "") })))
        var silent = incident()
        silent.confidence = 0
        silent.confidenceMeasured = false
        let alert = await publisher.alert(for: silent, now: start)
        #expect(alert.annotations["confidence"] == "not measured: its series stopped reporting")
        let measured = await publisher.alert(for: incident(), now: start)
        #expect(measured.annotations["confidence"] == "0.87" && measured.labels == alert.labels)
    }

    @Test func anUnchangedAlertIsResentEveryMinuteAndAChangedOneAtOnce() async throws {
        let transport = FakeHTTPTransport(answer: { _ in json(200, "") })
        let publisher = AlertPublisher(client: AlertmanagerClient(baseURL: "http://am:9093", transport: transport))
        _ = await publisher.flush([incident()], now: start)
        _ = await publisher.flush([incident()], now: start.addingTimeInterval(30))
        #expect(transport.requests.count == 1)
        _ = await publisher.flush([incident()], now: start.addingTimeInterval(60))
        #expect(transport.requests.count == 2)
        #expect(try posted(transport)[1][0].endsAt == start.addingTimeInterval(300))
        _ = await publisher.flush([incident(summary: "slow disk")], now: start.addingTimeInterval(65))
        #expect(transport.requests.count == 3)
    }

    @Test func aResolutionIsPostedWithEndsAtItsTimeAndOnlyOnceAccepted() async throws {
        let transport = FakeHTTPTransport(answer: { _ in json(200, "") })
        let publisher = AlertPublisher(client: AlertmanagerClient(baseURL: "http://am:9093", transport: transport))
        _ = await publisher.flush([incident()], now: start)
        let resolved = start.addingTimeInterval(20)
        let report = await publisher.flush([incident(resolvedAt: resolved)], now: start.addingTimeInterval(21))
        #expect(report.resolved == 1)
        #expect(try posted(transport)[1][0].endsAt == resolved)
        _ = await publisher.flush([incident(resolvedAt: resolved)], now: start.addingTimeInterval(40))
        #expect(transport.requests.count == 2)
    }

    @Test func alertmanagerDownNeverLosesTheFinalResolve() async throws {
        let down = FakeHTTPTransport(answer: { _ in .failure(.connectionFailed("connection refused")) })
        let publisher = AlertPublisher(client: AlertmanagerClient(baseURL: "http://am:9093", transport: down))
        _ = await publisher.flush([incident()], now: start)
        let resolved = start.addingTimeInterval(10)
        var report = await publisher.flush([incident(resolvedAt: resolved)], now: start.addingTimeInterval(11))
        #expect(report.pending == 1 && report.error?.retryable == true)
        report = await publisher.flush([incident(resolvedAt: resolved)], now: start.addingTimeInterval(16))
        #expect(report.pending == 1)
        #expect(down.requests.count == 3)
    }

    @Test func aResolutionStillPendingWhenTheAlertExpiredAnywayIsDropped() async throws {
        var up = true
        let lock = NSLock()
        let transport = FakeHTTPTransport(answer: { _ in lock.withLock { up } ? json(200, "") : json(503, "down") })
        let publisher = AlertPublisher(client: AlertmanagerClient(baseURL: "http://am:9093", transport: transport))
        _ = await publisher.flush([incident()], now: start)
        lock.withLock { up = false }
        let resolved = start.addingTimeInterval(30)
        _ = await publisher.flush([incident(resolvedAt: resolved)], now: start.addingTimeInterval(31))
        // The firing copy ended at start + 240 s: Alertmanager resolved it by itself.
        let report = await publisher.flush([incident(resolvedAt: resolved)], now: start.addingTimeInterval(241))
        #expect(report.expired == 1 && report.pending == 0)
    }

    @Test func alertTimesRoundTripAlertmanagersNanoseconds() throws {
        let date = try AlertTime.decode("2026-12-06T03:04:05.123456789Z")
        #expect(abs(date.timeIntervalSince1970 - 1_796_526_245.123) < 0.001)
        #expect(AlertTime.encode(Date(timeIntervalSince1970: 1_796_526_245.5)) == "2026-12-06T03:04:05.500Z")
    }
}
