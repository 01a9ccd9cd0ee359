import AuroraCore
import Foundation

/// Where an incident stands.
public enum IncidentStatus: String, Sendable, CaseIterable, Codable {
    case open, diagnosed, remediating, resolved, escalated
}

/// An incident as stored.
public struct IncidentRecord: Sendable, Equatable {
    public var id: Int64
    public var status: IncidentStatus
    public var services: [String]
    public var start: Int64
    public var end: Int64
    public var opened: Date
    /// When the first anomaly of the incident was recorded (for detection latency).
    public var detected: Date
    public var resolved: Date?
    public var cause: String?
    public var note: String?
    public var falsePositive: Bool
    public var confidence: Double?
    public var tier: String?
    public var pattern: String?
    public var remediation: String?
    /// The last diagnosis, as JSON text.
    public var diagnosis: String?
}

/// One line of an incident's timeline.
public struct TimelineEntry: Sendable, Equatable {
    public var at: Date
    public var kind: String
    public var message: String
}

/// Incidents: anomaly events that overlap in time, grouped; their status and timeline.
public enum IncidentStore {
    /// Groups anomaly events not yet in an incident: an event joins an open incident whose span,
    /// widened by `gap` milliseconds, overlaps it; otherwise it opens a new one when it is still going
    /// on (it reaches its series' newest stored point: it may grow, and someone should look) or, once
    /// over, when its score reaches `openingScore`. A weak event that is over stays an event (shown by
    /// `detect`, kept for history) unless a stronger one opens an incident it overlaps, so a month-long
    /// dump of a noisy series does not open an incident per blip. Returns the ids of incidents created
    /// or extended. Call inside a write transaction.
    @discardableResult
    public static func groupUnassignedEvents(gap: Int64, openingScore: Double = 0, at now: Date, in db: Database) throws -> [Int64] {
        let pending = try db.query("""
            SELECT id, service, start_ms, end_ms, recorded_ms, series_key, score FROM anomaly_events
            WHERE incident_id IS NULL ORDER BY start_ms, id
            """)
        var touched: [Int64] = []
        var waiting: [SQLRow] = []
        for row in pending {
            let mayOpen = try (row[6].double ?? 0) >= openingScore || reachesNewestPoint(row, in: db)
            if let incident = try place(row, mayOpen: mayOpen, gap: gap, at: now, in: db) {
                if !touched.contains(incident) { touched.append(incident) }
            } else {
                waiting.append(row)
            }
        }
        // A weak event that came before the strong one that opened its incident joins it now (incident 2
        // of the demo begins with two weak events at postgres, a minute before the strong ones).
        if !touched.isEmpty {
            for row in waiting {
                if let incident = try place(row, mayOpen: false, gap: gap, at: now, in: db), !touched.contains(incident) {
                    touched.append(incident)
                }
            }
        }
        return touched
    }

    /// Whether the event lasts to the newest stored point of its series (it is still going on).
    private static func reachesNewestPoint(_ row: SQLRow, in db: Database) throws -> Bool {
        guard let last = try db.scalar("SELECT last_ms FROM series WHERE key = ?", [.text(row[5].string ?? "")])?.int64 else { return false }
        return (row[3].int64 ?? 0) >= last
    }

    /// Puts one event into the open incident it overlaps, or a new one when `mayOpen`; returns the
    /// incident, or nil when the event was left unassigned.
    private static func place(_ row: SQLRow, mayOpen: Bool, gap: Int64, at now: Date, in db: Database) throws -> Int64? {
        let eventID = row[0].int64 ?? 0
        let service = row[1].string
        let start = row[2].int64 ?? 0
        let end = row[3].int64 ?? start
        let recorded = row[4].int64 ?? now.unixMilliseconds
        let existing = try db.scalar("""
            SELECT id FROM incidents
            WHERE status NOT IN ('resolved') AND start_ms - ?3 <= ?2 AND end_ms + ?3 >= ?1
            ORDER BY id LIMIT 1
            """, [.integer(start), .integer(end), .integer(gap)])?.int64
        let incidentID: Int64
        if let existing {
            incidentID = existing
            var services = Set(try db.scalar("SELECT services FROM incidents WHERE id = ?", [.integer(incidentID)])?.string?
                .split(separator: ",").map(String.init) ?? [])
            if let service { services.insert(service) }
            try db.run("""
                UPDATE incidents SET start_ms = min(start_ms, ?2), end_ms = max(end_ms, ?3), services = ?4,
                    detected_ms = min(detected_ms, ?5), updated_ms = ?6
                WHERE id = ?1
                """, [.integer(incidentID), .integer(start), .integer(end), .text(services.sorted().joined(separator: ",")),
                      .integer(recorded), .integer(now.unixMilliseconds)])
        } else {
            guard mayOpen else { return nil }
            try db.run("""
                INSERT INTO incidents (status, services, start_ms, end_ms, opened_ms, detected_ms, updated_ms)
                VALUES ('open', ?, ?, ?, ?, ?, ?)
                """, [.text(service ?? ""), .integer(start), .integer(end), .integer(now.unixMilliseconds),
                      .integer(recorded), .integer(now.unixMilliseconds)])
            incidentID = db.lastInsertRowID
            try appendTimeline(incidentID, kind: "opened", message: "incident opened", at: now, in: db)
        }
        try db.run("UPDATE anomaly_events SET incident_id = ? WHERE id = ?", [.integer(incidentID), .integer(eventID)])
        try appendTimeline(incidentID, kind: "anomaly",
                           message: "anomaly on \(row[5].string ?? "?") from \(iso(start)) to \(iso(end))", at: now, in: db)
        return incidentID
    }

    static func iso(_ milliseconds: Int64) -> String {
        Date(unixMilliseconds: milliseconds).formatted(.iso8601)
    }

    public static func appendTimeline(_ incidentID: Int64, kind: String, message: String, at now: Date, in db: Database) throws {
        try db.run("INSERT INTO incident_timeline (incident_id, at_ms, kind, message) VALUES (?, ?, ?, ?)",
                   [.integer(incidentID), .integer(now.unixMilliseconds), .text(kind), .text(message)])
    }

    static let columns = """
        id, status, services, start_ms, end_ms, opened_ms, detected_ms, resolved_ms, cause, note, false_positive,
        confidence, tier, pattern, remediation, diagnosis
        """

    static func decode(_ row: SQLRow) -> IncidentRecord {
        IncidentRecord(
            id: row[0].int64 ?? 0, status: IncidentStatus(rawValue: row[1].string ?? "") ?? .open,
            services: (row[2].string ?? "").split(separator: ",").map(String.init),
            start: row[3].int64 ?? 0, end: row[4].int64 ?? 0,
            opened: Date(unixMilliseconds: row[5].int64 ?? 0), detected: Date(unixMilliseconds: row[6].int64 ?? 0),
            resolved: row[7].int64.map { Date(unixMilliseconds: $0) }, cause: row[8].string, note: row[9].string,
            falsePositive: (row[10].int64 ?? 0) != 0, confidence: row[11].double, tier: row[12].string,
            pattern: row[13].string, remediation: row[14].string, diagnosis: row[15].string)
    }

    /// Incidents, newest first, optionally only some statuses.
    public static func list(in db: Database, statuses: [IncidentStatus]? = nil, limit: Int = 1000) throws -> [IncidentRecord] {
        var sql = "SELECT \(columns) FROM incidents"
        var values: [SQLValue] = []
        if let statuses, !statuses.isEmpty {
            sql += " WHERE status IN (" + statuses.map { _ in "?" }.joined(separator: ",") + ")"
            values = statuses.map { .text($0.rawValue) }
        }
        sql += " ORDER BY id DESC LIMIT \(max(1, limit))"
        return try db.query(sql, values).map(decode)
    }

    public static func get(_ id: Int64, in db: Database) throws -> IncidentRecord? {
        try db.query("SELECT \(columns) FROM incidents WHERE id = ?", [.integer(id)]).first.map(decode)
    }

    public static func timeline(_ id: Int64, in db: Database) throws -> [TimelineEntry] {
        try db.query("SELECT at_ms, kind, message FROM incident_timeline WHERE incident_id = ? ORDER BY id", [.integer(id)])
            .map { TimelineEntry(at: Date(unixMilliseconds: $0[0].int64 ?? 0), kind: $0[1].string ?? "", message: $0[2].string ?? "") }
    }

    /// The anomaly events of an incident.
    public static func events(of id: Int64, in db: Database) throws -> [AnomalyRecord] {
        try AnomalyEventStore.events(incident: id, in: db)
    }

    /// Records a diagnosis on an incident and moves it to `diagnosed` (or `escalated`).
    public static func recordDiagnosis(_ id: Int64, json: String, cause: String?, confidence: Double?, tier: String?,
                                       pattern: String?, remediation: String?, escalate: Bool, summary: String,
                                       at now: Date, in db: Database) throws {
        try db.run("""
            UPDATE incidents SET diagnosis = ?2, cause = coalesce(cause, ?3), confidence = ?4, tier = ?5, pattern = ?6,
                remediation = ?7, status = CASE WHEN status IN ('open', 'diagnosed', 'escalated') THEN ?8 ELSE status END,
                updated_ms = ?9
            WHERE id = ?1
            """, [.integer(id), .text(json), .optional(cause), .optional(confidence), .optional(tier), .optional(pattern),
                  .optional(remediation), .text(escalate ? "escalated" : "diagnosed"), .integer(now.unixMilliseconds)])
        try appendTimeline(id, kind: "diagnosed", message: summary, at: now, in: db)
    }

    /// Changes status conditionally: only from one of `from`. Returns false when the incident was not
    /// in one of those states (someone else changed it first).
    @discardableResult
    public static func transition(_ id: Int64, from: [IncidentStatus], to: IncidentStatus, message: String,
                                  cause: String? = nil, note: String? = nil, at now: Date, in db: Database) throws -> Bool {
        let placeholders = from.map { _ in "?" }.joined(separator: ",")
        let changed = try db.run("""
            UPDATE incidents SET status = ?, cause = coalesce(?, cause), note = coalesce(?, note),
                resolved_ms = CASE WHEN ? = 'resolved' THEN ? ELSE NULL END, updated_ms = ?
            WHERE id = ? AND status IN (\(placeholders))
            """, [.text(to.rawValue), .optional(cause), .optional(note), .text(to.rawValue), .integer(now.unixMilliseconds),
                  .integer(now.unixMilliseconds), .integer(id)] + from.map { .text($0.rawValue) })
        if changed == 1 { try appendTimeline(id, kind: to.rawValue, message: message, at: now, in: db) }
        return changed == 1
    }

    /// Records the remediation that fixed an incident (its playbook, for history and learning).
    package static func setRemediation(_ id: Int64, action: String, in db: Database) throws {
        try db.run("UPDATE incidents SET remediation = ? WHERE id = ?", [.text(action), .integer(id)])
    }

    /// Marks (or unmarks) an incident as a false positive.
    public static func markFalsePositive(_ id: Int64, _ flag: Bool, actor: String, at now: Date, in db: Database) throws -> Bool {
        let changed = try db.run("UPDATE incidents SET false_positive = ?, updated_ms = ? WHERE id = ?",
                                 [.integer(flag ? 1 : 0), .integer(now.unixMilliseconds), .integer(id)])
        if changed == 1 {
            try appendTimeline(id, kind: "feedback", message: flag ? "marked a false positive by \(actor)" : "false-positive mark removed by \(actor)", at: now, in: db)
        }
        return changed == 1
    }
}
