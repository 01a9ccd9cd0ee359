import AuroraCore
import Foundation

/// A freeze window as stored: one-off (`from`/`until`) or weekly (its text, e.g.
/// `Fri 16:00 – Mon 08:00 Europe/Berlin`, parsed by the remediation engine).
package struct FreezeWindowRecord: Sendable, Equatable {
    /// The row id (`aurora freeze remove ID`).
    package var id: Int64
    /// The one service it freezes, or nil for all.
    package var service: String?
    /// One-off start (inclusive).
    package var from: Date?
    /// One-off end (exclusive).
    package var until: Date?
    /// Weekly schedule text.
    package var weekly: String?
    /// Why.
    package var reason: String
    /// Who added it.
    package var createdBy: String
    /// When.
    package var createdAt: Date

    /// Creates a record (id 0 until stored).
    package init(id: Int64 = 0, service: String?, from: Date? = nil, until: Date? = nil, weekly: String? = nil, reason: String,
                createdBy: String, createdAt: Date) {
        self.id = id
        self.service = service
        self.from = from
        self.until = until
        self.weekly = weekly
        self.reason = reason
        self.createdBy = createdBy
        self.createdAt = createdAt
    }

    /// The audit subject: `service:NAME:freeze:ID`, or `freeze:ID` for a global window.
    package var auditSubject: String { service.map { "service:\($0):freeze:\(id)" } ?? "freeze:\(id)" }
}

/// Freeze windows in the database; every change is audited in its own transaction.
package enum FreezeWindowStore {
    /// Adds a window and returns it with its id.
    package static func add(_ window: FreezeWindowRecord, in db: Database) throws -> FreezeWindowRecord {
        try db.write { db in
            try db.run("""
                INSERT INTO freeze_windows (service, kind, from_ms, until_ms, weekly, reason, created_by, created_ms)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """,
                [.optional(window.service), .text(window.weekly == nil ? "one-off" : "weekly"),
                 .optional(window.from?.unixMilliseconds), .optional(window.until?.unixMilliseconds), .optional(window.weekly),
                 .text(window.reason), .text(window.createdBy), .integer(window.createdAt.unixMilliseconds)])
            var stored = window
            stored.id = db.lastInsertRowID
            let when = window.weekly ?? "\(iso(window.from)) until \(iso(window.until))"
            try AuditLog.append(AuditEntry(at: window.createdAt, actor: window.createdBy, action: "freeze.add", subject: stored.auditSubject,
                                           detail: when + (window.reason.isEmpty ? "" : "; reason: \(window.reason)"), outcome: "added"), to: db)
            return stored
        }
    }

    /// Every stored window, oldest first.
    package static func list(in db: Database) throws -> [FreezeWindowRecord] {
        try db.query("SELECT id, service, from_ms, until_ms, weekly, reason, created_by, created_ms FROM freeze_windows ORDER BY id").map { row in
            FreezeWindowRecord(id: row[0].int64 ?? 0, service: row[1].string, from: row[2].int64.map { Date(unixMilliseconds: $0) },
                               until: row[3].int64.map { Date(unixMilliseconds: $0) }, weekly: row[4].string, reason: row[5].string ?? "",
                               createdBy: row[6].string ?? "", createdAt: Date(unixMilliseconds: row[7].int64 ?? 0))
        }
    }

    /// Removes a window; returns false when there is none with that id.
    @discardableResult
    package static func remove(_ id: Int64, actor: String, at now: Date, in db: Database) throws -> Bool {
        try db.write { db in
            guard let existing = try list(in: db).first(where: { $0.id == id }) else { return false }
            try db.run("DELETE FROM freeze_windows WHERE id = ?", [.integer(id)])
            try AuditLog.append(AuditEntry(at: now, actor: actor, action: "freeze.remove", subject: existing.auditSubject,
                                           detail: existing.weekly ?? "\(iso(existing.from)) until \(iso(existing.until))", outcome: "removed"), to: db)
            return true
        }
    }

    static func iso(_ date: Date?) -> String {
        guard let date else { return "-" }
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: date)
    }
}
