import AuroraCore
import Foundation

/// Isolation-forest anomaly detector for one series, registered as `iforest`.
///
/// Each point becomes a row of window features (value, first difference, rolling mean, rolling
/// deviation, distance from the mean, and the time of day when the series is daily-seasonal). The
/// forest is grown on the first `trainingPoints` rows (scores are 0 until then) and regrown every
/// `retrainInterval` points on the most recent `reservoirCapacity` rows, so it follows slow change.
/// The paper's score `2^(-E(h)/c(ψ))` is calibrated against the training rows (how far above the
/// typical training row, in units of the most isolated one) and combined with how far the row lies
/// beyond the training range, which the forest alone cannot rank; see `IsolationForestConfiguration`.
/// Missing values (NaN, infinities) score 0 and leave the state untouched.
package struct IsolationForestDetector: Detector {
    /// The command-line name.
    package static let name = "iforest"
    /// Rows featurised and scored together; bounds scratch memory whatever the block size.
    static let chunkSize = 4096
    private static let stateTag: UInt32 = 0x4946_5354 // "IFST"
    private static let stateVersion: UInt16 = 1

    /// The parameters this detector runs with.
    package let configuration: IsolationForestConfiguration
    private var extractor: WindowFeatureExtractor
    private var engine: IsolationForestEngine
    private var rows: [Float] = []
    private var rowTimes: [Int64] = []
    private var rowScores: [Double] = []
    private var rowPositions: [Int] = []

    /// The verdict threshold on the score (default 0.5).
    package var threshold: Double { configuration.threshold }

    /// A detector with the default parameters (100 trees, subsample 256, window 16, 15% training).
    package init() {
        self.init(validated: IsolationForestConfiguration())
    }

    /// A detector with the given parameters; throws `MLDetectorError.invalidConfiguration` when one is out
    /// of range.
    package init(configuration: IsolationForestConfiguration) throws {
        try configuration.validate(detector: Self.name)
        self.init(validated: configuration)
    }

    private init(validated configuration: IsolationForestConfiguration) {
        self.configuration = configuration
        extractor = WindowFeatureExtractor(windowLength: configuration.windowLength)
        engine = IsolationForestEngine(configuration: configuration, seriesCount: 1)
    }

    /// True once the first forest has been grown (scores before that are 0).
    package var isTrained: Bool { engine.isTrained }

    /// Whether the time-of-day features are in use; nil until the first training decides.
    package var usesTimeOfDay: Bool? { engine.seasonal }

    /// Scores a block of points in order, continuing from the state left by earlier blocks.
    package mutating func score(
        timestamps: UnsafeBufferPointer<Int64>, values: UnsafeBufferPointer<Double>,
        into scores: UnsafeMutableBufferPointer<Double>
    ) {
        let count = min(timestamps.count, values.count, scores.count)
        guard count > 0 else { return }
        engine.resolveTrainingRows(firstBlockCount: count)
        let stride = engine.featureStride
        if rows.count < Self.chunkSize * stride {
            rows = [Float](repeating: 0, count: Self.chunkSize * stride)
            rowTimes = [Int64](repeating: 0, count: Self.chunkSize)
            rowScores = [Double](repeating: 0, count: Self.chunkSize)
            rowPositions = [Int](repeating: 0, count: Self.chunkSize)
        }
        var start = 0
        while start < count {
            let end = min(count, start + Self.chunkSize)
            var ready = 0
            rows.withUnsafeMutableBufferPointer { rowBuffer in
                guard let rowBase = rowBuffer.baseAddress else { return }
                for i in start..<end {
                    scores[i] = 0
                    let value = values[i]
                    guard value.isFinite else { continue }
                    let row = rowBase + ready * stride
                    let wasReady = extractor.isReady
                    extractor.consume(value, into: row)
                    guard wasReady else { continue }
                    writeTimeOfDay(timestamps[i], into: row + stride - 2)
                    rowTimes[ready] = timestamps[i]
                    rowPositions[ready] = i
                    ready += 1
                }
            }
            engine.scoreRows(rows, times: rowTimes, count: ready, scratch: &rowScores, positions: rowPositions, into: scores)
            start = end
        }
    }

    /// The whole model state (little-endian, versioned), to continue later with `restoreState(_:)`.
    package func saveState() throws -> [UInt8] {
        var writer = ModelStateWriter(tag: Self.stateTag, version: Self.stateVersion)
        writer.append(configuration.windowLength)
        writer.append(configuration.reservoirCapacity)
        extractor.encode(into: &writer)
        engine.encode(into: &writer)
        return writer.bytes
    }

    /// Restores state saved by a detector of the same configuration; throws
    /// `MLDetectorError.corruptState` (a `dataError`) when the bytes do not fit.
    package mutating func restoreState(_ bytes: [UInt8]) throws {
        var reader = try ModelStateReader(bytes, tag: Self.stateTag, version: Self.stateVersion, detector: Self.name)
        guard try reader.readInt() == configuration.windowLength,
              try reader.readInt() == configuration.reservoirCapacity
        else { throw reader.failure("saved with a different window length or reservoir size") }
        var extractor = WindowFeatureExtractor(windowLength: configuration.windowLength)
        try extractor.decode(from: &reader)
        var engine = IsolationForestEngine(configuration: configuration, seriesCount: 1)
        try engine.decode(from: &reader)
        try reader.finish()
        self.extractor = extractor
        self.engine = engine
    }
}

/// Writes the time of day as a point on the unit circle, so 23:59 and 00:00 are neighbours.
@inline(__always)
func writeTimeOfDay(_ timestamp: Int64, into pair: UnsafeMutablePointer<Float>) {
    let day: Int64 = 86_400_000
    let millisecond = ((timestamp % day) + day) % day
    let angle = 2 * Double.pi * Double(millisecond) / Double(day)
    pair[0] = Float(sin(angle))
    pair[1] = Float(cos(angle))
}
