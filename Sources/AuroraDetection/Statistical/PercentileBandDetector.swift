import AuroraCore

/// Percentile band: a point is anomalous by how far it falls outside the band between a low and a
/// high quantile of the last `window` points, measured in band widths.
///
/// Quantiles make no assumption about the distribution, so skewed metrics (latencies, counts) get a
/// fair band on both sides.
package struct PercentileBandDetector: Detector {
    /// Parameters with the defaults `detection:` documents.
    package struct Parameters: Sendable, Equatable {
        /// Points in the sliding window.
        package var window: Int = 1_000
        /// Lower edge of the band, as a quantile in [0, 1].
        package var lowQuantile: Double = 0.01
        /// Upper edge of the band.
        package var highQuantile: Double = 0.99
        /// The excess beyond the band (in band widths) that scores 0.5.
        package var tolerance: Double = 0.5
        /// Floor of the band width, as a fraction of the window's standard deviation.
        package var widthFloor: Double = 0.5
        /// Points needed before scoring starts.
        package var minimumPoints: Int = 50
        /// Score at or above which a point is anomalous.
        package var threshold: Double = 0.5

        /// The defaults.
        package init() {}

        func validated() throws -> Parameters {
            let name = PercentileBandDetector.name
            guard window >= 3 else { throw DetectionError.invalidParameter(detector: name, parameter: "window", reason: "must be at least 3") }
            guard (0...1).contains(lowQuantile), (0...1).contains(highQuantile), lowQuantile < highQuantile else {
                throw DetectionError.invalidParameter(detector: name, parameter: "low_quantile/high_quantile", reason: "must satisfy 0 <= low < high <= 1")
            }
            guard tolerance > 0 else { throw DetectionError.invalidParameter(detector: name, parameter: "tolerance", reason: "must be positive") }
            guard widthFloor >= 0 else { throw DetectionError.invalidParameter(detector: name, parameter: "width_floor", reason: "must not be negative") }
            guard (0...1).contains(threshold) else { throw DetectionError.invalidParameter(detector: name, parameter: "threshold", reason: "must lie in [0, 1]") }
            return self
        }
    }

    package static let name = "percentile"
    private static let stateVersion: UInt8 = 2

    /// The parameters this detector runs with.
    package let parameters: Parameters
    package var threshold: Double { parameters.threshold }
    private var window: SortedWindow

    /// A detector with validated parameters.
    package init(_ parameters: Parameters = Parameters()) throws {
        self.parameters = try parameters.validated()
        window = SortedWindow(capacity: parameters.window)
    }

    package mutating func score(
        timestamps: UnsafeBufferPointer<Int64>,
        values: UnsafeBufferPointer<Double>,
        into scores: UnsafeMutableBufferPointer<Double>
    ) {
        let minimum = max(3, min(parameters.minimumPoints, parameters.window))
        for index in 0..<values.count {
            let value = values[index]
            guard value.isFinite else { scores[index] = 0; continue }
            if window.count >= minimum {
                let low = window.quantile(parameters.lowQuantile)
                let high = window.quantile(parameters.highQuantile)
                let excess = max(0, value - high, low - value)
                let width = max(high - low, parameters.widthFloor * window.standardDeviation)
                scores[index] = deviationScore(standardised(excess, by: width), scale: parameters.tolerance)
            } else {
                scores[index] = 0
            }
            window.push(value)
        }
    }

    package func saveState() throws -> [UInt8] {
        var writer = StateWriter(tag: Self.name, version: Self.stateVersion)
        window.writeCompact(to: &writer)
        return writer.bytes
    }

    package mutating func restoreState(_ bytes: [UInt8]) throws {
        // Version 1 is the same window written whole (before the compact encoding).
        let compact = (try? StateReader(bytes, tag: Self.name, version: Self.stateVersion)) != nil
        var reader = try StateReader(bytes, tag: Self.name, version: compact ? Self.stateVersion : 1)
        let restored = compact ? try SortedWindow.readCompact(from: &reader, capacity: parameters.window, owner: Self.name)
            : try SortedWindow.read(from: &reader, capacity: parameters.window, owner: Self.name)
        try reader.finish()
        window = restored
    }
}
