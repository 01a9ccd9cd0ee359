import AuroraCore
import AuroraStore
import AuroraTestSupport
import Foundation
import Testing

/// An incident's tier is the diagnosis' decision tier, typed; a stored word aurora never writes is a
/// damaged row, reported as a data error rather than read as some tier.
@Suite struct IncidentTierTests {
    static let now = Date(timeIntervalSince1970: 1_800_000_000)

    static func openIncident(in db: Database) throws -> Int64 {
        try db.write { db in
            try AnomalyEventStore.record([AnomalyRecord(seriesKey: "latency_ms{service=\"checkout\"}", service: "checkout", start: 0, end: 60_000,
                                                        peakTime: 30_000, peakValue: 900, expectedLow: 100, expectedHigh: 200, score: 0.9,
                                                        detectors: "zscore", recorded: now, source: "test")], in: db)
            return try #require(IncidentStore.groupUnassignedEvents(by: IncidentGrouping(gap: 300_000), at: now, in: db).first)
        }
    }

    @Test func everyTierRoundTripsTyped() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let db = try Store(path: folder.file("i.db")).database
        let id = try Self.openIncident(in: db)
        #expect(try IncidentStore.get(id, in: db)?.tier == nil)
        for tier in ConfidenceTier.allCases {
            try db.write { try IncidentStore.recordDiagnosis(id, json: "{}", cause: nil, confidence: 0.6, tier: tier, pattern: nil, remediation: nil,
                                                             escalate: tier == .escalate, summary: "s", at: Self.now, in: $0) }
            #expect(try IncidentStore.get(id, in: db)?.tier == tier)
        }
    }

    @Test func anUnknownStoredTierIsADataErrorNamingTheIncident() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let db = try Store(path: folder.file("i.db")).database
        let id = try Self.openIncident(in: db)
        try db.write { _ = try $0.run("UPDATE incidents SET tier = 'enormous' WHERE id = ?", [.integer(id)]) }
        let error = #expect(throws: SimpleFailure.self) { try IncidentStore.list(in: db) }
        #expect(error?.kind == .dataError)
        #expect(error?.description.contains("incident \(id)") == true && error?.description.contains("enormous") == true)
    }
}
