import AuroraCore

/// A cheap running estimate of the normal range of a series (exponentially weighted mean and
/// variance of the points judged normal), reported with each event as "expected".
struct ExpectedRange: Sendable, Equatable {
    private(set) var mean = 0.0
    private(set) var variance = 0.0
    private(set) var count = 0.0
    /// Weight of a new normal point once the estimate has settled (about 200 points of memory).
    static let adaptation = 0.005
    /// Half-width of the range in standard deviations.
    static let sigmas = 3.0

    mutating func observe(_ value: Double) {
        guard value.isFinite else { return }
        count += 1
        // A running average until 1/n drops below the adaptation weight (no division after that).
        let weight = count < 1 / Self.adaptation ? 1 / count : Self.adaptation
        let delta = value - mean
        mean += weight * delta
        variance = (1 - weight) * (variance + weight * delta * delta)
    }

    var range: (low: Double, high: Double) {
        guard count > 0 else { return (.nan, .nan) }
        let spread = Self.sigmas * variance.squareRoot()
        return (mean - spread, mean + spread)
    }

    func write(to writer: inout StateWriter) {
        writer.write(mean)
        writer.write(variance)
        writer.write(count)
    }

    static func read(from reader: inout StateReader) throws -> ExpectedRange {
        var range = ExpectedRange()
        range.mean = try reader.readDouble()
        range.variance = try reader.readDouble()
        range.count = try reader.readDouble()
        return range
    }
}
