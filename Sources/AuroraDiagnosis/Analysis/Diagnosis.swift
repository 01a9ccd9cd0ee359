import AuroraCore

/// Where a piece of evidence comes from.
package enum EvidenceSource: String, Sendable, Equatable, Codable {
    /// The size of the change against the period before.
    case magnitude
    /// When the change started relative to the others.
    case onset
    /// What the service dependency graph says.
    case dependency
    /// Lagged cross-correlation with the symptom.
    case correlation
    /// A known pattern matched.
    case pattern
    /// Similar past incidents.
    case history
    /// The optional AI hypothesis.
    case hypothesis
    /// Series that stopped reporting (an absent-data event).
    case absence
}

/// One reason for (or against) a candidate, in plain words.
package struct Evidence: Sendable, Equatable, Encodable {
    /// Where the evidence comes from.
    package var source: EvidenceSource
    /// The evidence in plain words.
    package var text: String

    /// Creates the value from its parts.
    package init(_ source: EvidenceSource, _ text: String) {
        self.source = source
        self.text = text
    }
}

/// A ranked root-cause candidate.
package struct RootCauseCandidate: Sendable, Equatable {
    /// 1 for the most likely.
    package var rank: Int
    /// The service, as its `service` label (or name prefix) says.
    package var service: String
    /// The series that shows the cause best, when one does.
    package var seriesKey: SeriesKey?
    /// Its metric, as the service sees it (`cpu`, `latency_p99`).
    package var metric: String?
    /// Ranking score (higher = more likely); only comparable within one diagnosis.
    package var score: Double
    /// The cause in plain words.
    package var cause: String
    /// The pattern behind `cause`, when one matched.
    package var pattern: String?
    /// How well the pattern matched, in [0, 1] (0 without a pattern).
    package var patternScore: Double
    /// The remediation action name to recommend, when a pattern or past incident gives one.
    package var remediation: String?
    /// The risk tier of the remediation.
    package var risk: RiskTier?
    /// Calibrated confidence in [0, 1] that this is the root cause.
    package var confidence: Double
    /// What the confidence allows: auto, auto with monitoring, approval or escalate.
    package var tier: ConfidenceTier
    /// The reasons, in plain words.
    package var evidence: [Evidence]
    /// The evidence in numbers, as the confidence model saw it.
    package var confidenceInputs: ConfidenceModel.Inputs
    /// The service's series that stopped reporting during the incident, when some did.
    package var silence: Silence? = nil

    /// Whether the candidate rests on its silence alone: no change of its was measured, so its
    /// confidence (0) is not a measurement.
    package var restsOnSilence: Bool { silence != nil && confidenceInputs.seriesCount == 0 }
}

/// How strongly one service looks like the origin, for the service ranking.
package struct ServiceAssessment: Sendable, Equatable, Encodable {
    /// The service, as its `service` label (or name prefix) says.
    package var service: String
    /// Ranking score; higher is more likely the origin.
    package var score: Double
    /// The change that carries the score.
    package var keyChange: SeriesChange?
    /// Changed series of the service, and how many of them other services explain.
    package var changedSeries: Int
    /// Changed series that another service's change explains.
    package var explainedSeries: Int
}

/// The result of a root-cause analysis.
package struct Diagnosis: Sendable, Equatable, Encodable {
    /// The analysed window.
    package var window: IncidentWindow
    /// The best candidates, most likely first.
    package var candidates: [RootCauseCandidate]
    /// Every service with data, most likely origin first.
    package var services: [ServiceAssessment]
    /// Every changed series (sustained z at or above the threshold), largest change first.
    package var changes: [SeriesChange]
    /// The symptoms as history keeps them.
    package var symptoms: [IncidentSymptom]
    /// Similar past incidents.
    package var history: [HistoryMatch]
    /// Remarks about the analysis itself (missing data, a failed AI hypothesis …).
    package var notes: [String]
    /// Series that stopped reporting during the incident, by service (its absent-data events).
    package var silences: [Silence] = []

    /// The most likely candidate.
    package var top: RootCauseCandidate? { candidates.first }
}
