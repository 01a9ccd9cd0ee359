import AuroraCore

/// Robust deviation: distance from the median of the last `window` points in units of their
/// median absolute deviation (scaled by 1.4826 so it matches a standard deviation on normal data).
///
/// The scale is floored at a fraction of the window's standard deviation: on quantised or
/// noise-free stretches the MAD collapses to 0 and every small step would otherwise look infinite.
package struct MADDetector: Detector {
    /// Parameters with the defaults `detection:` documents.
    package struct Parameters: Sendable, Equatable {
        /// Points in the sliding window.
        package var window: Int = 500
        /// The deviation (in scaled MADs) that scores 0.5.
        package var sigmas: Double = 5
        /// Floor of the scale, as a fraction of the window's standard deviation.
        package var scaleFloor: Double = 0.25
        /// Points needed before scoring starts.
        package var minimumPoints: Int = 30
        /// Score at or above which a point is anomalous.
        package var threshold: Double = 0.5

        /// The defaults.
        package init() {}

        func validated() throws -> Parameters {
            let name = MADDetector.name
            guard window >= 3 else { throw DetectionError.invalidParameter(detector: name, parameter: "window", reason: "must be at least 3") }
            guard sigmas > 0 else { throw DetectionError.invalidParameter(detector: name, parameter: "sigmas", reason: "must be positive") }
            guard scaleFloor >= 0 else { throw DetectionError.invalidParameter(detector: name, parameter: "scale_floor", reason: "must not be negative") }
            guard (0...1).contains(threshold) else { throw DetectionError.invalidParameter(detector: name, parameter: "threshold", reason: "must lie in [0, 1]") }
            return self
        }
    }

    package static let name = "mad"
    private static let stateVersion: UInt8 = 2
    /// Makes the MAD a consistent estimator of the standard deviation for normal data.
    static let normalConsistency = 1.4826

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
                let (median, mad) = window.medianAndMAD()
                let scale = max(mad * Self.normalConsistency, parameters.scaleFloor * window.standardDeviation)
                scores[index] = deviationScore(standardised(Swift.abs(value - median), by: scale), scale: parameters.sigmas)
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
