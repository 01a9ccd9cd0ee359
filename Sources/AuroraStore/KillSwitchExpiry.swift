import AuroraCore
import Foundation

/// Records the expiry of `--until` kill switches, once.
///
/// A switch past its `--until` stops applying; the first remediation command that sees that removes
/// it and appends one `killswitch.expired` entry to the audit, in one transaction. From then on the
/// expiry is a fact, not a comparison with the clock: a wall clock stepped back afterwards does not
/// turn the switch on again, and the audit tells when (by aurora's clock) it stopped applying.
/// Read-only commands (`killswitch status|check`) judge by the clock alone and never write.
package enum KillSwitchExpiry {
    /// How many switches are past their expiry at `now` (cheap: read before deciding to write).
    package static func count(at now: Date, in db: Database) throws -> Int64 {
        try db.scalar("SELECT count(*) FROM kill_switches WHERE expires_at_ms IS NOT NULL AND expires_at_ms <= ?",
                      [.integer(now.unixMilliseconds)])?.int64 ?? 0
    }

    /// Removes the switches past their expiry at `now` and audits each; returns their labels. Call
    /// inside a write transaction. Each delete is conditional on the expiry it read, so two processes
    /// sweeping at once record the expiry once.
    @discardableResult
    package static func retire(at now: Date, in db: Database) throws -> [String] {
        let rows = try db.query("""
            SELECT scope, target, expires_at_ms FROM kill_switches
            WHERE expires_at_ms IS NOT NULL AND expires_at_ms <= ? ORDER BY scope, target
            """, [.integer(now.unixMilliseconds)])
        var retired: [String] = []
        for row in rows {
            guard let scope = row[0].string, let target = row[1].string, let expiry = row[2].int64 else { continue }
            let removed = try db.run("DELETE FROM kill_switches WHERE scope = ? AND target = ? AND expires_at_ms = ?",
                                     [.text(scope), .text(target), .integer(expiry)])
            guard removed > 0 else { continue }
            let label = scope == KillSwitchRecord.Scope.global.rawValue ? "global" : "\(scope):\(target)"
            let until = Date(unixMilliseconds: expiry)
            try AuditLog.append(AuditEntry(at: now, actor: "aurora", action: "killswitch.expired", subject: label,
                                           detail: "its --until \(TimeText.iso(until)) has passed (now \(TimeText.iso(now)))",
                                           outcome: "off"), to: db)
            retired.append(label)
        }
        return retired
    }
}
