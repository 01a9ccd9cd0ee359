import AuroraCore

/// Fires when a value changes faster than a configured rate between two consecutive points, per
/// second, so a queue growing by 500/s is caught before it reaches any static threshold.
package struct RateOfChangeRule: MatcherSelectedRule {
    /// Which changes count.
    package enum Direction: String, Sendable, Equatable {
        case increase, decrease, either
    }

    package static let name = "rate_of_change"
    package let identity: RuleIdentity
    /// The series this rule watches.
    package let matcher: SeriesMatcher
    /// The largest allowed change per second.
    package let maximumPerSecond: Double
    /// Which direction of change is checked.
    package let direction: Direction
    package var threshold: Double { 0.5 }

    private var lastTimestamp: Int64 = 0
    private var lastValue = Double.nan

    /// A rule; `maximumPerSecond` must be positive.
    package init(identity: RuleIdentity, matcher: SeriesMatcher = SeriesMatcher(), maximumPerSecond: Double, direction: Direction = .either) throws {
        guard maximumPerSecond > 0, maximumPerSecond.isFinite else {
            throw DetectionError.invalidParameter(detector: identity.name, parameter: "max_per_second", reason: "must be a positive number")
        }
        self.identity = identity
        self.matcher = matcher
        self.maximumPerSecond = maximumPerSecond
        self.direction = direction
    }

    package mutating func score(
        timestamps: UnsafeBufferPointer<Int64>,
        values: UnsafeBufferPointer<Double>,
        into scores: UnsafeMutableBufferPointer<Double>
    ) {
        for index in 0..<values.count {
            let value = values[index]
            let timestamp = timestamps[index]
            scores[index] = 0
            guard !value.isNaN else { continue }
            // Repeated or backwards timestamps have no rate; the point still becomes the reference.
            if !lastValue.isNaN, timestamp > lastTimestamp {
                let rate = (value - lastValue) / (Double(elapsed(timestamp, since: lastTimestamp)) / 1000)
                let exceeded: Bool
                switch direction {
                case .increase: exceeded = rate > maximumPerSecond
                case .decrease: exceeded = -rate > maximumPerSecond
                case .either: exceeded = Swift.abs(rate) > maximumPerSecond
                }
                scores[index] = exceeded ? 1 : 0
            }
            lastTimestamp = timestamp
            lastValue = value
        }
    }

    package func saveState() throws -> [UInt8] {
        var writer = StateWriter(tag: Self.name, version: 1)
        writer.write(lastTimestamp)
        writer.write(lastValue)
        return writer.bytes
    }

    package mutating func restoreState(_ bytes: [UInt8]) throws {
        var reader = try StateReader(bytes, tag: Self.name, version: 1)
        let timestamp = try reader.readInt64()
        let value = try reader.readDouble()
        try reader.finish()
        (lastTimestamp, lastValue) = (timestamp, value)
    }
}
