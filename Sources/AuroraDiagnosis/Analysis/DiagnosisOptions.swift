import AuroraCore

/// Tuning of the root-cause analysis.
package struct DiagnosisOptions: Sendable, Equatable {
    /// Sustained robust z-score from which a series counts as changed.
    package var changeThreshold: Double
    /// Weight left to a change that another service's earlier change explains.
    package var explainedWeight: Double
    /// How much later than its cause a propagated change may start, in sampling steps.
    package var onsetToleranceSteps: Int
    /// Candidates returned.
    package var maxCandidates: Int
    /// Steps of lag searched by cross-correlation.
    package var correlationMaxLag: Int
    /// Confidence thresholds of the tiers.
    package var tiers: ConfidenceTiers
    /// How series changes are measured.
    package var scanner: ChangeScanner

    /// Creates the value from its parts.
    package init(
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
