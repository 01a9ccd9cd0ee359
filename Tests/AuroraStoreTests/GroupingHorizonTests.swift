import AuroraCore
import AuroraStore
import AuroraTestSupport
import Foundation
import Testing

/// With a horizon (a watcher's retention), events that ended before it are not read for grouping any more.
@Suite struct GroupingHorizonTests {
    static let now = Date(timeIntervalSince1970: 1_800_000_000)
    static let hour: Int64 = 3_600_000

    static func event(at start: Int64, score: Double) -> AnomalyRecord {
        AnomalyRecord(seriesKey: "latency_ms{service=\"checkout\"}", service: "checkout", start: start, end: start + 60_000,
                      peakTime: start, peakValue: 9, expectedLow: 1, expectedHigh: 2, score: score, detectors: "zscore",
                      recorded: now, source: "test")
    }

    @Test func eventsBeforeTheHorizonAreLeftAloneAndLaterOnesGrouped() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let db = try Store(path: folder.file("g.db")).database
        let recent = 100 * Self.hour
        _ = try db.write { db in
            try AnomalyEventStore.record([Self.event(at: Self.hour, score: 0.9), Self.event(at: recent, score: 0.9)], in: db)
        }
        var rule = IncidentGrouping(gap: 300_000, openingScore: 0.5)
        rule.horizon = recent - Self.hour
        let opened = try db.write { try IncidentStore.groupUnassignedEvents(by: rule, at: Self.now, in: $0) }
        #expect(opened.count == 1)
        #expect(try IncidentStore.list(in: db).map(\.start) == [recent])
        // Without a horizon (aurora detect, heal): the old one is grouped as before.
        rule.horizon = nil
        #expect(try db.write { try IncidentStore.groupUnassignedEvents(by: rule, at: Self.now, in: $0) }.count == 1)
        #expect(try IncidentStore.list(in: db).count == 2)
    }
}
