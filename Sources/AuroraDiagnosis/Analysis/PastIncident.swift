/// What a past incident looked like and how it ended: the memory diagnosis learns from.
package struct PastIncident: Sendable, Equatable, Codable {
    /// The incident id as the store knows it.
    package var id: String
    /// Services and series roles that moved, with their direction.
    package var symptoms: [IncidentSymptom]
    /// The confirmed root-cause service, when known.
    package var rootService: String?
    /// The confirmed cause in words.
    package var cause: String
    /// The pattern the cause corresponds to, when one did.
    package var pattern: String?
    /// The remediation action that was tried.
    package var remediation: String?
    /// How the remediation ended.
    package var outcome: RemediationOutcome

    /// Creates the value from its parts.
    package init(
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
package struct IncidentSymptom: Sendable, Hashable, Comparable, Codable {
    /// The service, as its `service` label (or name prefix) says.
    package var service: String
    /// What the series measures.
    package var role: MetricRole
    /// Which way it moved.
    package var direction: ChangeDirection

    /// Creates the value from its parts.
    package init(service: String, role: MetricRole, direction: ChangeDirection) {
        self.service = service
        self.role = role
        self.direction = direction
    }

    /// Orders by service, role, then direction.
    package static func < (lhs: IncidentSymptom, rhs: IncidentSymptom) -> Bool {
        (lhs.service, lhs.role.rawValue, lhs.direction.rawValue) < (rhs.service, rhs.role.rawValue, rhs.direction.rawValue)
    }
}

/// How a remediation ended.
package enum RemediationOutcome: String, Sendable, Equatable, Codable {
    case resolved, failed, unknown
}

/// A past incident similar to the current one.
package struct HistoryMatch: Sendable, Equatable, Encodable {
    /// The past incident.
    package var incident: PastIncident
    /// Jaccard similarity of the symptom sets, in [0, 1].
    package var similarity: Double
}

/// Finds past incidents with similar symptoms.
package struct HistoryMatcher: Sendable {
    /// The past incidents to compare with.
    package var incidents: [PastIncident]
    /// Below this similarity a past incident is not shown.
    package var minimumSimilarity: Double

    /// Creates the value from its parts.
    package init(incidents: [PastIncident], minimumSimilarity: Double = 0.3) {
        self.incidents = incidents
        self.minimumSimilarity = minimumSimilarity
    }

    /// Similar incidents, most similar first (ties by id).
    package func similar(to symptoms: [IncidentSymptom]) -> [HistoryMatch] {
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
