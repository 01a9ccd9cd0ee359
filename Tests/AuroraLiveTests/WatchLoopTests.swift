import AuroraLiveLab
import AuroraPrometheus
import AuroraTestSupport
import Foundation
import Testing

/// `aurora watch` end to end: the real Prometheus, Alertmanager and target of the live lab.
@Suite(.serialized, .enabled(if: LabBinaries.available, Comment(rawValue: LabBinaries.missingReason ?? "")))
struct WatchLoopTests {
    @Test func theWholeLoopFromFaultToResolvedAlert() async throws {
        let lab = try await LiveLab()
        defer { lab.stop() }
        let watch = try WatchHarness(lab: lab, withInflight: true)
        defer { watch.stop() }
        try watch.start()
        try await watch.waitFor("the first pass", timeout: 30) { watch.log.contains("pass: ") }
        try lab.faultOn()
        let faultStart = Date()
        try await watch.waitFor("an alert in Alertmanager", timeout: 60) { try await watch.firingAlert() != nil }
        let alert = try #require(try await watch.firingAlert())
        #expect(alert.labels["service"] == "checkout")
        #expect(alert.labels["incident"] != nil && alert.labels["severity"] != nil)
        #expect(alert.endsAt > Date().addingTimeInterval(200))
        try await watch.waitFor("the remediation to clear the fault", timeout: 60) { !lab.faultIsOn }
        try await watch.waitFor("the alert to resolve", timeout: 60) { try await watch.firingAlert() == nil }
        let mttr = Date().timeIntervalSince(faultStart)
        #expect(watch.log.contains("incident 1 opened"))
        #expect(watch.log.contains("resolved"))
        let incidents = try watch.aurora(["incidents", "list", "--all", "--json"])
        #expect(incidents.stdout.contains("\"resolved\""), "\(incidents.stdout)")
        print("whole loop: detection and resolution within \(Int(mttr)) s")
    }
}

/// Restarts, signals, the lease and reloads.
@Suite(.serialized, .enabled(if: LabBinaries.available, Comment(rawValue: LabBinaries.missingReason ?? "")))
struct WatchLifecycleTests {
    @Test func aRestartMidIncidentNeitherRealertsNorSkipsPoints() async throws {
        let lab = try await LiveLab()
        defer { lab.stop() }
        // A high-risk action waits for approval: the incident stays open across the restart.
        let watch = try WatchHarness(lab: lab, actionTier: "high")
        defer { watch.stop() }
        watch.exitsAreFailures = false
        let watching = Date().timeIntervalSince1970
        let first = try watch.start()
        try await watch.waitFor("the first pass", timeout: 30) { watch.log.contains("pass: ") }
        try lab.faultOn()
        try await watch.waitFor("an alert", timeout: 60) { try await watch.firingAlert() != nil }
        #expect(first.stop() == 0)
        // Read after the stop: while the first watcher ran, a pass may still have refined the diagnosis
        // (and with it the severity label, which resolves the old alert and posts the new one).
        let before = try #require(try await watch.firingAlert())
        try await Task.sleep(nanoseconds: 3_000_000_000)
        try watch.start()
        try await watch.waitFor("two passes after the restart", timeout: 30) {
            watch.log.components(separatedBy: "pass: ").count > 3 && (try? String(contentsOfFile: watch.folder.file("watch2.log"), encoding: .utf8))?
                .components(separatedBy: "pass: ").count ?? 0 >= 3
        }
        let after = try await lab.alerts().filter { $0.labels["alertname"] == "AuroraIncident" }
        #expect(after.count == 1, "\(after.map(\.labels))")
        // The same alert: the same incident, started at the same time. Its service and severity labels
        // may be refined by a re-diagnosis after the restart (then the old label set is resolved, so
        // one alert still fires), so they are not what identifies it here.
        #expect(after.first?.labels["incident"] == before.labels["incident"] && after.first?.startsAt == before.startsAt,
                "before \(before.labels), after \(after.map(\.labels))")
        #expect(!watch.log.contains("incident 2 opened"))
        // No point skipped: the stored series has one point per second across the stop.
        let key = "lab_latency_seconds{instance=\"127.0.0.1:\(lab.targetPort)\",job=\"lab\",role=\"latency\",service=\"checkout\"}"
        let csv = try watch.aurora(["series", "show", key]).stdout
        let times = csv.split(separator: "\n").dropFirst().compactMap { $0.split(separator: ",").first }
            .compactMap { try? Date.ISO8601FormatStyle().parse(String($0)) }.map(\.timeIntervalSince1970).sorted().filter { $0 >= watching }
        let gaps = zip(times, times.dropFirst()).map { $1 - $0 }
        #expect(!times.isEmpty && (gaps.max() ?? 99) <= 1.001, "largest gap \(gaps.max() ?? -1) s in \(times)")
    }

    @Test func sigtermDuringARemediationInterruptsItAndStopsCleanly() async throws {
        let lab = try await LiveLab()
        defer { lab.stop() }
        let watch = try WatchHarness(lab: lab, actionCommand: "[sleep, '60']", withInflight: true)
        defer { watch.stop() }
        let process = try watch.start()
        try await watch.waitFor("the first pass", timeout: 30) { watch.log.contains("pass: ") }
        try lab.faultOn()
        try await watch.waitFor("a running remediation with its process group", timeout: 60) {
            try runningProcessGroup(watch.aurora(["queue", "--all", "--json"]).stdout) != nil
        }
        let queued = try watch.aurora(["queue", "--all", "--json"]).stdout
        let group = try #require(runningProcessGroup(queued))
        #expect(kill(-group, 0) == 0, "the action's process group \(group) runs before the stop")
        process.signal(SIGTERM)
        #expect(process.wait(timeout: 15) == 0, "\(watch.log)")
        let audit = try watch.aurora(["audit", "--json"]).stdout
        #expect(audit.contains("interrupted by SIGTERM") && audit.contains("\"outcome\":\"interrupted\""), "\(audit)")
        #expect(watch.log.contains("interrupted by SIGTERM"))
        // The action's process group is gone.
        let sleeping = try AuroraBinary.run(["--db", watch.folder.file("aurora.db"), "queue", "--all", "--json"]).stdout
        #expect(!sleeping.contains("\"running\""), "\(queued)\n\(sleeping)")
        // Only this action's own group is checked: other tests and builds on the machine may run `sleep 60` too.
        #expect(kill(-group, 0) == -1 && errno == ESRCH, "process group \(group) still has members")
    }

    @Test func aSecondWatcherExits75NamingTheHolderAndADeadLeaseExpires() async throws {
        let lab = try await LiveLab()
        defer { lab.stop() }
        let watch = try WatchHarness(lab: lab, historySeconds: 0)
        defer { watch.stop() }
        let first = try watch.start()
        try await watch.waitFor("the first pass", timeout: 30) { watch.log.contains("pass: ") }
        let second = try watch.aurora(["watch", "--once"])
        #expect(second.status == 75)
        #expect(second.stderr.contains("another aurora watch holds this database: \(ProcessInfo.processInfo.hostName) pid \(first.pid)"))
        // A watcher killed without a chance to release: its lease is taken over (here at once: its pid is gone).
        first.signal(SIGKILL)
        _ = first.wait(timeout: 5)
        let third = try watch.aurora(["watch", "--once"])
        #expect(third.status == 0, "\(third.stderr)")
        #expect(third.stderr.contains("took over the lease of"))
    }

    @Test func sighupReloadsAndAnInvalidFileKeepsTheOldConfiguration() async throws {
        let lab = try await LiveLab()
        defer { lab.stop() }
        let watch = try WatchHarness(lab: lab, historySeconds: 0)
        defer { watch.stop() }
        let textfile = watch.folder.file("aurora.prom")
        let process = try watch.start(["--log-format", "json", "--metrics-textfile", textfile])
        try await watch.waitFor("the first pass", timeout: 30) { watch.log.contains("\"event\":\"pass\"") }
        let good = try String(contentsOfFile: watch.folder.file("aurora.yaml"), encoding: .utf8)
        try watch.folder.write("aurora.yaml", good + "\n  bogus-key: 1\n")
        process.signal(SIGHUP)
        try await watch.waitFor("the reload to be refused", timeout: 10) { watch.log.contains("the old one stays in force") }
        #expect(watch.log.contains("unknown key `bogus-key`"))
        let passes = watch.log.components(separatedBy: "\"event\":\"pass\"").count
        try await watch.waitFor("passes to go on", timeout: 10) { watch.log.components(separatedBy: "\"event\":\"pass\"").count > passes + 1 }
        // The good file again, with a key that loads but does nothing: the reload logs its warning.
        #expect(good.components(separatedBy: "    actions:\n").count == 2)
        try watch.folder.write("aurora.yaml", good.replacingOccurrences(of: "    actions:\n", with: """
                actions:
                  ping:
                    type: service-restart
                    http: {url: 'http://127.0.0.1:9/', body-contains: ok}

            """))
        process.signal(SIGHUP)
        try await watch.waitFor("the reload", timeout: 10) { watch.log.contains("configuration reloaded") }
        try await watch.waitFor("the warning", timeout: 5) { watch.log.contains("body-contains: ignored here") }
        // Every log line is one JSON object.
        for line in watch.log.split(separator: "\n") {
            #expect((try? JSONSerialization.jsonObject(with: Data(line.utf8))) != nil, "not JSON: \(line)")
        }
        let metrics = try String(contentsOfFile: textfile, encoding: .utf8)
        #expect(metrics.contains("aurora_watch_passes_total "))
        #expect(metrics.contains("aurora_watch_series_watched 1"))
        #expect(metrics.contains("aurora_watch_errors_total{source=\"config\"} 1"))
        // Each pass measures the CPU it used: present and non-negative in the metrics and in the pass line.
        let lastCPU = metrics.split(separator: "\n").first { $0.hasPrefix("aurora_watch_last_pass_cpu_seconds ") }
        #expect(lastCPU.flatMap { Double($0.split(separator: " ")[1]) }.map { $0 >= 0 } == true, "\(metrics)")
        #expect(metrics.contains("aurora_watch_pass_cpu_seconds_count "))
        let passLine = watch.log.split(separator: "\n").first { $0.contains("\"event\":\"pass\"") }
        let passObject = passLine.flatMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        #expect((passObject?["cpu_seconds"] as? Double).map { $0 >= 0 } == true, "\(passLine ?? "no pass line")")
        #expect(!FileManager.default.fileExists(atPath: textfile + ".tmp.\(process.pid)"))
        process.signal(SIGINT)
        #expect(process.wait(timeout: 10) == 0)
    }
}

/// The process group of the running remediation in `aurora queue --json` output, once it has one.
func runningProcessGroup(_ queueJSON: String) -> Int32? {
    guard let items = try? JSONSerialization.jsonObject(with: Data(queueJSON.utf8)) as? [[String: Any]] else { return nil }
    return items.first { $0["state"] as? String == "running" }.flatMap { ($0["child_pgid"] as? NSNumber)?.int32Value }
}
