import AuroraCore
import Foundation

/// Counts and times the rate limits need, read in the transaction that acts on them.
package struct RemediationRateCounts: Sendable, Equatable {
    /// Rows in `running`, all services.
    package var running: Int
    /// Claim times of executions in the last hour, or later (a clock stepped back must not reopen the window).
    package var recentStarts: [Date]
    /// The latest claim time for the service.
    package var lastStartForService: Date?
    /// Failed executions of the service since its last success.
    package var consecutiveFailuresForService: Int
}

/// Remediation rows. Every state change is conditional on the state it leaves
/// (`UPDATE … WHERE id = ? AND state IN (…)`) and reports whether it happened, so two processes racing
/// for one item change it once. Call these inside `Database.write`, together with the policy read
/// that justifies the change.
package enum RemediationStore {
    /// Columns a transition may set besides state, rule, reason and updated time.
    package enum Column: String, Sendable {
        case approver, approvedAt = "approved_ms", startedAt = "started_ms", finishedAt = "finished_ms"
        case ownerPID = "owner_pid", ownerStartTime = "owner_start", childPID = "child_pid", childProcessGroup = "child_pgid"
        case heartbeat = "heartbeat_ms", attempts, outcome, output, durationMilliseconds = "duration_ms"
    }

    static let selectColumns = """
        id, action, action_type, service, params, rendered_hash, description, requester, request_reason, approver, tier,
        confidence, incident, state, rule, reason, owner_pid, owner_start, child_pid, child_pgid, heartbeat_ms, attempts,
        outcome, output, duration_ms, created_ms, updated_ms, approved_ms, started_ms, finished_ms, evaluated_ms
        """

    /// Inserts a new row and returns its id.
    @discardableResult
    package static func insert(_ record: RemediationRecord, in db: Database) throws -> Int64 {
        try db.run("""
            INSERT INTO remediations (action, action_type, service, params, rendered_hash, description, requester, request_reason,
                approver, tier, confidence, incident, state, rule, reason, owner_pid, owner_start, heartbeat_ms, attempts, outcome,
                created_ms, updated_ms, approved_ms, started_ms, finished_ms)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """,
            [.text(record.action), .text(record.actionType), .text(record.service), .text(encode(record.parameters)),
             .text(record.renderedHash), .text(record.description), .text(record.requester), .text(record.requestReason),
             .optional(record.approver), .text(record.tier.rawValue), .optional(record.confidence), .optional(record.incident),
             .text(record.state.rawValue), .text(record.rule), .text(record.reason), .optional(record.ownerPID.map(Int64.init)),
             .optional(record.ownerStartTime), .optional(record.heartbeat?.unixMilliseconds), .integer(Int64(record.attempts)),
             .optional(record.outcome), .integer(record.createdAt.unixMilliseconds), .integer(record.updatedAt.unixMilliseconds),
             .optional(record.approvedAt?.unixMilliseconds), .optional(record.startedAt?.unixMilliseconds),
             .optional(record.finishedAt?.unixMilliseconds)])
        return db.lastInsertRowID
    }

    /// One row by id.
    package static func get(_ id: Int64, in db: Database) throws -> RemediationRecord? {
        try db.query("SELECT \(selectColumns) FROM remediations WHERE id = ?", [.integer(id)]).first.map(record)
    }

    /// Rows in any of `states` (all rows when empty), oldest first, optionally for one service.
    package static func list(states: [RemediationState] = [], service: String? = nil, in db: Database) throws -> [RemediationRecord] {
        var sql = "SELECT \(selectColumns) FROM remediations WHERE 1 = 1"
        var values: [SQLValue] = []
        if !states.isEmpty {
            sql += " AND state IN (" + states.map { _ in "?" }.joined(separator: ", ") + ")"
            values += states.map { .text($0.rawValue) }
        }
        if let service {
            sql += " AND service = ?"
            values.append(.text(service))
        }
        return try db.query(sql + " ORDER BY id", values).map(record)
    }

    /// Every row of `incident`, oldest first: what `incidents show` lists under Remediations.
    package static func list(incident: String, in db: Database) throws -> [RemediationRecord] {
        try db.query("SELECT \(selectColumns) FROM remediations WHERE incident = ? ORDER BY id", [.text(incident)]).map(record)
    }

    /// The incident's latest row (the highest id), whatever its action or state.
    package static func latest(incident: String, in db: Database) throws -> RemediationRecord? {
        try db.query("SELECT \(selectColumns) FROM remediations WHERE incident = ? ORDER BY id DESC LIMIT 1", [.text(incident)])
            .first.map(record)
    }

    /// The row of `incident` waiting for approval to run `action` on `service`, if any (the oldest, should
    /// an older aurora have queued several).
    package static func pending(incident: String, action: String, service: String, in db: Database) throws -> RemediationRecord? {
        try db.query("""
            SELECT \(selectColumns) FROM remediations
            WHERE incident = ? AND action = ? AND service = ? AND state = 'queued' ORDER BY id LIMIT 1
            """, [.text(incident), .text(action), .text(service)]).first.map(record)
    }

    /// Records that row `id`'s decision was taken again at `now`; nothing else about the row changes
    /// (its state, reason and `updated_ms` stay those of the decision it records).
    package static func markEvaluated(_ id: Int64, at now: Date, in db: Database) throws {
        try db.run("UPDATE remediations SET evaluated_ms = ? WHERE id = ?", [.integer(now.unixMilliseconds), .integer(id)])
    }

    /// Moves row `id` from one of `from` to `to`, setting `rule`, `reason` and `columns`; returns false
    /// (and changes nothing) when the row is no longer in one of `from`.
    @discardableResult
    package static func transition(_ id: Int64, from: [RemediationState], to: RemediationState, rule: String, reason: String, at now: Date,
                                  set columns: [(Column, SQLValue)] = [], in db: Database) throws -> Bool {
        guard !from.isEmpty else { return false }
        var sql = "UPDATE remediations SET state = ?, rule = ?, reason = ?, updated_ms = ?"
        var values: [SQLValue] = [.text(to.rawValue), .text(rule), .text(reason), .integer(now.unixMilliseconds)]
        for (column, value) in columns {
            sql += ", \(column.rawValue) = ?"
            values.append(value)
        }
        sql += " WHERE id = ? AND state IN (" + from.map { _ in "?" }.joined(separator: ", ") + ")"
        values.append(.integer(id))
        values += from.map { .text($0.rawValue) }
        return try db.run(sql, values) == 1
    }

    /// Sets columns of a row only while it is in `state` (heartbeats, child process ids); returns whether it did.
    @discardableResult
    package static func update(_ id: Int64, whileIn state: RemediationState, set columns: [(Column, SQLValue)], in db: Database) throws -> Bool {
        guard !columns.isEmpty else { return false }
        let assignments = columns.map { "\($0.0.rawValue) = ?" }.joined(separator: ", ")
        return try db.run("UPDATE remediations SET \(assignments) WHERE id = ? AND state = ?",
                          columns.map(\.1) + [.integer(id), .text(state.rawValue)]) == 1
    }

    /// What the rate limits need for `service` at `now`. Claims that the gate refused before anything
    /// started (`refused` with a start time) do not count.
    package static func rateCounts(service: String, now: Date, in db: Database) throws -> RemediationRateCounts {
        let running = Int(try db.scalar("SELECT count(*) FROM remediations WHERE state = 'running'")?.int64 ?? 0)
        let since = now.addingTimeInterval(-3600).unixMilliseconds
        let starts = try db.query(
            "SELECT started_ms FROM remediations WHERE started_ms > ? AND state != 'refused' ORDER BY started_ms", [.integer(since)])
            .compactMap { $0[0].int64.map { Date(unixMilliseconds: $0) } }
        let last = try db.scalar(
            "SELECT max(started_ms) FROM remediations WHERE service = ? AND state != 'refused'", [.text(service)])?.int64
        let lastSuccess = try db.scalar(
            "SELECT max(finished_ms) FROM remediations WHERE service = ? AND state = 'succeeded'", [.text(service)])?.int64 ?? Int64.min
        let failures = try db.scalar("""
            SELECT count(*) FROM remediations
            WHERE service = ? AND state IN ('failed', 'rolled_back') AND finished_ms > ?
            """, [.text(service), .integer(lastSuccess)])?.int64 ?? 0
        return RemediationRateCounts(running: running, recentStarts: starts, lastStartForService: last.map { Date(unixMilliseconds: $0) },
                                     consecutiveFailuresForService: Int(failures))
    }

    /// Distinct services with a remediation for `incident` that was not rejected, refused or expired.
    package static func servicesTouched(incident: String, in db: Database) throws -> Set<String> {
        Set(try db.query("""
            SELECT DISTINCT service FROM remediations
            WHERE incident = ? AND state NOT IN ('rejected', 'refused', 'expired')
            """, [.text(incident)]).compactMap { $0[0].string })
    }

    /// How many rows are queued since `cutoff` or earlier (past their time to live when `cutoff` is now − TTL).
    package static func countQueued(createdAtOrBefore cutoff: Date, in db: Database) throws -> Int64 {
        try db.scalar("SELECT count(*) FROM remediations WHERE state = 'queued' AND created_ms <= ?",
                      [.integer(cutoff.unixMilliseconds)])?.int64 ?? 0
    }

    /// Marks queued rows older than `pendingTTL` seconds `expired` (audited); returns their ids.
    package static func expirePending(olderThan pendingTTL: Double, at now: Date, actor: String, in db: Database) throws -> [Int64] {
        let cutoff = now.addingTimeInterval(-pendingTTL).unixMilliseconds
        let stale = try db.query("SELECT \(selectColumns) FROM remediations WHERE state = 'queued' AND created_ms <= ?", [.integer(cutoff)])
            .map(record)
        var expired: [Int64] = []
        for item in stale {
            let reason = "not approved within \(DurationText.format(pendingTTL)) (approval.pending-ttl)"
            guard try transition(item.id, from: [.queued], to: .expired, rule: "approval.pending-ttl", reason: reason, at: now,
                                 set: [(.finishedAt, .integer(now.unixMilliseconds))], in: db) else { continue }
            try AuditLog.append(AuditEntry(at: now, actor: actor, action: "remediation.expire", subject: item.auditSubject,
                                           detail: reason, outcome: "expired"), to: db)
            expired.append(item.id)
        }
        return expired
    }

    static func encode(_ parameters: [String: String]) -> String {
        guard let data = try? JSONSerialization.data(withJSONObject: parameters, options: [.sortedKeys]) else { return "{}" }
        return String(decoding: data, as: UTF8.self)
    }

    static func decode(_ text: String) -> [String: String] {
        guard let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: String] else { return [:] }
        return object
    }

    /// A stored tier; one the schema's writers never produce reads as `critical`, the tier aurora never
    /// executes, rather than as a tier that would let it run.
    static func tier(_ text: String?) -> RiskTier {
        text.flatMap(RiskTier.init(rawValue:)) ?? .critical
    }

    static func record(_ row: SQLRow) -> RemediationRecord {
        func date(_ index: Int) -> Date? { row[index].int64.map { Date(unixMilliseconds: $0) } }
        return RemediationRecord(
            id: row[0].int64 ?? 0, action: row[1].string ?? "", actionType: row[2].string ?? "", service: row[3].string ?? "",
            parameters: decode(row[4].string ?? "{}"), renderedHash: row[5].string ?? "", description: row[6].string ?? "",
            requester: row[7].string ?? "", requestReason: row[8].string ?? "", approver: row[9].string, tier: tier(row[10].string),
            confidence: row[11].double, incident: row[12].string, state: row[13].string.flatMap(RemediationState.init(rawValue:)) ?? .interrupted, rule: row[14].string ?? "",
            reason: row[15].string ?? "", ownerPID: row[16].int64.map { Int32(truncatingIfNeeded: $0) }, ownerStartTime: row[17].int64,
            childPID: row[18].int64.map { Int32(truncatingIfNeeded: $0) }, childProcessGroup: row[19].int64.map { Int32(truncatingIfNeeded: $0) },
            heartbeat: date(20), attempts: Int(row[21].int64 ?? 0), outcome: row[22].string, output: row[23].string ?? "",
            durationMilliseconds: row[24].int64, createdAt: date(25) ?? Date(timeIntervalSince1970: 0), updatedAt: date(26),
            approvedAt: date(27), startedAt: date(28), finishedAt: date(29), evaluatedAt: date(30))
    }
}
