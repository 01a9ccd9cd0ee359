import AuroraCore
import AuroraDetection
import Foundation

/// Isolation forest and LSTM forecaster: training time, scoring throughput (one core), peak memory,
/// and a plain label-window check on the shared NAB subset.
enum MLBench {
    static func run(_ options: BenchOptions) async throws {
        let count = options.quick ? 50_000 : 400_000
        let (timestamps, values) = syntheticSeries(count: count)

        // Isolation forest: one training (grow 100 trees on 2048 rows and calibrate), best of 5.
        var trainingTimes: [Double] = []
        for _ in 0..<5 {
            var configuration = IsolationForestConfiguration()
            configuration.trainingPoints = 2048
            configuration.retrainInterval = Int.max / 2
            var detector = try IsolationForestDetector(configuration: configuration)
            let firstCount = 2048 + configuration.windowLength
            var scratch = [Double](repeating: 0, count: firstCount)
            trainingTimes.append(measureCPUSeconds {
                score(&detector, timestamps[0..<firstCount], values[0..<firstCount], into: &scratch)
            })
        }
        report("iforest training (2048 rows, featurise + grow + calibrate)",
               String(format: "%.2f ms", (trainingTimes.min() ?? 0) * 1000), target: "< 50 ms")

        // Cost of one retraining: retrain every 64 points over 20k points, minus scoring alone.
        let retrainSpan = 20_000
        var frequent = IsolationForestConfiguration()
        frequent.retrainInterval = 64
        var rare = IsolationForestConfiguration()
        rare.retrainInterval = Int.max / 2
        var spanScores = [Double](repeating: 0, count: retrainSpan)
        var frequentDetector = try IsolationForestDetector(configuration: frequent)
        var rareDetector = try IsolationForestDetector(configuration: rare)
        let frequentSeconds = measureCPUSeconds {
            score(&frequentDetector, timestamps[0..<retrainSpan], values[0..<retrainSpan], into: &spanScores)
        }
        let rareSeconds = measureCPUSeconds {
            score(&rareDetector, timestamps[0..<retrainSpan], values[0..<retrainSpan], into: &spanScores)
        }
        let retrainings = Double((retrainSpan - Int(0.15 * Double(retrainSpan))) / 64)
        report("iforest retraining (grow 100 trees on 2048 rows + calibrate)",
               String(format: "%.2f ms per model", (frequentSeconds - rareSeconds) / retrainings * 1000), target: "< 50 ms")

        var scores = [Double](repeating: 0, count: count)
        var fixed = IsolationForestConfiguration()
        fixed.retrainInterval = Int.max / 2
        var once = try IsolationForestDetector(configuration: fixed)
        let fixedSeconds = measureCPUSeconds { score(&once, timestamps[...], values[...], into: &scores) }
        report("iforest scoring, trained once", rate(Double(count) / fixedSeconds) + " points", target: "≥ 300k/s")

        var retraining = IsolationForestDetector()
        let retrainSeconds = measureCPUSeconds { score(&retraining, timestamps[...], values[...], into: &scores) }
        report("iforest scoring, retrain every 1024 (default)", rate(Double(count) / retrainSeconds) + " points",
               target: "≥ 300k/s")

        var multivariate = try MultivariateIsolationForestDetector(seriesCount: 3)
        let second = values.map { 2 * $0 + 1 }
        let third = values.map { $0 * $0 }
        let multiSeconds = try measureCPUSeconds {
            try timestamps.withUnsafeBufferPointer { t in
                try values.withUnsafeBufferPointer { a in
                    try second.withUnsafeBufferPointer { b in
                        try third.withUnsafeBufferPointer { c in
                            try scores.withUnsafeMutableBufferPointer { out in
                                try multivariate.score(timestamps: t, series: [a, b, c], into: out)
                            }
                        }
                    }
                }
            }
        }
        report("iforest multivariate (3 series), default", rate(Double(count) / multiSeconds) + " points")

        let lstmCount = options.quick ? 50_000 : 200_000
        for hidden in [16, 32] {
            var configuration = LSTMForecasterConfiguration()
            configuration.hiddenSize = hidden
            var lstm = try LSTMForecasterDetector(configuration: configuration)
            var lstmScores = [Double](repeating: 0, count: lstmCount)
            let seconds = measureCPUSeconds {
                score(&lstm, timestamps[0..<lstmCount], values[0..<lstmCount], into: &lstmScores)
            }
            report("lstm hidden \(hidden), online training", rate(Double(lstmCount) / seconds) + " points",
                   target: hidden == 32 ? "≥ 200k/s" : nil)
        }
        let state = try LSTMForecasterDetector().saveState()
        report("lstm hidden 32 saved state", "\(state.count / 1024) KiB")
        let forestState = try retraining.saveState()
        report("iforest saved state", "\(forestState.count / 1024) KiB")
        report("peak memory", String(format: "%.1f MiB", peakMemoryMiB()))

        if let shared = options.sharedDirectory {
            try NABWindowCheck.run(nab: shared.appendingPathComponent("nab"))
        } else {
            report("NAB window check", "skipped: no shared folder")
        }
    }

    /// CPU time of this thread over a block: the machine is shared, and wall time under load would
    /// measure the neighbours. One thread, so this is the one-core figure the targets mean.
    static func measureCPUSeconds(_ body: () throws -> Void) rethrows -> Double {
        var start = timespec()
        var end = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &start)
        try body()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &end)
        return Double(end.tv_sec - start.tv_sec) + Double(end.tv_nsec - start.tv_nsec) / 1e9
    }

    /// A daily-seasonal noisy series at five-minute steps with a few spikes, like a service metric.
    static func syntheticSeries(count: Int) -> ([Int64], [Double]) {
        var generator = Xoshiro256(seed: 42)
        var timestamps = [Int64](repeating: 0, count: count)
        var values = [Double](repeating: 0, count: count)
        for i in 0..<count {
            timestamps[i] = 1_700_000_000_000 + Int64(i) * 300_000
            let phase = Double(i % 288) / 288
            values[i] = 100 + 30 * sin(2 * .pi * phase) + 3 * generator.nextNormal()
            if i % 5000 == 4999 { values[i] += 60 }
        }
        return (timestamps, values)
    }

    /// Scores a slice in one block; generic so the call is specialised per detector.
    static func score<D: Detector>(
        _ detector: inout D, _ timestamps: ArraySlice<Int64>, _ values: ArraySlice<Double>, into out: inout [Double]
    ) {
        timestamps.withUnsafeBufferPointer { t in
            values.withUnsafeBufferPointer { v in
                out.withUnsafeMutableBufferPointer { o in
                    detector.score(timestamps: t, values: v, into: UnsafeMutableBufferPointer(rebasing: o[0..<v.count]))
                }
            }
        }
    }
}

// MARK: - NAB label-window check (kept in this file: the section owns one file)

/// A plain check of the ML detectors against NAB's label windows (not NAB's scorer): per detector,
/// how many windows get a verdict (score ≥ threshold) before any other, how early, and how many
/// false-alarm events fall outside the windows after the 15% probationary period.
extension MLBench {
    enum NABWindowCheck {
        /// Per-file hit and false-alarm counts, for tuning by hand (`AURORA_BENCH_VERBOSE=1`).
        static let verbose = ProcessInfo.processInfo.environment["AURORA_BENCH_VERBOSE"] != nil

        static func run(nab: URL) throws {
            let labelsURL = nab.appendingPathComponent("labels/combined_windows_dev.json")
            guard let labelData = try? Data(contentsOf: labelsURL),
                  let labels = try JSONSerialization.jsonObject(with: labelData) as? [String: [[String]]]
            else {
                report("NAB window check", "skipped: no labels")
                return
            }
            var files: [(name: String, timestamps: [Int64], values: [Double], windows: [(Int64, Int64)])] = []
            for name in labels.keys.sorted() {
                guard let text = try? String(contentsOf: nab.appendingPathComponent("data/" + name), encoding: .utf8) else { continue }
                var timestamps: [Int64] = []
                var values: [Double] = []
                for line in text.split(whereSeparator: \.isNewline).dropFirst() {
                    let parts = line.split(separator: ",")
                    guard parts.count == 2, let t = parseTimestamp(parts[0]), let v = Double(parts[1]) else { continue }
                    timestamps.append(t)
                    values.append(v)
                }
                let windows = (labels[name] ?? []).compactMap { pair -> (Int64, Int64)? in
                    guard pair.count == 2, let a = parseTimestamp(Substring(pair[0])), let b = parseTimestamp(Substring(pair[1]))
                    else { return nil }
                    return (a, b)
                }
                files.append((name, timestamps, values, windows))
            }
            let totalWindows = files.reduce(0) { $0 + $1.windows.count }
            print("  NAB window check on \(files.count) files, \(totalWindows) windows (score ≥ threshold):")
            print("    detector   windows hit   mean lead in window   false-alarm events   files with no false alarm")
            let environment = ProcessInfo.processInfo.environment
            var forest = IsolationForestConfiguration()
            if let text = environment["AURORA_BENCH_IFOREST_RETRAIN"], let value = Int(text) { forest.retrainInterval = value }
            if let text = environment["AURORA_BENCH_IFOREST_MAXTRAINING"], let value = Int(text) { forest.maximumTrainingPoints = value }
            if let text = environment["AURORA_BENCH_IFOREST_MARGIN"], let value = Double(text) { forest.outOfRangeMargin = value }
            if let text = environment["AURORA_BENCH_IFOREST_ISOLATION"], let value = Double(text) { forest.isolationMargin = value }
            var lstm = LSTMForecasterConfiguration()
            if let text = environment["AURORA_BENCH_LSTM_SMOOTHING"], let value = Int(text) { lstm.errorSmoothing = value }
            if let text = environment["AURORA_BENCH_LSTM_HIDDEN"], let value = Int(text) { lstm.hiddenSize = value }
            if let text = environment["AURORA_BENCH_LSTM_ERRORWINDOW"], let value = Int(text) { lstm.errorWindow = value }
            if let text = environment["AURORA_BENCH_LSTM_CENTRE"], let value = Double(text) { lstm.errorZCentre = value }
            if let text = environment["AURORA_BENCH_LSTM_GATE"], let value = Double(text) { lstm.errorGate = value }
            if let text = environment["AURORA_BENCH_IFOREST_THRESHOLD"], let value = Double(text) { forest.threshold = value }
            try check("iforest", files: files) { try IsolationForestDetector(configuration: forest) }
            try check("lstm", files: files) { try LSTMForecasterDetector(configuration: lstm) }
        }

        private static func check<D: Detector>(
            _ name: String, files: [(name: String, timestamps: [Int64], values: [Double], windows: [(Int64, Int64)])],
            make: () throws -> D
        ) throws {
            var threshold = 0.5
            var hits = 0
            var leadSum = 0.0
            var falseEvents = 0
            var cleanFiles = 0
            var perFile: [String] = []
            var scored: [NABApproximateScore.ScoredFile] = []
            for file in files {
                var detector = try make()
                threshold = detector.threshold
                var scores = [Double](repeating: 0, count: file.values.count)
                MLBench.score(&detector, file.timestamps[...], file.values[...], into: &scores)
                let probation = Int(0.15 * Double(file.values.count))
                scored.append(NABApproximateScore.ScoredFile(scores: scores, windows: file.windows.compactMap { window in
                    guard let first = file.timestamps.firstIndex(where: { $0 >= window.0 }),
                          let last = file.timestamps.lastIndex(where: { $0 <= window.1 }), first <= last else { return nil }
                    return first...last
                }))
                var fileHits = 0
                var fileFalse = 0
                for window in file.windows {
                    // Rows in the window, by row order (NAB aligns by row).
                    let rows = file.timestamps.indices.filter { file.timestamps[$0] >= window.0 && file.timestamps[$0] <= window.1 }
                    guard let first = rows.first, let last = rows.last else { continue }
                    if let detection = rows.first(where: { scores[$0] >= detector.threshold && $0 >= probation }) {
                        fileHits += 1
                        leadSum += 1 - Double(detection - first) / Double(max(last - first, 1))
                    }
                }
                var inAlarm = false
                for i in probation..<file.values.count {
                    let inside = file.windows.contains { file.timestamps[i] >= $0.0 && file.timestamps[i] <= $0.1 }
                    let alarm = scores[i] >= detector.threshold
                    if alarm && !inside && !inAlarm { fileFalse += 1 }
                    inAlarm = alarm
                }
                hits += fileHits
                falseEvents += fileFalse
                if fileFalse == 0 { cleanFiles += 1 }
                perFile.append("\(file.name.split(separator: "/").last ?? ""):\(fileHits)/\(file.windows.count) fp \(fileFalse)")
            }
            let total = files.reduce(0) { $0 + $1.windows.count }
            print("    " + name.padding(toLength: 10, withPad: " ", startingAt: 0)
                  + " \(hits)/\(total)".padding(toLength: 14, withPad: " ", startingAt: 0)
                  + String(format: "%.2f", hits > 0 ? leadSum / Double(hits) : 0).padding(toLength: 22, withPad: " ", startingAt: 0)
                  + "\(falseEvents)".padding(toLength: 21, withPad: " ", startingAt: 0)
                  + "\(cleanFiles)/\(files.count)")
            if verbose { print("      " + perFile.joined(separator: ", ")) }
            let results = NABApproximateScore.profiles.map { profile in
                let best = NABApproximateScore.best(scored, profile: profile)
                return String(format: "%@ %.1f (t %.2f)", profile.name, best.score, best.threshold)
            }
            print("      approximate NAB, best threshold: " + results.joined(separator: ", "))
            let atDefault = NABApproximateScore.profiles.map { profile in
                String(format: "%@ %.1f", profile.name,
                       NABApproximateScore.normalised(scored, threshold: threshold, profile: profile))
            }
            print("      approximate NAB at the default threshold \(threshold): " + atDefault.joined(separator: ", "))
        }

        /// `YYYY-MM-DD HH:MM:SS[.ffffff]` as Unix milliseconds (UTC), by hand.
        static func parseTimestamp(_ text: Substring) -> Int64? {
            let digits = Array(text.utf8)
            guard digits.count >= 19 else { return nil }
            func number(_ from: Int, _ length: Int) -> Int64 {
                var n: Int64 = 0
                for k in from..<(from + length) { n = n * 10 + Int64(digits[k] &- 48) }
                return n
            }
            let year = number(0, 4), month = number(5, 2), day = number(8, 2)
            let hour = number(11, 2), minute = number(14, 2), second = number(17, 2)
            // Days from civil (Howard Hinnant's algorithm).
            let y = month <= 2 ? year - 1 : year
            let era = (y >= 0 ? y : y - 399) / 400
            let yoe = y - era * 400
            let mp = (month + 9) % 12
            let doy = (153 * mp + 2) / 5 + day - 1
            let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
            let days = era * 146_097 + doe - 719_468
            return ((days * 24 + hour) * 60 + minute) * 60_000 + second * 1000
        }
    }
}

// MARK: - Approximate NAB score

/// An approximate NAB score for the ML section, so the ML detectors can be judged alone before the
/// real scorer is wired in: NAB's scaled sigmoid, probationary period (15%, at most 750 rows), the
/// first detection per window, false positives weighted by distance past the previous window,
/// normalisation between the null and the perfect detector, and a threshold swept over 0…1 in steps
/// of 0.01 (finer towards 1) per profile.
extension MLBench {
    enum NABApproximateScore {
        /// A NAB cost profile: weights of true positives, false positives and false negatives.
        struct Profile {
            let name: String
            let truePositive: Double
            let falsePositive: Double
            let falseNegative: Double
        }

        static let profiles = [
            Profile(name: "standard", truePositive: 1, falsePositive: 0.11, falseNegative: 1),
            Profile(name: "low FP", truePositive: 1, falsePositive: 0.22, falseNegative: 1),
            Profile(name: "low FN", truePositive: 1, falsePositive: 0.11, falseNegative: 2),
        ]

        /// One scored file: the detector's scores and the label windows as row ranges.
        struct ScoredFile {
            let scores: [Double]
            let windows: [ClosedRange<Int>]
        }

        static func scaledSigmoid(_ position: Double) -> Double {
            position > 3 ? -1 : 2 / (1 + exp(5 * position)) - 1
        }

        /// Raw NAB score of one file at one threshold.
        static func raw(_ file: ScoredFile, threshold: Double, profile: Profile) -> Double {
            let n = file.scores.count
            let probation = min(Int(0.15 * Double(n)), 750)
            var total = 0.0
            var windowIndex = 0
            var detected = false
            var previous: ClosedRange<Int>?
            for i in 0..<n {
                while windowIndex < file.windows.count, i > file.windows[windowIndex].upperBound {
                    if !detected { total -= profile.falseNegative }
                    previous = file.windows[windowIndex]
                    windowIndex += 1
                    detected = false
                }
                let alarm = file.scores[i] >= threshold && i >= probation
                if windowIndex < file.windows.count, file.windows[windowIndex].contains(i) {
                    let window = file.windows[windowIndex]
                    if alarm && !detected {
                        let position = -Double(window.upperBound - i + 1) / Double(window.count)
                        total += profile.truePositive * scaledSigmoid(position)
                        detected = true
                    }
                } else if alarm {
                    if let previous {
                        let position = Double(i - previous.upperBound) / Double(max(previous.count - 1, 1))
                        total += profile.falsePositive * scaledSigmoid(position)
                    } else {
                        total -= profile.falsePositive
                    }
                }
            }
            while windowIndex < file.windows.count {
                if !detected { total -= profile.falseNegative }
                windowIndex += 1
                detected = false
            }
            return total
        }

        /// The normalised score (0 = null detector, 100 = perfect) at a given threshold.
        static func normalised(_ files: [ScoredFile], threshold: Double, profile: Profile) -> Double {
            let windows = Double(files.reduce(0) { $0 + $1.windows.count })
            let null = -profile.falseNegative * windows
            let perfect = profile.truePositive * scaledSigmoid(-1) * windows
            let total = files.reduce(0) { $0 + raw($1, threshold: threshold, profile: profile) }
            return 100 * (total - null) / (perfect - null)
        }

        /// The normalised score (0 = null detector, 100 = perfect) at the best threshold, and that threshold.
        static func best(_ files: [ScoredFile], profile: Profile) -> (score: Double, threshold: Double) {
            let windows = Double(files.reduce(0) { $0 + $1.windows.count })
            let null = -profile.falseNegative * windows
            let perfect = profile.truePositive * scaledSigmoid(-1) * windows
            var best = (score: -Double.infinity, threshold: 1.0)
            // 0…1 by 0.01, then ever closer to 1: likelihood-style scores differ in their last digits.
            var thresholds = (0...100).map { Double($0) / 100 }
            for digits in 3...12 {
                let unit = pow(10, -Double(digits))
                for multiple in [5.0, 2.0, 1.0] { thresholds.append(1 - multiple * unit) }
            }
            for threshold in thresholds {
                let total = files.reduce(0) { $0 + raw($1, threshold: threshold, profile: profile) }
                let score = 100 * (total - null) / (perfect - null)
                if score > best.score { best = (score, threshold) }
            }
            return best
        }
    }
}
