import Foundation

/// One data file to score: its timestamps and anomaly scores row by row, in file order (never
/// sorted: NAB aligns scores with data by row), and its labelled windows.
package struct NABFile: Sendable {
    /// The file's relative path, for reports.
    package var name: String
    /// Row timestamps, Unix milliseconds, in file order.
    package var timestamps: [Int64]
    /// One anomaly score per row.
    package var scores: [Double]
    /// Labelled windows, sorted by start.
    package var windows: [NABWindow]

    /// A file; `timestamps` and `scores` must have the same count.
    package init(name: String, timestamps: [Int64], scores: [Double], windows: [NABWindow]) {
        self.name = name
        self.timestamps = timestamps
        self.scores = scores
        self.windows = windows
    }
}

/// The result of scoring a corpus under one profile.
package struct NABResult: Sendable, Equatable {
    /// The profile.
    package var profile: NABProfile
    /// The corpus-wide threshold that maximised the score (1.1 when no detection pays off).
    package var threshold: Double
    /// The raw score at that threshold.
    package var rawScore: Double
    /// Raw score of the null detector (never fires).
    package var nullScore: Double
    /// Raw score of the perfect detector (`tpWeight` × windows).
    package var perfectScore: Double
    /// `100 × (raw − null) / (perfect − null)`.
    package var normalizedScore: Double
    /// Row counts at the chosen threshold, outside the probationary period.
    package var truePositives: Int
    /// Detected rows outside windows.
    package var falsePositives: Int
    /// Undetected rows inside windows.
    package var falseNegatives: Int
    /// Undetected rows outside windows.
    package var trueNegatives: Int
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
package enum NABScorer {
    /// NAB's probationary share of each file.
    package static let probationPercent = 0.15

    /// `2·sigmoid(−5x) − 1`, −1 from three window lengths past a window.
    package static func scaledSigmoid(_ relativePosition: Double) -> Double {
        if relativePosition >= 3 { return -1 }
        return 2 / (1 + exp(5 * relativePosition)) - 1
    }

    /// The probationary length NAB uses for a file of `rows` rows.
    package static func probationaryLength(rows: Int) -> Double {
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
    package static func score(_ files: [NABFile], profile: NABProfile) -> NABResult {
        let prepared = prepare(files, profile: profile)
        let best = sweep(prepared.rows, windowWeights: prepared.windowWeights, profile: profile)
        return result(prepared, profile: profile, threshold: best.threshold)
    }

    /// Scores a corpus under one profile at a threshold chosen elsewhere (a row is detected when its
    /// score is at least `threshold`): how a threshold picked on other data does on this data.
    package static func score(_ files: [NABFile], profile: NABProfile, threshold: Double) -> NABResult {
        result(prepare(files, profile: profile), profile: profile, threshold: threshold)
    }

    /// The sweep rows of a corpus and the weight of each window (0 for a window wholly probationary,
    /// which NAB never counts).
    struct PreparedCorpus {
        var rows: [SweepRow]
        var windowWeights: [Double]
        var labelledWindows: Int
    }

    static func prepare(_ files: [NABFile], profile: NABProfile, windowBase: Int = 0) -> PreparedCorpus {
        var rows: [SweepRow] = []
        var windowsSeen = Set<Int>()
        var base = windowBase
        var labelledWindows = 0
        for file in files {
            rows += sweepRows(file, profile: profile, windowBase: base, windowsSeen: &windowsSeen)
            base += file.windows.count
            labelledWindows += file.windows.count
        }
        var weights = [Double](repeating: 0, count: base - windowBase)
        for id in windowsSeen { weights[id - windowBase] = 1 }
        return PreparedCorpus(rows: rows, windowWeights: weights, labelledWindows: labelledWindows)
    }

    /// NAB's sweep from the highest anomaly score down: the threshold with the best total. Window
    /// ids in `rows` index `windowWeights`.
    static func sweep(_ rows: [SweepRow], windowWeights: [Double], profile: NABProfile) -> (threshold: Double, score: Double) {
        // Stable sort, highest anomaly score first, as Python's `sorted(..., reverse=True)`.
        let order = rows.indices.sorted { rows[$0].anomalyScore > rows[$1].anomalyScore || (rows[$0].anomalyScore == rows[$1].anomalyScore && $0 < $1) }
        var windowPart = windowWeights.map { -profile.falseNegativeWeight * $0 }
        var windowSum = windowPart.reduce(0, +)
        var falsePositiveSum = 0.0
        var best = (threshold: 1.1, score: windowSum)
        var currentThreshold = 1.1
        for position in order.indices {
            let row = rows[order[position]]
            if row.anomalyScore != currentThreshold {
                let total = windowSum + falsePositiveSum
                if total > best.score { best = (currentThreshold, total) }
                currentThreshold = row.anomalyScore
            }
            if row.window >= 0 {
                let improved = max(windowPart[row.window], row.sweepScore)
                windowSum += improved - windowPart[row.window]
                windowPart[row.window] = improved
            } else {
                falsePositiveSum += row.sweepScore
            }
        }
        let total = windowSum + falsePositiveSum
        if !order.isEmpty, total > best.score { best = (currentThreshold, total) }
        return best
    }

    /// The corpus's result at one threshold.
    static func result(_ prepared: PreparedCorpus, profile: NABProfile, threshold: Double) -> NABResult {
        var windowPart = prepared.windowWeights.map { -profile.falseNegativeWeight * $0 }
        var falsePositiveSum = 0.0
        var truePositives = 0, falsePositives = 0, falseNegatives = 0, trueNegatives = 0
        for row in prepared.rows {
            let detected = row.anomalyScore >= threshold
            switch (row.window >= 0, detected) {
            case (true, true):
                truePositives += 1
                windowPart[row.window] = max(windowPart[row.window], row.sweepScore)
            case (true, false): falseNegatives += 1
            case (false, true):
                falsePositives += 1
                falsePositiveSum += row.sweepScore
            case (false, false): trueNegatives += 1
            }
        }
        let nullScore = -profile.falseNegativeWeight * prepared.windowWeights.reduce(0, +)
        let raw = windowPart.reduce(0, +) + falsePositiveSum
        let perfect = profile.truePositiveWeight * Double(prepared.labelledWindows)
        let normalized = perfect - nullScore == 0 ? 0 : 100 * (raw - nullScore) / (perfect - nullScore)
        return NABResult(
            profile: profile, threshold: threshold, rawScore: raw, nullScore: nullScore, perfectScore: perfect,
            normalizedScore: normalized, truePositives: truePositives, falsePositives: falsePositives,
            falseNegatives: falseNegatives, trueNegatives: trueNegatives
        )
    }
}
