import AuroraCore

/// The largest value among roughly the last `horizon` points, in O(1) per point and fixed memory:
/// the ensemble's novelty yardsticks (the biggest deviation lately) and `StuckDetector`'s (the longest
/// run that ended lately; a point where none ended pushes 0).
///
/// Points are grouped into 16 buckets of `horizon / 16`; the maximum covers the completed buckets
/// plus the current one, so the span it looks back over is between `horizon − bucket` and `horizon`.
/// Exactness does not matter for a yardstick, bounded state and cost do. Values are finite and not
/// negative.
struct RecentMaximum: Sendable, Equatable {
    static let bucketCount = 16
    let bucketSize: Int
    private var buckets: [Double]
    private var bucket = 0
    private var filled = 0
    private var current = 0.0
    private var completedMaximum = 0.0

    init(horizon: Int) {
        bucketSize = max(1, horizon / Self.bucketCount)
        buckets = [Double](repeating: 0, count: Self.bucketCount)
    }

    /// The maximum of the values pushed within the horizon (0 before any).
    @inline(__always)
    var value: Double { max(current, completedMaximum) }

    /// The maximum over the completed buckets only: the yardstick as it stood before the bucket
    /// being filled, which bounds how much the current one may raise it.
    @inline(__always)
    var settled: Double { completedMaximum }

    @inline(__always)
    mutating func push(_ value: Double) {
        if value > current { current = value }
        filled += 1
        if filled == bucketSize {
            buckets[bucket] = current
            bucket = bucket + 1 == Self.bucketCount ? 0 : bucket + 1
            filled = 0
            current = 0
            completedMaximum = buckets.max() ?? 0
        }
    }

    /// The two parameters of a detector judged against a recent maximum (`stuck`, `drift`): how many
    /// times the yardstick a value must reach (at least once), and the horizon (a point per bucket).
    static func checkYardstick(multiple: Double, horizon: Int, detector: String) throws {
        guard multiple >= 1, multiple.isFinite else {
            throw DetectionError.invalidParameter(detector: detector, parameter: "multiple", reason: "must be finite and at least 1")
        }
        guard horizon >= bucketCount else {
            throw DetectionError.invalidParameter(detector: detector, parameter: "horizon", reason: "must be at least \(bucketCount)")
        }
    }

    func write(to writer: inout StateWriter) {
        writer.write(bucketSize)
        writer.write(buckets)
        writer.write(bucket)
        writer.write(filled)
        writer.write(current)
        writer.write(completedMaximum)
    }

    static func read(from reader: inout StateReader, horizon: Int) throws -> RecentMaximum {
        var maximum = RecentMaximum(horizon: horizon)
        let size = try reader.readInt()
        let buckets = try reader.readDoubles()
        let bucket = try reader.readInt()
        let filled = try reader.readInt()
        guard size == maximum.bucketSize else { throw reader.inconsistent("its horizon differs from the saved one") }
        let current = try reader.readDouble()
        let completed = try reader.readDouble()
        let usable = { (value: Double) in value.isFinite && value >= 0 }
        guard buckets.count == bucketCount, (0..<bucketCount).contains(bucket), (0..<size).contains(filled),
              buckets.allSatisfy(usable), usable(current), completed == buckets.max() else {
            throw reader.inconsistent("its recent maxima are out of range")
        }
        maximum.buckets = buckets
        maximum.bucket = bucket
        maximum.filled = filled
        maximum.current = current
        maximum.completedMaximum = completed
        return maximum
    }
}
