import AuroraCLITestSupport
import AuroraCore
import AuroraTestSupport
import Foundation
import Testing

/// `aurora heal` run again over an incident whose remediation stays refused for the same reason says
/// so, and records nothing new: no remediation row, no audit entry.
@Suite struct RepeatedRefusalTests {
    @Test func aSecondHealOverAStillRefusedIncidentRecordsNoNewRemediation() async throws {
        var cli = try CLIHarness()
        defer { cli.remove() }
        // Every remediation refused: the incident stays open.
        let folder = try await cli.refusingDemo()
        let first = await cli.run(["heal", folder + "/fleet-incident.csv"])
        #expect(first.status == 1)
        #expect(first.stdout.contains("refused: denied by governance rule hands-off"), "\(first.stdout)\(first.stderr)")
        #expect(!first.stdout.contains("still refused"))

        let second = await cli.run(["heal", "--stored"])
        #expect(second.status == 1)
        #expect(second.stdout.contains("still refused: denied by governance rule hands-off (since "), "\(second.stdout)\(second.stderr)")
        let json = await cli.run(["heal", "--stored", "--json"])
        #expect(json.stdout.contains(#""unchanged_since":""#), "\(json.stdout)")

        let rows = await cli.run(["queue", "--all", "--json"])
        #expect(rows.stdout.components(separatedBy: #""state":"refused""#).count - 1 == 1, "\(rows.stdout)")
        #expect(rows.stdout.contains(#""evaluated_at":""#), "\(rows.stdout)")
        let audit = await cli.run(["audit", "--json"])
        #expect(audit.stdout.components(separatedBy: #""action":"remediation.request""#).count - 1 == 1, "\(audit.stdout)")
    }

    @Test func aSecondRequestForAQueuedApprovalNamesTheQueuedItem() async throws {
        let fixture = try RemediationFixture()
        defer { fixture.remove() }
        let first = await fixture.run(["remediate", "failover", "--service", "db1", "--incident", "INC-7", "--actor", "alice"])
        #expect(first.status == 0)
        #expect(first.stdout.contains("remediation 1 is queued for approval (tier.high)"), "\(first.stdout)\(first.stderr)")
        let second = await fixture.run(["remediate", "failover", "--service", "db1", "--incident", "INC-7", "--actor", "carol"])
        #expect(second.status == 0)
        #expect(second.stdout.contains("remediation 1 is queued for approval already, since "), "\(second.stdout)\(second.stderr)")
        let queue = await fixture.run(["queue", "--json"])
        #expect(queue.stdout.components(separatedBy: #""state":"queued""#).count - 1 == 1, "\(queue.stdout)")
        // Another service is another item.
        #expect(await fixture.run(["remediate", "failover", "--service", "db2", "--incident", "INC-7"]).stdout.contains("remediation 2 is queued"))
    }
}
