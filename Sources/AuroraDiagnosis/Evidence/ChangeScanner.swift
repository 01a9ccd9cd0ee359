import AuroraCore

/// Computes `SeriesChange` for many series: the magnitude, direction and onset of each one's change.
package struct ChangeScanner: Sendable, Equatable {
    /// z-score at which a point counts as deviating, for onsets.
    package var onsetThreshold: Double
    /// Most history points used per series (the latest ones).
    package var maxHistoryPoints: Int
    /// Share of the window's points that must reach the sustained magnitude (0.1 = a tenth).
    package var sustainedShare: Double
    /// Fewest finite history points a series needs. A short history (the recording began just before
    /// the incident) still yields a change; the confidence reads `historyPoints` and stays lower.
    package var minimumHistoryPoints: Int
    /// The smallest spread a history may have.
    package var floor: SpreadFloor

    /// Creates the value from its parts.
    package init(onsetThreshold: Double = 3, maxHistoryPoints: Int = 2_000, sustainedShare: Double = 0.125,
                minimumHistoryPoints: Int = 2, floor: SpreadFloor = SpreadFloor()) {
        self.floor = floor
        self.onsetThreshold = onsetThreshold
        self.maxHistoryPoints = max(8, maxHistoryPoints)
        self.sustainedShare = min(max(sustainedShare, 0.01), 1)
        self.minimumHistoryPoints = max(1, minimumHistoryPoints)
    }

    /// Changes of every series with at least `minimumHistoryPoints` history points and 1 window point, in input order.
    package func scan(_ series: [Series], window: IncidentWindow) -> [SeriesChange] {
        var scratch = [Double]()
        var changes: [SeriesChange] = []
        changes.reserveCapacity(series.count)
        for item in series {
            if let change = scan(item, window: window, scratch: &scratch) { changes.append(change) }
        }
        return changes
    }

    /// The change of one series, or nil when it lacks history or window points.
    func scan(_ series: Series, window: IncidentWindow, scratch: inout [Double]) -> SeriesChange? {
        let timestamps = series.timestamps
        let historyStart = window.start - window.history
        let first = Self.lowerBound(timestamps, historyStart)
        let windowFirst = Self.lowerBound(timestamps, window.start)
        let windowEnd = Self.lowerBound(timestamps, window.end &+ 1)
        let from = max(first, windowFirst - maxHistoryPoints)
        let historyCount = windowFirst - from
        let windowCount = windowEnd - windowFirst
        guard historyCount >= minimumHistoryPoints, windowCount >= 1 else { return nil }
        return series.values.withUnsafeBufferPointer { values -> SeriesChange? in
            // History statistics on finite values only.
            scratch.removeAll(keepingCapacity: true)
            for index in from..<windowFirst where values[index].isFinite { scratch.append(values[index]) }
            guard scratch.count >= minimumHistoryPoints else { return nil }
            let identity = SeriesIdentity(series.key)
            let (median, scale) = scratch.withUnsafeMutableBufferPointer { buffer -> (Double, Double) in
                var sum = 0.0, sumSquares = 0.0
                for value in buffer { sum += value; sumSquares += value * value }
                let mean = sum / Double(buffer.count)
                let std = max(sumSquares / Double(buffer.count) - mean * mean, 0).squareRoot()
                buffer.sort()
                let median = Self.sortedQuantile(buffer, 0.5)
                let iqr = Self.sortedQuantile(buffer, 0.75) - Self.sortedQuantile(buffer, 0.25)
                let least = floor.floor(for: identity, median: median, resolution: SpreadFloor.resolution(sorted: buffer))
                return (median, max(iqr / 1.349, 0.25 * std, least))
            }
            // Window z-scores.
            scratch.removeAll(keepingCapacity: true)
            var peak = 0.0
            var onset: Int64?
            var positives = 0, negatives = 0
            for index in windowFirst..<windowEnd where values[index].isFinite {
                let z = (values[index] - median) / scale
                scratch.append(z)
                if abs(z) > peak { peak = abs(z) }
                if z >= onsetThreshold { positives += 1 } else if z <= -onsetThreshold { negatives += 1 }
            }
            guard !scratch.isEmpty else { return nil }
            let count = scratch.count
            // Sustained: reached by a share of the window, and by two points whenever there are three
            // (with one-minute samples a share of eight points is one point, a spike).
            let k = min(count, max(count >= 3 ? 2 : 1, Int((Double(count) * sustainedShare).rounded(.up))))
            let (high, low) = scratch.withUnsafeMutableBufferPointer { buffer -> (Double, Double) in
                (Selection.kthSmallest(buffer, count - k), Selection.kthSmallest(buffer, k - 1))
            }
            let up = positives >= negatives ? max(high, 0) : 0
            let down = positives < negatives ? max(-low, 0) : 0
            let direction: ChangeDirection = down > up ? .down : .up
            let magnitude = max(up, down)
            // Onset: first point beyond the threshold in the change's direction with two of the next
            // three points beyond it too.
            let sign = direction == .up ? 1.0 : -1.0
            var index = windowFirst
            while index < windowEnd {
                let value = values[index]
                if value.isFinite, sign * (value - median) / scale >= onsetThreshold {
                    var confirmed = 0
                    var look = index + 1
                    while look < min(windowEnd, index + 4) {
                        if values[look].isFinite, sign * (values[look] - median) / scale >= onsetThreshold { confirmed += 1 }
                        look += 1
                    }
                    if confirmed >= min(2, windowEnd - index - 1) {
                        onset = timestamps[index]
                        break
                    }
                }
                index += 1
            }
            return SeriesChange(
                key: series.key, identity: identity, baselineMedian: median,
                baselineScale: scale, magnitude: magnitude, direction: direction, peak: peak, onset: onset,
                level: median + sign * magnitude * scale, historyPoints: historyCount, windowPoints: windowCount)
        }
    }

    /// Linear-interpolated quantile of sorted values.
    static func sortedQuantile(_ sorted: UnsafeMutableBufferPointer<Double>, _ q: Double) -> Double {
        let position = q * Double(sorted.count - 1)
        let lower = Int(position.rounded(.down))
        let fraction = position - Double(lower)
        guard fraction > 0, lower + 1 < sorted.count else { return sorted[lower] }
        return sorted[lower] + fraction * (sorted[lower + 1] - sorted[lower])
    }

    /// First index whose timestamp is ≥ `time`.
    static func lowerBound(_ timestamps: [Int64], _ time: Int64) -> Int {
        var low = 0, high = timestamps.count
        while low < high {
            let middle = (low + high) / 2
            if timestamps[middle] < time { low = middle + 1 } else { high = middle }
        }
        return low
    }
}
