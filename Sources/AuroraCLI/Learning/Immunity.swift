import AuroraCore
import AuroraDiagnosis
import AuroraLearning
import AuroraStore
import Foundation

/// Immunisation: an incident that matches a confident learned pattern skips root-cause analysis and
/// goes straight to the pattern's playbook (which still passes every safety check when it runs).
struct Immunity {
    let pattern: LearnedPattern
    let similarity: Double
    let tier: ConfidenceTier

    /// Checks an incident against the learned patterns and, on a match, records the shortcut.
    static func check(_ incident: IncidentRecord, learner: PatternLearner, tiers: ConfidenceTiers,
                      context: CommandContext) throws -> Immunity? {
        let now = context.clock.now()
        return try context.store().database.write { db -> Immunity? in
            let symptoms = try LearningBridge.symptoms(ofIncident: incident.id, in: db)
            guard let (pattern, similarity) = learner.immunity(for: symptoms, in: try LearningBridge.patterns(in: db)) else { return nil }
            let tier = tiers.tier(for: pattern.confidence)
            let summary = "immunised: matched learned pattern #\(pattern.id) \"\(pattern.name)\" (similarity "
                + "\(String(format: "%.2f", similarity)), confidence \(String(format: "%.0f%%", pattern.confidence * 100))); "
                + "skipped root-cause analysis; playbook: \(pattern.remediation ?? "none")"
            let json = "{\"learned_pattern\":\(pattern.id),\"cause\":\(JSONValue.string(pattern.cause).rendered()),"
                + "\"candidates\":[{\"service\":\(JSONValue.optional(pattern.rootService).rendered()),\"cause\":\(JSONValue.string(pattern.cause).rendered())}],"
                + "\"symptoms\":[]}"
            try IncidentStore.recordDiagnosis(incident.id, json: json, cause: pattern.cause, confidence: pattern.confidence,
                                              tier: tier.rawValue, pattern: pattern.name, remediation: pattern.remediation,
                                              escalate: tier == .escalate, summary: summary, at: now, in: db)
            try LearnedPatternStore.link(incident: incident.id, pattern: pattern.id, in: db)
            try AuditLog.append(AuditEntry(at: now, actor: context.actor, action: "incident.diagnose", subject: "incident:\(incident.id)",
                                           detail: summary, outcome: tier.rawValue), to: db)
            return Immunity(pattern: pattern, similarity: similarity, tier: tier)
        }
    }

    var json: JSONValue {
        .object([
            ("id", .integer(pattern.id)), ("name", .string(pattern.name)), ("cause", .string(pattern.cause)),
            ("remediation", .optional(pattern.remediation)), ("confidence", .number(pattern.confidence)),
            ("similarity", .number(similarity)), ("tier", .string(tier.rawValue)),
        ])
    }

    func render(incident: IncidentRecord, context: CommandContext) {
        let out = context.console.out
        out.line(context.style.bold("incident \(incident.id) — \(incident.services.joined(separator: ", "))"))
        out.line("known pattern #\(pattern.id): \(pattern.name) — root-cause analysis skipped")
        out.line("   cause: \(pattern.cause)")
        out.line("   confidence \(String(format: "%.0f%%", pattern.confidence * 100)) → \(DiagnosisRendering.tierText(tier))"
                 + (pattern.remediation.map { "; playbook: \($0)" } ?? ""))
        out.line("   seen \(pattern.occurrences) time(s), \(pattern.successes) fixed, \(pattern.failures) failed; "
                 + "mean time to recover \(DurationText.format(pattern.meanRecoverySeconds.rounded()))")
        out.line()
    }
}
