import AuroraCore
import Foundation

/// An anomaly event as recorded ("anomaly published").
package struct AnomalyRecord: Sendable, Equatable {
    package var id: Int64
    package var seriesKey: String
    package var service: String?
    package var start: Int64
    package var end: Int64
    package var peakTime: Int64
    package var peakValue: Double
    package var expectedLow: Double?
    package var expectedHigh: Double?
    package var score: Double
    /// Detector names, comma-separated.
    package var detectors: String
    package var recorded: Date
    /// The input the event came from (file names, or `stored`).
    package var source: String
    /// Points the series' detectors had seen when the event began; nil where not known.
    package var historyPoints: Int?
    /// Whether that was less than the ensemble remembers (see `AnomalyEvent.shortHistory`).
    package var shortHistory: Bool
    /// The probability that the event marks a real fault (see `AnomalyEvent.confidence`); nil where none.
    package var confidence: Double?

    package init(id: Int64 = 0, seriesKey: String, service: String?, start: Int64, end: Int64, peakTime: Int64,
                peakValue: Double, expectedLow: Double?, expectedHigh: Double?, score: Double, detectors: String,
                recorded: Date, source: String, historyPoints: Int? = nil, shortHistory: Bool = false,
                confidence: Double? = nil) {
        self.id = id
        self.seriesKey = seriesKey
        self.service = service
        self.start = start
        self.end = end
        self.peakTime = peakTime
        self.peakValue = peakValue
        self.expectedLow = expectedLow
        self.expectedHigh = expectedHigh
        self.score = score
        self.detectors = detectors
        self.recorded = recorded
        self.source = source
        self.historyPoints = historyPoints
        self.shortHistory = shortHistory
        self.confidence = confidence
    }
}

/// Recorded anomaly events and detector state.
package enum AnomalyEventStore {
    /// Records events; an event already recorded (same series and start) is updated, not duplicated.
    /// Returns how many were new.
    @discardableResult
    package static func record(_ events: [AnomalyRecord], in db: Database) throws -> Int {
        var added = 0
        for event in events {
            let values: [SQLValue] = [
                .text(event.seriesKey), .optional(event.service), .integer(event.start), .integer(event.end),
                .integer(event.peakTime), .real(event.peakValue), .optional(event.expectedLow), .optional(event.expectedHigh),
                .real(event.score), .text(event.detectors), .integer(event.recorded.unixMilliseconds), .text(event.source),
                event.historyPoints.map { .integer(Int64($0)) } ?? .null, .integer(event.shortHistory ? 1 : 0),
                .optional(event.confidence),
            ]
            let inserted = try db.run("""
                INSERT OR IGNORE INTO anomaly_events (series_key, service, start_ms, end_ms, peak_ms, peak_value,
                    expected_low, expected_high, score, detectors, recorded_ms, source, history_points, short_history, confidence)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, values)
            if inserted == 1 {
                added += 1
            } else {
                // An event reported again (it was still going on) only grows; a confidence it gained keeps
                // the larger of the two (SQLite's max() of NULL and a number is NULL).
                try db.run("""
                    UPDATE anomaly_events SET end_ms = max(end_ms, ?3), score = max(score, ?4),
                        confidence = CASE WHEN ?5 IS NULL THEN confidence WHEN confidence IS NULL THEN ?5 ELSE max(confidence, ?5) END
                    WHERE series_key = ?1 AND start_ms = ?2
                    """, [.text(event.seriesKey), .integer(event.start), .integer(event.end), .real(event.score), .optional(event.confidence)])
            }
        }
        return added
    }

    static let columns = """
        id, series_key, service, start_ms, end_ms, peak_ms, peak_value, expected_low, expected_high, score,
        detectors, recorded_ms, source, history_points, short_history, confidence
        """

    static func decode(_ row: SQLRow) -> AnomalyRecord {
        AnomalyRecord(id: row[0].int64 ?? 0, seriesKey: row[1].string ?? "", service: row[2].string,
                      start: row[3].int64 ?? 0, end: row[4].int64 ?? 0, peakTime: row[5].int64 ?? 0,
                      peakValue: row[6].double ?? 0, expectedLow: row[7].double, expectedHigh: row[8].double,
                      score: row[9].double ?? 0, detectors: row[10].string ?? "",
                      recorded: Date(unixMilliseconds: row[11].int64 ?? 0), source: row[12].string ?? "",
                      historyPoints: row[13].int64.map { Int(clamping: $0) }, shortHistory: row[14].int64 == 1,
                      confidence: row[15].double)
    }

    /// Events starting in [from, to), oldest first.
    package static func events(in db: Database, from: Int64 = Int64.min, to: Int64 = Int64.max) throws -> [AnomalyRecord] {
        try db.query("SELECT \(columns) FROM anomaly_events WHERE start_ms >= ? AND start_ms < ? ORDER BY start_ms, id",
                     [.integer(from), .integer(to)]).map(decode)
    }

    /// The events grouped into one incident, oldest first.
    package static func events(incident: Int64, in db: Database) throws -> [AnomalyRecord] {
        try db.query("SELECT \(columns) FROM anomaly_events WHERE incident_id = ? ORDER BY start_ms, id",
                     [.integer(incident)]).map(decode)
    }

    /// Those of `incidents` whose every event came from a short history (none of unknown history).
    package static func onShortHistory(_ incidents: [Int64], in db: Database) throws -> Set<Int64> {
        var found = Set<Int64>()
        for row in try perIncident(incidents, "SELECT incident_id FROM anomaly_events WHERE incident_id IN (?) "
                                       + "GROUP BY incident_id HAVING min(short_history) = 1", in: db) {
            if let id = row[0].int64 { found.insert(id) }
        }
        return found
    }

    /// The highest event confidence of each of `incidents` that has an event with one.
    package static func likeliest(_ incidents: [Int64], in db: Database) throws -> [Int64: Double] {
        var found: [Int64: Double] = [:]
        for row in try perIncident(incidents, "SELECT incident_id, max(confidence) FROM anomaly_events WHERE incident_id IN (?) "
                                       + "AND confidence IS NOT NULL GROUP BY incident_id", in: db) {
            if let id = row[0].int64, let confidence = row[1].double { found[id] = confidence }
        }
        return found
    }

    /// Runs `sql`, whose one `IN (?)` stands for the incident ids, over `incidents` in slices: SQLite
    /// binds at most 32,766 parameters (and older builds 999).
    static func perIncident(_ incidents: [Int64], _ sql: String, in db: Database) throws -> [SQLRow] {
        var rows: [SQLRow] = []
        for start in stride(from: 0, to: incidents.count, by: 500) {
            let slice = incidents[start..<min(start + 500, incidents.count)]
            let marks = Array(repeating: "?", count: slice.count).joined(separator: ",")
            rows += try db.query(sql.replacingOccurrences(of: "IN (?)", with: "IN (\(marks))"), slice.map { .integer($0) })
        }
        return rows
    }

    /// The incident each event (by series and start) was grouped into, for the ones that have one.
    package static func incidents(of events: [(seriesKey: String, start: Int64)], in db: Database) throws -> [String: Int64] {
        var found: [String: Int64] = [:]
        for event in events {
            if let id = try db.scalar("SELECT incident_id FROM anomaly_events WHERE series_key = ? AND start_ms = ?",
                                      [.text(event.seriesKey), .integer(event.start)])?.int64 {
                found["\(event.seriesKey)@\(event.start)"] = id
            }
        }
        return found
    }

    /// Where a detector stands on a stored series: the last point it scored (the watermark, moved every
    /// run with the events its points produced) and its last checkpoint, the saved state after the
    /// point at `at` (at or before the watermark: written every few dozen points, not every run).
    package struct DetectorProgress: Sendable, Equatable {
        package var watermark: Int64
        package var checkpoint: (at: Int64, state: [UInt8])?

        package init(watermark: Int64, checkpoint: (at: Int64, state: [UInt8])?) {
            self.watermark = watermark
            self.checkpoint = checkpoint
        }

        package static func == (lhs: Self, rhs: Self) -> Bool {
            lhs.watermark == rhs.watermark && lhs.checkpoint?.at == rhs.checkpoint?.at && lhs.checkpoint?.state == rhs.checkpoint?.state
        }
    }

    /// The watermark and checkpoint of a detector for a stored series, or nil when it never scored it.
    /// With `newest` (the series' newest point), a detector already past it gets no checkpoint: its
    /// state, some kilobytes, is not even read (a live pass asks this of every series, idle ones too).
    package static func progress(seriesID: Int64, detector: String, newest: Int64? = nil, in db: Database) throws -> DetectorProgress? {
        // One statement per series; SQLite reads a column's overflow pages only when the column is used.
        // Read column by column from the prepared statement: the state is copied once, into its array.
        let statement = try db.prepare("""
            SELECT s.watermark_ms, c.at_ms, CASE WHEN ?3 IS NULL OR s.watermark_ms < ?3 THEN c.state END FROM detector_state s
            LEFT JOIN detector_checkpoints c ON c.series_id = s.series_id AND c.detector = s.detector
            WHERE s.series_id = ?1 AND s.detector = ?2
            """)
        try statement.bind([.integer(seriesID), .text(detector), .optional(newest)])
        defer { statement.reset() }
        guard try statement.step(), !statement.isNull(0) else { return nil }
        let watermark = statement.int64(0)
        guard !statement.isNull(1), case .blob(let state) = statement.value(2), !state.isEmpty else {
            return DetectorProgress(watermark: watermark, checkpoint: nil)
        }
        return DetectorProgress(watermark: watermark, checkpoint: (statement.int64(1), state))
    }

    /// Moves the watermark from `expected` (nil: the detector never scored the series) to `watermark` in
    /// one step, unless another run moved it meanwhile: then nothing changes and the result is false
    /// (that run reports the points). Call in the transaction that records the events up to `watermark`.
    package static func advanceWatermark(seriesID: Int64, detector: String, from expected: Int64?, to watermark: Int64,
                                         in db: Database) throws -> Bool {
        if let expected {
            return try db.run("UPDATE detector_state SET watermark_ms = ?3 WHERE series_id = ?1 AND detector = ?2 AND watermark_ms = ?4",
                              [.integer(seriesID), .text(detector), .integer(watermark), .integer(expected)]) == 1
        }
        return try db.run("INSERT OR IGNORE INTO detector_state (series_id, detector, watermark_ms, state) VALUES (?, ?, ?, x'')",
                          [.integer(seriesID), .text(detector), .integer(watermark)]) == 1
    }

    /// Forgets where every detector stands on every stored series (watermarks and checkpoints): the next
    /// run scores all stored points again. For benchmarks that add history under live series.
    package static func forgetDetectorProgress(in db: Database) throws {
        try db.execute("DELETE FROM detector_checkpoints")
        try db.execute("DELETE FROM detector_state")
    }

    /// Saves the state after the watermark as the checkpoint (the watermark already moved there).
    package static func saveCheckpoint(seriesID: Int64, detector: String, at watermark: Int64, state: [UInt8], in db: Database) throws {
        try db.run("""
            INSERT INTO detector_checkpoints (series_id, detector, at_ms, state) VALUES (?, ?, ?, ?)
            ON CONFLICT (series_id, detector) DO UPDATE SET at_ms = excluded.at_ms, state = excluded.state
            """, [.integer(seriesID), .text(detector), .integer(watermark), .blob(state)])
    }

    /// The last point a detector scored in a stored series, or nil when it never scored it.
    package static func watermark(seriesID: Int64, detector: String, in db: Database) throws -> Int64? {
        try db.scalar("SELECT watermark_ms FROM detector_state WHERE series_id = ? AND detector = ?",
                      [.integer(seriesID), .text(detector)])?.int64
    }

    /// Moves the watermark alone (the state is the checkpoint's plus the points after it); call in the
    /// transaction that records the events up to that point.
    package static func advanceWatermark(seriesID: Int64, detector: String, to watermark: Int64, in db: Database) throws {
        try db.run("""
            INSERT INTO detector_state (series_id, detector, watermark_ms, state) VALUES (?, ?, ?, x'')
            ON CONFLICT (series_id, detector) DO UPDATE SET watermark_ms = excluded.watermark_ms
            """, [.integer(seriesID), .text(detector), .integer(watermark)])
    }

    /// Saves the state after `watermark` as the checkpoint and moves the watermark there; call in the
    /// transaction that records the events up to that point.
    package static func saveState(seriesID: Int64, detector: String, watermark: Int64, state: [UInt8], in db: Database) throws {
        try advanceWatermark(seriesID: seriesID, detector: detector, to: watermark, in: db)
        try saveCheckpoint(seriesID: seriesID, detector: detector, at: watermark, state: state, in: db)
    }
}
