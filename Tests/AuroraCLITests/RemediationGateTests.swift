@testable import AuroraCLI
import AuroraConfig
import AuroraCore
@testable import AuroraOperations
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
            try RemediationStore.transition(1, from: [.queued], to: .running, rule: "claim", reason: "test claim", at: now,
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

    /// Issue 9 case 28: the executor's timeout runs on the monotonic clock. The wall clock steps a day
    /// forward (or an hour back) while the action runs; it is still stopped at its 2 s timeout: not at
    /// once (a wall-clock deadline would have passed) and not an hour later.
    @Test(arguments: [86_400.0, -3_600.0])
    func timeoutIgnoresAWallClockStepMidRun(step: Double) async throws {
        let fixture = try RemediationFixture()
        defer { fixture.remove() }
        let marker = fixture.cli.directory.path + "/started"
        let script = fixture.cli.directory.path + "/jump.sh"
        try Data("#!/bin/sh\ntouch '\(marker)'\nsleep 30\n".utf8).write(to: URL(fileURLWithPath: script))
        chmod(script, 0o755)
        try fixture.spy.writeConfiguration(actions: """
                  jump:
                    type: clear-cache
                    command: ['\(script)']
                    timeout: 2s
            """)
        let clock = fixture.cli.clock
        let stepper = Task {
            // Steps the clock once the action is running (bounded wait, so a broken start cannot hang the test).
            for _ in 0..<200 where !FileManager.default.fileExists(atPath: marker) {
                try? await Task.sleep(nanoseconds: 25_000_000)
            }
            clock.advance(step)
        }
        let started = ContinuousClock.now
        let result = await fixture.run(["remediate", "jump", "--service", "svc", "--json"])
        let elapsed = ContinuousClock.now - started
        await stepper.value
        #expect(FileManager.default.fileExists(atPath: marker), "the action never started: \(result.stderr)")
        #expect(result.status == 69, "\(result.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let execution = try #require(object["execution"] as? [String: Any])
        #expect((execution["reason"] as? String)?.contains("timeout after 2s") == true, "\(result.stdout)")
        let seconds = try #require(execution["duration_seconds"] as? Double)
        #expect(seconds >= 1.9, "stopped after \(seconds)s")
        #expect(elapsed < .seconds(20), "took \(elapsed)")
        #expect(try await fixture.state(1) == "failed")
    }
}
