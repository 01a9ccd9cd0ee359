import AuroraCore
import AuroraHTTP
import AuroraLiveLab
import AuroraTestSupport
import Foundation
import Testing

/// What a long-running watcher must not do: repeat itself in its log, or keep every point forever.
@Suite(.serialized, .enabled(if: LabBinaries.available, Comment(rawValue: LabBinaries.missingReason ?? "")))
struct WatchHygieneTests {
    /// How many lines of `log` contain `text`.
    static func lines(_ log: String, containing text: String) -> Int {
        log.split(separator: "\n").filter { $0.contains(text) }.count
    }

    @Test func anIncidentLeftOpenIsLoggedOnceNotOncePerPass() async throws {
        let lab = try await LiveLab()
        defer { lab.stop() }
        let port = try FreePort.next()
        let watch = try WatchHarness(lab: lab, historySeconds: 0)
        defer { watch.stop() }
        try watch.start(["--listen", "127.0.0.1:\(port)"])
        try await watch.waitFor("the listener", timeout: 30) { watch.log.contains("listening on") }
        // An alert for a service aurora has no series of: its incident cannot be diagnosed and stays open,
        // visited again by every pass.
        let body = WebhookTests.payload(status: "firing")
        let posted = await URLSessionTransport().send(HTTPRequestData(
            method: "POST", url: "http://127.0.0.1:\(port)/alertmanager", headers: [HTTPHeaderField(name: "Content-Type", value: "application/json")],
            body: Array(body.utf8), timeout: 5))
        #expect((try? posted.get().status) == 200)
        try await watch.waitFor("the incident's first step", timeout: 30) { watch.log.contains("remediation: incident 1:") }
        let passesBefore = Self.lines(watch.log, containing: " pass: ")
        try await watch.waitFor("three more passes", timeout: 30) { Self.lines(watch.log, containing: " pass: ") >= passesBefore + 3 }
        #expect(Self.lines(watch.log, containing: "diagnosed: incident 1:") == 1, "\(watch.log)")
        #expect(Self.lines(watch.log, containing: "remediation: incident 1:") == 1, "\(watch.log)")
    }

    @Test func aPassDeletesPointsOlderThanTheRetentionAndKeepsTheRest() async throws {
        let lab = try await LiveLab()
        defer { lab.stop() }
        let watch = try WatchHarness(lab: lab, extraConfiguration: "  diagnosis:\n    history-window: 1m", historySeconds: 0,
                                     watchKeys: ["retention: 2m"])
        defer { watch.stop() }
        // Points an hour old, and points of the last minute, of a series the source does not serve.
        let now = Int(Date().timeIntervalSince1970)
        var csv = "timestamp,metric,value,service\n"
        for offset in [3600, 3590, 3580, 50, 40, 30] { csv += "\(now - offset),old_latency,1,archive\n" }
        try watch.folder.write("old.csv", csv)
        #expect(try watch.aurora(["ingest", "--format", "long", watch.folder.file("old.csv")]).status == 0)
        let once = try watch.aurora(["watch", "--once"])
        #expect(once.status == 0, "\(once.stderr)")
        #expect(once.stderr.contains("retention: deleted 3 point(s) older than 2m from 1 series"), "\(once.stderr)")
        let shown = try watch.aurora(["series", "show", "old_latency{service=\"archive\"}"]).stdout
        #expect(shown.split(separator: "\n").count == 1 + 3, "\(shown)")
        // Nothing older than two minutes is left anywhere.
        let dry = try watch.aurora(["db", "prune", "--older-than", "2m", "--dry-run", "--json"])
        #expect(dry.stdout.contains("\"points\":0"), "\(dry.stdout)\(dry.stderr)")
    }
}
