import AuroraLiveLab
import AuroraPrometheus
import AuroraTestSupport
import Foundation
import Testing

/// `aurora ingest --prometheus` and `aurora config check --online` against the real servers.
@Suite(.serialized, .enabled(if: LabBinaries.available, Comment(rawValue: LabBinaries.missingReason ?? "")))
struct IngestPrometheusTests {
    @Test func ingestPullsEveryQueryOverTheWindowIdempotentlyAndConfigCheckTriesThemOnline() async throws {
        let lab = try await LiveLab()
        defer { lab.stop() }
        let folder = try TemporaryDirectory("aurora-live")
        defer { folder.remove() }
        try folder.write("aurora.yaml", labConfiguration(lab, queries: ["lab_latency_seconds", "lab_requests_per_second"]))
        try await Task.sleep(nanoseconds: 3_000_000_000)
        let first = try aurora(["ingest", "--prometheus", "--since", "1m", "--json"], in: folder)
        #expect(first.status == 0, "\(first.stderr)")
        let report = try JSONSerialization.jsonObject(with: Data(first.stdout.utf8)) as? [String: Any]
        #expect(report?["series"] as? Int == 2)
        #expect((report?["new_points"] as? Int ?? 0) >= 4)
        let list = try aurora(["series", "list"], in: folder)
        #expect(list.stdout.contains("lab_latency_seconds{instance=\"127.0.0.1:\(lab.targetPort)\",job=\"lab\",service=\"checkout\"}"))
        #expect(list.stdout.contains("lab_requests_per_second{instance="))
        // The same window again stores nothing new.
        let until = String(Int(Date().timeIntervalSince1970) - 1)
        _ = try aurora(["ingest", "--prometheus", "--since", "20s", "--until", until], in: folder)
        let again = try aurora(["ingest", "--prometheus", "--since", "20s", "--until", until, "--json"], in: folder)
        let second = try JSONSerialization.jsonObject(with: Data(again.stdout.utf8)) as? [String: Any]
        #expect(second?["new_points"] as? Int == 0, "\(again.stdout)")

        let online = try aurora(["config", "check", "--online"], in: folder)
        #expect(online.status == 0, "\(online.stdout)\(online.stderr)")
        #expect(online.stdout.contains("ok  lab_latency_seconds: 1 series"))
        #expect(online.stdout.contains("alertmanager \(lab.alertmanagerURL): version 0."))
    }

    @Test func aRefusedQueryIsNamedAndNothingIsStored() async throws {
        let lab = try await LiveLab()
        defer { lab.stop() }
        let folder = try TemporaryDirectory("aurora-live")
        defer { folder.remove() }
        try folder.write("aurora.yaml", labConfiguration(lab, queries: ["lab_latency_seconds", "sum(rate(lab_latency_seconds[1m]"]))
        let ingest = try aurora(["ingest", "--prometheus", "--since", "1m"], in: folder)
        #expect(ingest.status == 78)
        #expect(ingest.stderr.contains("query 'sum(rate(lab_latency_seconds[1m]' was refused by Prometheus (HTTP 400 bad_data)"))
        #expect(ingest.stderr.contains("nothing stored"))
        let list = try aurora(["series", "list"], in: folder)
        #expect(!list.stdout.contains("lab_latency_seconds"))
        let online = try aurora(["config", "check", "--online"], in: folder)
        #expect(online.status == 78)
        #expect(online.stdout.contains("FAILED  sum(rate(lab_latency_seconds[1m]"))
    }

    @Test func anUnreachableServerExits69AfterRetries() throws {
        let folder = try TemporaryDirectory("aurora-live")
        defer { folder.remove() }
        // Held refused for the whole test: a port merely free could be given to another test's server
        // meanwhile, which would answer these retries from its own script.
        let refused = try RefusingPort()
        defer { refused.close() }
        try folder.write("aurora.yaml", """
            aurora:
              sources:
                prometheus:
                  url: \(refused.url)
                  queries:
                    - query: up
            """)
        let ingest = try aurora(["ingest", "--prometheus", "--since", "1m"], in: folder)
        #expect(ingest.status == 69, "\(ingest.stderr)")
        #expect(ingest.stderr.contains("Prometheus unavailable after 4 attempts"))
    }

    @Test func headerSecretsReachTheServerAndNothingElse() async throws {
        let lab = try await LiveLab()
        defer { lab.stop() }
        let proxy = try await ScriptedServer(upstream: lab.prometheusURL)
        let folder = try TemporaryDirectory("aurora-live")
        defer { folder.remove() }
        let token = "tok-\(UUID().uuidString)"
        try folder.write("aurora.yaml", labConfiguration(lab, prometheusURL: proxy.url, headers: #"Authorization: "Bearer ${PROM_TOKEN}""#))
        let ingest = try aurora(["ingest", "--prometheus", "--since", "30s", "--json"], in: folder, environment: ["PROM_TOKEN": token])
        await proxy.stop()
        #expect(ingest.status == 0, "\(ingest.stderr)")
        #expect(proxy.requests.allSatisfy { $0.headers["authorization"] == "Bearer \(token)" })
        #expect(!proxy.requests.isEmpty)
        let shown = try aurora(["config", "show"], in: folder, environment: ["PROM_TOKEN": token])
        let audit = try aurora(["audit", "--json"], in: folder, environment: ["PROM_TOKEN": token])
        for output in [ingest.stdout, ingest.stderr, shown.stdout, audit.stdout] { #expect(!output.contains(token)) }
        let database = try Data(contentsOf: URL(fileURLWithPath: folder.file("aurora.db")))
        #expect(database.range(of: Data(token.utf8)) == nil)
        let missing = try aurora(["ingest", "--prometheus", "--since", "30s"], in: folder)
        #expect(missing.status == 78)
        #expect(missing.stderr.contains("secret ${PROM_TOKEN} is not set"))
    }
}
