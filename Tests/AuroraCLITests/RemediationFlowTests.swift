import AuroraCLITestSupport
import AuroraOperations
import Foundation
import Testing

/// A CLI harness with the spy executor configured in its working directory.
struct RemediationFixture {
    var cli: CLIHarness
    let spy: RemediationSpy
    static let secret = "s3cr3t-T0ken/with+chars=="

    init(safety: String = "cooldown-between-same-service: 0s", extra: String = "") throws {
        cli = try CLIHarness()
        cli.environment["SECRET_TOKEN"] = Self.secret
        spy = try RemediationSpy(directory: cli.directory.path)
        try spy.writeConfiguration(safety: safety, extra: extra)
    }

    func run(_ arguments: [String], lines: [String] = [], terminal: Bool = false) async -> CLIResult {
        await cli.run(arguments, lines: lines, terminal: terminal)
    }

    /// The queue (every state) as JSON objects.
    func rows() async throws -> [[String: Any]] {
        let result = await cli.run(["queue", "--all", "--json"])
        return try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]] ?? []
    }

    func state(_ id: Int) async throws -> String? {
        try await rows().first { ($0["id"] as? Int) == id }?["state"] as? String
    }

    func remove() { cli.remove() }
}

@Suite struct RemediationFlowTests {
    @Test func lowAndMediumExecuteHighQueuesCriticalEscalates() async throws {
        let fixture = try RemediationFixture()
        defer { fixture.remove() }
        let medium = await fixture.run(["remediate", "restart", "--service", "checkout", "--reason", "latency"])
        #expect(medium.status == 0, "\(medium.stderr)")
        #expect(medium.stdout.hasPrefix("remediation 1: succeeded\n"))
        #expect(fixture.spy.invocations == 1)
        #expect(try await fixture.state(1) == "succeeded")

        let high = await fixture.run(["remediate", "failover", "--service", "db"])
        #expect(high.status == 0)
        #expect(high.stdout.contains("remediation 2 is queued for approval (tier.high)"))
        #expect(try await fixture.state(2) == "queued")

        let critical = await fixture.run(["remediate", "wipe", "--service", "db"])
        #expect(critical.status == 77)
        #expect(critical.stderr.contains("by rule tier.critical"))
        #expect(try await fixture.state(3) == "refused")
        #expect(fixture.spy.invocations == 1)

        let approved = await fixture.run(["approve", "2", "--yes", "--actor", "bob"])
        #expect(approved.status == 0, "\(approved.stderr)")
        #expect(try await fixture.state(2) == "succeeded")
        #expect(fixture.spy.invocations == 2)

        let again = await fixture.run(["approve", "2", "--yes", "--actor", "carol"])
        #expect(again.status == 77)
        #expect(again.stderr == "aurora: remediation 2 is no longer pending: it is succeeded (approved by bob)\n")
        #expect(fixture.spy.invocations == 2)
    }

    @Test func failureRollsBackAndExits69ThenTripsTheServiceKillSwitch() async throws {
        let fixture = try RemediationFixture()
        defer { fixture.remove() }
        let first = await fixture.run(["remediate", "failing", "--service", "cart", "--json"])
        #expect(first.status == 69)
        #expect(first.stdout.contains("\"outcome\":\"rolled-back\""))
        #expect(try await fixture.state(1) == "rolled_back")
        #expect(fixture.spy.text.contains("arg=[rollback]"))

        let unhealthy = await fixture.run(["remediate", "unhealthy", "--service", "cart"])
        #expect(unhealthy.status == 69)
        #expect(unhealthy.stdout.contains("health check failed (2 tries)"))
        #expect(try await fixture.state(2) == "rolled_back")

        // Third consecutive failure of cart trips its kill switch (max-consecutive-failures: 3).
        _ = await fixture.run(["remediate", "failing", "--service", "cart"])
        let check = await fixture.run(["killswitch", "check", "--service", "cart"])
        #expect(check.status == 77)
        #expect(check.stderr.contains("set by aurora: 3 consecutive failed remediations of cart"))
        let next = await fixture.run(["remediate", "restart", "--service", "cart"])
        #expect(next.status == 77)
        #expect(next.stderr.contains("rule killswitch.service:cart"))
    }

    @Test func rejectNeedsAReasonAndOnlyRejectsPendingItems() async throws {
        let fixture = try RemediationFixture()
        defer { fixture.remove() }
        _ = await fixture.run(["remediate", "failover", "--service", "db"])
        #expect(await fixture.run(["reject", "1"]).status == 64)
        let rejected = await fixture.run(["reject", "1", "--reason", "not now", "--actor", "bob"])
        #expect(rejected.status == 0)
        #expect(try await fixture.state(1) == "rejected")
        let late = await fixture.run(["approve", "1", "--yes", "--actor", "carol"])
        #expect(late.status == 77)
        #expect(late.stderr.contains("no longer pending: it is rejected"))
        #expect(fixture.spy.invocations == 0)
        #expect(await fixture.run(["reject", "99", "--reason", "x"]).status == 66)
    }

    @Test func selfApprovalIsRefusedUnlessAllowed() async throws {
        let fixture = try RemediationFixture()
        defer { fixture.remove() }
        _ = await fixture.run(["remediate", "failover", "--service", "db", "--actor", "alice"])
        let own = await fixture.run(["approve", "1", "--yes", "--actor", "alice"])
        #expect(own.status == 77)
        #expect(own.stderr.contains("rule approval.self-approval"))
        #expect(try await fixture.state(1) == "queued")
        #expect(fixture.spy.invocations == 0)
    }

    @Test func approvalIsBoundToTheRenderedActionAndPendingItemsExpire() async throws {
        var fixture = try RemediationFixture()
        defer { fixture.remove() }
        _ = await fixture.run(["remediate", "failover", "--service", "db"])
        // The executor configuration changes after the request: what the approver saw is not what would run.
        fixture.cli.environment["AURORA_CONFIG"] = nil
        let text = try String(contentsOfFile: fixture.spy.configuration, encoding: .utf8)
            .replacingOccurrences(of: "failover, '{service}'", with: "failover, '--force', '{service}'")
        try text.write(toFile: fixture.spy.configuration, atomically: true, encoding: .utf8)
        let changed = await fixture.run(["approve", "1", "--yes", "--actor", "bob"])
        #expect(changed.status == 77)
        #expect(changed.stderr.contains("rule approval.hash-mismatch"))
        #expect(try await fixture.state(1) == "refused")
        #expect(fixture.spy.invocations == 0)

        _ = await fixture.run(["remediate", "failover", "--service", "db"])
        fixture.cli.clock.advance(86_400)
        #expect(try await fixture.state(2) == "expired")
        let late = await fixture.run(["approve", "2", "--yes", "--actor", "bob"])
        #expect(late.status == 77)
        #expect(late.stderr.contains("it is expired"))
    }

    @Test func unknownActionsAndParametersAreUsageErrors() async throws {
        let fixture = try RemediationFixture()
        defer { fixture.remove() }
        let unknown = await fixture.run(["remediate", "reboot", "--service", "x"])
        #expect(unknown.status == 64)
        #expect(unknown.stderr.contains("no action named reboot in remediation.actions (configured: failing, failover, reload, restart, unhealthy, wipe)"))
        #expect(await fixture.run(["remediate", "restart", "--service", "x", "--param", "bogus=1"]).status == 64)
        #expect(await fixture.run(["remediate", "restart"]).status == 64)
        let nul = await fixture.run(["remediate", "restart", "--service", "x", "--param", "msg=a\u{0}b"])
        #expect(nul.status == 64)
        #expect(nul.stderr.contains("NUL"))
        #expect(fixture.spy.invocations == 0)
    }
}
