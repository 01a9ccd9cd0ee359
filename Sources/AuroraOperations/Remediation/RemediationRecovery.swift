import AuroraCore
import AuroraExecutors
import AuroraRemediation
import AuroraStore
import Foundation

/// Recovery of interrupted work, run at the start of every remediation command.
extension RemediationFlow {
    // MARK: - Crash recovery

    /// Run at the start of every remediation command: a `running` row whose owning aurora process is
    /// gone (pid and start time) becomes `interrupted` — never re-run —, queued rows past their
    /// time to live become `expired`, and kill switches past their `--until` are retired (each of
    /// these happens once: a clock stepped back later does not undo it). Returns the ids marked interrupted.
    @discardableResult
    package func recover() throws -> [Int64] {
        let db = store.database
        let now = clock.now()
        let (running, staleQueued, expiredSwitches) = try db.read { db in
            (try RemediationStore.list(states: [.running], in: db),
             try RemediationStore.countQueued(createdAtOrBefore: now.addingTimeInterval(-settings.approval.pendingTTL), in: db),
             try KillSwitchExpiry.count(at: now, in: db))
        }
        let dead = running.filter { !ownerIsAlive($0) }
        if dead.isEmpty && staleQueued == 0 && expiredSwitches == 0 { return [] }
        // A read-only database (issue 9 case 12) cannot record any of it: reading commands show the rows
        // as last recorded (and say so); writing commands fail at their own write with the path and a hint.
        if db.isReadOnly {
            recoverySkipped = true
            return []
        }
        return try db.write { db in
            try KillSwitchExpiry.retire(at: now, in: db)
            var interrupted: [Int64] = []
            for row in dead {
                // An HTTP action's request leaves through the aurora-http helper: once the helper may
                // have started, nobody here knows whether the request was sent (it may not be idempotent).
                let http: Bool = if case .http = settings.actions[row.action]?.executor { true } else { false }
                let sent = http ? "unknown: the request may have been sent" : "its outcome is unknown"
                var child: String
                if let pgid = row.childProcessGroup {
                    child = ProcessInspection.groupIsAlive(pgid)
                        ? "its executor process group \(pgid) is STILL RUNNING (stop it with kill -TERM -\(pgid) if needed)"
                        : "its executor process group \(pgid) has exited"
                    child += "; " + sent
                } else {
                    child = http ? "no aurora-http helper was recorded, but one may have started; \(sent)" : "no executor process had started"
                }
                let heartbeat = row.heartbeat.map { "; last heartbeat \(TimeText.iso($0))" } ?? ""
                let reason = "the aurora process \(row.ownerPID.map(String.init) ?? "?") running it is gone\(heartbeat); \(child); "
                    + "never re-run automatically: check \(row.service) and act by hand"
                let changed = try RemediationStore.transition(
                    row.id, from: [.running], to: .interrupted, rule: "recovery.owner-gone", reason: reason, at: now,
                    set: [(.finishedAt, .integer(now.unixMilliseconds)), (.outcome, .text("interrupted"))], in: db)
                guard changed else { continue }
                try AuditLog.append(AuditEntry(at: now, actor: "aurora", action: "remediation.interrupted", subject: row.auditSubject,
                                               detail: reason, outcome: "interrupted"), to: db)
                interrupted.append(row.id)
            }
            _ = try RemediationStore.expirePending(olderThan: settings.approval.pendingTTL, at: now, actor: "aurora", in: db)
            return interrupted
        }
    }

    func ownerIsAlive(_ row: RemediationRecord) -> Bool {
        guard let pid = row.ownerPID, pid > 0 else { return false }
        if let start = row.ownerStartTime, start > 0 {
            return ProcessInspection.isSameProcessAlive(pid: pid, startTime: UInt64(start))
        }
        return kill(pid, 0) == 0 || errno == EPERM
    }
}
