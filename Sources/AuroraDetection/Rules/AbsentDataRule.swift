import AuroraCore

/// Fires when a series goes quiet: no point for longer than `maximumGap`.
///
/// Inside a stream the point that ends a long gap is flagged (the gap is over, but it happened).
/// A series that is still silent has no point to flag: call `isAbsent(lastSeen:at:)` with the
/// evaluation time the caller chose (the engine never reads the clock itself).
package struct AbsentDataRule: MatcherSelectedRule {
    package static let name = "absent"
    package let identity: RuleIdentity
    /// The series this rule watches.
    package let matcher: SeriesMatcher
    /// The longest allowed silence, in milliseconds.
    package let maximumGap: Int64
    package var threshold: Double { 0.5 }

    /// Timestamp of the last point seen, nil before the first.
    package private(set) var lastSeen: Int64?

    /// A rule; `maximumGap` is in milliseconds and must be positive.
    package init(identity: RuleIdentity, matcher: SeriesMatcher = SeriesMatcher(), maximumGap: Int64) throws {
        guard maximumGap > 0 else {
            throw DetectionError.invalidParameter(detector: identity.name, parameter: "for", reason: "must be positive")
        }
        self.identity = identity
        self.matcher = matcher
        self.maximumGap = maximumGap
    }

    /// Whether the series counts as absent at `now` (milliseconds), given the last point seen.
    package func isAbsent(lastSeen: Int64?, at now: Int64) -> Bool {
        guard let lastSeen else { return true }
        return elapsed(now, since: lastSeen) > maximumGap
    }

    package mutating func score(
        timestamps: UnsafeBufferPointer<Int64>,
        values: UnsafeBufferPointer<Double>,
        into scores: UnsafeMutableBufferPointer<Double>
    ) {
        for index in 0..<values.count {
            // A NaN is a missing sample: it does not count as data arriving.
            guard !values[index].isNaN else { scores[index] = 0; continue }
            let timestamp = timestamps[index]
            if let last = lastSeen {
                scores[index] = elapsed(timestamp, since: last) > maximumGap ? 1 : 0
                lastSeen = max(last, timestamp)
            } else {
                scores[index] = 0
                lastSeen = timestamp
            }
        }
    }

    package func saveState() throws -> [UInt8] {
        var writer = StateWriter(tag: Self.name, version: 1)
        writer.write(lastSeen != nil)
        writer.write(lastSeen ?? 0)
        return writer.bytes
    }

    package mutating func restoreState(_ bytes: [UInt8]) throws {
        var reader = try StateReader(bytes, tag: Self.name, version: 1)
        let seen = try reader.readBool()
        let last = try reader.readInt64()
        try reader.finish()
        lastSeen = seen ? last : nil
    }
}
