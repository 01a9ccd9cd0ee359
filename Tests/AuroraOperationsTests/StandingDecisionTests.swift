import AuroraCore
import AuroraOperations
import AuroraStore
import AuroraTestSupport
import Foundation
import Testing

/// The loop asks for the same remediation of a stuck incident on every pass: a decision that only
/// repeats the one on record adds no row and no audit entry, and an approval is queued once. A real
/// store, a fake process runner, a clock the tests move.
@Suite struct StandingDecisionTests {
    /// What the loop sends for incident 7 on every pass.
    static func loopRequest(_ action: String = "restart", service: String = "checkout") -> RemediationRequest {
        var request = RemediationRequest(action: action, service: service, incident: "7", confidence: 0.95, actor: "aurora",
                                         reason: "heal: incident 7")
        request.recordsRepeatedRefusal = false
        return request
    }

    static func rows(_ flow: RemediationFlow) throws -> [RemediationRecord] {
        try flow.store.database.read { try RemediationStore.list(in: $0) }
    }

    static func requests(_ flow: RemediationFlow) throws -> Int {
        try AuditLog.entries(in: flow.store.database).filter { $0.action == "remediation.request" }.count
    }

    static func killSwitch(_ scope: KillSwitchRecord.Scope, _ target: String = "", on flow: RemediationFlow, at now: Date) throws {
        try KillSwitchStore.turnOn(KillSwitchRecord(scope: scope, target: target, reason: "incident review", setBy: "bob", setAt: now),
                                   in: flow.store.database)
    }

    @Test func aRefusalThatLiftsIsRecordedOnceThenTheActionRuns() async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let clock = FixedClock()
        let runner = FakeProcessRunner([.result(FakeProcessRunner.exited(0))])
        let flow = try RemediationOperationsTests.flow(in: folder, runner: runner, clock: clock)
        try Self.killSwitch(.global, on: flow, at: clock.now())

        let first = try await flow.run(Self.loopRequest())
        #expect(first.kind == .refused)
        #expect(first.rule == "killswitch.global")
        #expect(first.unchangedSince == nil)
        let standing = try #require(first.id)

        clock.advance(10)
        let second = try await flow.run(Self.loopRequest())
        #expect(second.kind == .refused)
        #expect(second.id == standing)
        #expect(try second.unchangedSince == RemediationOperationsTests.stored(standing, flow).createdAt)
        #expect(try Self.rows(flow).count == 1)
        #expect(try Self.requests(flow) == 1)
        // The standing row says when it was last asked for; its own history is untouched.
        let row = try RemediationOperationsTests.stored(standing, flow)
        #expect(row.evaluatedAt == clock.now())
        #expect(row.updatedAt == row.createdAt)

        clock.advance(10)
        try flow.store.database.write { db in
            _ = try KillSwitchStore.turnOff(scope: .global, target: "", actor: "bob", reason: "done", at: clock.now(), in: db)
        }
        let third = try await flow.run(Self.loopRequest())
        #expect(third.kind == .executed)
        #expect(third.state == .succeeded)
        #expect(third.id != standing)
        #expect(runner.requests.count == 1)
        #expect(try Self.rows(flow).count == 2)
    }

    @Test func aRefusalForAnotherReasonIsRecorded() async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let clock = FixedClock()
        let runner = FakeProcessRunner()
        let flow = try RemediationOperationsTests.flow(in: folder, runner: runner, clock: clock)
        try Self.killSwitch(.global, on: flow, at: clock.now())
        let first = try await flow.run(Self.loopRequest())
        clock.advance(10)
        #expect(try await flow.run(Self.loopRequest()).id == first.id)
        #expect(try Self.rows(flow).count == 1)

        // The global switch goes off, the service's own goes on: still refused, for another reason.
        clock.advance(10)
        try flow.store.database.write { db in
            _ = try KillSwitchStore.turnOff(scope: .global, target: "", actor: "bob", reason: "done", at: clock.now(), in: db)
        }
        try Self.killSwitch(.service, "checkout", on: flow, at: clock.now())
        let second = try await flow.run(Self.loopRequest())

        #expect(second.kind == .refused)
        #expect(second.rule == "killswitch.service:checkout")
        #expect(second.id != first.id)
        #expect(second.unchangedSince == nil)
        #expect(try Self.rows(flow).count == 2)
        #expect(try Self.requests(flow) == 2)
        #expect(runner.requests.isEmpty)
    }

    /// The loop's repeated refusals are recorded once; an operator's request is theirs, recorded each time.
    @Test func theLoopsRepeatedRefusalIsRecordedOnceAnOperatorsEachTime() async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let clock = FixedClock()
        let flow = try RemediationOperationsTests.flow(in: folder, runner: FakeProcessRunner(), clock: clock)
        try Self.killSwitch(.global, on: flow, at: clock.now())
        let operatorRequest = RemediationRequest(action: "restart", service: "checkout", incident: "7", actor: "alice", reason: "try again")

        for _ in 0..<3 {
            _ = try await flow.run(Self.loopRequest())
            clock.advance(10)
        }
        #expect(try Self.rows(flow).count == 1)
        for _ in 0..<2 {
            let asked = try await flow.run(operatorRequest)
            #expect(asked.kind == .refused)
            #expect(asked.unchangedSince == nil)
            clock.advance(10)
        }
        #expect(try Self.rows(flow).map(\.requester) == ["aurora", "alice", "alice"])
    }

    @Test func anApprovalIsQueuedOncePerIncidentActionAndTarget() async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let clock = FixedClock()
        let flow = try RemediationOperationsTests.flow(in: folder, runner: FakeProcessRunner(), clock: clock)

        let first = try await flow.run(Self.loopRequest("failover", service: "postgres"))
        #expect(first.kind == .queued)
        clock.advance(10)
        // Whoever asks: the loop again, or an operator (who records every refusal of theirs).
        let fromLoop = try await flow.run(Self.loopRequest("failover", service: "postgres"))
        let fromOperator = try await flow.run(RemediationRequest(action: "failover", service: "postgres", incident: "7", actor: "alice"))

        #expect(fromLoop.kind == .queued && fromOperator.kind == .queued)
        #expect(fromLoop.id == first.id && fromOperator.id == first.id)
        #expect(fromOperator.unchangedSince != nil)
        #expect(try flow.pending().map(\.id) == [try #require(first.id)])
        #expect(try Self.requests(flow) == 1)
        // Another incident's approval of the same action is its own item.
        var other = Self.loopRequest("failover", service: "postgres")
        other.incident = "8"
        #expect(try await flow.run(other).id != first.id)
        #expect(try flow.pending().count == 2)
    }

    /// Several aurora processes share the database: each asks in its own write transaction, and one
    /// approval is queued however their requests interleave.
    @Test func concurrentProcessesQueueOneApproval() async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let flow = try RemediationOperationsTests.flow(in: folder, runner: FakeProcessRunner())

        // Each task is a process of its own: its own connection to the database file, its own flow.
        let ids = try await withThrowingTaskGroup(of: Int64?.self) { group in
            for _ in 0..<8 {
                group.addTask {
                    let own = try RemediationOperationsTests.flow(in: folder, runner: FakeProcessRunner())
                    return try await own.run(Self.loopRequest("failover", service: "postgres")).id
                }
            }
            return try await group.reduce(into: Set<Int64?>()) { $0.insert($1) }
        }

        #expect(ids.count == 1)
        #expect(try flow.pending().count == 1)
        #expect(try Self.requests(flow) == 1)
    }

    /// A dry run stores no row: the loop's repeated dry run of a stuck incident writes its audit entry
    /// once a day while it says the same thing, again when it changes; an operator's dry run each time.
    @Test func theLoopsRepeatedDryRunIsAuditedOnceWhileUnchanged() async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let clock = FixedClock()
        let runner = FakeProcessRunner()
        let flow = try RemediationOperationsTests.flow(in: folder, runner: runner, clock: clock)
        func dryRuns() throws -> Int { try AuditLog.entries(in: flow.store.database).filter { $0.action == "remediation.dry-run" }.count }
        var request = Self.loopRequest()
        request.dryRun = true

        for _ in 0..<3 {
            #expect(try await flow.run(request).kind == .dryRun)
            clock.advance(10)
        }
        #expect(try dryRuns() == 1)
        // The answer changes (a kill switch): recorded; then it repeats: not.
        try Self.killSwitch(.global, on: flow, at: clock.now())
        _ = try await flow.run(request)
        clock.advance(10)
        _ = try await flow.run(request)
        #expect(try dryRuns() == 2)
        // A day later the same answer is written again, so the trail shows it still stood.
        clock.advance(86_401)
        _ = try await flow.run(request)
        #expect(try dryRuns() == 3)
        // An operator's dry run is theirs: recorded every time.
        var asked = request
        asked.recordsRepeatedRefusal = true
        _ = try await flow.run(asked)
        _ = try await flow.run(asked)
        #expect(try dryRuns() == 5)
        #expect(runner.requests.isEmpty)
        #expect(try Self.rows(flow).isEmpty)
    }
}
