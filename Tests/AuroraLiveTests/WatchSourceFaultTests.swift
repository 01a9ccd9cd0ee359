import AuroraLiveLab
import AuroraPrometheus
import AuroraTestSupport
import Foundation
import Testing

/// `aurora watch` when Prometheus or Alertmanager misbehave: a proxy in front of the real servers
/// injects the failures.
@Suite(.serialized, .enabled(if: LabBinaries.available, Comment(rawValue: LabBinaries.missingReason ?? "")))
struct WatchSourceFaultTests {
    static let json = ["Content-Type": "application/json"]

    @Test func a503IsRetriedA400And422NameTheirQueryAndTheOtherQueriesGoOn() async throws {
        let lab = try await LiveLab()
        defer { lab.stop() }
        let proxy = try await ScriptedServer(upstream: lab.prometheusURL)
        let bad = "sum(rate(lab_latency_seconds[1m]"
        let failing = #"label_replace(lab_latency_seconds, "x", "$1", "service", "(")"#
        let watch = try WatchHarness(lab: lab, prometheusURL: proxy.url, historySeconds: 0,
                                     queries: ["lab_latency_seconds", "lab_requests_per_second"])
        defer { watch.stop() }
        // Prometheus holds a few seconds of both series before the first pass asks.
        try await Task.sleep(nanoseconds: 2_000_000_000)
        proxy.enqueue("/api/v1/query_range", .init(status: 503, body: "Service Unavailable", headers: ["Content-Type": "text/plain"]),
                      .init(status: 503, body: #"{"status":"error","errorType":"unavailable","error":"overloaded"}"#))
        let retried = try watch.aurora(["watch", "--once"])
        #expect(retried.status == 0, "\(retried.stderr)")
        // The two 503s, then each query's 3-minute backfill in two requests: its first sub-window sized
        // for 10,000 series (75 of the 181 steps, the query being unknown yet), then the rest.
        #expect(proxy.requests.filter { $0.path == "/api/v1/query_range" }.count == 6)
        #expect(retried.stderr.contains("pass: 2 series"))

        for (query, status) in [(bad, "HTTP 400 bad_data"), (failing, "HTTP 422 execution")] {
            let other = try WatchHarness(lab: lab, prometheusURL: proxy.url, historySeconds: 0, queries: ["lab_latency_seconds", query])
            defer { other.stop() }
            let once = try other.aurora(["watch", "--once"])
            #expect(once.status == 78, "\(once.stderr)")
            #expect(once.stderr.contains("was refused by Prometheus (\(status))"))
            #expect(once.stderr.contains(query))
            // The good query was stored all the same.
            #expect(once.stderr.contains("pass: 1 series"))
        }
        await proxy.stop()
    }

    @Test func partialDataIsSaidAndADisappearingSeriesIsAnAbsentDataSignal() async throws {
        let lab = try await LiveLab(LiveLab.Options(services: ["checkout", "payments"]))
        defer { lab.stop() }
        let proxy = try await ScriptedServer(upstream: lab.prometheusURL)
        let watch = try WatchHarness(lab: lab, prometheusURL: proxy.url, historySeconds: 0)
        defer { watch.stop() }
        proxy.rewriteForwarded { path, reply in
            guard path == "/api/v1/query_range" else { return reply }
            var changed = reply
            changed.body = String(reply.body.dropLast()) + #","warnings":["store eu-1 did not answer"]}"#
            return changed
        }
        try await Task.sleep(nanoseconds: 2_000_000_000)
        let partial = try watch.aurora(["watch", "--once"])
        #expect(partial.status == 0, "\(partial.stderr)")
        #expect(partial.stderr.contains("partial data for lab_latency_seconds: store eu-1 did not answer"))
        #expect(partial.stderr.contains("pass: 2 series"))
        // The watcher sees both series (its baseline, in the database), then payments vanishes
        // from the answers (as when its target stops exporting it).
        proxy.rewriteForwarded(nil)
        let process = try watch.start()
        try await watch.waitFor("passes with both series", timeout: 30) { watch.log.components(separatedBy: "pass: 2 series").count > 2 }
        proxy.rewriteForwarded(Self.dropping(service: "payments"))
        try await watch.waitFor("the disappearance", timeout: 30) { watch.log.contains("disappeared") }
        // Its alert names the service that went silent and says what is known, for a human (no change to rank:
        // it once named a service that kept reporting, at confidence 0).
        try await watch.waitFor("the silence's alert", timeout: 30) {
            try await lab.alerts().contains { $0.labels["alertname"] == "AuroraIncident" && $0.labels["service"] == "payments"
                && $0.annotations["summary"]?.contains("Stopped reporting") == true }
        }
        let alert = try #require(try await lab.alerts().first { $0.labels["alertname"] == "AuroraIncident" && $0.labels["service"] == "payments" })
        #expect(alert.labels["severity"] == "critical", "\(alert.labels)")
        #expect(alert.annotations["description"]?.contains("stopped reporting at") == true, "\(alert.annotations)")
        // Nothing was measured: neither the alert nor the log shows the 0 as a confidence.
        #expect(alert.annotations["confidence"] == AlertPublisher.unmeasuredConfidence, "\(alert.annotations)")
        #expect(alert.annotations["acting_confidence"] == nil, "\(alert.annotations)")
        #expect(watch.log.contains("(confidence not measured, escalate)"), "\(watch.log)")
        process.signal(SIGTERM)
        _ = process.wait(timeout: 10)
        #expect(watch.log.contains("series lab_latency_seconds{instance=\"127.0.0.1:\(lab.targetPort)\",job=\"lab\",role=\"latency\",service=\"payments\"} disappeared"))
        let incidents = try watch.aurora(["incidents", "list", "--all", "--json"]).stdout
        #expect(incidents.contains("payments"), "\(incidents)")
        await proxy.stop()
    }

    /// A proxy rewrite that takes the series of `service` out of Prometheus' range answers, as when
    /// its target stops being scraped.
    static func dropping(service: String) -> @Sendable (String, ScriptedServer.Reply) -> ScriptedServer.Reply {
        { path, reply in
            guard path == "/api/v1/query_range",
                  var object = try? JSONSerialization.jsonObject(with: Data(reply.body.utf8)) as? [String: Any],
                  var data = object["data"] as? [String: Any], let result = data["result"] as? [[String: Any]] else { return reply }
            data["result"] = result.filter { ($0["metric"] as? [String: String])?["service"] != service }
            object["data"] = data
            var changed = reply
            changed.body = String(decoding: (try? JSONSerialization.data(withJSONObject: object)) ?? Data(), as: UTF8.self)
            return changed
        }
    }

    /// `aurora watch --once` as cron runs it, each run its own process: a series that left the answers
    /// between two runs is reported by the second, and not again by the third.
    @Test func onceRunsReportASeriesThatStoppedBetweenThemOnce() async throws {
        let lab = try await LiveLab(LiveLab.Options(services: ["checkout", "payments"]))
        defer { lab.stop() }
        let proxy = try await ScriptedServer(upstream: lab.prometheusURL)
        let watch = try WatchHarness(lab: lab, prometheusURL: proxy.url, historySeconds: 0)
        defer { watch.stop() }
        try await Task.sleep(nanoseconds: 2_000_000_000)
        let first = try watch.aurora(["watch", "--once"])
        #expect(first.status == 0 && first.stderr.contains("pass: 2 series") && !first.stderr.contains("disappeared"), "\(first.stderr)")
        proxy.rewriteForwarded(Self.dropping(service: "payments"))
        try await Task.sleep(nanoseconds: 2_000_000_000)
        let second = try watch.aurora(["watch", "--once"])
        #expect(second.status == 0, "\(second.stderr)")
        let key = "lab_latency_seconds{instance=\"127.0.0.1:\(lab.targetPort)\",job=\"lab\",role=\"latency\",service=\"payments\"}"
        #expect(second.stderr.contains("series \(key) disappeared"), "\(second.stderr)")
        try await Task.sleep(nanoseconds: 2_000_000_000)
        let third = try watch.aurora(["watch", "--once"])
        #expect(third.status == 0 && third.stderr.contains("pass: 1 series") && !third.stderr.contains("disappeared"), "\(third.stderr)")
        let incidents = try watch.aurora(["incidents", "list", "--all", "--json"]).stdout
        #expect(incidents.contains("payments"), "\(incidents)")
        await proxy.stop()
    }

    @Test func alertmanagerDownNeitherBlocksTheLoopNorLosesTheResolution() async throws {
        let lab = try await LiveLab()
        defer { lab.stop() }
        let proxy = try await ScriptedServer(upstream: lab.alertmanagerURL)
        let watch = try WatchHarness(lab: lab, alertmanagerURL: proxy.url, actionTier: "high")
        defer { watch.stop() }
        let down = ScriptedServer.Reply(status: 503, body: "down", headers: ["Content-Type": "text/plain"])
        for _ in 0..<200 { proxy.enqueue("/api/v2/alerts", down) }
        let process = try watch.start()
        try await watch.waitFor("the first pass", timeout: 30) { watch.log.contains("pass: ") }
        try lab.faultOn()
        try await watch.waitFor("the refused post", timeout: 60) { watch.log.contains("not accepted, sent again next pass") }
        let passes = watch.log.components(separatedBy: "pass: ").count
        try await watch.waitFor("passes going on", timeout: 10) { watch.log.components(separatedBy: "pass: ").count > passes + 2 }
        // Resolved by a human while Alertmanager is still down.
        let resolve = try watch.aurora(["incidents", "resolve", "1", "--cause", "fixed by hand"])
        #expect(resolve.status == 0, "\(resolve.stderr)")
        try await watch.waitFor("the resolution to be refused once", timeout: 10) {
            proxy.requests.contains { $0.path == "/api/v2/alerts" && $0.body.contains("\"incident\":\"1\"") }
        }
        // Alertmanager back: the resolution is delivered.
        proxy.clear("/api/v2/alerts")
        try await watch.waitFor("the resolution to be accepted", timeout: 20) { watch.log.contains("resolved alert(s)") }
        let accepted = proxy.requests.last { $0.path == "/api/v2/alerts" }
        let alerts = try JSONDecoder().decode([Alert].self, from: Data((accepted?.body ?? "[]").utf8))
        #expect(alerts.contains { $0.labels["incident"] == "1" && $0.endsAt <= Date() })
        process.signal(SIGTERM)
        #expect(process.wait(timeout: 10) == 0)
        await proxy.stop()
    }
}
