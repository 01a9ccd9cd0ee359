import AuroraCore
import AuroraStore
import AuroraTestSupport
import Foundation
import Testing

/// Version 14 keeps the history each anomaly event was judged on, so incidents and their alerts can say
/// when every anomaly came from series the detector had not seen long enough.
@Suite struct EventHistoryTests {
    static func record(_ series: String, start: Int64, history: Int?, short: Bool) -> AnomalyRecord {
        AnomalyRecord(seriesKey: series, service: "api", start: start, end: start + 60_000, peakTime: start, peakValue: 9,
                      expectedLow: 1, expectedHigh: 2, score: 0.8, detectors: "seasonal", recorded: Date(unixMilliseconds: start),
                      source: "test", historyPoints: history, shortHistory: short)
    }

    /// A database built to schema `version` holding one event of `series`, opened (so upgraded) by this release.
    static func upgraded(from version: Int, path: String, series: String) throws -> Database {
        do {
            let database = try Database(path: path)
            try Migrator.migrate(database, migrations: Schema.migrations.filter { $0.version <= version })
            try database.run("""
                INSERT INTO anomaly_events (series_key, service, start_ms, end_ms, peak_ms, peak_value, score, detectors, recorded_ms, source)
                VALUES (?, 'api', 0, 60000, 0, 9, 0.8, 'seasonal', 0, 'old')
                """, [.text(series)])
        }
        return try Store(path: path).database
    }

    /// An event recorded by a release before version 14 reads back with its history unknown, not short.
    @Test func anEventOfAVersion13DatabaseReadsAsUnknownHistory() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let db = try Self.upgraded(from: 13, path: folder.file("h.db"), series: "cpu")
        #expect(try db.scalar("PRAGMA user_version")?.int64 == Int64(Schema.latestVersion))
        let events = try AnomalyEventStore.events(in: db)
        #expect(events.map(\.historyPoints) == [nil])
        #expect(events.map(\.shortHistory) == [false])
    }

    /// Version 15 keeps each event's confidence; an event recorded before reads back with none, and an
    /// event reported again keeps the larger confidence, or the one it gained.
    @Test func anEventKeepsItsConfidence() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let db = try Self.upgraded(from: 14, path: folder.file("c.db"), series: "old")
        var first = Self.record("cpu", start: 1_000, history: 240, short: true)
        first.confidence = 0.4
        var rule = Self.record("mem", start: 2_000, history: nil, short: false)
        rule.confidence = nil
        try db.write { db in _ = try AnomalyEventStore.record([first, rule], in: db) }
        #expect(try AnomalyEventStore.events(in: db).map(\.confidence) == [nil, 0.4, nil])

        var stronger = first
        stronger.confidence = 0.6
        var gained = rule
        gained.confidence = 0.3
        var weaker = first
        weaker.confidence = 0.5
        try db.write { db in _ = try AnomalyEventStore.record([stronger, gained, weaker], in: db) }
        #expect(try AnomalyEventStore.events(in: db).map(\.confidence) == [nil, 0.6, 0.3])
        try db.write { db in _ = try AnomalyEventStore.record([rule], in: db) }
        #expect(try AnomalyEventStore.events(in: db).map(\.confidence) == [nil, 0.6, 0.3], "a report without one keeps what was known")
    }

    @Test func anEventKeepsItsHistory() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let db = try Store(path: folder.file("h.db")).database
        try db.write { db in
            _ = try AnomalyEventStore.record([Self.record("cpu", start: 0, history: 240, short: true),
                                              Self.record("mem", start: 1_000, history: 9_000, short: false)], in: db)
        }
        let events = try AnomalyEventStore.events(in: db)
        #expect(events.map(\.historyPoints) == [240, 9_000])
        #expect(events.map(\.shortHistory) == [true, false])
    }

    /// An incident is "on a short history" only when every one of its events is; an event of unknown
    /// history (an absent-data event, a webhook alert) makes it not.
    @Test func anIncidentIsOnAShortHistoryOnlyWhenEveryEventIs() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let db = try Store(path: folder.file("h.db")).database
        try db.write { db in
            _ = try AnomalyEventStore.record([
                Self.record("a", start: 0, history: 10, short: true), Self.record("b", start: 1, history: 20, short: true),
                Self.record("c", start: 2, history: 10, short: true), Self.record("d", start: 3, history: 9_000, short: false),
                Self.record("e", start: 4, history: 10, short: true), Self.record("f", start: 5, history: nil, short: false),
            ], in: db)
            try db.run("""
                INSERT INTO incidents (id, status, start_ms, end_ms, services, opened_ms, detected_ms, updated_ms)
                VALUES (1, 'open', 0, 1, '', 0, 0, 0), (2, 'open', 2, 3, '', 0, 0, 0), (3, 'open', 4, 5, '', 0, 0, 0)
                """)
            try db.run("UPDATE anomaly_events SET incident_id = CASE WHEN start_ms < 2 THEN 1 WHEN start_ms < 4 THEN 2 ELSE 3 END")
        }
        #expect(try AnomalyEventStore.onShortHistory([1, 2, 3, 4], in: db) == [1])
        #expect(try AnomalyEventStore.onShortHistory([], in: db).isEmpty)
    }
}
