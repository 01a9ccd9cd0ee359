import AuroraCore

/// What values a metric can take, so an expected range never reads "-80.5…253.5 tweets".
///
/// Counts, rates, durations, sizes and utilisations cannot go below zero; ratios and utilisations
/// (when the data is a fraction) cannot exceed one. The name says which kind a metric is; a series
/// that never went negative in its own data is also treated as non-negative, because a band below
/// zero then describes values nobody has ever seen.
enum MetricDomain {
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
    static func lowerBound(_ key: SeriesKey, observedMinimum: Double?) -> Double? {
        if !words(key.name).isDisjoint(with: nonNegativeWords) { return 0 }
        if let observedMinimum, observedMinimum >= 0 { return 0 }
        return nil
    }

    /// The highest value: 1 for a ratio whose data is a fraction, else nil.
    static func upperBound(_ key: SeriesKey, observedMaximum: Double?) -> Double? {
        guard !words(key.name).isDisjoint(with: fractionWords), let observedMaximum, observedMaximum <= 1 else { return nil }
        return 1
    }
}
