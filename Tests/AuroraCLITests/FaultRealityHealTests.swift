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

    static func heal(rules: String) async throws -> (text: CLIResult, json: [String: Any]) {
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
        return (text, try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any], "\(json.stdout)"))
    }

    @Test func aLoneSpikeIsALeadForAPersonNotAnAction() async throws {
        let (text, json) = try await Self.heal(rules: "")
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
    }

    @Test func anOperatorsRuleVouchesForTheFault() async throws {
        let (text, json) = try await Self.heal(rules: """
              detection:
                rules:
                  - name: checkout-slow
                    match: latency_ms{service="checkout"}
                    above: 300
            """)
        #expect(text.stdout.contains("fault real (rule `checkout-slow` fired) × cause"), "\(text.stdout)\(text.stderr)")
        let step = try #require((json["incidents"] as? [[String: Any]])?.first)
        #expect((step["fault_basis"] as? String) == "rule" && (step["fault_probability"] as? Double) == 1)
        #expect((step["acting_confidence"] as? Double) == (step["confidence"] as? Double))
    }
}
