import AuroraCLI
import AuroraCore
import AuroraTestSupport
import Foundation
import Testing

@Suite struct RemediationRefusalTests {
    @Test func killSwitchRefusesRemediateAndApproveNamingTheRule() async throws {
        let fixture = try RemediationFixture()
        defer { fixture.remove() }
        _ = await fixture.run(["remediate", "failover", "--service", "db"])
        #expect(await fixture.run(["killswitch", "on", "--global", "--reason", "incident 42"]).status == 0)
        let remediate = await fixture.run(["remediate", "restart", "--service", "checkout"])
        #expect(remediate.status == 77)
        #expect(remediate.stderr.contains("refused by rule killswitch.global: kill switch global is on (set by tester: incident 42)"))
        let approve = await fixture.run(["approve", "1", "--yes", "--actor", "bob"])
        #expect(approve.status == 77)
        #expect(approve.stderr.contains("rule killswitch.global"))
        #expect(try await fixture.state(1) == "queued")
        #expect(fixture.spy.invocations == 0)
        // Type switches cover approvals too.
        _ = await fixture.run(["killswitch", "off", "--global"])
        _ = await fixture.run(["killswitch", "on", "--type", "database-failover"])
        #expect(await fixture.run(["approve", "--all", "--yes", "--actor", "bob"]).status == 77)
        _ = await fixture.run(["killswitch", "off", "--type", "database-failover"])
        #expect(await fixture.run(["approve", "--all", "--yes", "--actor", "bob"]).status == 0)
        #expect(fixture.spy.invocations == 1)
    }

    @Test func cooldownRefusalNamesTheRuleAndTheNextAllowedTime() async throws {
        let fixture = try RemediationFixture(safety: "cooldown-between-same-service: 300s")
        defer { fixture.remove() }
        #expect(await fixture.run(["remediate", "restart", "--service", "checkout"]).status == 0)
        fixture.cli.clock.advance(60)
        let refused = await fixture.run(["remediate", "restart", "--service", "checkout", "--json"])
        #expect(refused.status == 77)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(refused.stdout.utf8)) as? [String: Any])
        #expect(object["rule"] as? String == "rate.cooldown")
        let next = Date(timeIntervalSince1970: 1_795_000_000 + 300)
        #expect(object["next_allowed_at"] as? String == TimeText.iso(next))
        let text = await fixture.run(["remediate", "restart", "--service", "checkout"])
        #expect(text.stderr.contains("aurora: next allowed at \(TimeText.iso(next)) (local "))
        // Other services are not held back; after the cooldown the service is allowed again.
        #expect(await fixture.run(["remediate", "restart", "--service", "cart"]).status == 0)
        fixture.cli.clock.advance(240)
        #expect(await fixture.run(["remediate", "restart", "--service", "checkout"]).status == 0)
        #expect(fixture.spy.invocations == 3)
    }

    @Test func perHourLimitCountsExecutionsAcrossServices() async throws {
        let fixture = try RemediationFixture(safety: "max-remediations-per-hour: 2\n    cooldown-between-same-service: 0s")
        defer { fixture.remove() }
        #expect(await fixture.run(["remediate", "restart", "--service", "a"]).status == 0)
        #expect(await fixture.run(["remediate", "restart", "--service", "b"]).status == 0)
        let third = await fixture.run(["remediate", "restart", "--service", "c"])
        #expect(third.status == 77)
        #expect(third.stderr.contains("rule rate.per-hour"))
        // A clock stepped back does not reopen the window.
        fixture.cli.clock.advance(-7200)
        #expect(await fixture.run(["remediate", "restart", "--service", "c"]).status == 77)
        fixture.cli.clock.advance(7200 + 3601)
        #expect(await fixture.run(["remediate", "restart", "--service", "c"]).status == 0)
    }

    @Test func freezeWindowsRefuseInScopeAndCanBeRemoved() async throws {
        let fixture = try RemediationFixture()
        defer { fixture.remove() }
        let add = await fixture.run(["freeze", "add", "--from", "-1h", "--until", "+1h", "--service", "checkout", "--reason", "sale"])
        #expect(add.status == 0, "\(add.stderr)")
        #expect(add.stdout.hasPrefix("freeze window 1 added"))
        let refused = await fixture.run(["remediate", "restart", "--service", "checkout"])
        #expect(refused.status == 77)
        #expect(refused.stderr.contains("rule freeze.1: freeze window 1 is in force"))
        #expect(refused.stderr.contains(": sale"))
        #expect(await fixture.run(["remediate", "restart", "--service", "cart"]).status == 0)
        let weekly = await fixture.run(["freeze", "add", "--weekly", "Fri 16:00 - Mon 08:00 Europe/Berlin"])
        #expect(weekly.status == 0)
        let list = await fixture.run(["freeze", "list", "--json"])
        #expect(list.stdout.contains("\"weekly\":\"Fri 16:00 – Mon 08:00 Europe/Berlin\""))
        #expect(list.stdout.contains("\"in_force\":true"))
        #expect(await fixture.run(["freeze", "remove", "1"]).status == 0)
        #expect(await fixture.run(["freeze", "remove", "1"]).status == 66)
        #expect(await fixture.run(["freeze", "add", "--weekly", "Fri 16:00 - Mon 08:00 Mars/Olympus"]).status == 64)
        #expect(await fixture.run(["freeze", "add", "--from", "+1h", "--until", "-1h"]).status == 64)
    }

    @Test func configuredWeeklyFreezeFollowsTheZone() async throws {
        // 1_795_000_000 is Wednesday 2026-11-18 11:06:40 UTC: inside a Wed 12:00–13:00 Europe/Berlin window (UTC+1).
        let fixture = try RemediationFixture(extra: """
              freeze:
                windows:
                  - weekly: "Wed 12:00 – Wed 13:00 Europe/Berlin"
                    reason: deploys
            """)
        defer { fixture.remove() }
        let refused = await fixture.run(["remediate", "restart", "--service", "checkout"])
        #expect(refused.status == 77)
        #expect(refused.stderr.contains("rule freeze.config-1"))
        fixture.cli.clock.advance(3600)
        #expect(await fixture.run(["remediate", "restart", "--service", "checkout"]).status == 0)
    }

    @Test func governanceRulesAndIncidentCapRefuseNamingTheRule() async throws {
        let fixture = try RemediationFixture(extra: """
              governance:
                max-services-per-incident: 1
                rules:
                  - name: no-restarts-of-payments
                    effect: deny
                    types: [service-restart]
                    services: [payments]
            """)
        defer { fixture.remove() }
        let denied = await fixture.run(["remediate", "restart", "--service", "payments"])
        #expect(denied.status == 77)
        #expect(denied.stderr.contains("rule governance.no-restarts-of-payments"))
        #expect(await fixture.run(["remediate", "restart", "--service", "a", "--incident", "INC-1"]).status == 0)
        let capped = await fixture.run(["remediate", "restart", "--service", "b", "--incident", "INC-1"])
        #expect(capped.status == 77)
        #expect(capped.stderr.contains("rule governance.max-services-per-incident"))
        #expect(fixture.spy.invocations == 1)
    }

    @Test func dryRunNeverExecutesAndPrintsThePlanRedacted() async throws {
        let fixture = try RemediationFixture()
        defer { fixture.remove() }
        let dry = await fixture.run(["remediate", "restart", "--service", "checkout", "--param", "msg=hi", "--dry-run"])
        #expect(dry.status == 0)
        #expect(dry.stdout.contains("dry run: nothing was executed"))
        #expect(dry.stdout.contains("run: argv \(fixture.spy.script) checkout hi"))
        #expect(dry.stdout.contains("env TOKEN='***'"))
        #expect(dry.stdout.contains("decision: dry run (dry-run.request): would execute"))
        #expect(!dry.stdout.contains(RemediationFixture.secret))
        // A dry run of something a rule refuses says so and exits 77, still executing nothing.
        _ = await fixture.run(["killswitch", "on", "--service", "checkout"])
        let refused = await fixture.run(["remediate", "restart", "--service", "checkout", "--dry-run"])
        #expect(refused.status == 77)
        #expect(refused.stdout.contains("decision: kill switch service:checkout is on"))
        #expect(fixture.spy.invocations == 0)
        #expect(try await fixture.rows().isEmpty)
        let audit = await fixture.run(["audit", "--json"])
        #expect(audit.stdout.contains("\"action\":\"remediation.dry-run\""))
    }

    @Test func governanceDryRunModeNeverExecutesRequestsOrApprovals() async throws {
        let fixture = try RemediationFixture()
        defer { fixture.remove() }
        _ = await fixture.run(["remediate", "failover", "--service", "db"])
        try fixture.spy.writeConfiguration(extra: """
              governance:
                dry-run: true
            """)
        let dry = await fixture.run(["remediate", "restart", "--service", "checkout"])
        #expect(dry.status == 0)
        #expect(dry.stdout.contains("dry-run.governance"))
        let approve = await fixture.run(["approve", "1", "--yes", "--actor", "bob"])
        #expect(approve.status == 0)
        #expect(approve.stdout.contains("dry run"))
        #expect(try await fixture.state(1) == "queued")
        #expect(fixture.spy.invocations == 0)
    }
}
