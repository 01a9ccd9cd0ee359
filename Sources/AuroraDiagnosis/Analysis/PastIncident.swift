/// What a past incident looked like and how it ended: the memory diagnosis learns from.
public struct PastIncident: Sendable, Equatable, Codable {
    /// The incident id as the store knows it.
    public var id: String
    /// Services and series roles that moved, with their direction.
    public var symptoms: [IncidentSymptom]
    /// The confirmed root-cause service, when known.
    public var rootService: String?
    /// The confirmed cause in words.
    public var cause: String
    /// The pattern the cause corresponds to, when one did.
    public var pattern: String?
    /// The remediation action that was tried.
    public var remediation: String?
    /// How the remediation ended.
    public var outcome: RemediationOutcome

    /// Creates the value from its parts.
    public init(
        id: String, symptoms: [IncidentSymptom], rootService: String?, cause: String, pattern: String? = nil,
        remediation: String? = nil, outcome: RemediationOutcome = .unknown
    ) {
        self.id = id
        self.symptoms = symptoms
        self.rootService = rootService
        self.cause = cause
        self.pattern = pattern
        self.remediation = remediation
        self.outcome = outcome
    }
}

/// One symptom: a service's series of some role moved one way.
public struct IncidentSymptom: Sendable, Hashable, Comparable, Codable {
    /// The service, as its `service` label (or name prefix) says.
    public var service: String
    /// What the series measures.
    public var role: MetricRole
    /// Which way it moved.
    public var direction: ChangeDirection

    /// Creates the value from its parts.
    public init(service: String, role: MetricRole, direction: ChangeDirection) {
        self.service = service
        self.role = role
        self.direction = direction
    }

    /// Orders by service, role, then direction.
    public static func < (lhs: IncidentSymptom, rhs: IncidentSymptom) -> Bool {
        (lhs.service, lhs.role.rawValue, lhs.direction.rawValue) < (rhs.service, rhs.role.rawValue, rhs.direction.rawValue)
    }
}

/// How a remediation ended.
public enum RemediationOutcome: String, Sendable, Equatable, Codable {
    case resolved, failed, unknown
}

/// A past incident similar to the current one.
public struct HistoryMatch: Sendable, Equatable, Encodable {
    /// The past incident.
    public var incident: PastIncident
    /// Jaccard similarity of the symptom sets, in [0, 1].
    public var similarity: Double
}

/// Finds past incidents with similar symptoms.
public struct HistoryMatcher: Sendable {
    /// The past incidents to compare with.
    public var incidents: [PastIncident]
    /// Below this similarity a past incident is not shown.
    public var minimumSimilarity: Double

    /// Creates the value from its parts.
    public init(incidents: [PastIncident], minimumSimilarity: Double = 0.3) {
        self.incidents = incidents
        self.minimumSimilarity = minimumSimilarity
    }

    /// Similar incidents, most similar first (ties by id).
    public func similar(to symptoms: [IncidentSymptom]) -> [HistoryMatch] {
        let current = Set(symptoms)
        guard !current.isEmpty else { return [] }
        return incidents.compactMap { incident -> HistoryMatch? in
            let past = Set(incident.symptoms)
            let union = current.union(past).count
            guard union > 0 else { return nil }
            let similarity = Double(current.intersection(past).count) / Double(union)
            return similarity >= minimumSimilarity ? HistoryMatch(incident: incident, similarity: similarity) : nil
        }.sorted { ($0.similarity, $1.incident.id) > ($1.similarity, $0.incident.id) }
    }
}
