import AuroraCore
import AuroraLearning
import AuroraRemediation
import AuroraStore
import Foundation

/// Closes the loop after a remediation tied to an incident finished: a verified success resolves the
/// incident and teaches the learned patterns; a failure or rollback weakens them and leaves the
/// incident for a human.
package enum IncidentResolution {
    /// Returns lines for the operator (empty when the result concerns no incident).
    @discardableResult
    package static func complete(_ result: RemediationResult, action: String, incident text: String?, automatically: Bool,
                                 context: OperationsContext) throws -> [String] {
        guard result.kind == .executed, let report = result.report, let text, let id = Int64(text) else { return [] }
        let now = context.clock.now()
        let learner = try LearningBridge.learner(context.configuration)
        return try context.store.database.write { db -> [String] in
            guard let incident = try IncidentStore.get(id, in: db), incident.status != .resolved else { return [] }
            var lines: [String] = []
            switch report.outcome {
            case .succeeded:
                try IncidentStore.setRemediation(id, action: action, in: db)
                let by = automatically ? "aurora (verified remediation \(action))" : "\(context.actor) (approved remediation \(action))"
                if try IncidentStore.transition(id, from: [.open, .diagnosed, .remediating, .escalated], to: .resolved,
                                               message: "resolved: \(action) succeeded and its health check passed", at: now, in: db) {
                    try LearnedPatternStore.recordResolution(incident: id, by: by, automatically: automatically, in: db)
                    try AuditLog.append(AuditEntry(at: now, actor: automatically ? "aurora" : context.actor, action: "incident.resolve",
                                                   subject: "incident:\(id)", detail: "remediation \(action) verified",
                                                   outcome: "resolved"), to: db)
                    lines.append("incident \(id) resolved (\(action) verified)")
                    if let learned = try LearningBridge.learn(fromIncident: id, outcome: .remediated, learner: learner, at: now, in: db) {
                        lines.append(learned)
                    }
                }
            case .notStarted:
                break
            default:
                try IncidentStore.appendTimeline(id, kind: "remediation", message: "\(action) ended \(report.outcome.description)", at: now, in: db)
                _ = try IncidentStore.transition(id, from: [.open, .diagnosed, .remediating], to: .escalated,
                                                 message: "escalated: \(action) did not fix it", at: now, in: db)
                if let linked = try LearnedPatternStore.linkedPattern(ofIncident: id, in: db),
                   let row = try LearnedPatternStore.get(linked, in: db) {
                    let weakened = learner.weaken(LearningBridge.pattern(row))
                    try LearnedPatternStore.save(LearningBridge.row(weakened), in: db)
                    let message = "weakened learned pattern #\(linked): \(action) failed (confidence now \(String(format: "%.0f%%", weakened.confidence * 100)))"
                    try IncidentStore.appendTimeline(id, kind: "learned", message: message, at: now, in: db)
                    lines.append(message)
                }
                lines.append("incident \(id) escalated: \(action) did not fix it")
            }
            return lines
        }
    }
}
