import AuroraDetection
import Foundation

/// A plain check of the ML detectors against NAB's label windows (not NAB's scorer): per detector,
/// how many windows get a verdict (score ≥ threshold) before any other, how early, and how many
/// false-alarm events fall outside the windows after the 15% probationary period.
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
