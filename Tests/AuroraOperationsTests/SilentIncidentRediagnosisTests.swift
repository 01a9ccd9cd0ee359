import AuroraCore
import AuroraDiagnosis
@testable import AuroraOperations
import AuroraStore
import AuroraTestSupport
import Foundation
import Testing

/// The loop over a silent incident (`SilentIncidentDiagnosisTests`' set-up, a real store): the confidence
/// it carries is said to be unmeasured, fresh or taken from the stored diagnosis, and the return of the
/// silent series is news that makes `watch`'s next pass diagnose again, although no event changed.
@Suite struct SilentIncidentRediagnosisTests {
    typealias Setup = SilentIncidentDiagnosisTests

    /// One pass as `aurora watch` runs it: stored diagnoses are taken again for an hour while nothing changed.
    static func pass(_ context: OperationsContext) async throws -> HealingPass.IncidentStep {
        var pass = HealingPass(context: context, dryRun: false, actor: "aurora")
        pass.rediagnoseAfter = 3_600
        return try #require(try await pass.run().steps.first { $0.services == ["api"] })
    }

    /// Stores api's points from `back` on for `series` (indices into `Setup.series`), as the source returns them.
    static func storeReturn(of series: [Int], from back: Int64, _ context: OperationsContext) throws {
        let returned = Setup.series(apiBack: back, until: back + 120_000).enumerated().filter { series.contains($0.offset) }.map { _, series in
            let kept = series.timestamps.indices.filter { series.timestamps[$0] >= back }
            return Series(key: series.key, timestamps: kept.map { series.timestamps[$0] }, values: kept.map { series.values[$0] })
        }
        try context.store.database.write { db in
            _ = try SeriesStore.store(returned, serviceLabel: "service", at: context.clock.now(), recent: true, in: db)
        }
    }

    static func events(of incident: Int64, _ context: OperationsContext) throws -> Int {
        try context.store.database.read { try AnomalyEventStore.events(incident: incident, in: $0) }.count
    }

    @Test func theConfidenceIsNotMeasuredFreshAndTakenAgain() async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let clock = FixedClock()
        let context = try Setup.context(folder, clock: clock)
        _ = try Setup.silentIncident(context)
        let fresh = try await Self.pass(context)
        #expect(fresh.reusedDiagnosisFrom == nil)
        #expect(fresh.confidence == 0 && !fresh.confidenceMeasured && fresh.tier == .escalate)
        clock.advance(30)
        let taken = try await Self.pass(context)
        #expect(taken.reusedDiagnosisFrom != nil, "nothing changed: the stored diagnosis is taken again")
        #expect(taken.confidence == 0 && !taken.confidenceMeasured && taken.tier == .escalate)
        #expect(taken.diagnosis == fresh.diagnosis)
    }

    @Test func theReturnOfTheSilentSeriesIsNewsToTheNextPass() async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let clock = FixedClock()
        let context = try Setup.context(folder, clock: clock)
        let incident = try Setup.silentIncident(context)
        let first = try await Self.pass(context)
        #expect(first.evidence.first?.hasSuffix("none has reported since") == true, "\(first.evidence)")
        let events = try Self.events(of: incident.id, context)
        clock.advance(30)
        #expect(try await Self.pass(context).reusedDiagnosisFrom != nil)

        // One of the three back: no event says so, the points do.
        let back = Setup.since + 300_000
        clock.advance(30)
        try Self.storeReturn(of: [0], from: back, context)
        let partly = try await Self.pass(context)
        #expect(try Self.events(of: incident.id, context) == events, "no event joined: the return alone is the news")
        #expect(partly.reusedDiagnosisFrom == nil)
        #expect(partly.evidence.first?.hasSuffix("1 reporting again from \(CivilTime.iso(back)), 2 still missing") == true, "\(partly.evidence)")
        clock.advance(30)
        #expect(try await Self.pass(context).reusedDiagnosisFrom != nil, "nothing new since")

        // The other two back: diagnosed again, all reporting; then taken again while nothing changes.
        clock.advance(30)
        try Self.storeReturn(of: [1, 2], from: back, context)
        let returned = try await Self.pass(context)
        #expect(returned.reusedDiagnosisFrom == nil)
        #expect(returned.evidence.first?.hasSuffix("all reporting again from \(CivilTime.iso(back))") == true, "\(returned.evidence)")
        #expect(!returned.confidenceMeasured)
        clock.advance(30)
        #expect(try await Self.pass(context).reusedDiagnosisFrom != nil)
    }
}
