import AuroraCore
import AuroraOperations
import AuroraStore
import AuroraTestSupport
import Foundation
import Testing

/// Retention: old points go, in small transactions; everything else stays.
@Suite struct PointPruningTests {
    static let now = Date(timeIntervalSince1970: 1_800_000_000)
    static let minute: Int64 = 60_000

    /// Two series with a point a minute for ten minutes (0…9), an incident with its event, an audit entry;
    /// series `b`'s detectors have scored only up to minute 3.
    static func seeded(_ folder: TemporaryDirectory) throws -> Store {
        let store = try Store(path: folder.file("p.db"))
        try store.database.write { db in
            let series = ["a", "b"].map { name in
                Series(key: SeriesKey(name: "latency_ms", labels: ["service": name]),
                       timestamps: (0..<10).map { Int64($0) * minute }, values: (0..<10).map(Double.init))
            }
            _ = try SeriesStore.store(series, serviceLabel: "service", at: now, in: db)
            let stored = try SeriesStore.list(in: db)
            try AnomalyEventStore.saveState(seriesID: stored[0].id, detector: "ensemble", watermark: 9 * minute, state: [1], in: db)
            try AnomalyEventStore.saveState(seriesID: stored[1].id, detector: "ensemble", watermark: 3 * minute, state: [1], in: db)
            try AnomalyEventStore.record([AnomalyRecord(seriesKey: stored[0].key.description, service: "a", start: 0, end: minute,
                                                        peakTime: 0, peakValue: 0, expectedLow: nil, expectedHigh: nil, score: 0.9,
                                                        detectors: "zscore", recorded: now, source: "test")], in: db)
            try IncidentStore.groupUnassignedEvents(by: IncidentGrouping(gap: 5 * minute), at: now, in: db)
            try AuditLog.append(AuditEntry(at: now, actor: "test", action: "ingest", subject: "test", detail: "", outcome: "ok"), to: db)
        }
        return store
    }

    static func counts(_ store: Store) throws -> [Int64] {
        try store.database.read { db in
            try ["points", "anomaly_events", "incidents", "incident_timeline", "audit_log", "detector_state"]
                .map { try db.scalar("SELECT count(*) FROM \($0)")?.int64 ?? -1 }
        }
    }

    @Test func oldPointsGoInBatchesAndUnscoredPointsIncidentsEventsAndAuditStay() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let store = try Self.seeded(folder)
        let before = try Self.counts(store)
        let cutoff = Date(unixMilliseconds: 6 * Self.minute)
        let report = try PointPruning.prune(olderThan: cutoff, dryRun: false, store: store, batchSize: 2)
        // a: minutes 0…5; b: only 0…2, before its detectors' watermark.
        #expect(report == PruneReport(points: 6 + 3, series: 2, cutoff: cutoff, dryRun: false))
        let after = try Self.counts(store)
        #expect(after[0] == before[0] - 9)
        #expect(Array(after.dropFirst()) == Array(before.dropFirst()))
        let series = try store.database.read { try SeriesStore.list(in: $0) }
        #expect(series.map(\.first) == [6 * Self.minute, 3 * Self.minute])
        #expect(series.map(\.points) == [4, 7])
        let left = try store.database.read { try SeriesStore.points(seriesID: series[0].id, in: $0) }
        #expect(left.timestamps == [6, 7, 8, 9].map { $0 * Self.minute })
        // Again: nothing more to do.
        #expect(try PointPruning.prune(olderThan: cutoff, dryRun: false, store: store, batchSize: 2).points == 0)
    }

    @Test func aDryRunCountsAndDeletesNothing() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let store = try Self.seeded(folder)
        let before = try Self.counts(store)
        let report = try PointPruning.prune(olderThan: Date(unixMilliseconds: 6 * Self.minute), dryRun: true, store: store)
        #expect(report.points == 9 && report.series == 2 && report.dryRun)
        #expect(try Self.counts(store) == before)
    }
}
