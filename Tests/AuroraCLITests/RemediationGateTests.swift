@testable import AuroraCLI
import AuroraConfig
import AuroraCore
import AuroraStore
import AuroraTestSupport
import Foundation
import Testing

@Suite struct RemediationGateTests {
    /// Issue 9 case 6: a kill switch that commits after the claim still stops the spawn (the executor's
    /// gate re-reads the switches just before starting the process); the row ends `refused`, spy count 0.
    @Test func killSwitchSetAfterTheClaimStopsTheSpawn() async throws {
        let fixture = try RemediationFixture()
        defer { fixture.remove() }
        _ = await fixture.run(["remediate", "failover", "--service", "db"])
        let store = try Store(path: fixture.cli.databasePath)
        let configuration = try ConfigLoader.load(path: fixture.spy.configuration)
        let flow = RemediationFlow(store: store, settings: try RemediationSettings.load(configuration), clock: fixture.cli.clock,
                                   environment: fixture.cli.environment)
        let (_, rendered) = try flow.render(action: "failover", service: "db", parameters: [:], incident: nil)
        let now = fixture.cli.clock.now()
        let claimed = try store.database.write { db in
            try RemediationStore.transition(1, from: ["queued"], to: "running", rule: "claim", reason: "test claim", at: now,
                                            set: [(.ownerPID, .integer(Int64(getpid()))), (.startedAt, .integer(now.unixMilliseconds))], in: db)
        }
        #expect(claimed)
        #expect(await fixture.run(["killswitch", "on", "--service", "db", "--reason", "late"]).status == 0)
        let result = await flow.execute(1, rendered: rendered, plan: rendered.redactedLines, actor: "bob")
        #expect(result.exitStatus == .refused)
        #expect(result.reason.contains("kill switch service:db is on (set by tester: late)"))
        #expect(try await fixture.state(1) == "refused")
        #expect(fixture.spy.invocations == 0)
    }

    /// Issue 9 case 21: a hanging executor is stopped at its timeout (whole process group) and recorded failed.
    @Test func hangingExecutorIsStoppedAtItsTimeout() async throws {
        let fixture = try RemediationFixture()
        defer { fixture.remove() }
        try fixture.spy.writeConfiguration(actions: """
                  hang:
                    type: clear-cache
                    command: ['\(fixture.spy.script)', hang]
                    params: {sleep: '30'}
                    timeout: 1s
            """)
        let result = await fixture.run(["remediate", "hang", "--service", "svc", "--json"])
        #expect(result.status == 69)
        #expect(result.stdout.contains("\"outcome\":\"failed\""))
        #expect(result.stdout.contains("timeout after 1s"))
        #expect(try await fixture.state(1) == "failed")
    }
}
