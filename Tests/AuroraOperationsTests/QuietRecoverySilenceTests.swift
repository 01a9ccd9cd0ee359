import AuroraCore
@testable import AuroraOperations
import AuroraStore
import AuroraTestSupport
import Foundation
import Testing

/// An incident of series that stopped reporting (absent-data events) has not recovered while they are
/// missing, however long the rest of the fleet reports normally; once they report again and stay quiet
/// for `diagnosis.recovered-after` (30m by default), it resolves. `SilentIncidentDiagnosisTests`' set-up.
@Suite struct QuietRecoverySilenceTests {
    typealias Setup = SilentIncidentDiagnosisTests

    /// Stores every series' points after `after` up to `until`; api's only from `apiBack` on (never when nil).
    static func store(after: Int64, until: Int64, apiBack: Int64?, _ context: OperationsContext) throws {
        let points = Setup.series(apiBack: apiBack, until: until).map { series in
            let kept = series.timestamps.indices.filter { series.timestamps[$0] > after }
            return Series(key: series.key, timestamps: kept.map { series.timestamps[$0] }, values: kept.map { series.values[$0] })
        }
        try context.store.database.write { db in
            _ = try SeriesStore.store(points, serviceLabel: "service", at: context.clock.now(), recent: true, in: db)
        }
    }

    static func pass(_ context: OperationsContext) async throws -> [HealingPass.IncidentStep] {
        var pass = HealingPass(context: context, dryRun: false, actor: "aurora")
        pass.rediagnoseAfter = 3_600
        return try await pass.run().steps
    }

    static func status(_ id: Int64, _ context: OperationsContext) throws -> IncidentStatus? {
        try context.store.database.read { try IncidentStore.status(of: id, in: $0) }
    }

    @Test func aSilentIncidentWaitsForItsSeriesToReturnAndStayQuiet() async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let clock = FixedClock()
        let context = try Setup.context(folder, clock: clock)
        let incident = try Setup.silentIncident(context)
        let found = Setup.since + 20_000

        // Two hours on, db and web reporting normally throughout, api still gone: not recovered.
        let later = found + 2 * 3_600_000
        clock.set(Date(unixMilliseconds: later + 20_000))
        try Self.store(after: found, until: later, apiBack: nil, context)
        let gone = try await Self.pass(context)
        #expect(!gone.contains { $0.incident == incident.id && $0.resolved }, "\(gone.map(\.outcome))")
        #expect(try Self.status(incident.id, context) == .escalated)

        // api reports again, but only for ten minutes: not yet.
        let back = later + 60_000
        try Self.store(after: later, until: back + 600_000, apiBack: back, context)
        clock.set(Date(unixMilliseconds: back + 620_000))
        #expect(!(try await Self.pass(context)).contains { $0.incident == incident.id && $0.resolved })
        #expect(try Self.status(incident.id, context) != .resolved)

        // Back and quiet for the period after the last anomaly on its series (the return may have been one).
        let quiet = try #require(try context.store.database.read { try IncidentStore.quiet(of: incident.id, departure: 300_000, in: $0) })
        #expect(quiet.quietSince >= back, "the quiet starts with the return, not the event's end")
        let until = quiet.quietSince + 1_800_000 + 20_000
        try Self.store(after: back + 600_000, until: until, apiBack: back, context)
        clock.set(Date(unixMilliseconds: until + 20_000))
        let steps = try await Self.pass(context)
        let step = try #require(steps.last { $0.incident == incident.id }, "\(steps.map(\.outcome))")
        #expect(step.resolved && step.outcome.hasPrefix("recovered without action after 30m quiet"), "\(step.outcome)")
        #expect(try Self.status(incident.id, context) == .resolved)
    }
}
