import AuroraCore

/// The longest run of identical values that ended within roughly the last `horizon` points, in O(1)
/// per point and fixed memory: the yardstick `StuckDetector` measures the current run against.
///
/// Points are grouped into 16 buckets of `horizon / 16`; a bucket keeps the longest run that ended
/// in it, and the yardstick is the longest over the completed buckets and the current one, so the
/// span it looks back over is between `horizon − bucket` and `horizon` points. Exactness does not
/// matter for a yardstick; bounded state and cost do.
struct LongestRecentRun: Sendable, Equatable {
    static let bucketCount = 16
    let bucketSize: Int
    private var buckets: [Double]
    private var bucket = 0
    private var filled = 0
    private var current = 0.0
    private var completedLongest = 0.0

    init(horizon: Int) {
        bucketSize = max(1, horizon / Self.bucketCount)
        buckets = [Double](repeating: 0, count: Self.bucketCount)
    }

    /// The longest run that ended within the horizon, in points (0 before any ended).
    @inline(__always)
    var value: Double { max(current, completedLongest) }

    /// Counts one point, at which a run of `ended` points ended (0 when none did).
    @inline(__always)
    mutating func advance(ended: Double) {
        if ended > current { current = ended }
        filled += 1
        if filled == bucketSize {
            buckets[bucket] = current
            bucket = bucket + 1 == Self.bucketCount ? 0 : bucket + 1
            filled = 0
            current = 0
            completedLongest = buckets.max() ?? 0
        }
    }

    func write(to writer: inout StateWriter) {
        writer.write(bucketSize)
        writer.write(raw: buckets[...])
        writer.write(bucket)
        writer.write(filled)
        writer.write(current)
    }

    static func read(from reader: inout StateReader, horizon: Int) throws -> LongestRecentRun {
        var longest = LongestRecentRun(horizon: horizon)
        guard try reader.readInt() == longest.bucketSize else { throw reader.inconsistent("the horizon differs from the saved one") }
        try reader.readRaw(bucketCount, into: &longest.buckets)
        let bucket = try reader.readInt()
        let filled = try reader.readInt()
        let current = try reader.readDouble()
        guard (0..<bucketCount).contains(bucket), (0..<longest.bucketSize).contains(filled),
              current >= 0, longest.buckets.allSatisfy({ $0 >= 0 }) else {
            throw reader.inconsistent("its run lengths are out of range")
        }
        longest.bucket = bucket
        longest.filled = filled
        longest.current = current
        longest.completedLongest = longest.buckets.max() ?? 0
        return longest
    }
}
