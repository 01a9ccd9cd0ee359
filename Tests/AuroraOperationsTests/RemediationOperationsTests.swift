import AuroraConfig
import AuroraCore
import AuroraOperations
import AuroraRemediation
import AuroraStore
import AuroraTestSupport
import Foundation
import Testing

/// The remediation operations over a real store, with a fake process runner and a fixed clock:
/// nothing is started, every decision and outcome is read back from the database.
@Suite struct RemediationOperationsTests {
    static let configuration = """
        aurora:
          safety:
            cooldown-between-same-service: 0s
          remediation:
            actions:
              restart:
                type: service-restart
                command: [/opt/tools/restart, '{service}', '{param.msg}']
                params: {msg: none}
              failover:
                type: database-failover
                command: [/opt/tools/failover, '{service}']
              failing:
                type: service-restart
                command: [/opt/tools/restart, failing, '{service}']
                rollback:
                  command: [/opt/tools/restart, rollback, '{service}']
        """

    /// A flow over a fresh database in `folder`, running children through `runner`.
    static func flow(in folder: TemporaryDirectory, runner: FakeProcessRunner, clock: FixedClock = FixedClock()) throws -> RemediationFlow {
        let store = try Store(path: folder.file("aurora.db"))
        let configuration = try ConfigLoader.load(yaml: configuration, file: "aurora.yaml")
        let flow = try RemediationFlow(context: OperationsContext(
            store: store, configuration: configuration, clock: clock, environment: ["PATH": "/usr/bin:/bin"],
            workingDirectory: folder.path, actor: "alice", processRunner: runner, httpTransport: FakeHTTPTransport()))
        // Signals are the command line's business; a test process must keep its own handlers.
        flow.trapsSignals = false
        return flow
    }

    static func stored(_ id: Int64?, _ flow: RemediationFlow) throws -> RemediationRecord {
        let id = try #require(id)
        return try #require(try RemediationStore.get(id, in: flow.store.database))
    }

    @Test func aMediumTierRequestRunsAtOnceAndItsOutcomeIsRecorded() async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let runner = FakeProcessRunner([.result(FakeProcessRunner.exited(0, stdout: "restarted checkout\n"))])
        let flow = try Self.flow(in: folder, runner: runner)

        let result = try await flow.run(RemediationRequest(action: "restart", service: "checkout", parameters: ["msg": "slow"], actor: "alice"))

        #expect(result.kind == .executed)
        #expect(result.state == .succeeded)
        #expect(runner.requests.map(\.argv) == [["/opt/tools/restart", "checkout", "slow"]])
        #expect(runner.requests.first?.environment["AURORA_SERVICE"] == "checkout")
        let row = try Self.stored(result.id, flow)
        #expect(row.state == .succeeded)
        #expect(row.outcome == "succeeded")
        #expect(row.tier == .medium)
        #expect(row.approver == "policy")
        #expect(row.childPID == 4243)
        #expect(row.output.contains("restarted checkout"))
        let audit = try AuditLog.entries(in: flow.store.database).map(\.action)
        #expect(audit.contains("remediation.finish"))
    }

    @Test func aFailingActionIsRolledBackOnceAndRecorded() async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let runner = FakeProcessRunner([.result(FakeProcessRunner.exited(3, stderr: "unit failed")), .result(FakeProcessRunner.exited(0))])
        let flow = try Self.flow(in: folder, runner: runner)

        let result = try await flow.run(RemediationRequest(action: "failing", service: "checkout", actor: "alice"))

        #expect(runner.requests.map(\.argv) == [["/opt/tools/restart", "failing", "checkout"], ["/opt/tools/restart", "rollback", "checkout"]])
        let row = try Self.stored(result.id, flow)
        #expect(row.state == .rolledBack)
        #expect(row.outcome == "rolled-back")
        #expect(row.output.contains("unit failed"))
    }

    @Test func aProgramThatCannotStartIsAFailureRecordedNotACrash() async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let runner = FakeProcessRunner([.launchFailure("no such file")])
        let flow = try Self.flow(in: folder, runner: runner)

        let result = try await flow.run(RemediationRequest(action: "restart", service: "checkout", actor: "alice"))

        let row = try Self.stored(result.id, flow)
        #expect(row.state == .failed)
        #expect(row.reason.contains("cannot start /opt/tools/restart"))
        #expect(row.childPID == nil)
    }

    @Test func repeatedFailuresTurnTheServicesKillSwitchOn() async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let runner = FakeProcessRunner(answer: { _ in .result(FakeProcessRunner.exited(1)) })
        let flow = try Self.flow(in: folder, runner: runner)

        for _ in 0..<3 {
            _ = try await flow.run(RemediationRequest(action: "restart", service: "checkout", actor: "alice"))
        }
        let switches = try KillSwitchStore.active(in: flow.store.database, at: FixedClock().now())
        #expect(switches.contains { $0.scope == .service && $0.target == "checkout" && $0.setBy == "aurora" })
        let refused = try await flow.run(RemediationRequest(action: "restart", service: "checkout", actor: "alice"))
        #expect(refused.kind == .refused)
        #expect(runner.requests.count == 3)
    }

    @Test func aHighTierRequestWaitsAndRunsOnceWhenSomeoneElseApproves() async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let runner = FakeProcessRunner()
        let flow = try Self.flow(in: folder, runner: runner)

        let queued = try await flow.run(RemediationRequest(action: "failover", service: "postgres", actor: "alice"))
        #expect(queued.kind == .queued)
        #expect(runner.requests.isEmpty)
        let id = try #require(queued.id)

        let selfApproved = try await flow.approve(id, approver: "alice")
        #expect(selfApproved.rule == "approval.self-approval")
        #expect(try Self.stored(id, flow).state == .queued)
        #expect(runner.requests.isEmpty)

        let approved = try await flow.approve(id, approver: "bob")
        #expect(approved.kind == .executed)
        #expect(runner.requests.map(\.argv) == [["/opt/tools/failover", "postgres"]])
        let row = try Self.stored(id, flow)
        #expect(row.state == .succeeded)
        #expect(row.approver == "bob")

        let again = try await flow.approve(id, approver: "carol")
        #expect(again.kind == .notPending)
        #expect(runner.requests.count == 1)
    }

    @Test func aRejectedRequestNeverRuns() async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let runner = FakeProcessRunner()
        let flow = try Self.flow(in: folder, runner: runner)

        let id = try #require(try await flow.run(RemediationRequest(action: "failover", service: "postgres", actor: "alice")).id)
        let rejected = try flow.reject(id, actor: "bob", reason: "not during the sale")
        #expect(rejected.kind == .rejected)
        let row = try Self.stored(id, flow)
        #expect(row.state == .rejected)
        #expect(row.approver == "bob")
        #expect(row.reason == "rejected by bob: not during the sale")

        #expect(try await flow.approve(id, approver: "carol").kind == .notPending)
        #expect(try flow.reject(id, actor: "carol", reason: "twice").kind == .notPending)
        #expect(runner.requests.isEmpty)
    }

    /// Work whose aurora process is gone is recorded interrupted and never re-run; a queued request past
    /// its time to live expires.
    @Test func recoveryMarksInterruptedAndExpiredWorkWithoutRunningIt() async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let clock = FixedClock()
        let runner = FakeProcessRunner()
        let flow = try Self.flow(in: folder, runner: runner, clock: clock)
        let now = clock.now()
        let (running, stale) = try flow.store.database.write { db in
            // Above Linux's largest pid: no process has it, so its owner is certainly gone.
            let orphan = RemediationRecord(action: "restart", actionType: "service-restart", service: "checkout", parameters: [:],
                                           renderedHash: String(repeating: "a", count: 64), description: "run: argv /opt/tools/restart checkout",
                                           requester: "alice", tier: .medium, state: .running, ownerPID: 2_000_000_000, ownerStartTime: 1,
                                           heartbeat: now.addingTimeInterval(-30), createdAt: now.addingTimeInterval(-60))
            let waiting = RemediationRecord(action: "failover", actionType: "database-failover", service: "postgres", parameters: [:],
                                            renderedHash: String(repeating: "b", count: 64), description: "run: argv /opt/tools/failover postgres",
                                            requester: "alice", tier: .high, state: .queued, createdAt: now.addingTimeInterval(-2 * 86_400))
            return (try RemediationStore.insert(orphan, in: db), try RemediationStore.insert(waiting, in: db))
        }

        #expect(try flow.recover() == [running])

        let interrupted = try Self.stored(running, flow)
        #expect(interrupted.state == .interrupted)
        #expect(interrupted.outcome == "interrupted")
        #expect(interrupted.reason.contains("never re-run automatically"))
        #expect(interrupted.reason.contains("no executor process had started"))
        #expect(try Self.stored(stale, flow).state == .expired)
        // Once recorded, recovery has nothing more to do, and nothing was started.
        #expect(try flow.recover().isEmpty)
        #expect(runner.requests.isEmpty)
    }
}
