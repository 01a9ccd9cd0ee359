import AuroraCore
import Foundation

/// LSTM forecaster anomaly detector for one series, registered as `lstm`.
///
/// Values are standardised by a running mean and deviation; a one-layer LSTM reads the last
/// `inputWindow` standardised values and forecasts the next, learning online (truncated
/// back-propagation through time every `chunkLength` points, Adam). A point's score is the
/// surprise of its forecast error against the last `errorWindow` errors: the error's z-score `z`
/// mapped to `z²/(z² + c²)` with `c = errorZCentre` (0.5 at the bar), so the score is scale-free and
/// adapts to how predictable the series is, and
/// set to 0 unless the error reaches `errorGate` of the largest error in that window.
/// A broken pattern (a spike, a shift, a changed shape) is one the network did not learn to expect.
/// Missing values (NaN, infinities) score 0 and leave the state untouched.
package struct LSTMForecasterDetector: Detector {
    /// The command-line name.
    package static let name = "lstm"
    private static let stateTag: UInt32 = 0x4C53_544D // "LSTM"
    private static let stateVersion: UInt16 = 1
    /// Standardised inputs beyond ±8 deviations carry no more information and would saturate the gates.
    private static let inputLimit = 8.0

    /// The parameters this detector runs with.
    package let configuration: LSTMForecasterConfiguration
    private var network: LSTMNetwork<Float>
    private var standardiser: StreamingStandardiser
    private var errors: RollingErrorStatistics
    private var inputs: [Float]
    private var recentErrors: [Double]
    private var recentErrorHead = 0
    private var pointsSeen = 0

    /// The verdict threshold on the score (default 0.5).
    package var threshold: Double { configuration.threshold }

    /// A detector with the default parameters (hidden 32, input window 8, chunk 16, Adam 0.005).
    package init() {
        self.init(validated: LSTMForecasterConfiguration())
    }

    /// A detector with the given parameters; throws `MLDetectorError.invalidConfiguration` when one is out
    /// of range.
    package init(configuration: LSTMForecasterConfiguration) throws {
        try configuration.validate(detector: Self.name)
        self.init(validated: configuration)
    }

    private init(validated configuration: LSTMForecasterConfiguration) {
        self.configuration = configuration
        network = Self.freshNetwork(configuration)
        standardiser = StreamingStandardiser(window: configuration.normaliserWindow)
        errors = RollingErrorStatistics(capacity: configuration.errorWindow)
        inputs = [Float](repeating: 0, count: configuration.inputWindow)
        recentErrors = [Double](repeating: 0, count: configuration.errorSmoothing)
    }

    private static func freshNetwork(_ configuration: LSTMForecasterConfiguration) -> LSTMNetwork<Float> {
        LSTMNetwork(
            inputSize: configuration.inputWindow, hiddenSize: configuration.hiddenSize,
            chunkLength: configuration.chunkLength, learningRate: Float(configuration.learningRate),
            gradientClip: Float(configuration.gradientClip), seed: configuration.seed)
    }

    /// Mean absolute forecast error over the recent error window, in the series' standard units: how
    /// well the network currently predicts.
    package var recentMeanError: Double { errors.mean }

    /// Scores a block of points in order, continuing from the state left by earlier blocks.
    package mutating func score(
        timestamps: UnsafeBufferPointer<Int64>, values: UnsafeBufferPointer<Double>,
        into scores: UnsafeMutableBufferPointer<Double>
    ) {
        let count = min(values.count, scores.count)
        let window = configuration.inputWindow
        let warmup = configuration.warmupPoints
        let floor = configuration.errorDeviationFloor
        let centre = configuration.errorZCentre
        let smoothing = configuration.errorSmoothing
        let gate = configuration.errorGate
        for i in 0..<count {
            let value = values[i]
            guard value.isFinite else {
                scores[i] = 0
                continue
            }
            let z = Float(standardiser.standardise(value, limit: Self.inputLimit))
            var score = 0.0
            if network.awaitingTarget, !network.pendingPrediction.isFinite {
                // Clipping and clamped inputs should make this unreachable; if the weights ever
                // diverge anyway, start the network afresh rather than score NaN forever.
                network = Self.freshNetwork(configuration)
            }
            if network.awaitingTarget {
                recentErrors[recentErrorHead] = Double(abs(network.pendingPrediction - z))
                recentErrorHead = recentErrorHead + 1 == smoothing ? 0 : recentErrorHead + 1
                var error = recentErrors[0]
                if smoothing > 1 {
                    error = 0
                    for k in 0..<smoothing { error += recentErrors[k] }
                    error /= Double(smoothing)
                }
                if errors.count >= warmup {
                    let surprise = (error - errors.mean) / max(errors.standardDeviation, floor)
                    score = squaredRatioScore(surprise, scale: centre)
                    // A surprise that recurs at a similar size (a daily step the network cannot time) is
                    // part of the series; only an error near or above the largest recent one counts.
                    if error < gate * errors.maximum { score = 0 }
                }
                errors.add(error)
                if network.recordTarget(z) { network.learnFromChunk() }
            }
            scores[i] = score
            inputs.withUnsafeMutableBufferPointer { buffer in
                guard let base = buffer.baseAddress else { return }
                for k in 0..<(window - 1) { base[k] = base[k + 1] }
                base[window - 1] = z
                _ = network.forward(input: base, current: z)
            }
            standardiser.update(value)
            pointsSeen += 1
        }
    }

    /// The whole model state (little-endian, versioned), to continue later with `restoreState(_:)`.
    package func saveState() throws -> [UInt8] {
        var writer = ModelStateWriter(tag: Self.stateTag, version: Self.stateVersion)
        writer.append(configuration.hiddenSize)
        writer.append(configuration.inputWindow)
        writer.append(configuration.chunkLength)
        writer.append(configuration.errorWindow)
        writer.append(network.storage)
        writer.append(network.filled)
        writer.append(network.awaitingTarget)
        writer.append(network.updates)
        standardiser.encode(into: &writer)
        errors.encode(into: &writer)
        writer.append(inputs)
        writer.append(recentErrors)
        writer.append(recentErrorHead)
        writer.append(pointsSeen)
        return writer.bytes
    }

    /// Restores state saved by a detector of the same configuration; throws
    /// `MLDetectorError.corruptState` (a `dataError`) when the bytes do not fit.
    package mutating func restoreState(_ bytes: [UInt8]) throws {
        var reader = try ModelStateReader(bytes, tag: Self.stateTag, version: Self.stateVersion, detector: Self.name)
        guard try reader.readInt() == configuration.hiddenSize, try reader.readInt() == configuration.inputWindow,
              try reader.readInt() == configuration.chunkLength, try reader.readInt() == configuration.errorWindow
        else { throw reader.failure("saved with a different hidden size, input window, chunk length or error window") }
        let storage = try reader.readFloats()
        let filled = try reader.readInt()
        let awaitingTarget = try reader.readBool()
        let updates = try reader.readInt()
        var network = self.network
        guard network.restore(storage: storage, filled: filled, awaitingTarget: awaitingTarget, updates: updates) else {
            throw reader.failure("network shape does not match")
        }
        var standardiser = StreamingStandardiser(window: configuration.normaliserWindow)
        try standardiser.decode(from: &reader)
        var errors = RollingErrorStatistics(capacity: configuration.errorWindow)
        try errors.decode(from: &reader)
        let inputs = try reader.readFloats(expected: configuration.inputWindow)
        let recentErrors = try reader.readDoubles(expected: configuration.errorSmoothing)
        let recentErrorHead = try reader.readInt()
        let pointsSeen = try reader.readInt()
        try reader.finish()
        guard (0..<configuration.errorSmoothing).contains(recentErrorHead) else { throw reader.failure("error ring out of range") }
        self.network = network
        self.standardiser = standardiser
        self.errors = errors
        self.inputs = inputs
        self.recentErrors = recentErrors
        self.recentErrorHead = recentErrorHead
        self.pointsSeen = pointsSeen
    }
}
