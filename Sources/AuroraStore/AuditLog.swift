import AuroraCore
import Foundation

/// One entry of the append-only audit trail.
package struct AuditEntry: Sendable, Equatable {
    package var id: Int64
    package var at: Date
    package var actor: String
    package var action: String
    package var subject: String
    package var detail: String
    package var outcome: String

    package init(id: Int64 = 0, at: Date, actor: String, action: String, subject: String = "", detail: String = "", outcome: String = "") {
        self.id = id
        self.at = at
        self.actor = actor
        self.action = action
        self.subject = subject
        self.detail = detail
        self.outcome = outcome
    }
}

/// Reads and appends the audit trail. There is no delete: a trigger refuses it.
package enum AuditLog {
    /// Appends an entry; call inside the same write transaction as the change it records.
    package static func append(_ entry: AuditEntry, to db: Database) throws {
        try db.run(
            "INSERT INTO audit_log (at_ms, actor, action, subject, detail, outcome) VALUES (?, ?, ?, ?, ?, ?)",
            [.integer(entry.at.unixMilliseconds), .text(entry.actor), .text(entry.action),
             .text(entry.subject), .text(entry.detail), .text(entry.outcome)])
    }

    /// Entries in time order, optionally since a time and about one subject.
    package static func entries(in db: Database, since: Date? = nil, subject: String? = nil, limit: Int? = nil) throws -> [AuditEntry] {
        try entries(in: db, matching: AuditFilter(since: since, subject: subject, first: limit))
    }

    /// Entries in time order that pass every part of `filter`.
    package static func entries(in db: Database, matching filter: AuditFilter) throws -> [AuditEntry] {
        var sql = "SELECT id, at_ms, actor, action, subject, detail, outcome FROM audit_log WHERE at_ms >= ?"
        var values: [SQLValue] = [.integer(filter.since?.unixMilliseconds ?? Int64.min)]
        if let until = filter.until {
            sql += " AND at_ms < ?"
            values.append(.integer(until.unixMilliseconds))
        }
        if let subject = filter.subject {
            sql += " AND (subject = ? OR subject LIKE ? ESCAPE '\\')"
            values += [.text(subject), .text(likePrefix(subject) + ":%")]
        }
        if let actor = filter.actor {
            sql += " AND actor = ?"
            values.append(.text(actor))
        }
        if let action = filter.action {
            sql += " AND (action = ? OR action LIKE ? ESCAPE '\\')"
            values += [.text(action), .text(likePrefix(action) + ".%")]
        }
        // The newest N are read newest first, then put back in time order.
        if let last = filter.last {
            sql += " ORDER BY id DESC LIMIT \(max(0, last))"
            return try db.query(sql, values).map(entry).reversed()
        }
        sql += " ORDER BY id"
        if let first = filter.first { sql += " LIMIT \(max(0, first))" }
        return try db.query(sql, values).map(entry)
    }

    private static func entry(_ row: SQLRow) -> AuditEntry {
        AuditEntry(
            id: row[0].int64 ?? 0, at: Date(unixMilliseconds: row[1].int64 ?? 0),
            actor: row[2].string ?? "", action: row[3].string ?? "", subject: row[4].string ?? "",
            detail: row[5].string ?? "", outcome: row[6].string ?? "")
    }

    /// The newest entry recording `action` on exactly `subject` at or after `since` (the time bound
    /// keeps the look-up on the time index however long the trail grows).
    package static func latest(action: String, subject: String, since: Date, in db: Database) throws -> AuditEntry? {
        try db.query(
            "SELECT id, at_ms, actor, action, subject, detail, outcome FROM audit_log WHERE at_ms >= ? AND action = ? AND subject = ? ORDER BY id DESC LIMIT 1",
            [.integer(since.unixMilliseconds), .text(action), .text(subject)]
        ).first.map(entry)
    }

    private static func likePrefix(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%")
            .replacingOccurrences(of: "_", with: "\\_")
    }
}
