import AuroraCore
import AuroraStore
import Foundation

/// What an operator does to an incident by hand (`aurora incidents resolve|reopen|mark`): each is one
/// transaction that changes the incident, writes the audit trail and tells the learner.
package enum IncidentActions {
    /// Resolves an unresolved incident by hand, learning from it; false when it was resolved already.
    package static func resolve(_ id: Int64, cause: String?, note: String?, context: OperationsContext) throws -> Bool {
        let now = context.clock.now()
        let learner = try LearningBridge.learner(context.configuration)
        return try context.store.database.write { db -> Bool in
            _ = try existing(id, in: db)
            let changed = try IncidentStore.transition(
                id, from: [.open, .diagnosed, .remediating, .escalated], to: .resolved,
                message: "resolved by \(context.actor)" + (cause.map { ": \($0)" } ?? ""),
                cause: cause, note: note, at: now, in: db)
            if changed {
                try AuditLog.append(AuditEntry(at: now, actor: context.actor, action: "incident.resolve", subject: "incident:\(id)",
                                               detail: cause ?? "", outcome: "resolved"), to: db)
                try LearnedPatternStore.recordResolution(incident: id, by: context.actor, automatically: false, in: db)
                try LearningBridge.learn(fromIncident: id, outcome: .resolvedByHand, learner: learner, at: now, in: db)
            }
            return changed
        }
    }

    /// Reopens a resolved incident; false when it was not resolved.
    package static func reopen(_ id: Int64, context: OperationsContext) throws -> Bool {
        let now = context.clock.now()
        return try context.store.database.write { db -> Bool in
            _ = try existing(id, in: db)
            let changed = try IncidentStore.transition(id, from: [.resolved], to: .open, message: "reopened by \(context.actor)", at: now, in: db)
            if changed {
                try AuditLog.append(AuditEntry(at: now, actor: context.actor, action: "incident.reopen", subject: "incident:\(id)", outcome: "open"), to: db)
            }
            return changed
        }
    }

    /// Records the operator's verdict on whether an incident was a false positive; a new "false positive"
    /// weakens the learned pattern the incident matched.
    package static func mark(_ id: Int64, falsePositive: Bool, context: OperationsContext) throws {
        let now = context.clock.now()
        let learner = try LearningBridge.learner(context.configuration)
        try context.store.database.write { db in
            let incident = try existing(id, in: db)
            _ = try IncidentStore.markFalsePositive(id, falsePositive, actor: context.actor, at: now, in: db)
            if falsePositive && !incident.falsePositive,
               let pattern = try LearningBridge.recordFalsePositive(incident: id, learner: learner, in: db) {
                try IncidentStore.appendTimeline(id, kind: "learned", message: "weakened learned pattern #\(pattern) (false positive)", at: now, in: db)
            }
            try AuditLog.append(AuditEntry(at: now, actor: context.actor, action: "incident.feedback", subject: "incident:\(id)",
                                           detail: falsePositive ? "false positive" : "not a false positive", outcome: "recorded"), to: db)
        }
    }

    /// The incident, or a "no such incident" failure (exit 66).
    package static func existing(_ id: Int64, in db: Database) throws -> IncidentRecord {
        guard let incident = try IncidentStore.get(id, in: db) else {
            throw SimpleFailure(.noInput, "no incident \(id) (see `aurora incidents list`)")
        }
        return incident
    }
}
