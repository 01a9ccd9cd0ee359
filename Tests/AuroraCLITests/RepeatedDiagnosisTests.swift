import AuroraCLITestSupport
import AuroraCore
import Foundation
import Testing

/// The loop diagnoses every open incident on every pass: the timeline and the audit trail hear of a
/// diagnosis when its conclusion changes, not once per pass.
@Suite struct RepeatedDiagnosisTests {
    @Test func aSecondPassOverARefusedIncidentAddsNoTimelineOrAuditEntry() async throws {
        var cli = try CLIHarness()
        defer { cli.remove() }
        // Every remediation refused: the incident stays open, diagnosed.
        let folder = try await cli.refusingDemo()
        let first = await cli.run(["heal", folder + "/fleet-incident.csv"])
        #expect(first.stdout.contains("root cause postgres") && first.stdout.contains("hands-off"), "\(first.stdout)\(first.stderr)")
        let second = await cli.run(["heal", "--stored"])
        // What `aurora heal` prints is unchanged: each run says where the incident stands.
        #expect(second.stdout.contains("root cause postgres"), "\(second.stdout)\(second.stderr)")
        let shown = await cli.run(["incidents", "show", "1", "--json"])
        #expect(shown.stdout.components(separatedBy: #""kind":"diagnosed""#).count - 1 == 1, "\(shown.stdout)")
        let audit = await cli.run(["audit", "--json"])
        #expect(audit.stdout.components(separatedBy: #""action":"incident.diagnose""#).count - 1 == 1, "\(audit.stdout)")
        // A person asking again is told, and it is recorded.
        #expect(await cli.run(["diagnose", "1"]).status == 0)
        let again = await cli.run(["incidents", "show", "1", "--json"])
        #expect(again.stdout.components(separatedBy: #""kind":"diagnosed""#).count - 1 == 2)
    }

    /// A learned pattern of the demo's fault, as `aurora patterns export` writes it after the demo.
    static let learned = """
        ---
        name: "learned: postgres connection-pool exhaustion"
        summary: "Learned from 2 incident(s) rooted in postgres"
        cause: "The connection pool is exhausted; requests wait for a free connection and time out."
        remediation: "restart-service"
        risk: medium
        symptoms:
          - role: errors
            direction: up
          - role: latency
            direction: up
          - role: saturation
            direction: up
        learned:
          root-service: "postgres"
          symptoms:
            - { service: "postgres", role: errors, direction: up }
            - { service: "postgres", role: latency, direction: up }
            - { service: "postgres", role: saturation, direction: up }
          occurrences: 2
          successes: 2
          failures: 0
          false-positives: 0
          mean-recovery-seconds: 20.0
          diagnosis-confidence: 0.99
          first-seen: 1767744620
          last-seen: 1767745880

        """

    @Test func aSecondPassOverARefusedImmunisedIncidentAddsNoTimelineOrAuditEntry() async throws {
        var cli = try CLIHarness()
        defer { cli.remove() }
        // Any overlap of symptoms matches: the incident has more services than the pattern learned.
        let folder = try await cli.refusingDemo(extraConfiguration: "  learning:\n    match-threshold: 0.1\n") { cli in
            let patterns = try cli.directory.write("learned.yaml", Self.learned)
            #expect(await cli.run(["patterns", "import", patterns]).status == 0)
        }
        let first = await cli.run(["heal", folder + "/fleet-incident.csv"])
        #expect(first.stdout.contains("known pattern") && first.stdout.contains("hands-off"), "\(first.stdout)\(first.stderr)")
        let second = await cli.run(["heal", "--stored"])
        #expect(second.stdout.contains("known pattern"), "\(second.stdout)\(second.stderr)")
        let shown = await cli.run(["incidents", "show", "1", "--json"])
        #expect(shown.stdout.components(separatedBy: #""kind":"diagnosed""#).count - 1 == 1, "\(shown.stdout)")
        let audit = await cli.run(["audit", "--json"])
        #expect(audit.stdout.components(separatedBy: #""action":"incident.diagnose""#).count - 1 == 1, "\(audit.stdout)")
    }
}
