import Foundation

/// An approximate NAB score for the ML section, so the ML detectors can be judged alone before the
/// real scorer is wired in: NAB's scaled sigmoid, probationary period (15%, at most 750 rows), the
/// first detection per window, false positives weighted by distance past the previous window,
/// normalisation between the null and the perfect detector, and a threshold swept over 0…1 in steps
/// of 0.01 (finer towards 1) per profile.
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
