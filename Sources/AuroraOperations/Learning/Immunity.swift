import AuroraCore
import AuroraDiagnosis
import AuroraLearning
import AuroraStore
import Foundation

/// Immunisation: an incident that matches a confident learned pattern skips root-cause analysis and
/// goes straight to the pattern's playbook (which still passes every safety check when it runs).
package struct Immunity {
    /// The learned pattern that matched.
    package let pattern: LearnedPattern
    /// How closely the incident's symptoms matched it (0 … 1).
    package let similarity: Double
    /// The confidence tier of the pattern's immunised confidence.
    package let tier: ConfidenceTier

    /// Checks an incident against the learned patterns and, on a match, records the shortcut. With
    /// `repeatingConclusion` false, a match that concludes what the incident's last diagnosis did (the
    /// same pattern, the same tier) is not written to the timeline and the audit trail again.
    package static func check(_ incident: IncidentRecord, learner: PatternLearner, tiers: ConfidenceTiers,
                              repeatingConclusion: Bool = true, context: OperationsContext) throws -> Immunity? {
        let now = context.clock.now()
        return try context.store.database.write { db -> Immunity? in
            let symptoms = try LearningBridge.symptoms(ofIncident: incident.id, in: db)
            guard let (pattern, similarity) = learner.immunity(for: symptoms, in: try LearningBridge.patterns(in: db)) else { return nil }
            let confidence = pattern.immunisedConfidence
            let tier = tiers.tier(for: confidence)
            let summary = "immunised: matched learned pattern #\(pattern.id) \"\(pattern.name)\" (similarity "
                + "\(String(format: "%.2f", similarity)), confidence in the cause \(String(format: "%.0f%%", confidence * 100)), "
                + "playbook confidence \(String(format: "%.0f%%", pattern.confidence * 100))); "
                + "skipped root-cause analysis; playbook: \(pattern.remediation ?? "none")"
            let json = "{\"learned_pattern\":\(pattern.id),\"cause\":\(JSONValue.string(pattern.cause).rendered()),"
                + "\"candidates\":[{\"service\":\(JSONValue.optional(pattern.rootService).rendered()),\"cause\":\(JSONValue.string(pattern.cause).rendered())}],"
                + "\"symptoms\":[]}"
            let matched = "immunised: matched learned pattern #\(pattern.id) "
            if !repeatingConclusion, let current = try IncidentStore.get(incident.id, in: db),
               current.status == .diagnosed || current.status == .escalated, current.tier == tier,
               try IncidentStore.lastTimelineMessage(incident.id, kind: "diagnosed", in: db)?.hasPrefix(matched) == true {
                try IncidentStore.markDiagnosed(incident.id, at: now, in: db)
                return Immunity(pattern: pattern, similarity: similarity, tier: tier)
            }
            try IncidentStore.recordDiagnosis(incident.id, json: json, cause: pattern.cause, confidence: confidence,
                                              tier: tier, pattern: pattern.name, remediation: pattern.remediation,
                                              escalate: tier == .escalate, summary: summary, at: now, in: db)
            try LearnedPatternStore.link(incident: incident.id, pattern: pattern.id, in: db)
            try AuditLog.append(AuditEntry(at: now, actor: context.actor, action: "incident.diagnose", subject: "incident:\(incident.id)",
                                           detail: summary, outcome: tier.rawValue), to: db)
            return Immunity(pattern: pattern, similarity: similarity, tier: tier)
        }
    }
}
