import AuroraCLITestSupport
import Foundation
import Testing

@Suite struct LearningCommandTests {
    /// Latency of checkout and payments jumping together at `minute` of a day-long series starting at `start`.
    static func incidentCSV(start: Int, minute: Int = 500) -> String {
        var csv = "timestamp,metric,value,service\n"
        for index in 0..<600 {
            for (service, base) in [("checkout", 100.0), ("payments", 40.0)] {
                let wobble = Double((index * 7 + service.count) % 5)
                let value = (minute..<(minute + 5)).contains(index) ? base * 10 : base + wobble
                csv += "\(start + index * 60),latency_ms,\(value),\(service)\n"
            }
        }
        return csv
    }

    func detectIncident(_ cli: CLIHarness, start: Int, name: String) async throws {
        let file = try cli.directory.write(name, Self.incidentCSV(start: start))
        #expect(await cli.run(["detect", file]).status == 0)
    }

    @Test func resolvedIncidentsCreateThenReinforceAPattern() async throws {
        let cli = try CLIHarness()
        defer { cli.remove() }
        try await detectIncident(cli, start: 1_767_225_600, name: "day1.csv")
        #expect(await cli.run(["incidents", "resolve", "1", "--cause", "payments pool exhausted"]).status == 0)
        let first = await cli.run(["patterns", "list", "--json"])
        #expect(first.stdout.contains(#""occurrences":1"#))
        #expect(first.stdout.contains(#""symptoms":["checkout latency up","payments latency up"]"#))
        try await detectIncident(cli, start: 1_767_225_600 + 86_400 * 3, name: "day4.csv")
        #expect(await cli.run(["incidents", "resolve", "2", "--cause", "payments pool exhausted"]).status == 0)
        let second = await cli.run(["patterns", "list", "--json"])
        #expect(second.stdout.contains(#""occurrences":2"#))
        #expect(!second.stdout.contains(#""id":2"#))
        #expect(await cli.run(["incidents", "show", "2"]).stdout.contains("reinforced learned pattern #1"))
    }

    @Test func aConfidentLearnedPatternImmunisesTheNextIncident() async throws {
        let cli = try CLIHarness()
        defer { cli.remove() }
        let patterns = try cli.directory.write("patterns.yaml", """
        name: "learned: payments pool"
        cause: "payments connection pool exhausted"
        remediation: restart-payments
        risk: medium
        symptoms:
          - role: latency
            direction: up
        learned:
          root-service: "payments"
          symptoms:
            - { service: "checkout", role: latency, direction: up }
            - { service: "payments", role: latency, direction: up }
          occurrences: 3
          successes: 3
          failures: 0
          false-positives: 0
          mean-recovery-seconds: 240
          first-seen: 1767225600
          last-seen: 1767225600
        """)
        #expect(await cli.run(["patterns", "import", patterns]).stdout == "imported 1 pattern\n")
        try await detectIncident(cli, start: 1_767_225_600, name: "day1.csv")
        let diagnosed = await cli.run(["diagnose"])
        #expect(diagnosed.status == 0)
        #expect(diagnosed.stdout.contains("known pattern #1: learned: payments pool — root-cause analysis skipped"))
        #expect(diagnosed.stdout.contains("playbook: restart-payments"))
        let shown = await cli.run(["incidents", "show", "1", "--json"])
        #expect(shown.stdout.contains("immunised: matched learned pattern #1"))
        #expect(shown.stdout.contains(#""remediation":"restart-payments""#))
        // Feedback: a false positive weakens the pattern that produced it.
        #expect(await cli.run(["incidents", "mark", "1", "--false-positive"]).status == 0)
        #expect(await cli.run(["patterns", "show", "1", "--json"]).stdout.contains(#""false_positives":1"#))
    }

    @Test func exportImportForget() async throws {
        let cli = try CLIHarness()
        defer { cli.remove() }
        try await detectIncident(cli, start: 1_767_225_600, name: "day1.csv")
        #expect(await cli.run(["incidents", "resolve", "1", "--cause", "pool"]).status == 0)
        let exported = await cli.run(["patterns", "export"])
        #expect(exported.stdout.contains("cause: \"pool\""))
        let file = try cli.directory.write("export.yaml", exported.stdout)
        #expect(await cli.run(["patterns", "import", file]).status == 0)
        #expect(await cli.run(["patterns", "forget", "1"]).stdout == "forgot pattern 1\n")
        let left = await cli.run(["patterns", "list", "--json"])
        #expect(left.stdout.hasPrefix(#"[{"id":2,"#))
        #expect(await cli.run(["patterns", "show", "1"]).status == 66)
        let bad = try cli.directory.write("bad.yaml", "name: x\ncause: y\n")
        #expect(await cli.run(["patterns", "import", bad]).status == 65)
    }

    @Test func sloReportOnAConstructedHistory() async throws {
        let cli = try CLIHarness()
        defer { cli.remove() }
        // The harness clock stands at 1_795_000_000 s; the incident's first point is at the minute-500 spike.
        let start = 1_795_000_000 - 600 * 60
        try await detectIncident(cli, start: start, name: "now.csv")
        let spike = Double(start + 500 * 60)
        cli.clock.set(Date(timeIntervalSince1970: spike + 240))
        #expect(await cli.run(["incidents", "resolve", "1"]).status == 0)
        let report = await cli.run(["slo", "--json", "--exit-code"])
        #expect(report.status == 1)  // nothing was auto-resolved: the auto-resolution objective fails
        let object = try #require(try JSONSerialization.jsonObject(with: Data(report.stdout.utf8)) as? [String: Any])
        let objectives = try #require(object["objectives"] as? [[String: Any]])
        let byName = Dictionary(uniqueKeysWithValues: objectives.map { ($0["name"] as? String ?? "", $0) })
        #expect(byName["MTTR"]?["value"] as? Double == 240)
        #expect(byName["MTTR"]?["passes"] as? Bool == true)
        #expect(byName["precision"]?["value"] as? Double == 1)
        #expect(byName["auto-resolution"]?["value"] as? Double == 0)
        #expect(byName["rollback rate"]?["samples"] as? Int == 0)
        #expect((byName["detection latency"]?["samples"] as? Int ?? 0) >= 2)
        #expect(await cli.run(["slo", "--service", "nope", "--json"]).stdout.contains(#""samples":0"#))
    }
}
