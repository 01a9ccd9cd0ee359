import AuroraCore
import Foundation

/// The training, retraining and scoring schedule shared by the univariate and multivariate
/// isolation-forest detectors, over feature rows the detectors compute.
///
/// Causal by construction: a row is scored by a model grown only on earlier rows (the row that
/// triggers a training is scored before it). The forest itself is not saved: it is a deterministic
/// function of the training rows and the training's index, so state keeps the rows and regrows it.
struct IsolationForestEngine: Sendable {
    let configuration: IsolationForestConfiguration
    let featureStride: Int
    let seriesCount: Int

    private(set) var trainingRows: Int?
    private var reservoir: [Float]
    private var reservoirTimes: [Int64]
    private var reservoirHead = 0
    private var reservoirCount = 0
    private var snapshot: [Float] = []
    private var rowsSeen = 0
    private var trainings = 0
    private var lastTrainedAt = 0
    private(set) var seasonal: Bool?
    private var forest: IsolationForest?
    private var calibrationMedian: Float = 0.5
    private var calibrationHigh: Float = 0.6
    private var rawScores: [Float] = []
    /// Per-feature range of the training rows (phase features excluded: they have none to leave).
    private var rangeLow: [Float] = []
    private var rangeHigh: [Float] = []

    init(configuration: IsolationForestConfiguration, seriesCount: Int) {
        self.configuration = configuration
        self.seriesCount = seriesCount
        featureStride = seriesCount * WindowFeatureExtractor.featuresPerSeries + 2
        reservoir = [Float](repeating: 0, count: configuration.reservoirCapacity * featureStride)
        reservoirTimes = [Int64](repeating: 0, count: configuration.reservoirCapacity)
        trainingRows = configuration.trainingPoints
    }

    /// True once the first model has been grown.
    var isTrained: Bool { forest != nil }

    /// Fixes the training length from the first block's size when the configuration left it open.
    mutating func resolveTrainingRows(firstBlockCount: Int) {
        guard trainingRows == nil else { return }
        let fromFraction = Int(configuration.probationFraction * Double(firstBlockCount))
        trainingRows = min(max(configuration.minimumTrainingPoints, fromFraction), configuration.maximumTrainingPoints)
    }

    /// Scores the first `count` prepared rows of a block and writes each score back at the position
    /// of the point it came from: the step both forest detectors share after building their rows.
    mutating func scoreRows(
        _ rows: [Float], times: [Int64], count: Int, scratch: inout [Double], positions: [Int],
        into scores: UnsafeMutableBufferPointer<Double>
    ) {
        guard count > 0 else { return }
        rows.withUnsafeBufferPointer { rowBuffer in
            times.withUnsafeBufferPointer { timeBuffer in
                scratch.withUnsafeMutableBufferPointer { out in
                    guard let rowBase = rowBuffer.baseAddress, let timeBase = timeBuffer.baseAddress,
                          let outBase = out.baseAddress else { return }
                    process(rows: rowBase, times: timeBase, count: count, into: outBase)
                }
            }
        }
        for r in 0..<count { scores[positions[r]] = scratch[r] }
    }

    /// Scores `count` feature rows (mapped to [0, 1]; 0 before the first training), adding each to the
    /// reservoir and retraining on schedule.
    mutating func process(
        rows: UnsafePointer<Float>, times: UnsafePointer<Int64>, count: Int, into out: UnsafeMutablePointer<Double>
    ) {
        let stride = featureStride
        let trainingRows = self.trainingRows ?? max(configuration.minimumTrainingPoints, 2)
        self.trainingRows = trainingRows
        if rawScores.count < count { rawScores = [Float](repeating: 0, count: max(count, 1024)) }
        var done = 0
        while done < count {
            let nextTraining = trainings == 0 ? trainingRows : lastTrainedAt + configuration.retrainInterval
            let segment = min(count - done, max(nextTraining - rowsSeen, 1))
            let segmentRows = rows + done * stride
            if let forest {
                let median = calibrationMedian
                let spread = max(calibrationHigh - calibrationMedian, 0.02)
                let rangeWeight = 1 / configuration.outOfRangeMargin
                let forestWeight = 1 / configuration.isolationMargin
                let checked = seriesCount * WindowFeatureExtractor.featuresPerSeries
                rawScores.withUnsafeMutableBufferPointer { raw in
                    guard let rawBase = raw.baseAddress else { return }
                    forest.score(rows: segmentRows, rowCount: segment, into: rawBase)
                    for r in 0..<segment {
                        let mapped = Double(rawBase[r] - median) / Double(spread)
                        // Every split falls inside the training range, so the forest cannot rank a point
                        // far beyond it above the training extremes; the range term does.
                        let row = segmentRows + r * stride
                        var excess: Float = 0
                        for f in 0..<checked {
                            let width = max(rangeHigh[f] - rangeLow[f], 1e-6 * max(abs(rangeHigh[f]), abs(rangeLow[f]), 1e-12))
                            let outside = max(row[f] - rangeHigh[f], rangeLow[f] - row[f], 0) / width
                            excess = max(excess, outside)
                        }
                        // Strength 1 is the verdict bar (score 0.5).
                        var strength = max(mapped * forestWeight, Double(excess) * rangeWeight, 0)
                        // A value too large for Float features (beyond 3e38) compares as NaN: as far
                        // out of range as it gets.
                        if strength.isNaN || excess.isNaN { strength = .infinity }
                        out[done + r] = squaredRatioScore(strength, scale: 1)
                    }
                }
            } else {
                for r in 0..<segment { out[done + r] = 0 }
            }
            appendToReservoir(rows: segmentRows, times: times + done, count: segment)
            rowsSeen += segment
            done += segment
            if rowsSeen >= nextTraining { train() }
        }
    }

    private mutating func appendToReservoir(rows: UnsafePointer<Float>, times: UnsafePointer<Int64>, count: Int) {
        let capacity = configuration.reservoirCapacity
        let stride = featureStride
        var added = 0
        reservoir.withUnsafeMutableBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }
            for r in 0..<count {
                // A row that overflowed Float (values beyond 3e38 or their squares) is scored as far out
                // of range, but kept out of training: it would stretch the range to infinity.
                var finite = true
                for f in 0..<stride where !rows[r * stride + f].isFinite { finite = false }
                guard finite else { continue }
                (base + reservoirHead * stride).update(from: rows + r * stride, count: stride)
                reservoirTimes[reservoirHead] = times[r]
                added += 1
                reservoirHead = reservoirHead + 1 == capacity ? 0 : reservoirHead + 1
            }
        }
        reservoirCount = min(capacity, reservoirCount + added)
    }

    /// The reservoir's rows from oldest to newest.
    private func chronologicalReservoir() -> (rows: [Float], times: [Int64]) {
        let capacity = configuration.reservoirCapacity
        let start = reservoirCount < capacity ? 0 : reservoirHead
        var rows = [Float]()
        rows.reserveCapacity(reservoirCount * featureStride)
        var times = [Int64]()
        times.reserveCapacity(reservoirCount)
        for k in 0..<reservoirCount {
            let slot = (start + k) % capacity
            rows.append(contentsOf: reservoir[(slot * featureStride)..<((slot + 1) * featureStride)])
            times.append(reservoirTimes[slot])
        }
        return (rows, times)
    }

    private mutating func train() {
        let (rows, times) = chronologicalReservoir()
        snapshot = rows
        if seasonal == nil {
            switch configuration.seasonality {
            case .daily: seasonal = true
            case .none: seasonal = false
            case .auto: seasonal = Self.looksDaily(rows: rows, times: times, stride: featureStride, seriesCount: seriesCount)
            }
        }
        trainings += 1
        lastTrainedAt = rowsSeen
        grow(trainingIndex: trainings - 1)
    }

    /// Regrows the forest of training number `trainingIndex` from `snapshot`, then calibrates the
    /// mapping of raw scores on a sample of the same rows.
    private mutating func grow(trainingIndex: Int) {
        let rowCount = snapshot.count / featureStride
        guard rowCount > 0 else { return }
        var generator = Xoshiro256(seed: configuration.seed ^ (UInt64(trainingIndex) &* 0x9E37_79B9_7F4A_7C15))
        var active = [Int32]((0..<Int32(seriesCount * WindowFeatureExtractor.featuresPerSeries)))
        if seasonal == true { active += [Int32(featureStride - 2), Int32(featureStride - 1)] }
        let stride = featureStride
        let configuration = self.configuration
        let grown = snapshot.withUnsafeBufferPointer { rows in
            IsolationForest(rows: rows, rowCount: rowCount, featureStride: stride, activeFeatures: active,
                            treeCount: configuration.treeCount, subsampleSize: configuration.subsampleSize,
                            generator: &generator)
        }
        // Calibrate on a sample of training rows: the typical row maps to 0, the most isolated to 0.5.
        let sampleCount = min(rowCount, 256)
        var sample = [Float](repeating: 0, count: sampleCount * stride)
        for k in 0..<sampleCount {
            let pick = rowCount <= 256 ? k : Int(generator.next() % UInt64(rowCount))
            for f in 0..<stride { sample[k * stride + f] = snapshot[pick * stride + f] }
        }
        var scores = [Float](repeating: 0, count: sampleCount)
        sample.withUnsafeBufferPointer { rows in
            scores.withUnsafeMutableBufferPointer { out in
                guard let rowBase = rows.baseAddress, let outBase = out.baseAddress else { return }
                grown.score(rows: rowBase, rowCount: sampleCount, into: outBase)
            }
        }
        scores.sort()
        rangeLow = [Float](repeating: .infinity, count: stride)
        rangeHigh = [Float](repeating: -.infinity, count: stride)
        for r in 0..<rowCount {
            for f in 0..<stride {
                rangeLow[f] = min(rangeLow[f], snapshot[r * stride + f])
                rangeHigh[f] = max(rangeHigh[f], snapshot[r * stride + f])
            }
        }
        calibrationMedian = scores[sampleCount / 2]
        calibrationHigh = scores[sampleCount - 1]
        forest = grown
    }

    /// Daily seasonality test: at least two days of points whose values correlate at a one-day lag.
    static func looksDaily(rows: [Float], times: [Int64], stride: Int, seriesCount: Int) -> Bool {
        let n = times.count
        guard n >= 8 else { return false }
        var steps = [Int64]()
        steps.reserveCapacity(n - 1)
        for k in 1..<n where times[k] > times[k - 1] { steps.append(times[k] - times[k - 1]) }
        guard !steps.isEmpty else { return false }
        steps.sort()
        let step = steps[steps.count / 2]
        let lag = Int((86_400_000 + step / 2) / step)
        guard lag >= 2, n >= 2 * lag else { return false }
        var best = -1.0
        for series in 0..<seriesCount {
            let offset = series * WindowFeatureExtractor.featuresPerSeries
            var mean = 0.0
            for k in 0..<n { mean += Double(rows[k * stride + offset]) }
            mean /= Double(n)
            var numerator = 0.0
            var denominator = 0.0
            for k in 0..<n {
                let d = Double(rows[k * stride + offset]) - mean
                denominator += d * d
                if k + lag < n { numerator += d * (Double(rows[(k + lag) * stride + offset]) - mean) }
            }
            if denominator > 0 { best = max(best, numerator / denominator) }
        }
        return best >= 0.5
    }

    func encode(into writer: inout ModelStateWriter) {
        writer.append(trainingRows ?? -1)
        writer.append(reservoir)
        writer.append(reservoirTimes)
        writer.append(reservoirHead)
        writer.append(reservoirCount)
        writer.append(snapshot)
        writer.append(rowsSeen)
        writer.append(trainings)
        writer.append(lastTrainedAt)
        writer.append(seasonal.map { $0 ? 1 : 0 } ?? -1)
    }

    mutating func decode(from reader: inout ModelStateReader) throws {
        let capacity = configuration.reservoirCapacity
        let training = try reader.readInt()
        trainingRows = training < 0 ? nil : training
        reservoir = try reader.readFloats(expected: capacity * featureStride)
        reservoirTimes = try reader.readInt64s(expected: capacity)
        reservoirHead = try reader.readInt()
        reservoirCount = try reader.readInt()
        snapshot = try reader.readFloats()
        rowsSeen = try reader.readInt()
        trainings = try reader.readInt()
        lastTrainedAt = try reader.readInt()
        let season = try reader.readInt()
        seasonal = season < 0 ? nil : season == 1
        guard (0..<capacity).contains(reservoirHead), (0...capacity).contains(reservoirCount),
              snapshot.count % featureStride == 0, rowsSeen >= 0, trainings >= 0,
              (0...rowsSeen).contains(lastTrainedAt)
        else { throw reader.failure("reservoir bookkeeping out of range") }
        forest = nil
        if trainings > 0 { grow(trainingIndex: trainings - 1) }
    }
}
