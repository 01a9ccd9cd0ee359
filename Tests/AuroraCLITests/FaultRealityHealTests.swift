import AuroraCLITestSupport
import AuroraCore
import AuroraTestSupport
import Foundation
import Testing

/// `aurora heal` decides a remediation on the probability that acting is right: that the incident is a
/// real fault times that its cause is the diagnosed one. One latency spike on a service nothing else
/// could explain used to be "100% sure" of its cause and executed with no one asked; it now asks a
/// person, unless the operator's own rule vouches for the fault.
@Suite struct FaultRealityHealTests {
    /// A day of a slow daily cycle of checkout's latency, one point a minute, and one spike near the end.
    static func spike() -> String {
        var random = Xoshiro256(seed: 7)
        var csv = "timestamp,metric,service,value\n"
        for minute in 0..<2000 {
            let value = minute == 1990 ? 400 : 100 + 5 * sin(Double(minute) / 50) + 2 * random.nextNormal()
            csv += "\(1_767_571_200 + minute * 60),latency_ms,checkout,\(value)\n"
        }
        return csv
    }

    struct Outputs {
        var text: CLIResult
        var json: [String: Any]
        /// `aurora diagnose` and `aurora diagnose --json` of the same incident afterwards.
        var diagnose: CLIResult
        var diagnoseJSON: [[String: Any]]
        /// `aurora incidents show 1` after the heal.
        var show: CLIResult
    }

    static func heal(rules: String) async throws -> Outputs {
        var cli = try CLIHarness()
        defer { cli.remove() }
        let folder = cli.directory.path
        try Data(spike().utf8).write(to: URL(fileURLWithPath: folder + "/spike.csv"))
        try Data("""
            aurora:
            \(rules)
              remediation:
                stale-after: 0
                actions:
                  failover:
                    type: database-failover
                    tier: low
                    command: ['true']
            """.utf8).write(to: URL(fileURLWithPath: folder + "/aurora.yaml"))
        cli.environment["AURORA_CONFIG"] = folder + "/aurora.yaml"
        let text = await cli.run(["heal", folder + "/spike.csv", "--dry-run"])
        let json = await cli.run(["heal", "--stored", "--dry-run", "--json"])
        let show = await cli.run(["incidents", "show", "1"])
        let diagnose = await cli.run(["diagnose", "1"])
        let diagnoseJSON = await cli.run(["diagnose", "1", "--json"])
        return Outputs(text: text, json: try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any], "\(json.stdout)"),
                       diagnose: diagnose,
                       diagnoseJSON: try #require(try JSONSerialization.jsonObject(with: Data(diagnoseJSON.stdout.utf8)) as? [[String: Any]]),
                       show: show)
    }

    @Test func aLoneSpikeIsALeadForAPersonNotAnAction() async throws {
        let outputs = try await Self.heal(rules: "")
        let (text, json) = (outputs.text, outputs.json)
        #expect(text.stdout.contains("root cause checkout (latency_ms)"), "\(text.stdout)\(text.stderr)")
        let decide = try #require(text.stdout.split(separator: "\n").first { $0.contains("decide") }, "\(text.stdout)")
        #expect(decide.contains("fault real ") && decide.contains("(strongest anomaly) × cause "), "\(decide)")
        #expect(text.stdout.contains("failover on checkout: dry run: would wait for approval; needs approval (confidence.0.5-0.7)")
                || text.stdout.contains("failover on checkout: dry run: would be escalated to a human"), "\(text.stdout)")
        let step = try #require((json["incidents"] as? [[String: Any]])?.first)
        let fault = try #require((step["fault_probability"] as? Double))
        let cause = try #require((step["confidence"] as? Double))
        let acting = try #require((step["acting_confidence"] as? Double))
        #expect((step["fault_basis"] as? String) == "anomaly")
        #expect(fault > 0.2 && fault < 0.8, "\(fault)")
        #expect(abs(acting - fault * cause) < 0.002, "\(acting) \(fault) \(cause)")
        #expect(acting < 0.7 && (step["tier"] as? String) != "auto" && (step["tier"] as? String) != "auto-with-monitoring", "\(step)")
        // `incidents show` says what the cause's confidence was and what the decision rested on.
        #expect(outputs.show.stdout.contains(String(format: "confidence %.0f%% in the cause\n", cause * 100)), "\(outputs.show.stdout)")
        #expect(outputs.show.stdout.contains(String(format: "fault      real %.0f%% (strongest anomaly) → acting on %.0f%%: ", fault * 100, acting * 100)),
                "\(outputs.show.stdout)")
        // `aurora diagnose` shows the same weighing beside the cause, and carries the fault in --json.
        let line = try #require(outputs.diagnose.stdout.split(separator: "\n").first { $0.contains("confidence in the cause") },
                                "\(outputs.diagnose.stdout)")
        #expect(line.contains(String(format: "fault real %.0f%% (strongest anomaly) → %.0f%%: ", fault * 100, acting * 100)), "\(line)")
        #expect(!line.contains("auto-execute"), "\(line)")
        let diagnosed = try #require(outputs.diagnoseJSON.first?["fault"] as? [String: Any])
        #expect(diagnosed["basis"] as? String == "anomaly" && abs((diagnosed["probability"] as? Double ?? 0) - fault) < 0.002)
    }

    @Test func anOperatorsRuleVouchesForTheFault() async throws {
        let outputs = try await Self.heal(rules: """
              detection:
                rules:
                  - name: checkout-slow
                    match: latency_ms{service="checkout"}
                    above: 300
            """)
        let (text, json) = (outputs.text, outputs.json)
        #expect(text.stdout.contains("fault real (rule `checkout-slow` fired) × cause"), "\(text.stdout)\(text.stderr)")
        let step = try #require((json["incidents"] as? [[String: Any]])?.first)
        #expect((step["fault_basis"] as? String) == "rule" && (step["fault_probability"] as? Double) == 1)
        #expect((step["acting_confidence"] as? Double) == (step["confidence"] as? Double))
        #expect(outputs.diagnose.stdout.contains("fault real (rule `checkout-slow` fired) → "), "\(outputs.diagnose.stdout)")
    }
}
