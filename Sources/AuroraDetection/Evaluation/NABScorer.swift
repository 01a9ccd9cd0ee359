import Foundation

/// One data file to score: its timestamps and anomaly scores row by row, in file order (never
/// sorted: NAB aligns scores with data by row), and its labelled windows.
public struct NABFile: Sendable {
    /// The file's relative path, for reports.
    public var name: String
    /// Row timestamps, Unix milliseconds, in file order.
    public var timestamps: [Int64]
    /// One anomaly score per row.
    public var scores: [Double]
    /// Labelled windows, sorted by start.
    public var windows: [NABWindow]

    /// A file; `timestamps` and `scores` must have the same count.
    public init(name: String, timestamps: [Int64], scores: [Double], windows: [NABWindow]) {
        self.name = name
        self.timestamps = timestamps
        self.scores = scores
        self.windows = windows
    }
}

/// The result of scoring a corpus under one profile.
public struct NABResult: Sendable, Equatable {
    /// The profile.
    public var profile: NABProfile
    /// The corpus-wide threshold that maximised the score (1.1 when no detection pays off).
    public var threshold: Double
    /// The raw score at that threshold.
    public var rawScore: Double
    /// Raw score of the null detector (never fires).
    public var nullScore: Double
    /// Raw score of the perfect detector (`tpWeight` × windows).
    public var perfectScore: Double
    /// `100 × (raw − null) / (perfect − null)`.
    public var normalizedScore: Double
    /// Row counts at the chosen threshold, outside the probationary period.
    public var truePositives: Int
    /// Detected rows outside windows.
    public var falsePositives: Int
    /// Undetected rows inside windows.
    public var falseNegatives: Int
    /// Undetected rows outside windows.
    public var trueNegatives: Int
}

/// NAB v1.1's scoring, reproduced step for step from `nab/sweeper.py` and `nab/runner.py`.
///
/// Every row gets a "sweep score": inside a window, the scaled sigmoid of its position (earliest is
/// worth most) times `tpWeight / sigmoid(-1)`; outside, the scaled sigmoid of its distance past the
/// preceding window times `fpWeight` (−fpWeight before any window). Rows in the probationary period
/// (the first `min(floor(0.15 n), 750)`) are dropped. Rows of the whole corpus are then sorted by
/// anomaly score and swept from the top: each window counts −fnWeight until its best detected row
/// replaces that, each false positive adds its (negative) sweep score. The best corpus score over
/// all thresholds is normalised between the null and the perfect detector.
public enum NABScorer {
    /// NAB's probationary share of each file.
    public static let probationPercent = 0.15

    /// `2·sigmoid(−5x) − 1`, −1 from three window lengths past a window.
    public static func scaledSigmoid(_ relativePosition: Double) -> Double {
        if relativePosition >= 3 { return -1 }
        return 2 / (1 + exp(5 * relativePosition)) - 1
    }

    /// The probationary length NAB uses for a file of `rows` rows.
    public static func probationaryLength(rows: Int) -> Double {
        min((probationPercent * Double(rows)).rounded(.down), probationPercent * 5000)
    }

    /// A scorable row: its anomaly score, sweep score and window (−1 outside every window).
    struct SweepRow {
        var anomalyScore: Double
        var sweepScore: Double
        var window: Int
    }

    /// The sweep rows of one file, as `Sweeper.calcSweepScore` computes them, without probationary rows.
    /// `windowBase` numbers this file's windows after those of earlier files.
    static func sweepRows(_ file: NABFile, profile: NABProfile, windowBase: Int, windowsSeen: inout Set<Int>) -> [SweepRow] {
        let timestamps = file.timestamps
        var pending = file.windows[...]
        let maxTP = scaledSigmoid(-1)
        let probation = probationaryLength(rows: timestamps.count)
        var rows: [SweepRow] = []
        rows.reserveCapacity(timestamps.count)
        var current: (end: Int64, rightIndex: Int, width: Double, id: Int)?
        var previous: (rightIndex: Int, width: Double)?
        var windowCounter = 0
        for (index, timestamp) in timestamps.enumerated() {
            // Python's `timestamps.index(...)`: the first row with that timestamp, wherever it is.
            if let next = pending.first, timestamp == next.start {
                pending.removeFirst()
                let right = timestamps.firstIndex(of: next.end) ?? -1
                let left = timestamps.firstIndex(of: next.start) ?? index
                current = (next.end, right, Double(right - left + 1), windowBase + windowCounter)
                windowCounter += 1
            }
            let sweep: Double
            if let window = current {
                let position = -Double(window.rightIndex - index + 1) / window.width
                sweep = scaledSigmoid(position) * profile.truePositiveWeight / maxTP
            } else if let previous {
                let position = Double(Swift.abs(previous.rightIndex - index)) / (previous.width - 1)
                sweep = scaledSigmoid(position) * profile.falsePositiveWeight
            } else {
                sweep = scaledSigmoid(3) * profile.falsePositiveWeight
            }
            if Double(index) >= probation {
                let score = index < file.scores.count ? file.scores[index] : 0
                rows.append(SweepRow(anomalyScore: score.isNaN ? 0 : score, sweepScore: sweep, window: current?.id ?? -1))
                if let id = current?.id { windowsSeen.insert(id) }
            }
            if let window = current, timestamp == window.end {
                previous = (window.rightIndex, window.width)
                current = nil
            }
        }
        return rows
    }

    /// Scores a corpus under one profile with NAB's corpus-wide threshold optimisation.
    public static func score(_ files: [NABFile], profile: NABProfile) -> NABResult {
        var rows: [SweepRow] = []
        var windowsSeen = Set<Int>()
        var windowBase = 0
        var labelledWindows = 0
        for file in files {
            rows += sweepRows(file, profile: profile, windowBase: windowBase, windowsSeen: &windowsSeen)
            windowBase += file.windows.count
            labelledWindows += file.windows.count
        }
        // Stable sort, highest anomaly score first, as Python's `sorted(..., reverse=True)`.
        let order = rows.indices.sorted { rows[$0].anomalyScore > rows[$1].anomalyScore || (rows[$0].anomalyScore == rows[$1].anomalyScore && $0 < $1) }
        var windowPart = [Double](repeating: 0, count: windowBase)
        for id in windowsSeen { windowPart[id] = -profile.falseNegativeWeight }
        let nullScore = -profile.falseNegativeWeight * Double(windowsSeen.count)
        var windowSum = nullScore
        var falsePositiveSum = 0.0
        var truePositives = 0
        var falsePositives = 0
        let windowRows = rows.reduce(0) { $0 + ($1.window >= 0 ? 1 : 0) }
        var best = (threshold: 1.1, score: nullScore, tp: 0, fp: 0)
        var currentThreshold = 1.1
        for position in order.indices {
            let row = rows[order[position]]
            if row.anomalyScore != currentThreshold {
                let total = windowSum + falsePositiveSum
                if total > best.score { best = (currentThreshold, total, truePositives, falsePositives) }
                currentThreshold = row.anomalyScore
            }
            if row.window >= 0 {
                truePositives += 1
                let improved = max(windowPart[row.window], row.sweepScore)
                windowSum += improved - windowPart[row.window]
                windowPart[row.window] = improved
            } else {
                falsePositives += 1
                falsePositiveSum += row.sweepScore
            }
        }
        let total = windowSum + falsePositiveSum
        if !order.isEmpty, total > best.score { best = (currentThreshold, total, truePositives, falsePositives) }
        let perfect = profile.truePositiveWeight * Double(labelledWindows)
        let normalized = perfect - nullScore == 0 ? 0 : 100 * (best.score - nullScore) / (perfect - nullScore)
        return NABResult(
            profile: profile, threshold: best.threshold, rawScore: best.score, nullScore: nullScore, perfectScore: perfect,
            normalizedScore: normalized, truePositives: best.tp, falsePositives: best.fp,
            falseNegatives: windowRows - best.tp, trueNegatives: rows.count - windowRows - best.fp
        )
    }
}
