import AuroraCore
import AuroraDiagnosis
import Foundation

/// What an incident looked like, in the terms learning compares: which service's which kind of metric
/// moved which way.
public struct Symptom: Hashable, Comparable, Sendable, Codable {
    public var service: String
    public var role: MetricRole
    public var direction: ChangeDirection

    public init(service: String, role: MetricRole, direction: ChangeDirection) {
        self.service = service
        self.role = role
        self.direction = direction
    }

    public static func < (lhs: Symptom, rhs: Symptom) -> Bool {
        (lhs.service, lhs.role.rawValue, lhs.direction.rawValue) < (rhs.service, rhs.role.rawValue, rhs.direction.rawValue)
    }

    /// `checkout latency up`.
    public var text: String { "\(service) \(role.rawValue) \(direction.rawValue)" }
}

/// A pattern learned from resolved incidents: symptoms, root cause, the remediation that fixed it,
/// and how that remediation has fared.
public struct LearnedPattern: Sendable, Equatable {
    public var id: Int64
    public var name: String
    public var symptoms: [Symptom]
    public var rootService: String?
    public var cause: String
    public var remediation: String?
    public var risk: RiskTier
    /// Incidents that matched this pattern.
    public var occurrences: Int
    /// Remediations that fixed it (verified), and that failed or were rolled back.
    public var successes: Int
    public var failures: Int
    /// Incidents of this pattern that operators marked false positives.
    public var falsePositives: Int
    /// Running mean time to recover, seconds.
    public var meanRecoverySeconds: Double
    public var firstSeen: Date
    public var lastSeen: Date

    public init(id: Int64 = 0, name: String, symptoms: [Symptom], rootService: String?, cause: String, remediation: String?,
                risk: RiskTier = .medium, occurrences: Int = 1, successes: Int = 0, failures: Int = 0, falsePositives: Int = 0,
                meanRecoverySeconds: Double = 0, firstSeen: Date, lastSeen: Date) {
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
        self.firstSeen = firstSeen
        self.lastSeen = lastSeen
    }

    /// Confidence that the pattern's remediation fixes it: the mean of a Beta posterior from a uniform
    /// prior, successes counting for, failures and false positives against. One verified success and
    /// nothing against gives 2/3; each failure pulls it down as much as a success pushes it up.
    public var confidence: Double {
        Double(successes + 1) / Double(successes + failures + falsePositives + 2)
    }
}
