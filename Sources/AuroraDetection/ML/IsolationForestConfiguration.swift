/// Parameters of the isolation-forest detectors, with the defaults they are registered under.
package struct IsolationForestConfiguration: Sendable, Equatable {
    /// Whether to add the time of day (as a point on a circle) to the features.
    package enum Seasonality: String, Sendable, Equatable {
        /// Decide at the first training: daily when the training points span two days and their
        /// autocorrelation at a one-day lag is at least 0.5.
        case auto
        /// Always use the time of day.
        case daily
        /// Never use it.
        case none
    }

    /// Trees in the forest (paper default 100: path lengths converge well before that).
    package var treeCount = 100
    /// Rows each tree is grown on (paper default 256: small samples isolate anomalies best).
    package var subsampleSize = 256
    /// Points in the rolling window behind the mean, deviation and distance features.
    package var windowLength = 16
    /// Feature rows (points after the first `windowLength`) collected before the first model is grown;
    /// scores are 0 until then. Nil: `probationFraction` of the first block handed to `score`, kept
    /// within `minimumTrainingPoints…maximumTrainingPoints`.
    package var trainingPoints: Int?
    /// Share of the first block used for training when `trainingPoints` is nil: NAB's probationary 15%.
    package var probationFraction = 0.15
    /// Lower bound on the resolved training length, so a short first block still trains on something.
    package var minimumTrainingPoints = 64
    /// Upper bound on the resolved training length: NAB caps its probationary period at 750 points,
    /// and a long first block should not leave its early part unscored.
    package var maximumTrainingPoints = 750
    /// Points between retrainings on the reservoir, so the model follows slow change.
    package var retrainInterval = 1024
    /// Most recent feature rows kept for retraining.
    package var reservoirCapacity = 2048
    /// How far beyond the training rows' range (as a share of that range, on any feature) a point lies
    /// at the verdict bar (score 0.5). The forest alone cannot rank such points above the most extreme
    /// training rows; `.infinity` turns this term off.
    package var outOfRangeMargin = 0.75
    /// How isolated a point is at the verdict bar, in units of the most isolated training row: its
    /// raw score's distance above the typical training row divided by that row's distance. 1.5 (and
    /// the 0.75 range margin) sit near the best single threshold on the NAB development subset.
    package var isolationMargin = 1.5
    /// Time-of-day feature choice.
    package var seasonality = Seasonality.auto
    /// Seed of the tree-growing generator: the same seed and input give the same scores.
    package var seed: UInt64 = 0x5EED_F0E5_7000_0001
    /// Verdict threshold on the score. A row's strength is the larger of its isolation (over
    /// `isolationMargin`) and its distance beyond the training range (over `outOfRangeMargin`); the
    /// score is `strength²/(strength² + 1)`, 0.5 at strength 1, as for the statistical detectors.
    package var threshold = 0.5

    /// The defaults above.
    package init() {}

    func validate(detector: String) throws {
        func check(_ ok: Bool, _ reason: String) throws {
            if !ok { throw MLDetectorError.invalidConfiguration(detector: detector, reason: reason) }
        }
        try check((1...10_000).contains(treeCount), "treeCount must be 1…10000, got \(treeCount)")
        try check((2...65_536).contains(subsampleSize), "subsampleSize must be 2…65536, got \(subsampleSize)")
        try check((2...4096).contains(windowLength), "windowLength must be 2…4096, got \(windowLength)")
        try check(retrainInterval >= 1, "retrainInterval must be at least 1")
        try check((16...10_000_000).contains(reservoirCapacity), "reservoirCapacity must be 16…10000000")
        try check(probationFraction > 0 && probationFraction < 1, "probationFraction must be in (0, 1)")
        try check(outOfRangeMargin > 0, "outOfRangeMargin must be positive")
        try check(isolationMargin > 0, "isolationMargin must be positive")
        try check(minimumTrainingPoints >= 2, "minimumTrainingPoints must be at least 2")
        try check(maximumTrainingPoints >= minimumTrainingPoints, "maximumTrainingPoints must be at least minimumTrainingPoints")
        if let trainingPoints { try check(trainingPoints >= 2, "trainingPoints must be at least 2") }
    }
}
