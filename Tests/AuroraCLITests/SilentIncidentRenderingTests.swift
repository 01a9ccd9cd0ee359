import AuroraCLITestSupport
import AuroraCore
import AuroraStore
import Foundation
import Testing

/// How an incident of series that stopped reporting reads: `diagnose` names the silent service with
/// what is known and no measured confidence, and its summary says what a human does next; --json
/// carries the silence; `heal` escalates it.
@Suite struct SilentIncidentRenderingTests {
    static let step: Int64 = 10_000
    static let origin: Int64 = 1_795_000_000_000 - 7_200_000
    static let since = origin + 540 * step

    /// api's two series stop at `since`, db's keeps reporting; one absent-data event for api's, in incident 1.
    /// `alsoSilent` services more (`svc00`, `svc01`, …) stop at the same moment, one series and one event each.
    static func store(at path: String, alsoSilent: Int = 0) throws {
        let store = try Store(path: path)
        let now = Date(unixMilliseconds: since + 20_000)
        let others = (0..<alsoSilent).map { String(format: "svc%02d", $0) }
        try store.database.write { db in
            let series = ([("api", "i0"), ("api", "i1"), ("db", "i0")] + others.map { ($0, "i0") }).map { service, instance in
                var series = Series(key: SeriesKey(name: "requests_total", labels: ["service": service, "instance": instance]))
                for time in stride(from: origin, to: since + 20_000, by: Int(step)) where service == "db" || time < since {
                    series.append(timestamp: time, value: 5 + Double(time / step % 3))
                }
                return series
            }
            _ = try SeriesStore.store(series, serviceLabel: "service", at: now, in: db)
            for (service, count) in [("api", 2)] + others.map({ ($0, 1) }) {
                try AbsenceStore.record(AnomalyRecord(seriesKey: #"requests_total{instance="i0",service=""# + service + #""}"#, service: service,
                                                      start: since, end: since + 20_000, peakTime: since + 20_000, peakValue: 0, expectedLow: nil,
                                                      expectedHigh: nil, score: 1, detectors: AbsenceStore.detector, recorded: now,
                                                      source: "prometheus: \(count) series of \(service) disappeared"),
                                        gap: 300_000, at: now, in: db)
            }
            _ = try IncidentStore.groupUnassignedEvents(by: IncidentGrouping(gap: 300_000, openingScore: 0.5), at: now, in: db)
        }
    }

    @Test func diagnoseSaysWhichServiceStoppedAndWhatToDo() async throws {
        let cli = try CLIHarness()
        defer { cli.remove() }
        try Self.store(at: cli.databasePath)
        let text = await cli.run(["diagnose", "1", "--no-color"], terminal: true)
        #expect(text.status == 0, "\(text.stderr)")
        let lines = text.stdout.split(separator: "\n").map(String.init)
        #expect(lines.contains("#1 api: Stopped reporting: its series left the source's answers."), "\(text.stdout)")
        #expect(lines.contains("   confidence not measured (no points to measure) → escalate to a human"))
        #expect(lines.contains { $0.hasPrefix(#"   - 2 series (requests_total{instance="i0",service="api"} and 1 more) stopped reporting at "#)
                && $0.hasSuffix("none has reported since") })
        #expect(!text.stdout.contains("around the incident"), "no sparkline: it would draw the points and hide the gap")
        #expect(!text.stdout.contains("#2"), "db kept reporting: it is not ranked")
        #expect(lines.last == "summary: 1 incident diagnosed — api: Stopped reporting: its series left the source's answers; "
                + "next: find out why the series stopped (is the target up, does its scrape answer?), then aurora incidents resolve 1 --cause TEXT")
        #expect(text.stderr.contains("every anomaly of the incident is series that stopped reporting"))

        let json = await cli.run(["diagnose", "1", "--json"])
        let items = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]])
        let diagnosis = try #require(items.first?["diagnosis"] as? [String: Any])
        let top = try #require((diagnosis["candidates"] as? [[String: Any]])?.first)
        #expect(top["service"] as? String == "api" && top["confidence"] as? Double == 0 && top["tier"] as? String == "escalate")
        #expect(top["confidenceMeasured"] as? Bool == false)
        let silence = try #require(top["silence"] as? [String: Any])
        #expect(silence["seriesCount"] as? Int == 2 && silence["returnedCount"] as? Int == 0)
        #expect(silence["since"] as? Int64 == Self.since && silence["lastPoint"] as? Int64 == Self.since - Self.step)
        #expect((diagnosis["silences"] as? [Any])?.count == 1)

        let shown = await cli.run(["incidents", "show", "1"])
        #expect(shown.stdout.contains("confidence not measured: its series stopped reporting (escalate)"), "\(shown.stdout)")
        let listed = await cli.run(["incidents", "list", "--no-color"])
        #expect(listed.stdout.split(separator: "\n").contains { $0.hasPrefix("1 ") && $0.hasSuffix("not measured") }, "\(listed.stdout)")
        let shownJSON = await cli.run(["incidents", "show", "1", "--json"])
        let incident = try #require(try JSONSerialization.jsonObject(with: Data(shownJSON.stdout.utf8)) as? [String: Any])
        #expect(incident["confidence"] as? Double == 0 && incident["confidence_measured"] as? Bool == false)
        #expect(shown.stdout.contains(#"  requests_total{instance="i0",service="api"}  2026-11-18T10:36:40Z  prometheus: 2 series of api disappeared  [absent]"#))
        #expect(shown.stdout.contains("root cause: api — Stopped reporting: its series left the source's answers. (confidence not measured, escalate)"))
    }

    @Test func healEscalatesIt() async throws {
        let cli = try CLIHarness()
        defer { cli.remove() }
        try Self.store(at: cli.databasePath)
        let healed = await cli.run(["heal", "--stored", "--no-color"])
        #expect(healed.stdout.contains("root cause api: Stopped reporting: its series left the source's answers."
                                       + " — confidence in the cause not measured (its series stopped reporting), escalate"), "\(healed.stdout)")
        #expect(!healed.stdout.contains("0%"), "a 0 that is no measurement is not shown as one")
        #expect(healed.stdout.contains("no remediation known for this cause: escalated to a human"))

        // --json keeps the number (the decision's input) and says it was not measured.
        let json = await cli.run(["heal", "--stored", "--json"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let step = try #require((object["incidents"] as? [[String: Any]])?.first)
        #expect(step["confidence"] as? Double == 0 && step["confidence_measured"] as? Bool == false && step["tier"] as? String == "escalate")
    }

    @Test func theHTMLReportSaysTheConfidenceWasNotMeasured() async throws {
        let cli = try CLIHarness()
        defer { cli.remove() }
        try Self.store(at: cli.databasePath)
        #expect(await cli.run(["diagnose", "1", "--quiet"]).status == 0)
        let path = cli.directory.file("incident-1.html")
        let result = await cli.run(["report", "1", "--html", path])
        #expect(result.status == 0, "\(result.stderr)")
        let page = try String(contentsOfFile: path, encoding: .utf8)
        #expect(page.contains("<strong>api</strong> — Stopped reporting: its series left the source&#39;s answers; confidence not measured "
                              + "(its series stopped reporting; for a human to find why).</p>"), "\(page)")
        #expect(page.contains("<p class=\"meta\">confidence not measured (its series stopped reporting; for a human to find why) → "))
        #expect(!page.contains("confidence 0%"))
        // The chart of a series that stopped says so, not "within range at 0 (expected ?)".
        #expect(page.range(of: #"stopped reporting from [0-9:]+ \(prometheus: 2 series of api disappeared\)"#, options: .regularExpression) != nil,
                "\(page)")
        #expect(!page.contains("expected ?"))
    }

    /// An incident of many services: `diagnose`'s title and `heal`'s line name the first few and how many more
    /// (the candidates name the rest).
    @Test func diagnosesTitleShortensALongListOfServices() async throws {
        let cli = try CLIHarness()
        defer { cli.remove() }
        try Self.store(at: cli.databasePath, alsoSilent: 11)
        let text = await cli.run(["diagnose", "1", "--no-color"])
        #expect(text.status == 0, "\(text.stderr)")
        let title = try #require(text.stdout.split(separator: "\n").first.map(String.init))
        #expect(title == "incident 1 — api, svc00, svc01 and 9 more", "\(text.stdout)")
        let healed = await cli.run(["heal", "--stored", "--no-color"])
        #expect(healed.stdout.contains("incident 1 (api, svc00, svc01 and 9 more)"), "\(healed.stdout)")
    }
}
