import AuroraCore

/// Where a piece of evidence comes from.
public enum EvidenceSource: String, Sendable, Equatable, Codable {
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
}

/// One reason for (or against) a candidate, in plain words.
public struct Evidence: Sendable, Equatable, Encodable {
    /// Where the evidence comes from.
    public var source: EvidenceSource
    /// The evidence in plain words.
    public var text: String

    /// Creates the value from its parts.
    public init(_ source: EvidenceSource, _ text: String) {
        self.source = source
        self.text = text
    }
}

/// A ranked root-cause candidate.
public struct RootCauseCandidate: Sendable, Equatable {
    /// 1 for the most likely.
    public var rank: Int
    /// The service, as its `service` label (or name prefix) says.
    public var service: String
    /// The series that shows the cause best, when one does.
    public var seriesKey: SeriesKey?
    /// Its metric, as the service sees it (`cpu`, `latency_p99`).
    public var metric: String?
    /// Ranking score (higher = more likely); only comparable within one diagnosis.
    public var score: Double
    /// The cause in plain words.
    public var cause: String
    /// The pattern behind `cause`, when one matched.
    public var pattern: String?
    /// How well the pattern matched, in [0, 1] (0 without a pattern).
    public var patternScore: Double
    /// The remediation action name to recommend, when a pattern or past incident gives one.
    public var remediation: String?
    /// The risk tier of the remediation.
    public var risk: RiskTier?
    /// Calibrated confidence in [0, 1] that this is the root cause.
    public var confidence: Double
    /// What the confidence allows: auto, auto with monitoring, approval or escalate.
    public var tier: ConfidenceTier
    /// The reasons, in plain words.
    public var evidence: [Evidence]
    /// The evidence in numbers, as the confidence model saw it.
    public var confidenceInputs: ConfidenceModel.Inputs
}

/// How strongly one service looks like the origin, for the service ranking.
public struct ServiceAssessment: Sendable, Equatable, Encodable {
    /// The service, as its `service` label (or name prefix) says.
    public var service: String
    /// Ranking score; higher is more likely the origin.
    public var score: Double
    /// The change that carries the score.
    public var keyChange: SeriesChange?
    /// Changed series of the service, and how many of them other services explain.
    public var changedSeries: Int
    /// Changed series that another service's change explains.
    public var explainedSeries: Int
}

/// The result of a root-cause analysis.
public struct Diagnosis: Sendable, Equatable, Encodable {
    /// The analysed window.
    public var window: IncidentWindow
    /// The best candidates, most likely first.
    public var candidates: [RootCauseCandidate]
    /// Every service with data, most likely origin first.
    public var services: [ServiceAssessment]
    /// Every changed series (sustained z at or above the threshold), largest change first.
    public var changes: [SeriesChange]
    /// The symptoms as history keeps them.
    public var symptoms: [IncidentSymptom]
    /// Similar past incidents.
    public var history: [HistoryMatch]
    /// Remarks about the analysis itself (missing data, a failed AI hypothesis …).
    public var notes: [String]

    /// The most likely candidate.
    public var top: RootCauseCandidate? { candidates.first }
}
