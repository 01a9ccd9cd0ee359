import AuroraCore
import AuroraDiagnosis
import Foundation

/// How a resolved incident ended, as learning sees it.
package enum ResolutionOutcome: String, Sendable, Codable {
    /// A remediation ran and health checks passed.
    case remediated
    /// A remediation failed or was rolled back.
    case remediationFailed
    /// Resolved by a human without a recorded remediation.
    case resolvedByHand
}

/// A resolved incident, reduced to what learning needs.
package struct ResolvedIncident: Sendable, Equatable {
    package var symptoms: [Symptom]
    package var rootService: String?
    package var cause: String
    package var remediation: String?
    /// The library pattern the diagnosis matched, when one did (names the learned pattern).
    package var pattern: String?
    package var risk: RiskTier
    package var outcome: ResolutionOutcome
    package var recoverySeconds: Double
    package var resolvedAt: Date
    /// The confidence of the root-cause analysis that diagnosed it (nil when a learned pattern did).
    package var diagnosisConfidence: Double?

    package init(symptoms: [Symptom], rootService: String?, cause: String, remediation: String?, pattern: String? = nil, risk: RiskTier = .medium,
                outcome: ResolutionOutcome, recoverySeconds: Double, resolvedAt: Date, diagnosisConfidence: Double? = nil) {
        self.symptoms = symptoms
        self.rootService = rootService
        self.cause = cause
        self.remediation = remediation
        self.pattern = pattern
        self.risk = risk
        self.outcome = outcome
        self.recoverySeconds = recoverySeconds
        self.resolvedAt = resolvedAt
        self.diagnosisConfidence = diagnosisConfidence
    }
}

/// What learning did with a resolved incident.
package enum LearningStep: Sendable, Equatable {
    case reinforced(LearnedPattern, similarity: Double)
    case created(LearnedPattern)
}

/// Extracts, matches, reinforces and weakens learned patterns.
///
/// Similarity is the Jaccard index of the two symptom sets (service, metric role, direction), and
/// patterns with different root services never match: the same symptoms caused from elsewhere are a
/// different lesson. At or above `matchThreshold` an incident reinforces the pattern; below, it
/// creates a new one.
package struct PatternLearner: Sendable {
    package var matchThreshold: Double
    /// Confidence from which a new incident skips root-cause analysis for the cached playbook.
    package var immunityConfidence: Double

    package init(matchThreshold: Double = 0.6, immunityConfidence: Double = 0.65) {
        self.matchThreshold = matchThreshold
        self.immunityConfidence = immunityConfidence
    }

    package static func similarity(_ a: [Symptom], _ b: [Symptom]) -> Double {
        let left = Set(a), right = Set(b)
        let union = left.union(right).count
        return union == 0 ? 0 : Double(left.intersection(right).count) / Double(union)
    }

    /// The best matching pattern at or above the threshold.
    package func bestMatch(for symptoms: [Symptom], rootService: String?, in patterns: [LearnedPattern]) -> (LearnedPattern, Double)? {
        patterns
            .filter { rootService == nil || $0.rootService == nil || $0.rootService == rootService }
            .map { ($0, Self.similarity(symptoms, $0.symptoms)) }
            .filter { $0.1 >= matchThreshold }
            .max { ($0.1, $0.0.confidence, -$0.0.id) < ($1.1, $1.0.confidence, -$1.0.id) }
    }

    /// Learns from one resolved incident: reinforces the matching pattern or creates a new one.
    package func learn(from incident: ResolvedIncident, patterns: [LearnedPattern]) -> LearningStep {
        if let match = bestMatch(for: incident.symptoms, rootService: incident.rootService, in: patterns) {
            var pattern = match.0
            let similarity = match.1
            pattern.occurrences += 1
            switch incident.outcome {
            case .remediated: pattern.successes += 1
            case .remediationFailed: pattern.failures += 1
            case .resolvedByHand: break
            }
            // Running mean of the time to recover over the incidents that taught the pattern.
            pattern.meanRecoverySeconds += (incident.recoverySeconds - pattern.meanRecoverySeconds) / Double(pattern.occurrences)
            if incident.outcome == .remediated, let remediation = incident.remediation { pattern.remediation = remediation }
            if pattern.cause.isEmpty { pattern.cause = incident.cause }
            if let confidence = incident.diagnosisConfidence {
                // Running mean over the analyses seen; an existing value counts as one observation.
                pattern.diagnosisConfidence = pattern.diagnosisConfidence.map { ($0 + confidence) / 2 } ?? confidence
            }
            pattern.lastSeen = incident.resolvedAt
            return .reinforced(pattern, similarity: similarity)
        }
        let name = Self.name(for: incident)
        let created = LearnedPattern(
            name: name, symptoms: incident.symptoms, rootService: incident.rootService, cause: incident.cause,
            remediation: incident.remediation, risk: incident.risk, occurrences: 1,
            successes: incident.outcome == .remediated ? 1 : 0, failures: incident.outcome == .remediationFailed ? 1 : 0,
            meanRecoverySeconds: incident.recoverySeconds, diagnosisConfidence: incident.diagnosisConfidence,
            firstSeen: incident.resolvedAt, lastSeen: incident.resolvedAt)
        return .created(created)
    }

    /// A failed or rolled-back remediation weakens the pattern's confidence in it.
    package func weaken(_ pattern: LearnedPattern) -> LearnedPattern {
        var copy = pattern
        copy.failures += 1
        return copy
    }

    /// An operator's false-positive mark counts against the pattern that produced the incident.
    package func markFalsePositive(_ pattern: LearnedPattern) -> LearnedPattern {
        var copy = pattern
        copy.falsePositives += 1
        return copy
    }

    /// Whether an incident with these symptoms may skip root-cause analysis for the pattern's playbook.
    package func immunity(for symptoms: [Symptom], in patterns: [LearnedPattern]) -> (LearnedPattern, Double)? {
        guard let (pattern, similarity) = bestMatch(for: symptoms, rootService: nil, in: patterns),
              pattern.remediation != nil, pattern.confidence >= immunityConfidence else { return nil }
        return (pattern, similarity)
    }

    static func name(for incident: ResolvedIncident) -> String {
        let service = incident.rootService ?? incident.symptoms.first?.service ?? "unknown"
        if let pattern = incident.pattern, !pattern.isEmpty { return "learned: \(service) \(pattern)" }
        let cause = incident.cause.lowercased().split { !$0.isLetter && !$0.isNumber }.prefix(4).joined(separator: "-")
        return "learned: \(service) \(cause.isEmpty ? "incident" : cause)"
    }
}
