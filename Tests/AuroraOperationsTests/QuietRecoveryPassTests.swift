import AuroraConfig
import AuroraCore
@testable import AuroraOperations
import AuroraSimulation
import AuroraStore
import AuroraTestSupport
import Foundation
import Testing

/// `diagnosis.recovered-after`: the loop resolves an incident whose condition cleared and stayed clear,
/// judged on the data (its series kept reporting with no anomaly for the period) and the loop's clock,
/// never on the wall clock alone. The demo's fleet, a real store, no remediation configured (every
/// incident is escalated, as one nobody can act on is).
@Suite struct QuietRecoveryPassTests {
    /// Two normal days of the demo's fleet from Monday 2026-01-05 00:00 UTC, then the time under test.
    static let start: Int64 = 1_767_571_200
    static let live = start + 2 * 86_400
    /// postgres' pool is exhausted from 00:10 to 00:25 of the third day.
    static let fault = DemoFleet.Fault(service: "postgres", start: live + 600, end: live + 1500)

    static func context(_ folder: TemporaryDirectory, clock: FixedClock, recoveredAfter: String? = nil) throws -> OperationsContext {
        let graph = DemoFleet.dependencies.map { "    \($0.caller): { depends-on: [\($0.callee)] }" }.joined(separator: "\n")
        let configuration = try ConfigLoader.load(yaml: """
            aurora:
              services:
            \(graph)
            \(recoveredAfter.map { "  diagnosis:\n    recovered-after: \($0)" } ?? "")
            """, file: "aurora.yaml")
        return OperationsContext(store: try Store(path: folder.file("aurora.db")), configuration: configuration, clock: clock, environment: [:],
                                 workingDirectory: folder.path, actor: "test", processRunner: FakeProcessRunner(), httpTransport: FakeHTTPTransport())
    }

    /// Stores the fleet's points from `from` to `to` (seconds) with the fault, and sets the clock 20 s after `to`.
    static func store(from: Int64, to: Int64, _ context: OperationsContext, clock: FixedClock) throws {
        let series = DemoFleet().series(from: from, to: to, faults: [fault])
        _ = try context.store.database.write { try SeriesStore.store(series, serviceLabel: "service", at: clock.now(), in: $0) }
        clock.set(Date(timeIntervalSince1970: Double(to + 20)))
    }

    static func pass(_ context: OperationsContext, dryRun: Bool = false) async throws -> [HealingPass.IncidentStep] {
        var pass = HealingPass(context: context, dryRun: dryRun, actor: "aurora")
        pass.rediagnoseAfter = 300
        return try await pass.run().steps
    }

    static func incident(_ id: Int64, _ context: OperationsContext) throws -> IncidentRecord {
        try #require(try context.store.database.read { try IncidentStore.get(id, in: $0) })
    }

    static func quiet(_ id: Int64, _ context: OperationsContext) throws -> IncidentQuiet {
        try #require(try context.store.database.read { try IncidentStore.quiet(of: id, departure: 300_000, in: $0) })
    }

    /// History, then the fault and ten quiet minutes: the incident is open and escalated. Returns its id.
    static func escalatedIncident(_ context: OperationsContext, clock: FixedClock) async throws -> Int64 {
        try store(from: start, to: live, context, clock: clock)
        try store(from: live, to: fault.end! + 600, context, clock: clock)
        let steps = try await pass(context)
        let step = try #require(steps.first { $0.services.contains("postgres") }, "\(steps.map(\.diagnosis))")
        #expect(step.recoveredAfter == nil && !step.resolved)
        #expect(try incident(step.incident, context).status == .escalated)
        return step.incident
    }

    @Test func aTransientFollowedByQuietDataResolvesAfterThePeriodAndNotBefore() async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let clock = FixedClock()
        let context = try Self.context(folder, clock: clock)
        let id = try await Self.escalatedIncident(context, clock: clock)
        let last = try Self.quiet(id, context).quietSince

        // The data reaches one minute short of the period after the last anomaly: still open.
        try Self.store(from: Self.fault.end! + 600, to: last / 1000 + 29 * 60, context, clock: clock)
        let early = try await Self.pass(context)
        #expect(!early.contains { $0.incident == id && $0.resolved }, "\(early.map(\.outcome))")
        #expect(try Self.incident(id, context).status == .escalated)

        // Past it: taken through the triage as every pass does, then resolved without action; audited; nothing learned.
        try Self.store(from: last / 1000 + 29 * 60, to: last / 1000 + 40 * 60, context, clock: clock)
        #expect(try Self.quiet(id, context).quietSince == last, "the quiet data brought no anomaly")
        let steps = try await Self.pass(context)
        #expect(steps.filter { $0.incident == id }.map(\.resolved) == [false, true], "\(steps.map(\.outcome))")
        let step = try #require(steps.last { $0.incident == id })
        #expect(step.resolved && step.recoveredAfter == 1800 && step.action == nil)
        #expect(step.outcome == "recovered without action after 30m quiet: no anomaly on its series and all reporting from "
                + "\(CivilTime.iso(last)) to \(CivilTime.iso((last / 1000 + 40 * 60 - 60) * 1000))", "\(step.outcome)")
        #expect(step.alertText.action == step.outcome)
        #expect(step.diagnosis == steps.first?.diagnosis && step.diagnosis.hasPrefix("root cause postgres"), "the alert keeps what it said: \(step.diagnosis)")
        let stored = try Self.incident(id, context)
        #expect(stored.status == .resolved && stored.resolved == clock.now())
        let (audit, timeline, patterns, resolution) = try context.store.database.read { db in
            (try AuditLog.entries(in: db).filter { $0.action == "incident.recovered" }, try IncidentStore.timeline(id, in: db),
             try LearnedPatternStore.all(in: db), try IncidentStore.resolutions(of: [id], in: db)[id])
        }
        #expect(audit.map(\.actor) == ["aurora"] && audit.first?.subject == "incident:\(id)" && audit.first?.outcome == "resolved")
        #expect(timeline.last?.kind == IncidentStore.recoveredKind && timeline.last?.message == step.outcome)
        #expect(resolution?.recovered == true && resolution?.message == step.outcome)
        #expect(patterns.isEmpty, "nothing was done: nothing to learn")
        // The SLO report knows it recovered by itself: no MTTR sample, no auto-resolution sample.
        let rows = try context.store.database.read { try ServiceLevelStore.rows(since: 0, service: nil, in: $0) }
        #expect(rows.incidents.map(\.recoveredWithoutAction) == [true] && rows.incidents.first?.resolvedAutomatically == false)
        let objectives = try ServiceLevels.measure(since: 0, service: nil, context: context).objectives
        #expect(objectives.first { $0.name == "MTTR" }?.samples == 0 && objectives.first { $0.name == "auto-resolution" }?.samples == 0)

        // Resolved is resolved: the next pass does not visit it again.
        clock.advance(60)
        #expect(try await Self.pass(context).allSatisfy { $0.incident != id })

        // A person reopens it: theirs to resolve, the loop does not close it again however quiet.
        #expect(try IncidentActions.reopen(id, context: context))
        clock.advance(60)
        #expect(!(try await Self.pass(context)).contains { $0.incident == id && $0.resolved })
        #expect(try Self.incident(id, context).status != .resolved)
    }

    @Test func anIncidentAtTheEndOfTheDataStaysOpenWhateverTheClock() async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let clock = FixedClock()
        let context = try Self.context(folder, clock: clock)
        let id = try await Self.escalatedIncident(context, clock: clock)
        // `aurora heal` over the dump a day later: the clock is far past the period, the data is not.
        clock.advance(86_400)
        let steps = try await Self.pass(context)
        #expect(!steps.contains { $0.incident == id && $0.resolved })
        #expect(try Self.incident(id, context).status == .escalated)
    }

    @Test func zeroNeverResolvesAndADryRunOnlySays() async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let clock = FixedClock()
        let context = try Self.context(folder, clock: clock, recoveredAfter: "0")
        let id = try await Self.escalatedIncident(context, clock: clock)
        try Self.store(from: Self.fault.end! + 600, to: Self.fault.end! + 4 * 3600, context, clock: clock)
        #expect(!(try await Self.pass(context)).contains { $0.recoveredAfter != nil })
        #expect(try Self.incident(id, context).status == .escalated)

        let second = try TemporaryDirectory()
        defer { second.remove() }
        let dry = try Self.context(second, clock: clock)
        let other = try await Self.escalatedIncident(dry, clock: clock)
        try Self.store(from: Self.fault.end! + 600, to: Self.fault.end! + 4 * 3600, dry, clock: clock)
        let step = try #require(try await Self.pass(dry, dryRun: true).last { $0.incident == other })
        #expect(step.recoveredAfter != nil && !step.resolved && step.outcome.hasPrefix("dry run: would resolve: recovered without action"))
        #expect(try Self.incident(other, dry).status == .escalated)
    }

    @Test func anIncidentWithAQueuedApprovalIsLeftToThePerson() async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let clock = FixedClock()
        let context = try Self.context(folder, clock: clock)
        let id = try await Self.escalatedIncident(context, clock: clock)
        let now = clock.now()
        try context.store.database.write { db in
            let queued = RemediationRecord(action: "restart-service", actionType: "service-restart", service: "postgres", parameters: [:],
                                           renderedHash: String(repeating: "a", count: 64), description: "run: argv restart postgres",
                                           requester: "aurora", tier: .medium, incident: String(id), state: .queued, createdAt: now)
            _ = try RemediationStore.insert(queued, in: db)
            _ = try IncidentStore.transition(id, from: [.escalated], to: .remediating, message: "queued", at: now, in: db)
        }
        try Self.store(from: Self.fault.end! + 600, to: Self.fault.end! + 4 * 3600, context, clock: clock)
        #expect(!(try await Self.pass(context)).contains { $0.incident == id })
        #expect(try Self.incident(id, context).status == .remediating)
    }
}
