import AuroraCore

/// Rolling z-score: how many standard deviations a point lies from the mean of the points before it.
///
/// The window's sum and sum of squares are kept relative to a shift (re-centred on the window mean
/// every `window` points) so the variance stays exact for large values with small spread, and the
/// recomputation also stops rounding drift from accumulating.
package struct RollingZScoreDetector: Detector {
    /// Parameters with the defaults `detection:` documents.
    package struct Parameters: Sendable, Equatable {
        /// Points in the sliding window the mean and deviation come from.
        package var window: Int = 1_000
        /// The deviation (in standard deviations) that scores 0.5, the default verdict threshold.
        package var sigmas: Double = 4
        /// Points needed before scoring starts; earlier points score 0.
        package var minimumPoints: Int = 30
        /// Score at or above which a point is anomalous.
        package var threshold: Double = 0.5

        /// The defaults.
        package init() {}

        func validated() throws -> Parameters {
            let name = RollingZScoreDetector.name
            guard window >= 2 else { throw DetectionError.invalidParameter(detector: name, parameter: "window", reason: "must be at least 2") }
            guard sigmas > 0 else { throw DetectionError.invalidParameter(detector: name, parameter: "sigmas", reason: "must be positive") }
            guard (0...1).contains(threshold) else { throw DetectionError.invalidParameter(detector: name, parameter: "threshold", reason: "must lie in [0, 1]") }
            return self
        }
    }

    package static let name = "zscore"
    private static let stateVersion: UInt8 = 1

    /// The parameters this detector runs with.
    package let parameters: Parameters
    package var threshold: Double { parameters.threshold }

    private var ring: [Double]
    private var head = 0
    private var count = 0
    private var shift = 0.0
    private var sum = 0.0
    private var sumOfSquares = 0.0
    private var sinceRecentre = 0

    /// A detector with validated parameters.
    package init(_ parameters: Parameters = Parameters()) throws {
        self.parameters = try parameters.validated()
        ring = [Double](repeating: 0, count: parameters.window)
    }

    package mutating func score(
        timestamps: UnsafeBufferPointer<Int64>,
        values: UnsafeBufferPointer<Double>,
        into scores: UnsafeMutableBufferPointer<Double>
    ) {
        let window = parameters.window
        let sigmas = parameters.sigmas
        let minimum = max(2, parameters.minimumPoints)
        // Work on locals (kept in registers) and a moved-out ring, then store them back once per block.
        var (head, count, shift, sum, squares, since) = (head, count, shift, sum, sumOfSquares, sinceRecentre)
        var storage: [Double] = []
        swap(&storage, &ring)
        storage.withUnsafeMutableBufferPointer { ring in
            for index in 0..<values.count {
                let value = values[index]
                guard value.isFinite else { scores[index] = 0; continue }
                let shifted = value - shift
                if count >= minimum {
                    let mean = sum / Double(count)
                    let variance = max(0, squares / Double(count) - mean * mean)
                    let deviation = Swift.abs(shifted - mean)
                    scores[index] = deviationScore(standardised(deviation, by: variance.squareRoot()), scale: sigmas)
                } else {
                    scores[index] = 0
                }
                if count == window {
                    let old = ring[head]
                    sum -= old
                    squares -= old * old
                } else {
                    count += 1
                }
                ring[head] = shifted
                sum += shifted
                squares += shifted * shifted
                head += 1
                if head == window { head = 0 }
                since += 1
                if since >= window {
                    since = 0
                    Self.recentre(ring, count: count, shift: &shift, sum: &sum, squares: &squares)
                }
            }
        }
        swap(&storage, &ring)
        (self.head, self.count, self.shift, self.sum, self.sumOfSquares, self.sinceRecentre) = (head, count, shift, sum, squares, since)
    }

    /// Re-centres the stored values on their mean and recomputes the sums exactly.
    private static func recentre(
        _ ring: UnsafeMutableBufferPointer<Double>, count: Int, shift: inout Double, sum: inout Double, squares: inout Double
    ) {
        guard count > 0 else { return }
        let mean = sum / Double(count)
        var newSum = 0.0
        var newSquares = 0.0
        for slot in 0..<count {
            let value = ring[slot] - mean
            ring[slot] = value
            newSum += value
            newSquares += value * value
        }
        shift += mean
        sum = newSum
        squares = newSquares
    }

    package func saveState() throws -> [UInt8] {
        var writer = StateWriter(tag: Self.name, version: Self.stateVersion)
        writer.write(parameters.window)
        writer.write(head)
        writer.write(count)
        writer.write(shift)
        writer.write(sum)
        writer.write(sumOfSquares)
        writer.write(sinceRecentre)
        writer.write(ring)
        return writer.bytes
    }

    package mutating func restoreState(_ bytes: [UInt8]) throws {
        var reader = try StateReader(bytes, tag: Self.name, version: Self.stateVersion)
        let window = try reader.readInt()
        guard window == parameters.window else {
            throw DetectionError.stateMismatch(detector: Self.name, reason: "saved with window \(window), configured \(parameters.window)")
        }
        let head = try reader.readInt()
        let count = try reader.readInt()
        let shift = try reader.readDouble()
        let sum = try reader.readDouble()
        let squares = try reader.readDouble()
        let since = try reader.readInt()
        let ring = try reader.readDoubles()
        try reader.finish()
        guard ring.count == window, (0..<window).contains(head), (0...window).contains(count), since >= 0 else {
            throw DetectionError.stateMismatch(detector: Self.name, reason: "inconsistent window bookkeeping")
        }
        (self.head, self.count, self.shift, self.sum, self.sumOfSquares, self.sinceRecentre, self.ring) =
            (head, count, shift, sum, squares, since, ring)
    }
}
