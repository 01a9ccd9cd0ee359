import AuroraCLITestSupport
import Foundation
import Testing

@Suite struct IncidentsCommandTests {
    /// Two services whose latency jumps together at the same minute: one incident with both.
    static func twoServices() -> String {
        var csv = "timestamp,metric,value,service\n"
        for minute in 0..<600 {
            for (service, base) in [("checkout", 100.0), ("payments", 40.0)] {
                let wobble = Double((minute * 7 + service.count) % 5)
                let value = (500..<505).contains(minute) ? base * 10 : base + wobble
                csv += "\(1_767_225_600 + minute * 60),latency_ms,\(value),\(service)\n"
            }
        }
        return csv
    }

    @Test func overlappingAnomaliesBecomeOneIncidentWithATimeline() async throws {
        let cli = try CLIHarness()
        defer { cli.remove() }
        let file = try cli.directory.write("latency.csv", Self.twoServices())
        #expect(await cli.run(["detect", file]).status == 0)
        let list = await cli.run(["incidents", "list", "--json"])
        #expect(list.status == 0)
        #expect(list.stdout.hasPrefix(#"[{"id":1,"status":"open","services":["checkout","payments"]"#))
        #expect(!list.stdout.contains(#""id":2"#))
        let show = await cli.run(["incidents", "show", "1"])
        #expect(show.stdout.contains("services   checkout, payments"))
        #expect(show.stdout.contains("opened      incident opened"))
        #expect(show.stdout.contains(#"latency_ms{service="payments"}"#))
    }

    @Test func resolveReopenAndFalsePositiveFeedback() async throws {
        let cli = try CLIHarness()
        defer { cli.remove() }
        let file = try cli.directory.write("latency.csv", Self.twoServices())
        #expect(await cli.run(["detect", file]).status == 0)
        #expect(await cli.run(["incidents", "resolve", "1", "--cause", "pool exhausted"]).stdout == "incident 1 resolved\n")
        let again = await cli.run(["incidents", "resolve", "1"])
        #expect(again.status == 65)
        #expect(again.stderr.contains("already resolved"))
        #expect(await cli.run(["incidents", "list"]).stderr.contains("no unresolved incidents"))
        #expect(await cli.run(["incidents", "list", "--all", "--json"]).stdout.contains(#""cause":"pool exhausted""#))
        #expect(await cli.run(["incidents", "reopen", "1"]).status == 0)
        #expect(await cli.run(["incidents", "mark", "1", "--false-positive"]).status == 0)
        let shown = await cli.run(["incidents", "show", "1", "--json"])
        #expect(shown.stdout.contains(#""false_positive":true"#))
        #expect(shown.stdout.contains("marked a false positive by tester"))
        #expect(await cli.run(["incidents", "mark", "1"]).status == 64)
        #expect(await cli.run(["incidents", "show", "9"]).status == 66)
        let audit = try String(contentsOfFile: cli.databasePath, encoding: .isoLatin1)
        #expect(audit.contains("incident.resolve"))
    }
}
