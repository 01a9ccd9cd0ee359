import AuroraCore
import Foundation

/// Where an incident stands.
package enum IncidentStatus: String, Sendable, CaseIterable, Codable {
    case open, diagnosed, remediating, resolved, escalated
}

/// An incident as stored.
package struct IncidentRecord: Sendable, Equatable {
    package var id: Int64
    package var status: IncidentStatus
    package var services: [String]
    package var start: Int64
    package var end: Int64
    package var opened: Date
    /// When the first anomaly of the incident was recorded (for detection latency).
    package var detected: Date
    package var resolved: Date?
    package var cause: String?
    package var note: String?
    package var falsePositive: Bool
    package var confidence: Double?
    /// What the diagnosis' confidence allowed (the decision tier), as last recorded.
    package var tier: ConfidenceTier?
    package var pattern: String?
    package var remediation: String?
    /// The last diagnosis, as JSON text.
    package var diagnosis: String?
}

/// One line of an incident's timeline.
package struct TimelineEntry: Sendable, Equatable {
    package var at: Date
    package var kind: String
    package var message: String
}

/// Incidents: anomaly events that overlap in time, grouped; their status and timeline.
package enum IncidentStore {
    /// Groups anomaly events not yet in an incident by `rule` (which decides; this only reads its
    /// input and writes its plan down). Returns the ids of incidents created or extended, in the
    /// order first touched. Call inside a write transaction.
    @discardableResult
    package static func groupUnassignedEvents(by rule: IncidentGrouping, at now: Date, in db: Database) throws -> [Int64] {
        let pending = try ungroupedEvents(openingScore: rule.openingScore, horizon: rule.horizon, at: now, in: db)
        guard !pending.events.isEmpty else { return [] }
        let plan = rule.plan(pending.events, open: try openIncidents(near: pending.events, gap: rule.gap, in: db))
        return try write(plan, events: pending, at: now, in: db)
    }

    /// The events not yet in an incident, and their series keys by id (for the timeline). The newest
    /// point of an event's series is looked up only for events too weak to open an incident by score,
    /// the only ones the rule asks about.
    private static func ungroupedEvents(openingScore: Double, horizon: Int64?, at now: Date,
                                        in db: Database) throws -> (events: [UngroupedEvent], series: [Int64: String]) {
        // `anomaly_events_ungrouped` holds exactly these rows by end (named: without statistics the planner
        // would take the index on incident_id and visit every ungrouped row): with a horizon, only recent ones are read.
        let rows = try db.query("""
            SELECT id, service, start_ms, end_ms, recorded_ms, series_key, score
            FROM anomaly_events INDEXED BY anomaly_events_ungrouped
            WHERE incident_id IS NULL AND end_ms >= ? ORDER BY start_ms, id
            """, [.integer(horizon ?? Int64.min)])
        var newest: [String: Int64?] = [:]
        var events: [UngroupedEvent] = []
        var series: [Int64: String] = [:]
        events.reserveCapacity(rows.count)
        for row in rows {
            let id = row[0].int64 ?? 0
            let start = row[2].int64 ?? 0
            let key = row[5].string ?? ""
            var event = UngroupedEvent(id: id, service: row[1].string, start: start, end: row[3].int64 ?? start,
                                       recorded: row[4].int64 ?? now.unixMilliseconds, score: row[6].double ?? 0)
            if event.score < openingScore {
                if newest[key] == nil {
                    newest[key] = .some(try db.scalar("SELECT last_ms FROM series WHERE key = ?", [.text(key)])?.int64)
                }
                event.newestPoint = newest[key] ?? nil
            }
            events.append(event)
            series[id] = row[5].string ?? "?"
        }
        return (events, series)
    }

    /// Incidents not resolved whose span, widened by `gap`, overlaps the events' span: the only ones
    /// any of them can join (an incident grows only by events that overlap it).
    private static func openIncidents(near events: [UngroupedEvent], gap: Int64, in db: Database) throws -> [(id: Int64, span: IncidentSpan)] {
        let from = events.map(\.start).min() ?? 0
        let to = events.map(\.end).max() ?? 0
        return try db.query("""
            SELECT id, start_ms, end_ms, services, detected_ms FROM incidents
            WHERE status NOT IN ('resolved') AND start_ms - ?3 <= ?2 AND end_ms + ?3 >= ?1
            ORDER BY id
            """, [.integer(from), .integer(to), .integer(gap)]).map { row in
            (row[0].int64 ?? 0, IncidentSpan(start: row[1].int64 ?? 0, end: row[2].int64 ?? 0,
                                              services: ServiceListColumn.decode(row[3].string ?? ""),
                                              detected: row[4].int64 ?? 0))
        }
    }

    /// Writes a grouping plan down: incidents opened and extended, events assigned, timelines in the
    /// order the plan placed the events.
    private static func write(_ plan: IncidentGroupingPlan, events: (events: [UngroupedEvent], series: [Int64: String]),
                              at now: Date, in db: Database) throws -> [Int64] {
        let spans = Dictionary(uniqueKeysWithValues: events.events.map { ($0.id, ($0.start, $0.end)) })
        var openedIDs: [Int: Int64] = [:]
        func id(of incident: IncidentGroupingPlan.Incident) -> Int64 {
            switch incident {
            case .stored(let id): id
            case .opened(let index): openedIDs[index] ?? 0
            }
        }
        for placement in plan.placements {
            if placement.opens, case .opened(let index) = placement.incident {
                let span = plan.opened[index]
                try db.run("""
                    INSERT INTO incidents (status, services, start_ms, end_ms, opened_ms, detected_ms, updated_ms)
                    VALUES ('open', ?, ?, ?, ?, ?, ?)
                    """, [.text(ServiceListColumn.encode(span.services)), .integer(span.start), .integer(span.end),
                          .integer(now.unixMilliseconds), .integer(span.detected), .integer(now.unixMilliseconds)])
                openedIDs[index] = db.lastInsertRowID
                try appendTimeline(db.lastInsertRowID, kind: "opened", message: "incident opened", at: now, in: db)
            }
            let incidentID = id(of: placement.incident)
            let (start, end) = spans[placement.event] ?? (0, 0)
            try db.run("UPDATE anomaly_events SET incident_id = ? WHERE id = ?", [.integer(incidentID), .integer(placement.event)])
            try appendTimeline(incidentID, kind: "anomaly",
                               message: "anomaly on \(events.series[placement.event] ?? "?") from \(iso(start)) to \(iso(end))", at: now, in: db)
        }
        for (incidentID, span) in plan.stored.sorted(by: { $0.key < $1.key }) {
            try db.run("""
                UPDATE incidents SET start_ms = ?2, end_ms = ?3, services = ?4, detected_ms = ?5, updated_ms = ?6
                WHERE id = ?1
                """, [.integer(incidentID), .integer(span.start), .integer(span.end), .text(ServiceListColumn.encode(span.services)),
                      .integer(span.detected), .integer(now.unixMilliseconds)])
        }
        return plan.touched.map(id(of:))
    }

    static func iso(_ milliseconds: Int64) -> String {
        Date(unixMilliseconds: milliseconds).formatted(.iso8601)
    }

    package static func appendTimeline(_ incidentID: Int64, kind: String, message: String, at now: Date, in db: Database) throws {
        try db.run("INSERT INTO incident_timeline (incident_id, at_ms, kind, message) VALUES (?, ?, ?, ?)",
                   [.integer(incidentID), .integer(now.unixMilliseconds), .text(kind), .text(message)])
    }

    /// The message of the incident's latest timeline entry of `kind`, if any.
    package static func lastTimelineMessage(_ id: Int64, kind: String, in db: Database) throws -> String? {
        try db.scalar("SELECT message FROM incident_timeline WHERE incident_id = ? AND kind = ? ORDER BY id DESC LIMIT 1",
                      [.integer(id), .text(kind)])?.string
    }

    /// Replaces the stored diagnosis and confidence of an incident whose conclusion did not change: no
    /// timeline entry, no status change.
    package static func refreshDiagnosis(_ id: Int64, json: String, confidence: Double?, at now: Date, in db: Database) throws {
        try db.run("UPDATE incidents SET diagnosis = ?2, confidence = ?3, updated_ms = ?4, diagnosed_ms = ?4 WHERE id = ?1",
                   [.integer(id), .text(json), .optional(confidence), .integer(now.unixMilliseconds)])
    }

    /// Records the tier the loop decided the incident's remediation by (the cause's confidence weighed by
    /// how likely the fault is real), where the diagnosis recorded its cause's; it labels the incident's
    /// alert (`critical` when a person is needed). Returns whether it changed.
    @discardableResult
    package static func recordDecisionTier(_ id: Int64, _ tier: ConfidenceTier, in db: Database) throws -> Bool {
        try db.run("UPDATE incidents SET tier = ?2 WHERE id = ?1 AND tier IS NOT ?2", [.integer(id), .text(tier.rawValue)]) > 0
    }

    static let columns = """
        id, status, services, start_ms, end_ms, opened_ms, detected_ms, resolved_ms, cause, note, false_positive,
        confidence, tier, pattern, remediation, diagnosis
        """

    /// A stored row. A tier the schema's writers never produce is a damaged row, reported as such rather
    /// than read as some tier that would change what aurora decides.
    static func decode(_ row: SQLRow) throws -> IncidentRecord {
        let id = row[0].int64 ?? 0
        var tier: ConfidenceTier?
        if let text = row[12].string {
            guard let known = ConfidenceTier(rawValue: text) else {
                throw SimpleFailure(.dataError, "incident \(id): stored tier `\(text)` is not one of "
                                    + ConfidenceTier.allCases.map(\.rawValue).joined(separator: ", ")
                                    + " (the row was written by another program; fix it with sqlite3 or restore a backup)")
            }
            tier = known
        }
        return IncidentRecord(
            id: id, status: IncidentStatus(rawValue: row[1].string ?? "") ?? .open,
            services: ServiceListColumn.decode(row[2].string ?? ""),
            start: row[3].int64 ?? 0, end: row[4].int64 ?? 0,
            opened: Date(unixMilliseconds: row[5].int64 ?? 0), detected: Date(unixMilliseconds: row[6].int64 ?? 0),
            resolved: row[7].int64.map { Date(unixMilliseconds: $0) }, cause: row[8].string, note: row[9].string,
            falsePositive: (row[10].int64 ?? 0) != 0, confidence: row[11].double, tier: tier,
            pattern: row[13].string, remediation: row[14].string, diagnosis: row[15].string)
    }

    /// Incidents, newest first, optionally only some statuses.
    package static func list(in db: Database, statuses: [IncidentStatus]? = nil, limit: Int = 1000) throws -> [IncidentRecord] {
        var sql = "SELECT \(columns) FROM incidents"
        var values: [SQLValue] = []
        if let statuses, !statuses.isEmpty {
            sql += " WHERE status IN (" + statuses.map { _ in "?" }.joined(separator: ",") + ")"
            values = statuses.map { .text($0.rawValue) }
        }
        sql += " ORDER BY id DESC LIMIT \(max(1, limit))"
        return try db.query(sql, values).map(decode)
    }

    package static func get(_ id: Int64, in db: Database) throws -> IncidentRecord? {
        try db.query("SELECT \(columns) FROM incidents WHERE id = ?", [.integer(id)]).first.map(decode)
    }

    package static func timeline(_ id: Int64, in db: Database) throws -> [TimelineEntry] {
        try db.query("SELECT at_ms, kind, message FROM incident_timeline WHERE incident_id = ? ORDER BY id", [.integer(id)])
            .map { TimelineEntry(at: Date(unixMilliseconds: $0[0].int64 ?? 0), kind: $0[1].string ?? "", message: $0[2].string ?? "") }
    }

    /// The anomaly events of an incident.
    package static func events(of id: Int64, in db: Database) throws -> [AnomalyRecord] {
        try AnomalyEventStore.events(incident: id, in: db)
    }

    /// Records a diagnosis on an incident and moves it to `diagnosed` (or `escalated`).
    package static func recordDiagnosis(_ id: Int64, json: String, cause: String?, confidence: Double?, tier: ConfidenceTier?,
                                       pattern: String?, remediation: String?, escalate: Bool, summary: String,
                                       at now: Date, in db: Database) throws {
        try db.run("""
            UPDATE incidents SET diagnosis = ?2, cause = coalesce(cause, ?3), confidence = ?4, tier = ?5, pattern = ?6,
                remediation = ?7, status = CASE WHEN status IN ('open', 'diagnosed', 'escalated') THEN ?8 ELSE status END,
                updated_ms = ?9, diagnosed_ms = ?9
            WHERE id = ?1
            """, [.integer(id), .text(json), .optional(cause), .optional(confidence), .optional(tier?.rawValue), .optional(pattern),
                  .optional(remediation), .text(escalate ? "escalated" : "diagnosed"), .integer(now.unixMilliseconds)])
        try appendTimeline(id, kind: "diagnosed", message: summary, at: now, in: db)
    }

    /// Changes status conditionally: only from one of `from`. Returns false when the incident was not
    /// in one of those states (someone else changed it first).
    @discardableResult
    package static func transition(_ id: Int64, from: [IncidentStatus], to: IncidentStatus, message: String,
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
    package static func markFalsePositive(_ id: Int64, _ flag: Bool, actor: String, at now: Date, in db: Database) throws -> Bool {
        let changed = try db.run("UPDATE incidents SET false_positive = ?, updated_ms = ? WHERE id = ?",
                                 [.integer(flag ? 1 : 0), .integer(now.unixMilliseconds), .integer(id)])
        if changed == 1 {
            try appendTimeline(id, kind: "feedback", message: flag ? "marked a false positive by \(actor)" : "false-positive mark removed by \(actor)", at: now, in: db)
        }
        return changed == 1
    }
}
