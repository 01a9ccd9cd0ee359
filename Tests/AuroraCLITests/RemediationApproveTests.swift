import AuroraTestSupport
import Foundation
import Testing

@Suite struct RemediationApproveTests {
    @Test func interactiveSessionShowsEachItemAndTakesAnswers() async throws {
        let fixture = try RemediationFixture()
        defer { fixture.remove() }
        _ = await fixture.run(["remediate", "failover", "--service", "db1", "--incident", "INC-7", "--reason", "primary down", "--actor", "alice"])
        _ = await fixture.run(["remediate", "failover", "--service", "db2", "--actor", "alice"])
        let session = await fixture.run(["approve", "--actor", "bob"], lines: ["d", "a", "r", "not today"], terminal: true)
        #expect(session.status == 0, "\(session.stderr)")
        #expect(session.stdout.contains("2 remediations waiting for approval:"))
        #expect(session.stdout.contains("remediation 1: failover on db1 (type database-failover, tier high), state queued"))
        #expect(session.stdout.contains("  incident: INC-7"))
        #expect(session.stdout.contains("  evidence: needs approval (tier.high)"))
        #expect(session.stdout.contains("  confidence: none"))
        #expect(session.stdout.contains("    run: argv \(fixture.spy.script) failover db1"))
        #expect(session.stdout.contains("  rendered hash "))
        #expect(session.stdout.contains("remediation 1: succeeded"))
        #expect(session.stdout.contains("remediation 2 rejected: not today"))
        #expect(try await fixture.state(1) == "succeeded")
        #expect(try await fixture.state(2) == "rejected")
        #expect(fixture.spy.invocations == 1)
        let audit = await fixture.run(["audit", "--service", "db2", "--json"])
        #expect(audit.stdout.contains("\"actor\":\"bob\",\"action\":\"remediation.reject\""))
    }

    @Test func interactiveSessionJumpsToAnIDAndQuits() async throws {
        let fixture = try RemediationFixture()
        defer { fixture.remove() }
        _ = await fixture.run(["remediate", "failover", "--service", "db1"])
        _ = await fixture.run(["remediate", "failover", "--service", "db2"])
        let session = await fixture.run(["approve", "--actor", "bob"], lines: ["huh", "2", "a", "q"], terminal: true)
        #expect(session.status == 0)
        #expect(session.stdout.contains("answer a, r, s, d or q (or one of the IDs: 1, 2)"))
        #expect(try await fixture.state(1) == "queued")
        #expect(try await fixture.state(2) == "succeeded")
        // End of input (Ctrl-D) leaves the rest pending.
        #expect(await fixture.run(["approve", "--actor", "bob"], lines: [], terminal: true).status == 0)
        #expect(try await fixture.state(1) == "queued")
    }

    @Test func withoutATerminalApproveNeedsIDsAndYes() async throws {
        let fixture = try RemediationFixture()
        defer { fixture.remove() }
        _ = await fixture.run(["remediate", "failover", "--service", "db"])
        let bare = await fixture.run(["approve", "--actor", "bob"])
        #expect(bare.status == 64)
        #expect(bare.stderr.contains("not on a terminal: give the IDs to approve (or --all) and --yes"))
        let noYes = await fixture.run(["approve", "1", "--actor", "bob"])
        #expect(noYes.status == 64)
        #expect(noYes.stderr.contains("add --yes"))
        // On a terminal with an ID, it asks.
        let asked = await fixture.run(["approve", "1", "--actor", "bob"], lines: ["n"], terminal: true)
        #expect(asked.status == 0)
        #expect(try await fixture.state(1) == "queued")
        let yes = await fixture.run(["approve", "1", "--actor", "bob"], lines: ["y"], terminal: true)
        #expect(yes.status == 0)
        #expect(try await fixture.state(1) == "succeeded")
        #expect(fixture.spy.invocations == 1)
    }

    @Test func queueListsPendingItemsAsTableAndJSON() async throws {
        let fixture = try RemediationFixture()
        defer { fixture.remove() }
        #expect(await fixture.run(["queue"]).stdout == "no remediation is waiting for approval\n")
        _ = await fixture.run(["remediate", "failover", "--service", "db", "--param", "msg=x", "--actor", "alice"])
        let table = await fixture.run(["queue"])
        #expect(table.stdout.hasPrefix("ID  STATE   ACTION    SERVICE  TIER  REQUESTED BY  SINCE"))
        let json = await fixture.run(["queue", "--json"])
        let items = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]])
        #expect(items.count == 1)
        #expect(items[0]["requester"] as? String == "alice")
        #expect((items[0]["parameters"] as? [String: String])?["msg"] == "x")
        #expect((items[0]["rendered_hash"] as? String)?.count == 64)
    }
}
