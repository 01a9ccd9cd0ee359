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
        var sql = "SELECT id, at_ms, actor, action, subject, detail, outcome FROM audit_log WHERE at_ms >= ?"
        var values: [SQLValue] = [.integer(since?.unixMilliseconds ?? Int64.min)]
        if let subject {
            sql += " AND (subject = ? OR subject LIKE ? ESCAPE '\\')"
            values += [.text(subject), .text(likePrefix(subject) + ":%")]
        }
        sql += " ORDER BY id"
        if let limit { sql += " LIMIT \(max(0, limit))" }
        return try db.query(sql, values).map { row in
            AuditEntry(
                id: row[0].int64 ?? 0, at: Date(unixMilliseconds: row[1].int64 ?? 0),
                actor: row[2].string ?? "", action: row[3].string ?? "", subject: row[4].string ?? "",
                detail: row[5].string ?? "", outcome: row[6].string ?? "")
        }
    }

    /// The newest entry recording `action` on exactly `subject` at or after `since` (the time bound
    /// keeps the look-up on the time index however long the trail grows).
    package static func latest(action: String, subject: String, since: Date, in db: Database) throws -> AuditEntry? {
        try db.query(
            "SELECT id, at_ms, actor, action, subject, detail, outcome FROM audit_log WHERE at_ms >= ? AND action = ? AND subject = ? ORDER BY id DESC LIMIT 1",
            [.integer(since.unixMilliseconds), .text(action), .text(subject)]
        ).first.map { row in
            AuditEntry(
                id: row[0].int64 ?? 0, at: Date(unixMilliseconds: row[1].int64 ?? 0),
                actor: row[2].string ?? "", action: row[3].string ?? "", subject: row[4].string ?? "",
                detail: row[5].string ?? "", outcome: row[6].string ?? "")
        }
    }

    private static func likePrefix(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%")
            .replacingOccurrences(of: "_", with: "\\_")
    }
}
