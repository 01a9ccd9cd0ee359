import AuroraCore
import AuroraHTTP
import AuroraLiveLab
import AuroraPrometheus
import AuroraRemediation
import AuroraTestSupport
import Foundation
import Testing

/// The webhook listener of `aurora watch --listen`, and the real Alertmanager sending to it.
@Suite(.serialized, .enabled(if: LabBinaries.available, Comment(rawValue: LabBinaries.missingReason ?? "")))
struct WebhookTests {
    static func payload(status: String, fingerprint: String = "f00d", startsAt: String = "2026-12-06T04:00:00.123456789Z") -> String {
        #"{"version":"4","groupKey":"{}:{alertname=\"HighErrorRate\"}","status":"\#(status)","receiver":"aurora","groupLabels":{},"commonLabels":{},"commonAnnotations":{},"externalURL":"http://am","alerts":[{"status":"\#(status)","labels":{"alertname":"HighErrorRate","service":"payments"},"annotations":{"summary":"errors"},"startsAt":"\#(startsAt)","endsAt":"0001-01-01T00:00:00Z","generatorURL":"","fingerprint":"\#(fingerprint)"}]}"#
    }

    func post(_ url: String, _ body: String, token: String? = "hook-secret") async -> Int {
        var headers = [HTTPHeaderField(name: "Content-Type", value: "application/json")]
        if let token { headers.append(HTTPHeaderField(name: "Authorization", value: "Bearer \(token)")) }
        let result = await URLSessionTransport().send(HTTPRequestData(method: "POST", url: url + "/alertmanager", headers: headers,
                                                                      body: Array(body.utf8), timeout: 5))
        return (try? result.get().status) ?? -1
    }

    @Test func aStormOfOneAlertOpensOneIncidentAndItsResolutionClosesIt() async throws {
        let lab = try await LiveLab()
        defer { lab.stop() }
        let port = try FreePort.next()
        let watch = try WatchHarness(lab: lab, historySeconds: 0, watchKeys: ["webhook-token-env: HOOK_TOKEN", "webhook-body-limit: 4096"])
        defer { watch.stop() }
        let url = "http://127.0.0.1:\(port)"
        let process = try LabProcess(name: "watch1", executable: try AuroraBinary.path(),
                                     arguments: ["--db", watch.folder.file("aurora.db"), "--config", watch.folder.file("aurora.yaml"),
                                                 "watch", "--listen", "127.0.0.1:\(port)"],
                                     logPath: watch.folder.file("watch1.log"),
                                     environment: ProcessInfo.processInfo.environment.merging(["HOOK_TOKEN": "hook-secret"]) { $1 })
        watch.starts = 1
        watch.process = process
        try await watch.waitFor("the listener", timeout: 30) { watch.log.contains("listening on") }
        let statuses = await withTaskGroup(of: Int.self) { group -> [Int] in
            for _ in 0..<50 { group.addTask { await post(url, Self.payload(status: "firing")) } }
            return await group.reduce(into: []) { $0.append($1) }
        }
        #expect(statuses.allSatisfy { $0 == 200 }, "\(statuses)")
        #expect(await post(url, "{not json") == 400)
        #expect(await post(url, Self.payload(status: "firing"), token: nil) == 401)
        #expect(await post(url, String(repeating: " ", count: 5000) + Self.payload(status: "firing")) == 413)
        try await watch.waitFor("the incident", timeout: 20) { watch.log.contains("alert HighErrorRate firing for payments: incident 1") }
        // Re-sent after it was applied (Alertmanager retries until it gets a 2xx): still one incident.
        #expect(await post(url, Self.payload(status: "firing")) == 200)
        try await Task.sleep(nanoseconds: 2_500_000_000)
        #expect(!watch.log.contains("incident 2"))
        #expect(await post(url, Self.payload(status: "resolved")) == 200)
        try await watch.waitFor("the resolution", timeout: 20) { watch.log.contains("incident 1 resolved: alert HighErrorRate resolved in Alertmanager") }
        let health = try await URLSessionTransport().send(HTTPRequestData(method: "GET", url: url + "/healthz", timeout: 5)).get()
        #expect(health.status == 200)
        let metrics = try await URLSessionTransport().send(HTTPRequestData(method: "GET", url: url + "/metrics", timeout: 5)).get()
        let text = String(decoding: metrics.body, as: UTF8.self)
        #expect(text.contains("aurora_watch_webhook_alerts_total{outcome=\"accepted\"} 52"))
        #expect(text.contains("aurora_watch_webhook_alerts_total{outcome=\"bad_request\"} 1"))
        #expect(text.contains("aurora_watch_webhook_alerts_total{outcome=\"too_large\"} 1"))
        #expect(text.contains("aurora_watch_webhook_alerts_total{outcome=\"unauthorized\"} 1"))
        #expect(!watch.log.contains("hook-secret"))
        process.signal(SIGTERM)
        #expect(process.wait(timeout: 10) == 0)
    }

    @Test func theRealAlertmanagerTriggersAuroraAndAurorasOwnAlertsAreNotFedBack() async throws {
        let port = try FreePort.next()
        let lab = try await LiveLab(LiveLab.Options(webhookURL: "http://127.0.0.1:\(port)/alertmanager"))
        defer { lab.stop() }
        let watch = try WatchHarness(lab: lab)
        defer { watch.stop() }
        try watch.start(["--listen", "127.0.0.1:\(port)"])
        try await watch.waitFor("the listener", timeout: 30) { watch.log.contains("listening on") }
        // An alerting rule elsewhere fires for payments.
        let client = AlertmanagerClient(baseURL: lab.alertmanagerURL, transport: lab.transport)
        try await client.post([Alert(labels: ["alertname": "HighErrorRate", "service": "payments"], startsAt: Date().addingTimeInterval(-10),
                                     endsAt: Date().addingTimeInterval(300))])
        try await watch.waitFor("the webhook incident", timeout: 30) { watch.log.contains("alert HighErrorRate firing for payments: incident") }
        // aurora's own alert for that incident comes back through the same route and is ignored.
        try await watch.waitFor("its own alert to come back", timeout: 30) { watch.log.contains("alert AuroraIncident ignored: aurora's own alert") }
    }
}
