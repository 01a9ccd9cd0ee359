import AuroraCore
import Foundation

/// Who holds the watcher's lease.
package struct WatchLease: Sendable, Equatable {
    /// How the holder names itself (`host pid 1234`).
    package var holder: String
    package var host: String
    package var pid: Int32
    package var acquired: Date
    package var heartbeat: Date
    package var expires: Date
}

/// The outcome of trying to take the lease.
package enum LeaseClaim: Sendable, Equatable {
    /// Taken (or taken over from a dead watcher, named in `previous`).
    case acquired(previous: WatchLease?)
    /// Another live watcher holds it.
    case held(by: WatchLease)
}

/// The state `aurora watch` keeps in the database: its lease, its per-query watermarks, and the
/// webhook alerts it has handled. Each change is one short write transaction.
package enum WatchStateStore {
    static let leaseName = "watch"

    /// Takes the lease when it is free, expired, or held by a process of this host that no longer
    /// exists (`isAlive` says); otherwise names the holder. Call inside a write transaction.
    package static func claimLease(holder: String, host: String, pid: Int32, ttl: TimeInterval, at now: Date,
                                  isAlive: (Int32) -> Bool, in db: Database) throws -> LeaseClaim {
        let current = try lease(in: db)
        if let current, current.holder != holder, current.expires > now, !(current.host == host && !isAlive(current.pid)) {
            return .held(by: current)
        }
        try db.run("""
            INSERT INTO watch_lease (name, holder, host, pid, acquired_ms, heartbeat_ms, expires_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?5, ?6)
            ON CONFLICT(name) DO UPDATE SET holder = ?2, host = ?3, pid = ?4, acquired_ms = ?5, heartbeat_ms = ?5, expires_ms = ?6
            """, [.text(leaseName), .text(holder), .text(host), .integer(Int64(pid)), .integer(now.unixMilliseconds),
                  .integer(now.addingTimeInterval(ttl).unixMilliseconds)])
        return .acquired(previous: current?.holder == holder ? nil : current)
    }

    /// Refreshes the lease; false when this holder no longer has it (taken over after it expired).
    package static func heartbeat(holder: String, ttl: TimeInterval, at now: Date, in db: Database) throws -> Bool {
        try db.run("UPDATE watch_lease SET heartbeat_ms = ?3, expires_ms = ?4 WHERE name = ?1 AND holder = ?2",
                   [.text(leaseName), .text(holder), .integer(now.unixMilliseconds),
                    .integer(now.addingTimeInterval(ttl).unixMilliseconds)]) == 1
    }

    /// Gives the lease up (a clean stop), when this holder has it.
    package static func releaseLease(holder: String, in db: Database) throws {
        _ = try db.run("DELETE FROM watch_lease WHERE name = ? AND holder = ?", [.text(leaseName), .text(holder)])
    }

    /// The lease, if anyone holds one.
    package static func lease(in db: Database) throws -> WatchLease? {
        guard let row = try db.query("""
            SELECT holder, host, pid, acquired_ms, heartbeat_ms, expires_ms FROM watch_lease WHERE name = ?
            """, [.text(leaseName)]).first else { return nil }
        return WatchLease(holder: row[0].string ?? "", host: row[1].string ?? "", pid: Int32(row[2].int64 ?? 0),
                          acquired: Date(unixMilliseconds: row[3].int64 ?? 0), heartbeat: Date(unixMilliseconds: row[4].int64 ?? 0),
                          expires: Date(unixMilliseconds: row[5].int64 ?? 0))
    }

    /// Watermarks by query text.
    package static func watermarks(in db: Database) throws -> [String: Int64] {
        var result: [String: Int64] = [:]
        for row in try db.query("SELECT query, until_ms FROM watch_watermarks") {
            if let query = row[0].string, let until = row[1].int64 { result[query] = until }
        }
        return result
    }

    /// Moves a query's watermark (never backwards). Call in the transaction that stores its points.
    package static func advanceWatermark(query: String, to until: Int64, at now: Date, in db: Database) throws {
        try db.run("""
            INSERT INTO watch_watermarks (query, until_ms, updated_ms) VALUES (?1, ?2, ?3)
            ON CONFLICT(query) DO UPDATE SET until_ms = max(until_ms, ?2), updated_ms = ?3
            """, [.text(query), .integer(until), .integer(now.unixMilliseconds)])
    }

    /// Records a webhook alert; false when this (fingerprint, startsAt, status) was handled before.
    package static func recordWebhookAlert(fingerprint: String, startsAt: String, status: String, service: String?,
                                          at now: Date, in db: Database) throws -> Bool {
        try db.run("""
            INSERT OR IGNORE INTO watch_webhook_alerts (fingerprint, starts_at, status, service, received_ms) VALUES (?, ?, ?, ?, ?)
            """, [.text(fingerprint), .text(startsAt), .text(status), .optional(service), .integer(now.unixMilliseconds)]) == 1
    }

    /// Links a handled webhook alert to the incident it opened or joined.
    package static func linkWebhookAlert(fingerprint: String, startsAt: String, status: String, incident: Int64, in db: Database) throws {
        _ = try db.run("UPDATE watch_webhook_alerts SET incident_id = ? WHERE fingerprint = ? AND starts_at = ? AND status = ?",
                       [.integer(incident), .text(fingerprint), .text(startsAt), .text(status)])
    }

    /// The incident a firing webhook alert opened or joined, if any.
    package static func incidentOfWebhookAlert(fingerprint: String, startsAt: String, in db: Database) throws -> Int64? {
        try db.scalar("SELECT incident_id FROM watch_webhook_alerts WHERE fingerprint = ? AND starts_at = ? AND status = 'firing'",
                      [.text(fingerprint), .text(startsAt)])?.int64
    }
}
