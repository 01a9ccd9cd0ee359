import AuroraCore
import AuroraDiagnosis
import Foundation

/// What an incident looked like, in the terms learning compares: which service's which kind of metric
/// moved which way — the same symptoms diagnosis keeps for its history.
package typealias Symptom = IncidentSymptom

extension IncidentSymptom {
    /// `checkout latency up`.
    package var text: String { "\(service) \(role.rawValue) \(direction.rawValue)" }
}

/// A pattern learned from resolved incidents: symptoms, root cause, the remediation that fixed it,
/// and how that remediation has fared.
package struct LearnedPattern: Sendable, Equatable {
    package var id: Int64
    package var name: String
    package var symptoms: [Symptom]
    package var rootService: String?
    package var cause: String
    package var remediation: String?
    package var risk: RiskTier
    /// Incidents that matched this pattern.
    package var occurrences: Int
    /// Remediations that fixed it (verified), and that failed or were rolled back.
    package var successes: Int
    package var failures: Int
    /// Incidents of this pattern that operators marked false positives.
    package var falsePositives: Int
    /// Running mean time to recover, seconds.
    package var meanRecoverySeconds: Double
    /// Mean confidence of the root-cause analyses that taught the pattern (nil when none did).
    package var diagnosisConfidence: Double?
    package var firstSeen: Date
    package var lastSeen: Date

    package init(id: Int64 = 0, name: String, symptoms: [Symptom], rootService: String?, cause: String, remediation: String?,
                risk: RiskTier = .medium, occurrences: Int = 1, successes: Int = 0, failures: Int = 0, falsePositives: Int = 0,
                meanRecoverySeconds: Double = 0, diagnosisConfidence: Double? = nil, firstSeen: Date, lastSeen: Date) {
        self.id = id
        self.name = name
        self.symptoms = symptoms.sorted()
        self.rootService = rootService
        self.cause = cause
        self.remediation = remediation
        self.risk = risk
        self.occurrences = occurrences
        self.successes = successes
        self.failures = failures
        self.falsePositives = falsePositives
        self.meanRecoverySeconds = meanRecoverySeconds
        self.diagnosisConfidence = diagnosisConfidence
        self.firstSeen = firstSeen
        self.lastSeen = lastSeen
    }

    /// Confidence that the pattern's remediation fixes it: the mean of a Beta posterior from a uniform
    /// prior, successes counting for, failures and false positives against. One verified success and
    /// nothing against gives 2/3; each failure pulls it down as much as a success pushes it up.
    package var confidence: Double {
        Double(successes + 1) / Double(successes + failures + falsePositives + 2)
    }

    /// Confidence in an immunised diagnosis: the analyses that taught the pattern and its record of
    /// verified fixes are two independent pieces of evidence for the same cause, combined as a noisy OR
    /// (either being right suffices): `1 − (1 − diagnosis)(1 − playbook)`.
    package var immunisedConfidence: Double {
        1 - (1 - (diagnosisConfidence ?? 0)) * (1 - confidence)
    }
}
