/// Parameters of the LSTM forecaster detector, with the defaults it is registered under.
package struct LSTMForecasterConfiguration: Sendable, Equatable {
    /// Hidden units of the single LSTM layer.
    package var hiddenSize = 32
    /// Recent standardised values fed to the network at each step.
    package var inputWindow = 8
    /// Steps per truncated back-propagation chunk: the network learns after every this many points.
    package var chunkLength = 16
    /// Adam's step size.
    package var learningRate = 0.005
    /// Global gradient-norm clip, so one surprising chunk cannot wreck what was learnt.
    package var gradientClip = 1.0
    /// Effective length (points) of the running mean and deviation that standardise the input.
    package var normaliserWindow = 1000
    /// Forecast errors that make up "recent" when judging a new error.
    package var errorWindow = 2048
    /// Forecast errors averaged before judging (1: each error alone). Averaging a few keeps one noisy
    /// point from raising an alarm while a sustained break still does, a step later.
    package var errorSmoothing = 1
    /// Errors collected before any score other than 0 is given (the network is still guessing).
    package var warmupPoints = 64
    /// Smallest error deviation used, in the series' standard units, so a near-perfect forecast of a
    /// clean series does not turn a rounding wobble into an alarm.
    package var errorDeviationFloor = 0.02
    /// Error z-score that maps to the score 0.5 (the score is `z²/(z² + centre²)`). Absolute forecast errors of real series are heavy-tailed
    /// (z-scores of 4 occur routinely), so the verdict needs a high bar.
    package var errorZCentre = 6.0
    /// Share of the largest error in the error window that an error must reach to score at all (0
    /// turns the gate off). Surprises that recur at a similar size, such as a daily step the network
    /// cannot time, are part of the series; an anomaly is an error as large as any recent one.
    package var errorGate = 0.7
    /// Seed of the weight initialisation: the same seed and input give the same scores.
    package var seed: UInt64 = 0x1577_F0CA_5700_0001
    /// Verdict threshold on the score (0.5: an error `errorZCentre` deviations above the recent mean error).
    package var threshold = 0.5

    /// The defaults above.
    package init() {}

    func validate(detector: String) throws {
        func check(_ ok: Bool, _ reason: String) throws {
            if !ok { throw MLDetectorError.invalidConfiguration(detector: detector, reason: reason) }
        }
        try check((1...512).contains(hiddenSize), "hiddenSize must be 1…512, got \(hiddenSize)")
        try check((1...256).contains(inputWindow), "inputWindow must be 1…256, got \(inputWindow)")
        try check((1...1024).contains(chunkLength), "chunkLength must be 1…1024, got \(chunkLength)")
        try check(learningRate > 0 && learningRate < 1, "learningRate must be in (0, 1)")
        try check(gradientClip > 0, "gradientClip must be positive")
        try check(normaliserWindow >= 2, "normaliserWindow must be at least 2")
        try check((2...1_000_000).contains(errorWindow), "errorWindow must be 2…1000000")
        try check((1...1000).contains(errorSmoothing), "errorSmoothing must be 1…1000")
        try check(warmupPoints >= 2, "warmupPoints must be at least 2")
        try check(errorDeviationFloor > 0, "errorDeviationFloor must be positive")
        try check(errorZCentre > 0, "errorZCentre must be positive")
        try check((0...1).contains(errorGate), "errorGate must be in 0…1")
    }
}
