/// Running mean and standard deviation that weight all points equally up to `window` points and
/// exponentially (with that effective length) after, so standardisation follows slow drift.
struct StreamingStandardiser: Sendable, Equatable {
    let window: Int
    private(set) var count = 0
    private(set) var mean = 0.0
    private(set) var variance = 0.0

    init(window: Int) { self.window = window }

    /// The value in standard units of the points seen so far, clamped to ±`limit` so one wild point
    /// cannot blow up the network's activations. A series with no spread yet uses a tiny floor
    /// relative to its level, so any change from a constant reads as large.
    func standardise(_ value: Double, limit: Double) -> Double {
        guard count > 0 else { return 0 }
        let floor = max(1e-9, 1e-6 * abs(mean))
        let z = (value - mean) / max(variance.squareRoot(), floor)
        // Values beyond Double's comfortable range (1e200 and up) overflow to NaN here; they are as far
        // out as a value can be.
        guard !z.isNaN else { return value < mean ? -limit : limit }
        return min(max(z, -limit), limit)
    }

    /// Adds a value; one whose square would overflow is left out, so it cannot poison the statistics.
    mutating func update(_ value: Double) {
        let rate = 1 / Double(min(count + 1, window))
        let delta = value - mean
        let newMean = mean + rate * delta
        let newVariance = (1 - rate) * (variance + rate * delta * delta)
        guard newMean.isFinite, newVariance.isFinite else { return }
        count += 1
        mean = newMean
        variance = newVariance
    }

    func encode(into writer: inout ModelStateWriter) {
        writer.append(count)
        writer.append(mean)
        writer.append(variance)
    }

    mutating func decode(from reader: inout ModelStateReader) throws {
        count = try reader.readInt()
        mean = try reader.readDouble()
        variance = try reader.readDouble()
        guard count >= 0, variance >= 0 else { throw reader.failure("normaliser out of range") }
    }
}
