import AuroraCore

/// A static threshold with a Prometheus-style `for:` duration: the condition must hold on every point
/// for at least `forDuration` before the rule fires, so a single noisy sample does not page anyone.
package struct ThresholdRule: MatcherSelectedRule {
    /// Where the value must be for the condition to hold.
    package enum Condition: Sendable, Equatable {
        /// Strictly above the limit.
        case above(Double)
        /// Strictly below the limit.
        case below(Double)
        /// Outside the closed range.
        case outside(low: Double, high: Double)

        @inline(__always)
        func holds(_ value: Double) -> Bool {
            switch self {
            case let .above(limit): return value > limit
            case let .below(limit): return value < limit
            case let .outside(low, high): return value < low || value > high
            }
        }
    }

    package static let name = "threshold"
    package let identity: RuleIdentity
    /// The series this rule watches.
    package let matcher: SeriesMatcher
    /// The condition.
    package let condition: Condition
    /// How long (milliseconds) the condition must hold before the rule fires; 0 fires at once.
    package let forDuration: Int64
    package var threshold: Double { 0.5 }

    /// Start of the current run of points where the condition holds, nil when it does not hold.
    private var pendingSince: Int64?

    /// A rule; `forDuration` is in milliseconds (`DurationText.seconds(...) * 1000`).
    package init(identity: RuleIdentity, matcher: SeriesMatcher = SeriesMatcher(), condition: Condition, forDuration: Int64 = 0) throws {
        if case let .outside(low, high) = condition, !(low <= high) {
            throw DetectionError.invalidParameter(detector: identity.name, parameter: "outside", reason: "needs low <= high")
        }
        guard forDuration >= 0 else {
            throw DetectionError.invalidParameter(detector: identity.name, parameter: "for", reason: "must not be negative")
        }
        self.identity = identity
        self.matcher = matcher
        self.condition = condition
        self.forDuration = forDuration
    }

    package mutating func score(
        timestamps: UnsafeBufferPointer<Int64>,
        values: UnsafeBufferPointer<Double>,
        into scores: UnsafeMutableBufferPointer<Double>
    ) {
        for index in 0..<values.count {
            let value = values[index]
            let timestamp = timestamps[index]
            // A missing sample (NaN) breaks the run: the condition was not observed to hold.
            guard !value.isNaN, condition.holds(value) else {
                pendingSince = nil
                scores[index] = 0
                continue
            }
            let since = pendingSince ?? timestamp
            pendingSince = since
            scores[index] = elapsed(timestamp, since: since) >= forDuration ? 1 : 0
        }
    }

    package func saveState() throws -> [UInt8] {
        var writer = StateWriter(tag: Self.name, version: 1)
        writer.write(pendingSince != nil)
        writer.write(pendingSince ?? 0)
        return writer.bytes
    }

    package mutating func restoreState(_ bytes: [UInt8]) throws {
        var reader = try StateReader(bytes, tag: Self.name, version: 1)
        let pending = try reader.readBool()
        let since = try reader.readInt64()
        try reader.finish()
        pendingSince = pending ? since : nil
    }
}
