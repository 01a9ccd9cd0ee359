import AuroraCore
import AuroraDetection
import AuroraDiagnosis
import AuroraRemediation
import AuroraStore
import Foundation

/// One pass of the whole loop over the stored series: detect → diagnose → decide → remediate →
/// verify → learn. `aurora heal` and `aurora demo` run it; every step is reported as it happens.
struct HealingLoop {
    /// What happened to one incident in this pass.
    struct IncidentStep {
        var incident: Int64
        var services: [String]
        var diagnosis: String
        var viaLearnedPattern: Bool
        var confidence: Double?
        var tier: String?
        var action: String?
        var target: String?
        var outcome: String
        var remediationID: Int64?
        var resolved: Bool
        var notes: [String]
        /// The strongest evidence, in plain words.
        var evidence: [String] = []
        /// Milliseconds the diagnosis itself took (analysis, or the learned-pattern match).
        var diagnosisMilliseconds: Double = 0
        /// Milliseconds from the start of the pass to the remediation decision, for the known-pattern
        /// speed-up the SLO report shows.
        var decisionMilliseconds: Double
    }

    struct Pass {
        var newEvents: Int
        var scoredSeries: Int
        var steps: [IncidentStep]
    }

    let context: CommandContext
    let dryRun: Bool
    let actor: String
    /// Called as each incident's step completes (for printing while the loop runs).
    var onStep: (IncidentStep) -> Void = { _ in }

    func run() async throws -> Pass {
        let started = DispatchTime.now().uptimeNanoseconds
        let settings = try DetectorCatalogue.settings(context)
        let detection = try DetectionRun(settings: settings, registry: DetectorCatalogue.registry)
        let detected = try await StoredDetection.detect(detection: detection, store: true, context: context)
        let db = try context.store().database
        let incidents = try db.read { db in
            // An incident with a remediation in flight, or one that failed, waits for a human.
            let waiting = Set(try RemediationStore.list(states: ["queued", "approved", "running", "failed", "rolled_back", "interrupted"], in: db)
                .compactMap(\.incident))
            return try IncidentStore.list(in: db, statuses: [.open, .diagnosed, .escalated]).reversed()
                .filter { !waiting.contains(String($0.id)) }
        }
        var steps: [IncidentStep] = []
        if incidents.isEmpty { return Pass(newEvents: detected.events.count, scoredSeries: detected.scoredSeries, steps: []) }
        let diagnoser = try IncidentDiagnoser(context: context)
        let flow = try RemediationFlow(context: context)
        try flow.recover()
        for incident in incidents {
            var step = IncidentStep(incident: incident.id, services: incident.services, diagnosis: "", viaLearnedPattern: false,
                                    confidence: nil, tier: nil, action: nil, target: nil, outcome: "", remediationID: nil,
                                    resolved: false, notes: [], decisionMilliseconds: 0)
            var action: String?
            var target: String?
            var confidence: Double?
            let diagnosing = DispatchTime.now().uptimeNanoseconds
            let diagnosed = try await diagnoser.diagnose(incident, context: context)
            step.diagnosisMilliseconds = Double(DispatchTime.now().uptimeNanoseconds - diagnosing) / 1e6
            switch diagnosed {
            case .immunised(let immunity):
                step.viaLearnedPattern = true
                step.diagnosis = "known pattern #\(immunity.pattern.id) \"\(immunity.pattern.name)\": \(immunity.pattern.cause) (root-cause analysis skipped)"
                action = immunity.pattern.remediation
                target = immunity.pattern.rootService ?? incident.services.first
                confidence = immunity.pattern.immunisedConfidence
                step.tier = immunity.tier.rawValue
            case .analysed(let diagnosis):
                guard let top = diagnosis.top else {
                    step.diagnosis = "no root-cause candidate"
                    step.outcome = "escalated to a human"
                    steps.append(step)
                    onStep(step)
                    continue
                }
                step.diagnosis = "root cause \(top.service)\(top.metric.map { " (\($0))" } ?? ""): \(top.cause)"
                step.evidence = top.evidence.prefix(3).map(\.text)
                action = top.remediation
                target = top.service
                confidence = top.confidence
                step.tier = top.tier.rawValue
            case .noData(let reason):
                step.diagnosis = "not diagnosed: \(reason)"
                step.outcome = "waiting for more data"
                steps.append(step)
                onStep(step)
                continue
            }
            step.confidence = confidence
            step.action = action
            step.target = target
            guard let action, let target else {
                step.outcome = "no remediation known for this cause: escalated to a human"
                try escalate(incident.id, step.outcome)
                steps.append(step)
                onStep(step)
                continue
            }
            guard flow.settings.actions[action] != nil else {
                step.outcome = "recommended action `\(action)` is not configured (remediation.actions): escalated to a human"
                try escalate(incident.id, step.outcome)
                steps.append(step)
                onStep(step)
                continue
            }
            step.decisionMilliseconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e6
            let request = RemediationRequest(action: action, service: target, incident: String(incident.id), confidence: confidence,
                                             dryRun: dryRun, actor: actor, reason: "heal: incident \(incident.id)")
            let result = try await flow.run(request)
            step.remediationID = result.id
            switch result.kind {
            case .executed:
                let outcome = result.report?.outcome
                var text = "executed: \(outcome?.name ?? "?")"
                if let health = result.report?.health { text += ", health check \(health.passed ? "passed" : "failed")" }
                if let rollback = result.report?.rollback { text += ", rollback \(rollback.succeeded ? "succeeded" : "failed")" }
                step.outcome = text
                step.notes = try IncidentResolution.complete(result, action: action, incident: String(incident.id), automatically: true,
                                                              context: context)
                step.resolved = outcome == .succeeded
            case .queued:
                step.outcome = "queued for approval (\(result.rule)): aurora approve \(result.id ?? 0)"
                try markRemediating(incident.id, "remediation \(result.id ?? 0) (\(action)) queued for approval")
            case .dryRun:
                step.outcome = "dry run: would \(result.rule.hasPrefix("dry-run") ? "run" : "be refused: \(result.reason)")"
            default:
                step.outcome = "\(result.kind.rawValue): \(result.reason)"
            }
            steps.append(step)
            onStep(step)
        }
        return Pass(newEvents: detected.events.count, scoredSeries: detected.scoredSeries, steps: steps)
    }

    private func escalate(_ id: Int64, _ message: String) throws {
        let now = context.clock.now()
        try context.store().database.write { db in
            _ = try IncidentStore.transition(id, from: [.open, .diagnosed], to: .escalated, message: message, at: now, in: db)
        }
    }

    private func markRemediating(_ id: Int64, _ message: String) throws {
        let now = context.clock.now()
        try context.store().database.write { db in
            _ = try IncidentStore.transition(id, from: [.open, .diagnosed, .escalated], to: .remediating, message: message, at: now, in: db)
        }
    }
}
