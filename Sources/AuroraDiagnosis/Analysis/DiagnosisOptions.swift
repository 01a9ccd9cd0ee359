import AuroraCore

/// Tuning of the root-cause analysis.
public struct DiagnosisOptions: Sendable, Equatable {
    /// Sustained robust z-score from which a series counts as changed.
    public var changeThreshold: Double
    /// Weight left to a change that another service's earlier change explains.
    public var explainedWeight: Double
    /// How much later than its cause a propagated change may start, in sampling steps.
    public var onsetToleranceSteps: Int
    /// Candidates returned.
    public var maxCandidates: Int
    /// Steps of lag searched by cross-correlation.
    public var correlationMaxLag: Int
    /// Confidence thresholds of the tiers.
    public var tiers: ConfidenceTiers
    /// How series changes are measured.
    public var scanner: ChangeScanner

    /// Creates the value from its parts.
    public init(
        changeThreshold: Double = 4, explainedWeight: Double = 0.15, onsetToleranceSteps: Int = 3,
        maxCandidates: Int = 5, correlationMaxLag: Int = 10, tiers: ConfidenceTiers = ConfidenceTiers(),
        scanner: ChangeScanner = ChangeScanner()
    ) {
        self.changeThreshold = changeThreshold
        self.explainedWeight = explainedWeight
        self.onsetToleranceSteps = onsetToleranceSteps
        self.maxCandidates = maxCandidates
        self.correlationMaxLag = correlationMaxLag
        self.tiers = tiers
        self.scanner = scanner
    }
}
