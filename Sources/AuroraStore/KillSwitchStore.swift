import AuroraCore
import Foundation

/// A kill switch as stored: its scope as a kind and a target string. The engine's value is
/// `AuroraRemediation.KillSwitch`, whose scope carries its target (the operations layer maps one to
/// the other); this is the row.
package struct KillSwitchRecord: Sendable, Equatable {
    /// What a kill switch halts, as stored in the `scope` column.
    package enum Scope: String, Sendable, CaseIterable, Codable {
        /// Every autonomous remediation.
        case global
        /// Remediations of one service.
        case service
        /// Remediations of one action type.
        case type
    }

    package var scope: Scope
    /// The service or action type; empty for `global`.
    package var target: String
    package var reason: String
    package var setBy: String
    package var setAt: Date
    package var expiresAt: Date?

    package init(scope: Scope, target: String, reason: String, setBy: String, setAt: Date, expiresAt: Date? = nil) {
        self.scope = scope
        self.target = scope == .global ? "" : target
        self.reason = reason
        self.setBy = setBy
        self.setAt = setAt
        self.expiresAt = expiresAt
    }

    /// `global`, `service:checkout`, `type:service-restart`.
    package var label: String { scope == .global ? "global" : "\(scope.rawValue):\(target)" }

    /// Active at `now`: not expired (expiry is exclusive: at the expiry instant it is off).
    package func isActive(at now: Date) -> Bool {
        guard let expiresAt else { return true }
        return now < expiresAt
    }
}

/// Kill switches in the database. Every change is audited in the same transaction.
package enum KillSwitchStore {
    /// Turns a switch on (or updates its reason and expiry). Returns true when it was off before.
    @discardableResult
    package static func turnOn(_ killSwitch: KillSwitchRecord, in db: Database) throws -> Bool {
        try db.write { db in
            let wasActive = try active(in: db, at: killSwitch.setAt).contains {
                $0.scope == killSwitch.scope && $0.target == killSwitch.target
            }
            try db.run("""
                INSERT INTO kill_switches (scope, target, reason, set_by, set_at_ms, expires_at_ms)
                VALUES (?, ?, ?, ?, ?, ?)
                ON CONFLICT (scope, target) DO UPDATE SET
                    reason = excluded.reason, set_by = excluded.set_by,
                    set_at_ms = excluded.set_at_ms, expires_at_ms = excluded.expires_at_ms
                """,
                [.text(killSwitch.scope.rawValue), .text(killSwitch.target), .text(killSwitch.reason),
                 .text(killSwitch.setBy), .integer(killSwitch.setAt.unixMilliseconds),
                 .optional(killSwitch.expiresAt?.unixMilliseconds)])
            var detail = killSwitch.reason.isEmpty ? "" : "reason: \(killSwitch.reason)"
            if let expiresAt = killSwitch.expiresAt {
                detail += (detail.isEmpty ? "" : "; ") + "until \(ISO8601DateFormatter().string(from: expiresAt))"
            }
            try AuditLog.append(AuditEntry(
                at: killSwitch.setAt, actor: killSwitch.setBy, action: "killswitch.on",
                subject: killSwitch.label, detail: detail, outcome: wasActive ? "updated" : "on"), to: db)
            return !wasActive
        }
    }

    /// Turns a switch off. Returns true when it was on.
    @discardableResult
    package static func turnOff(scope: KillSwitchRecord.Scope, target: String, actor: String, reason: String, at now: Date, in db: Database) throws -> Bool {
        let target = scope == .global ? "" : target
        return try db.write { db in
            let wasActive = try active(in: db, at: now).contains { $0.scope == scope && $0.target == target }
            try db.run("DELETE FROM kill_switches WHERE scope = ? AND target = ?", [.text(scope.rawValue), .text(target)])
            let label = scope == .global ? "global" : "\(scope.rawValue):\(target)"
            try AuditLog.append(AuditEntry(
                at: now, actor: actor, action: "killswitch.off", subject: label,
                detail: reason.isEmpty ? "" : "reason: \(reason)", outcome: wasActive ? "off" : "already off"), to: db)
            return wasActive
        }
    }

    /// Switches in force at `now` (expired ones are ignored, not deleted: the audit keeps history).
    package static func active(in db: Database, at now: Date) throws -> [KillSwitchRecord] {
        try db.query("SELECT scope, target, reason, set_by, set_at_ms, expires_at_ms FROM kill_switches ORDER BY scope, target")
            .compactMap { row -> KillSwitchRecord? in
                guard let scope = KillSwitchRecord.Scope(rawValue: row[0].string ?? "") else { return nil }
                let record = KillSwitchRecord(
                    scope: scope, target: row[1].string ?? "", reason: row[2].string ?? "",
                    setBy: row[3].string ?? "", setAt: Date(unixMilliseconds: row[4].int64 ?? 0),
                    expiresAt: row[5].int64.map { Date(unixMilliseconds: $0) })
                return record.isActive(at: now) ? record : nil
            }
    }

    /// The switches that block a remediation of `service` with action `type` at `now`.
    package static func blocking(service: String?, type: String?, in db: Database, at now: Date) throws -> [KillSwitchRecord] {
        try active(in: db, at: now).filter { item in
            switch item.scope {
            case .global: return true
            case .service: return service == item.target
            case .type: return type == item.target
            }
        }
    }
}
