import AuroraConfig
import AuroraCore
@testable import AuroraOperations
import AuroraSimulation
import AuroraStore
import AuroraTestSupport
import Foundation
import Testing

/// The loop as `aurora watch` runs it, after catching up on hours it missed: an incident whose fault
/// ended long before the pass is diagnosed and its refusal recorded once (the watcher's log and the
/// alert say it), while a fault that is going on now is remediated in the same pass. The demo's fleet,
/// a real store, a process runner that starts nothing.
@Suite struct StaleIncidentPassTests {
    /// Two normal days of the demo's fleet from Monday 2026-01-05 00:00 UTC, then the time under test.
    static let start: Int64 = 1_767_571_200
    static let live = start + 2 * 86_400

    /// The operator's rule on postgres' pool: it declares the condition a fault, so the loop acts on the
    /// cause's confidence alone (`FaultReality`). A repeated fault scores lower than the first (the series
    /// has seen one), and without the rule its fault is not sure enough to act on.
    static let poolRule = DemoFleet.poolRuleYAML

    static func context(_ folder: TemporaryDirectory, clock: FixedClock, runner: FakeProcessRunner,
                        rules: String = poolRule, actionTier: String = "medium") throws -> OperationsContext {
        let graph = DemoFleet.dependencies.map { "    \($0.caller): { depends-on: [\($0.callee)] }" }.joined(separator: "\n")
        let configuration = try ConfigLoader.load(yaml: """
            aurora:
              services:
            \(graph)
              safety:
                cooldown-between-same-service: 0s
              # The refusal is asked about again on the next pass: the old fault's three quiet hours would
              # otherwise resolve it as recovered (QuietRecoveryPassTests).
              diagnosis:
                recovered-after: 0
              remediation:
                actions:
                  restart-service:
                    type: service-restart
                    tier: \(actionTier)
                    command: [restart, '{service}']
            \(rules)
            """, file: "aurora.yaml")
        return OperationsContext(store: try Store(path: folder.file("aurora.db")), configuration: configuration, clock: clock, environment: [:],
                                 workingDirectory: folder.path, actor: "test", processRunner: runner, httpTransport: FakeHTTPTransport())
    }

    static func store(from: Int64, to: Int64, faults: [DemoFleet.Fault], _ context: OperationsContext) throws {
        let series = DemoFleet().series(from: from, to: to, faults: faults)
        _ = try context.store.database.write { try SeriesStore.store(series, serviceLabel: "service", at: context.clock.now(), in: $0) }
    }

    static func pass(_ context: OperationsContext) async throws -> [HealingPass.IncidentStep] {
        var pass = HealingPass(context: context, dryRun: false, actor: "aurora")
        pass.rediagnoseAfter = 300
        return try await pass.run().steps
    }

    @Test func aFaultThatEndedHoursBeforeTheCatchUpIsRecordedNotRemediatedWhileANewOneIs() async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let runner = FakeProcessRunner()
        // The watcher was stopped; it reads three hours at once: postgres' pool was exhausted for a quarter
        // of an hour, from 00:10, then the fleet was healthy again.
        let clock = FixedClock(Date(timeIntervalSince1970: Double(Self.live + 3 * 3600 + 20)))
        let context = try Self.context(folder, clock: clock, runner: runner)
        try Self.store(from: Self.start, to: Self.live, faults: [], context)
        try Self.store(from: Self.live, to: Self.live + 3 * 3600,
                       faults: [DemoFleet.Fault(service: "postgres", start: Self.live + 600, end: Self.live + 1500)], context)
        let stale = try #require(try await Self.pass(context).first)
        #expect(stale.diagnosis.hasPrefix("root cause postgres"), "\(stale.diagnosis)")
        #expect(stale.action == "restart-service" && stale.target == "postgres")
        #expect(stale.rule == "stale.incident", "\(stale.outcome)")
        #expect(stale.outcome.hasPrefix("refused: incident \(stale.incident) last showed an anomaly at 2026-01-07T00:"), "\(stale.outcome)")
        #expect(stale.alertText.action.hasPrefix("restart-service: refused: incident"))
        #expect(!stale.resolved)
        #expect(runner.requests.isEmpty)

        // The next pass asks again: the refusal stands, nothing new is recorded. Then postgres fails again,
        // now: a new incident, fresh, remediated, while the old one stays refused.
        clock.advance(600)
        try Self.store(from: Self.live + 3 * 3600, to: Self.live + 3 * 3600 + 600,
                       faults: [DemoFleet.Fault(service: "postgres", start: Self.live + 3 * 3600 + 60)], context)
        let steps = try await Self.pass(context)
        let again = try #require(steps.first { $0.incident == stale.incident })
        #expect(again.rule == "stale.incident" && again.unchangedSince != nil)
        let fresh = try #require(steps.first { $0.incident != stale.incident && $0.action != nil }, "\(steps.map(\.outcome))")
        #expect(fresh.outcome.hasPrefix("executed: succeeded"), "\(fresh.outcome)")
        #expect(fresh.faultReality?.basis == .rule(DemoFleet.poolRuleName) && fresh.actingConfidence == fresh.confidence)
        #expect(runner.requests.map(\.argv) == [["restart", "postgres"]])
        let rows = try context.store.database.read { try RemediationStore.list(incident: String(stale.incident), in: $0) }
        #expect(rows.count == 1 && rows.first?.rule == "stale.incident" && rows.first?.state == .refused)
    }
}
