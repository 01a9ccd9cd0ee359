import AuroraCore

/// Lagged cross-correlation: does a candidate series move with (and ahead of) the symptom series?
package struct LaggedCorrelation: Sendable, Equatable {
    /// Steps by which the candidate leads the symptom (0 = together).
    package var lag: Int
    /// Pearson correlation at that lag, in [−1, 1].
    package var coefficient: Double

    /// The strongest correlation of `candidate[t]` with `symptom[t + lag]` for lag 0…`maxLag`,
    /// both read on the symptom's timestamps in [from, to]. Nil when fewer than 8 common points.
    package static func best(candidate: Series, symptom: Series, from: Int64, to: Int64, maxLag: Int) -> LaggedCorrelation? {
        let start = ChangeScanner.lowerBound(symptom.timestamps, from)
        let end = ChangeScanner.lowerBound(symptom.timestamps, to &+ 1)
        guard end - start >= 8 else { return nil }
        var target = [Double](), source = [Double]()
        target.reserveCapacity(end - start)
        source.reserveCapacity(end - start)
        // Candidate value at or before each symptom timestamp (last observation carried forward).
        var cursor = ChangeScanner.lowerBound(candidate.timestamps, symptom.timestamps[start])
        for index in start..<end {
            let time = symptom.timestamps[index]
            while cursor < candidate.timestamps.count, candidate.timestamps[cursor] <= time { cursor += 1 }
            let value = cursor > 0 ? candidate.values[cursor - 1] : .nan
            target.append(symptom.values[index])
            source.append(value)
        }
        var best: LaggedCorrelation?
        for lag in 0...max(0, min(maxLag, target.count - 8)) {
            let r = pearson(source, target, lag: lag)
            guard r.isFinite else { continue }
            if best == nil || abs(r) > abs(best?.coefficient ?? 0) { best = LaggedCorrelation(lag: lag, coefficient: r) }
        }
        return best
    }

    static func pearson(_ x: [Double], _ y: [Double], lag: Int) -> Double {
        var n = 0.0, sx = 0.0, sy = 0.0, sxx = 0.0, syy = 0.0, sxy = 0.0
        for index in 0..<(x.count - lag) {
            let a = x[index], b = y[index + lag]
            guard a.isFinite, b.isFinite else { continue }
            n += 1; sx += a; sy += b; sxx += a * a; syy += b * b; sxy += a * b
        }
        guard n >= 8 else { return .nan }
        let cov = sxy - sx * sy / n
        let vx = sxx - sx * sx / n, vy = syy - sy * sy / n
        guard vx > 0, vy > 0 else { return .nan }
        return cov / (vx * vy).squareRoot()
    }
}
