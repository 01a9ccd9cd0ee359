import AuroraCore

/// Isolation forest over several series of one service aligned by timestamp, giving one score stream.
///
/// A row joins the window features of every series (and the time of day when seasonal), so the forest
/// flags combinations that are rare together, such as traffic normal but latency high, even when each
/// series alone looks ordinary. The caller aligns the series (same timestamps, same order); a point
/// where any series is missing scores 0 and leaves the state untouched. Training, retraining, the
/// score mapping and the threshold are as in `IsolationForestDetector`.
package struct MultivariateIsolationForestDetector: Sendable {
    /// The name used in output.
    package static let name = "iforest-multi"
    private static let stateTag: UInt32 = 0x4946_4D56 // "IFMV"
    private static let stateVersion: UInt16 = 1

    /// The parameters this detector runs with.
    package let configuration: IsolationForestConfiguration
    /// How many series every call must pass.
    package let seriesCount: Int
    private var extractors: [WindowFeatureExtractor]
    private var engine: IsolationForestEngine
    private var rows: [Float] = []
    private var rowTimes: [Int64] = []
    private var rowScores: [Double] = []
    private var rowPositions: [Int] = []

    /// The verdict threshold on the score (default 0.5).
    package var threshold: Double { configuration.threshold }

    /// A detector for `seriesCount` aligned series (at least 1).
    package init(seriesCount: Int, configuration: IsolationForestConfiguration = IsolationForestConfiguration()) throws {
        try configuration.validate(detector: Self.name)
        guard (1...256).contains(seriesCount) else {
            throw MLDetectorError.invalidConfiguration(detector: Self.name, reason: "seriesCount must be 1…256, got \(seriesCount)")
        }
        self.configuration = configuration
        self.seriesCount = seriesCount
        extractors = Array(repeating: WindowFeatureExtractor(windowLength: configuration.windowLength), count: seriesCount)
        engine = IsolationForestEngine(configuration: configuration, seriesCount: seriesCount)
    }

    /// True once the first forest has been grown.
    package var isTrained: Bool { engine.isTrained }

    /// Scores aligned points: `series[s][i]` is series `s` at `timestamps[i]`. Throws
    /// `MLDetectorError.misalignedSeries` (a `dataError`) when the number of series or their lengths
    /// do not match.
    package mutating func score(
        timestamps: UnsafeBufferPointer<Int64>, series: [UnsafeBufferPointer<Double>],
        into scores: UnsafeMutableBufferPointer<Double>
    ) throws {
        guard series.count == seriesCount else {
            throw MLDetectorError.misalignedSeries(reason: "expected \(seriesCount) series, got \(series.count)")
        }
        let count = timestamps.count
        for (index, column) in series.enumerated() where column.count != count {
            throw MLDetectorError.misalignedSeries(
                reason: "series \(index + 1) has \(column.count) points for \(count) timestamps")
        }
        guard scores.count == count else {
            throw MLDetectorError.misalignedSeries(reason: "\(scores.count) score slots for \(count) points")
        }
        guard count > 0 else { return }
        engine.resolveTrainingRows(firstBlockCount: count)
        let stride = engine.featureStride
        let perSeries = WindowFeatureExtractor.featuresPerSeries
        let chunk = IsolationForestDetector.chunkSize
        if rows.count < chunk * stride {
            rows = [Float](repeating: 0, count: chunk * stride)
            rowTimes = [Int64](repeating: 0, count: chunk)
            rowScores = [Double](repeating: 0, count: chunk)
            rowPositions = [Int](repeating: 0, count: chunk)
        }
        var start = 0
        while start < count {
            let end = min(count, start + chunk)
            var ready = 0
            rows.withUnsafeMutableBufferPointer { rowBuffer in
                guard let rowBase = rowBuffer.baseAddress else { return }
                for i in start..<end {
                    scores[i] = 0
                    var complete = true
                    for column in series where !column[i].isFinite { complete = false }
                    guard complete else { continue }
                    let row = rowBase + ready * stride
                    let wasReady = extractors[0].isReady
                    for s in 0..<seriesCount { extractors[s].consume(series[s][i], into: row + s * perSeries) }
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

    /// The model state (feature windows, reservoir, training rows), to continue later.
    package func saveState() throws -> [UInt8] {
        var writer = ModelStateWriter(tag: Self.stateTag, version: Self.stateVersion)
        writer.append(seriesCount)
        writer.append(configuration.windowLength)
        writer.append(configuration.reservoirCapacity)
        for extractor in extractors { extractor.encode(into: &writer) }
        engine.encode(into: &writer)
        return writer.bytes
    }

    /// Restores state written by `saveState()` of a detector with the same series count and parameters.
    package mutating func restoreState(_ bytes: [UInt8]) throws {
        var reader = try ModelStateReader(bytes, tag: Self.stateTag, version: Self.stateVersion, detector: Self.name)
        guard try reader.readInt() == seriesCount, try reader.readInt() == configuration.windowLength,
              try reader.readInt() == configuration.reservoirCapacity
        else { throw reader.failure("saved with a different series count, window length or reservoir size") }
        var extractors = self.extractors
        for s in 0..<seriesCount {
            extractors[s] = WindowFeatureExtractor(windowLength: configuration.windowLength)
            try extractors[s].decode(from: &reader)
        }
        var engine = IsolationForestEngine(configuration: configuration, seriesCount: seriesCount)
        try engine.decode(from: &reader)
        try reader.finish()
        self.extractors = extractors
        self.engine = engine
    }
}
