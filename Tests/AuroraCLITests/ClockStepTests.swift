import AuroraTestSupport
import Foundation
import Testing

/// Issue 9 case 28 with the injected clock: the rules the libfaketime end-to-end tests
/// (AuroraReliabilityTests.ClockJumpTests) check against real processes.
@Suite struct ClockStepTests {
    @Test func aRequestDatedInTheFutureBeyondToleranceIsRefusedAndLeftQueued() async throws {
        let fixture = try RemediationFixture()
        defer { fixture.remove() }
        fixture.cli.clock.advance(86_400)
        _ = await fixture.run(["remediate", "failover", "--service", "db", "--actor", "alice"])
        fixture.cli.clock.advance(-86_400)
        let refused = await fixture.run(["approve", "1", "--yes", "--actor", "bob", "--json"])
        #expect(refused.status == 77)
        #expect(refused.stdout.contains("\"rule\":\"approval.from-the-future\""), "\(refused.stdout)")
        #expect(try await fixture.state(1) == "queued")
        // Within the 60 s tolerance (clock skew between hosts) the approval goes through.
        fixture.cli.clock.advance(86_400 - 60)
        #expect(await fixture.run(["approve", "1", "--yes", "--actor", "bob"]).status == 0)
        #expect(fixture.spy.invocations == 1)
    }

    @Test func aKillSwitchExpiryIsRecordedOnceAndSurvivesAClockSteppedBack() async throws {
        let fixture = try RemediationFixture()
        defer { fixture.remove() }
        #expect(await fixture.run(["killswitch", "on", "--service", "checkout", "--until", "+2h"]).status == 0)
        fixture.cli.clock.advance(-3600)
        #expect(await fixture.run(["remediate", "restart", "--service", "checkout"]).status == 77)
        fixture.cli.clock.advance(3600 + 7200)
        #expect(await fixture.run(["remediate", "restart", "--service", "checkout"]).status == 0)
        #expect(await fixture.run(["remediate", "restart", "--service", "cart"]).status == 0)
        fixture.cli.clock.advance(-7200)
        #expect(await fixture.run(["killswitch", "check", "--service", "checkout"]).status == 0)
        let audit = await fixture.run(["audit", "--json"])
        let entries = try #require(try JSONSerialization.jsonObject(with: Data(audit.stdout.utf8)) as? [[String: Any]])
        let expired = entries.filter { $0["action"] as? String == "killswitch.expired" }
        #expect(expired.count == 1)
        #expect((expired.first?["detail"] as? String)?.contains("its --until") == true)
    }
}
