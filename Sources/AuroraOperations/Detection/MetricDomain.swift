import AuroraCore
import AuroraDetection

/// What values a metric can take, so an expected range never reads "-80.5…253.5 tweets".
///
/// Counts, rates, durations, sizes and utilisations cannot go below zero; ratios and utilisations
/// (when the data is a fraction) cannot exceed one. The name says which kind a metric is; a series
/// that never went negative in its own data is also treated as non-negative, because a band below
/// zero then describes values nobody has ever seen.
package enum MetricDomain {
    static let nonNegativeWords: Set<String> = [
        "total", "count", "rate", "ratio", "bytes", "seconds", "ms", "latency", "duration", "volume", "requests",
        "errors", "error", "size", "utilization", "utilisation", "saturation", "usage", "connections", "cpu",
        "memory", "disk", "throughput", "qps", "rps", "tweets", "traffic", "load", "queue", "depth", "length",
    ]
    static let fractionWords: Set<String> = ["ratio", "saturation", "utilization", "utilisation", "fraction"]

    static func words(_ name: String) -> Set<String> {
        Set(name.lowercased().split { !$0.isLetter && !$0.isNumber }.map(String.init))
    }

    /// The lowest value the metric can take, or nil when it can be any number.
    package static func lowerBound(_ key: SeriesKey, observedMinimum: Double?) -> Double? {
        if !words(key.name).isDisjoint(with: nonNegativeWords) { return 0 }
        if let observedMinimum, observedMinimum >= 0 { return 0 }
        return nil
    }

    /// The highest value: 1 for a ratio whose data is a fraction, else nil.
    package static func upperBound(_ key: SeriesKey, observedMaximum: Double?) -> Double? {
        guard !words(key.name).isDisjoint(with: fractionWords), let observedMaximum, observedMaximum <= 1 else { return nil }
        return 1
    }
}

/// Anomaly events made fit to record and show: expected ranges bounded by what the metric can be, and
/// no event whose peak lies inside its own expected range (a reader could not tell what was anomalous),
/// unless a detector of behaviour or a configured rule voted for it.
package enum EventBounds {
    /// Detectors whose events are about how the series moves, not where its value lies: a frozen
    /// value sits inside the expected range by definition, and what is anomalous is that it stopped
    /// moving, which the event's `detectors` says.
    package static let behaviourDetectors: Set<String> = [StuckDetector.name, DriftDetector.name]
    /// Behaviour detectors that judge the level's side: a drift's event may peak inside the expected
    /// range (each of its points is unremarkable; their sum is not), and its way is the side of the
    /// range's middle the peak lies on.
    package static let levelDetectors: Set<String> = [DriftDetector.name]

    /// Which way an event went: `up` above its expected range (or no upper bound known), `down` below
    /// it; inside it, `up` or `down` from the range's middle when `drift` voted (a lasting shift each of
    /// whose points is unremarkable), `flat` when a detector of behaviour such as `stuck` voted (the
    /// value stopped moving), else `within` (a configured rule fired on something other than the level: data absent,
    /// a threshold held for its `for:`). The table, `--json` and the HTML report all say it this way.
    package static func direction(peak: Double, expectedLow: Double?, expectedHigh: Double?, detectors: some Sequence<String>) -> String {
        guard let expectedHigh, peak <= expectedHigh else { return "up" }
        guard let expectedLow, peak >= expectedLow else { return "down" }
        let voted = Set(detectors)
        if !voted.isDisjoint(with: levelDetectors) { return peak >= (expectedLow + expectedHigh) / 2 ? "up" : "down" }
        return voted.isDisjoint(with: behaviourDetectors) ? "within" : "flat"
    }

    /// The events to record and report, and how many were set aside.
    package static func prepare(_ events: [AnomalyEvent], series: [Series]) -> (events: [AnomalyEvent], setAside: Int) {
        var extremes: [SeriesKey: (Double, Double)] = [:]
        for item in series {
            let finite = item.values.lazy.filter(\.isFinite)
            guard let low = finite.min(), let high = finite.max() else { continue }
            extremes[item.key] = (low, high)
        }
        var kept: [AnomalyEvent] = []
        var setAside = 0
        for var event in events {
            let observed = extremes[event.series]
            if let floor = MetricDomain.lowerBound(event.series, observedMinimum: observed?.0) {
                event.expectedLow = max(event.expectedLow, floor)
                event.expectedHigh = max(event.expectedHigh, floor)
            }
            if let ceiling = MetricDomain.upperBound(event.series, observedMaximum: observed?.1) {
                event.expectedHigh = min(event.expectedHigh, ceiling)
                event.expectedLow = min(event.expectedLow, ceiling)
            }
            // A rule the operator configured is an instruction, not a statistical guess: its event is
            // kept wherever its value lies (an absent-data rule flags a normal value after a gap; a
            // threshold held `for:` a while lets the expected range learn the first points above it).
            if event.peakValue >= event.expectedLow && event.peakValue <= event.expectedHigh,
               event.severity == nil, Self.behaviourDetectors.isDisjoint(with: event.detectors) {
                setAside += 1
                continue
            }
            kept.append(event)
        }
        return (kept, setAside)
    }
}
